//! notification's items in the single table.

use crate::domain::Account;
use aws_sdk_dynamodb::{types::AttributeValue, Client};
use vitrina_shared::{
    keys,
    table::{self, key},
    StoreError,
};

/// After this long a claim still "sending" is taken to be abandoned.
pub const ABANDONED_CLAIM_SECONDS: i64 = 300;

#[derive(Clone, Debug)]
pub struct NotificationStore {
    db: Client,
    table: String,
}

impl NotificationStore {
    pub fn new(db: Client, table: String) -> Self {
        Self { db, table }
    }

    pub async fn account(&self, user_id: &str) -> Result<Option<Account>, StoreError> {
        table::get(
            &self.db,
            &self.table,
            keys::notification::account(user_id),
            true,
        )
        .await
    }

    /// Opens the account once; a replay leaves the first one as it is.
    pub async fn open_account(&self, account: &Account) -> Result<bool, StoreError> {
        let item = table::item(keys::notification::account(&account.user_id), account)?;
        table::put_if_absent(&self.db, &self.table, item).await
    }

    /// Claims the right to send one notification: only the first claim of an id wins, so a
    /// duplicate message never sends a second letter. `false` when it was sent, or is being
    /// sent right now by another delivery.
    pub async fn claim(
        &self,
        user_id: &str,
        notification_id: &str,
        kind: &str,
    ) -> Result<bool, StoreError> {
        let now = chrono::Utc::now();
        let mut item = key(keys::notification::sent(user_id, notification_id));
        item.insert("kind".into(), AttributeValue::S(kind.into()));
        item.insert("status".into(), AttributeValue::S("sending".into()));
        item.insert("claimedAt".into(), AttributeValue::S(now.to_rfc3339()));
        item.insert(
            "claimedEpoch".into(),
            AttributeValue::N(now.timestamp().to_string()),
        );
        // A claim still "sending" long after any function could still be sending (Lambda's
        // timeout is seconds) was left by one that died between the claim and the send: this
        // delivery takes it over, or the letter would be lost for good.
        let result = self
            .db
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression(
                "attribute_not_exists(PK) OR (#status = :sending AND claimedEpoch < :stale)",
            )
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":sending", AttributeValue::S("sending".into()))
            .expression_attribute_values(
                ":stale",
                AttributeValue::N((now.timestamp() - ABANDONED_CLAIM_SECONDS).to_string()),
            )
            .send()
            .await;
        table::written(result.map_err(StoreError::from))
    }

    /// Gives a claim back after a failed send, so that the retry may send.
    pub async fn release(&self, user_id: &str, notification_id: &str) -> Result<(), StoreError> {
        self.db
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::notification::sent(
                user_id,
                notification_id,
            ))))
            .send()
            .await?;
        Ok(())
    }

    pub async fn mark_sent(
        &self,
        user_id: &str,
        notification_id: &str,
        provider_id: &str,
    ) -> Result<(), StoreError> {
        self.db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::notification::sent(
                user_id,
                notification_id,
            ))))
            .update_expression("SET #s = :sent, providerId = :p, sentAt = :t")
            .expression_attribute_names("#s", "status")
            .expression_attribute_values(":sent", AttributeValue::S("sent".into()))
            .expression_attribute_values(":p", AttributeValue::S(provider_id.into()))
            .expression_attribute_values(":t", AttributeValue::S(chrono::Utc::now().to_rfc3339()))
            .send()
            .await?;
        Ok(())
    }
}
