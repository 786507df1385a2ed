//! payment's items in the table: payments, the client's request keys, the bank's ids, the one
//! payment claimed per order, and wrong gift-card codes per client per window. The only code of
//! payment that touches the table.

use crate::domain::{
    guessing::Window,
    payment::{Payment, SavedCard, Status},
};
use aws_sdk_dynamodb::{
    operation::transact_write_items::TransactWriteItemsError,
    types::{AttributeValue, ConditionCheck, Put, TransactWriteItem},
};
use std::collections::HashMap;
use vitrina_shared::{keys, table, StoreError};

pub struct PaymentStore {
    db: aws_sdk_dynamodb::Client,
    table: String,
}

/// What claiming an order for a payment found.
#[derive(Debug, PartialEq, Eq)]
pub enum Claim {
    /// The order is this payment's (now or from before): its money may be taken.
    Ours,
    /// Another payment has the order.
    TakenByAnother,
    /// The payment may no longer be confirmed (given up by the timer meanwhile).
    PaymentOver,
}

/// What recording a new payment found.
pub enum Recorded {
    New,
    /// The client's key was used before: its payment.
    Existing(String),
}

impl PaymentStore {
    pub fn new(db: aws_sdk_dynamodb::Client, table: String) -> Self {
        Self { db, table }
    }

    /// Takes one of the client's tries in this window before the code is checked; `false` when
    /// none is left.
    pub async fn take_code_try(&self, user_id: &str, window: Window) -> Result<bool, StoreError> {
        let counter = keys::payment::gift_failures(user_id, window.index);
        table::take_attempt(
            &self.db,
            &self.table,
            counter,
            crate::domain::guessing::MAX_FAILURES,
            window.ends_at,
        )
        .await
    }

    /// A code that was not wrong: its try is given back.
    pub async fn give_back_code_try(
        &self,
        user_id: &str,
        window: Window,
    ) -> Result<(), StoreError> {
        let counter = keys::payment::gift_failures(user_id, window.index);
        table::give_back_attempt(&self.db, &self.table, counter).await
    }

    /// The payment and the client's request key, together: a key used before answers the
    /// payment it made.
    pub async fn record(
        &self,
        payment: &Payment,
        request_key: &str,
    ) -> Result<Recorded, StoreError> {
        let key_item = table::item(
            keys::payment::request_key(&payment.user_id, request_key),
            &HashMap::from([("paymentId", payment.payment_id.as_str())]),
        )?;
        let put = |item| {
            Put::builder()
                .table_name(&self.table)
                .set_item(Some(item))
                .condition_expression("attribute_not_exists(PK)")
                .build()
        };
        let result = self
            .db
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().put(put(key_item)?).build())
            .transact_items(
                TransactWriteItem::builder()
                    .put(put(table::item(
                        keys::payment::payment(&payment.payment_id),
                        payment,
                    )?)?)
                    .build(),
            )
            .send()
            .await;
        match result {
            Ok(_) => Ok(Recorded::New),
            Err(e) => {
                let conflict = matches!(
                    e.as_service_error(),
                    Some(TransactWriteItemsError::TransactionCanceledException(c))
                        if c.cancellation_reasons().iter().any(|r| r.code() == Some("ConditionalCheckFailed"))
                );
                if !conflict {
                    return Err(e.into());
                }
                let existing: Option<HashMap<String, String>> = table::get(
                    &self.db,
                    &self.table,
                    keys::payment::request_key(&payment.user_id, request_key),
                    true,
                )
                .await?;
                existing
                    .and_then(|m| m.get("paymentId").cloned())
                    .map(Recorded::Existing)
                    .ok_or(StoreError::Conflict)
            }
        }
    }

    pub async fn payment(&self, payment_id: &str) -> Result<Option<Payment>, StoreError> {
        table::get(
            &self.db,
            &self.table,
            keys::payment::payment(payment_id),
            true,
        )
        .await
    }

    /// Writes `next` if the payment is still in `from` (the status it was read in).
    /// `Conflict`: it moved meanwhile; read it again.
    pub async fn advance(&self, next: &Payment, from: Status) -> Result<(), StoreError> {
        let from = serde_dynamo::to_attribute_value::<_, AttributeValue>(from)?;
        self.db
            .put_item()
            .table_name(&self.table)
            .set_item(Some(table::item(
                keys::payment::payment(&next.payment_id),
                next,
            )?))
            .condition_expression("#s = :from")
            .expression_attribute_names("#s", "status")
            .expression_attribute_values(":from", from)
            .send()
            .await?;
        Ok(())
    }

    /// The bank's id of the payment → the shop's, for webhooks.
    pub async fn link_bank_payment(
        &self,
        bank_payment_id: &str,
        payment_id: &str,
    ) -> Result<(), StoreError> {
        let item = table::item(
            keys::payment::bank_payment(bank_payment_id),
            &HashMap::from([("paymentId", payment_id)]),
        )?;
        table::put(&self.db, &self.table, item).await
    }

    pub async fn by_bank_payment(
        &self,
        bank_payment_id: &str,
    ) -> Result<Option<String>, StoreError> {
        let link: Option<HashMap<String, String>> = table::get(
            &self.db,
            &self.table,
            keys::payment::bank_payment(bank_payment_id),
            true,
        )
        .await?;
        Ok(link.and_then(|m| m.get("paymentId").cloned()))
    }

    /// Claims the order for this payment before its money is taken, in one transaction with a
    /// check that the payment may still be confirmed: a payment the timer gave up (`Cancelled`)
    /// can no longer claim, and a claimed one can no longer be given up, so money is either
    /// taken or released, never both.
    pub async fn claim_order(&self, payment: &Payment) -> Result<Claim, StoreError> {
        let claim = table::item(
            keys::payment::order_claim(&payment.order_id),
            &HashMap::from([("paymentId", payment.payment_id.as_str())]),
        )?;
        let status = |s: Status| serde_dynamo::to_attribute_value::<_, AttributeValue>(s);
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(claim))
            .condition_expression("attribute_not_exists(PK) OR paymentId = :p")
            .expression_attribute_values(":p", AttributeValue::S(payment.payment_id.clone()))
            .build()?;
        let check = ConditionCheck::builder()
            .table_name(&self.table)
            .set_key(Some(table::key(keys::payment::payment(
                &payment.payment_id,
            ))))
            // The statuses in which "Оплатить" may take the money.
            .condition_expression("#s IN (:authorized, :ready)")
            .expression_attribute_names("#s", "status")
            .expression_attribute_values(":authorized", status(Status::Authorized)?)
            .expression_attribute_values(":ready", status(Status::Ready)?)
            .build()?;
        let result = self.put_if(put, check).await;
        match result {
            Ok(_) => Ok(Claim::Ours),
            Err(StoreError::Conflict) => match self.order_claimed_by(&payment.order_id).await? {
                Some(other) if other != payment.payment_id => Ok(Claim::TakenByAnother),
                _ => Ok(Claim::PaymentOver),
            },
            Err(e) => Err(e),
        }
    }

    /// Writes `given_up` (a payment nobody confirmed in time) if the payment is still in `from`
    /// and the order is not claimed by it: `false` when it was claimed or moved meanwhile.
    pub async fn give_up_unclaimed(
        &self,
        given_up: &Payment,
        from: Status,
    ) -> Result<bool, StoreError> {
        let from = serde_dynamo::to_attribute_value::<_, AttributeValue>(from)?;
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(table::item(
                keys::payment::payment(&given_up.payment_id),
                given_up,
            )?))
            .condition_expression("#s = :from")
            .expression_attribute_names("#s", "status")
            .expression_attribute_values(":from", from)
            .build()?;
        let check = ConditionCheck::builder()
            .table_name(&self.table)
            .set_key(Some(table::key(keys::payment::order_claim(
                &given_up.order_id,
            ))))
            .condition_expression("attribute_not_exists(PK) OR paymentId <> :p")
            .expression_attribute_values(":p", AttributeValue::S(given_up.payment_id.clone()))
            .build()?;
        let result = self.put_if(put, check).await;
        table::written(result)
    }

    /// `put` if `check` holds on another item, in one transaction (`Conflict` when either
    /// condition fails).
    async fn put_if(&self, put: Put, check: ConditionCheck) -> Result<(), StoreError> {
        self.db
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().put(put).build())
            .transact_items(TransactWriteItem::builder().condition_check(check).build())
            .send()
            .await
            .map_err(table::transaction_error)?;
        Ok(())
    }

    /// Gives the order back when this payment's money could not be taken.
    pub async fn release_order(&self, order_id: &str, payment_id: &str) -> Result<(), StoreError> {
        let result = self
            .db
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(table::key(keys::payment::order_claim(order_id))))
            .condition_expression("paymentId = :p")
            .expression_attribute_values(":p", AttributeValue::S(payment_id.into()))
            .send()
            .await;
        match result.map_err(StoreError::from) {
            Ok(_) | Err(StoreError::Conflict) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Keeps a card the bank saved for the client (a repeat is the same item).
    pub async fn save_card(&self, user_id: &str, card: &SavedCard) -> Result<(), StoreError> {
        self.db
            .put_item()
            .table_name(&self.table)
            .set_item(Some(table::item(
                keys::payment::saved_card(user_id, &card.card_id),
                card,
            )?))
            .send()
            .await?;
        Ok(())
    }

    pub async fn saved_cards(&self, user_id: &str) -> Result<Vec<SavedCard>, StoreError> {
        let (pk, _) = keys::payment::saved_card(user_id, "");
        let out = self
            .db
            .query()
            .table_name(&self.table)
            .key_condition_expression("PK = :pk")
            .expression_attribute_values(":pk", AttributeValue::S(pk))
            .send()
            .await?;
        Ok(serde_dynamo::from_items(out.items.unwrap_or_default())?)
    }

    /// The payment that has the order, if any.
    pub async fn order_claimed_by(&self, order_id: &str) -> Result<Option<String>, StoreError> {
        let claim: Option<HashMap<String, String>> = table::get(
            &self.db,
            &self.table,
            keys::payment::order_claim(order_id),
            true,
        )
        .await?;
        Ok(claim.and_then(|m| m.get("paymentId").cloned()))
    }
}
