//! notification's items in the single table.

use crate::domain::Account;
use aws_sdk_dynamodb::{types::AttributeValue, Client};
use vitrina_shared::{
    keys,
    table::{self, key},
    StoreError,
};

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
    /// duplicate message never sends a second letter.
    pub async fn claim(
        &self,
        user_id: &str,
        notification_id: &str,
        kind: &str,
    ) -> Result<bool, StoreError> {
        let mut item = key(keys::notification::sent(user_id, notification_id));
        item.insert("kind".into(), AttributeValue::S(kind.into()));
        item.insert("status".into(), AttributeValue::S("sending".into()));
        item.insert(
            "claimedAt".into(),
            AttributeValue::S(chrono::Utc::now().to_rfc3339()),
        );
        table::put_if_absent(&self.db, &self.table, item).await
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
