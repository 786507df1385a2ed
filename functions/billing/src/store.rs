//! billing's items in the single table.

use crate::domain::{giftcard::GiftCard, Wallet};
use aws_sdk_dynamodb::{
    operation::update_item::UpdateItemError,
    types::{AttributeValue, ReturnValue, ReturnValuesOnConditionCheckFailure},
    Client,
};
use vitrina_shared::{keys, table, StoreError};

#[derive(Clone, Debug)]
pub struct BillingStore {
    db: Client,
    table: String,
}

impl BillingStore {
    pub fn new(db: Client, table: String) -> Self {
        Self { db, table }
    }

    /// Opens the wallet unless it exists: a replayed message never resets a balance.
    pub async fn open_wallet(&self, wallet: &Wallet) -> Result<bool, StoreError> {
        let item = table::item(keys::billing::wallet(&wallet.user_id), wallet)?;
        table::put_if_absent(&self.db, &self.table, item).await
    }

    pub async fn wallet(&self, user_id: &str) -> Result<Option<Wallet>, StoreError> {
        table::get(&self.db, &self.table, keys::billing::wallet(user_id), true).await
    }
}

impl BillingStore {
    /// Stores a newly issued card under its code's hash; `false` if that hash exists already.
    pub async fn issue_card(&self, code_hash: &str, card: &GiftCard) -> Result<bool, StoreError> {
        let item = table::item(keys::billing::gift_card(code_hash), card)?;
        table::put_if_absent(&self.db, &self.table, item).await
    }

    /// Binds the card to the client, once: activating one's own card again answers it as is.
    /// `NotFound`: no card has this hash; `Conflict`: another client activated it.
    pub async fn activate_card(
        &self,
        code_hash: &str,
        user_id: &str,
        now: &str,
    ) -> Result<GiftCard, StoreError> {
        let out = self
            .db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(table::key(keys::billing::gift_card(code_hash))))
            .update_expression(
                "SET #status = :active, ownerUserId = :user, \
                 activatedAt = if_not_exists(activatedAt, :now), GSI1PK = :owner, \
                 GSI1SK = if_not_exists(activatedAt, :now)",
            )
            .condition_expression(
                "attribute_exists(PK) AND (#status = :issued OR ownerUserId = :user)",
            )
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":active", AttributeValue::S("active".into()))
            .expression_attribute_values(":issued", AttributeValue::S("issued".into()))
            .expression_attribute_values(":user", AttributeValue::S(user_id.into()))
            .expression_attribute_values(":now", AttributeValue::S(now.into()))
            .expression_attribute_values(
                ":owner",
                AttributeValue::S(keys::billing::gift_cards_of(user_id)),
            )
            .return_values(ReturnValue::AllNew)
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .send()
            .await;
        match out {
            Ok(o) => Ok(serde_dynamo::from_item(o.attributes.unwrap_or_default())?),
            Err(e) => {
                let old = e.as_service_error().and_then(|s| match s {
                    UpdateItemError::ConditionalCheckFailedException(c) => Some(c.item.is_some()),
                    _ => None,
                });
                match old {
                    Some(true) => Err(StoreError::Conflict),
                    Some(false) => Err(StoreError::NotFound),
                    None => Err(e.into()),
                }
            }
        }
    }

    /// The client's activated cards, oldest first.
    pub async fn cards_of(&self, user_id: &str) -> Result<Vec<GiftCard>, StoreError> {
        let out = self
            .db
            .query()
            .table_name(&self.table)
            .index_name(keys::GSI1)
            .key_condition_expression("GSI1PK = :owner")
            .expression_attribute_values(
                ":owner",
                AttributeValue::S(keys::billing::gift_cards_of(user_id)),
            )
            .send()
            .await?;
        Ok(serde_dynamo::from_items(out.items.unwrap_or_default())?)
    }
}
