//! billing's items in the single table.

use crate::domain::{giftcard::GiftCard, Wallet};
use aws_sdk_dynamodb::{
    operation::update_item::UpdateItemError,
    types::{AttributeValue, ReturnValue, ReturnValuesOnConditionCheckFailure},
    Client,
};
use vitrina_shared::{keys, table};

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
    pub async fn open_wallet(&self, wallet: &Wallet) -> Result<bool, String> {
        let item = table::item(keys::billing::wallet(&wallet.user_id), wallet)?;
        table::put_if_absent(&self.db, &self.table, item).await
    }

    pub async fn wallet(&self, user_id: &str) -> Result<Option<Wallet>, String> {
        table::get(&self.db, &self.table, keys::billing::wallet(user_id), true).await
    }
}

/// Why an activation did not happen.
#[derive(Debug, PartialEq, Eq)]
pub enum ActivateError {
    NotFound,
    /// Another client activated it.
    Taken,
    Other(String),
}

impl BillingStore {
    /// Stores a newly issued card under its code's hash; `false` if that hash exists already.
    pub async fn issue_card(&self, code_hash: &str, card: &GiftCard) -> Result<bool, String> {
        let item = table::item(keys::billing::gift_card(code_hash), card)?;
        table::put_if_absent(&self.db, &self.table, item).await
    }

    /// Binds the card to the client, once: activating one's own card again answers it as is.
    pub async fn activate_card(
        &self,
        code_hash: &str,
        user_id: &str,
        now: &str,
    ) -> Result<GiftCard, ActivateError> {
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
            Ok(o) => serde_dynamo::from_item(o.attributes.unwrap_or_default())
                .map_err(|e| ActivateError::Other(e.to_string())),
            Err(e) => {
                let old = e.as_service_error().and_then(|s| match s {
                    UpdateItemError::ConditionalCheckFailedException(c) => Some(c.item.is_some()),
                    _ => None,
                });
                match old {
                    Some(true) => Err(ActivateError::Taken),
                    Some(false) => Err(ActivateError::NotFound),
                    None => Err(ActivateError::Other(format!("{e:?}"))),
                }
            }
        }
    }

    /// The client's activated cards, oldest first.
    pub async fn cards_of(&self, user_id: &str) -> Result<Vec<GiftCard>, String> {
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
            .await
            .map_err(|e| format!("{e:?}"))?;
        out.items
            .unwrap_or_default()
            .into_iter()
            .map(|i| serde_dynamo::from_item(i).map_err(|e| e.to_string()))
            .collect()
    }
}
