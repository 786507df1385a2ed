//! notification's items in the single table.

use crate::domain::{preferences::Preferences, push::PushSubscription, Account};
use aws_sdk_dynamodb::{types::AttributeValue, Client};
use vitrina_shared::{
    keys,
    table::{self, key},
    StoreError,
};

/// A claim still "sending" that does not say until when its holder may act (written outside an
/// invocation, or by an older version) is taken to be abandoned after this long.
pub const ABANDONED_CLAIM_SECONDS: i64 = 300;

/// Clocks of two Lambda hosts may differ by this much: a claim is taken over only this long
/// after its holder's invocation was stopped.
pub const CLOCK_MARGIN_MS: i64 = 1_000;

/// What a delivery found when it claimed a notification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// This delivery sends it.
    Ours,
    /// It was sent.
    Sent,
    /// Another delivery holds it and may still be sending it: look again later.
    Held,
}

/// Where the claim of one notification stands: being sent by the delivery that holds it, or sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
enum SendStatus {
    Sending,
    Sent,
}

impl SendStatus {
    fn value(self) -> AttributeValue {
        AttributeValue::S(
            match self {
                Self::Sending => "sending",
                Self::Sent => "sent",
            }
            .into(),
        )
    }
}

#[derive(serde::Deserialize)]
struct SentItem {
    status: SendStatus,
}

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

    /// Replaces the account, on condition that it still follows `from` (the profile version it
    /// was read at): `false` when another change moved it meanwhile.
    pub async fn replace_account(&self, account: &Account, from: u64) -> Result<bool, StoreError> {
        let item = table::item(keys::notification::account(&account.user_id), account)?;
        // An account opened before versions were kept has none: it is at 0.
        let condition = match from {
            0 => "attribute_exists(PK) AND (attribute_not_exists(profileVersion) OR profileVersion = :from)",
            _ => "profileVersion = :from",
        };
        let result = self
            .db
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression(condition)
            .expression_attribute_values(":from", AttributeValue::N(from.to_string()))
            .send()
            .await;
        table::written(result.map_err(StoreError::from))
    }

    /// Claims the right to send one notification: only one claim of an id holds at a time, so a
    /// duplicate message never sends a second letter. The claim says until when its holder may
    /// still send (its invocation's deadline); past that the holder was stopped between the
    /// claim and the send, and the next delivery takes the claim over — else the letter would be
    /// lost for good.
    pub async fn claim(
        &self,
        user_id: &str,
        notification_id: &str,
        kind: &str,
    ) -> Result<Claim, StoreError> {
        let now = chrono::Utc::now();
        let mut item = key(keys::notification::sent(user_id, notification_id));
        item.insert("kind".into(), AttributeValue::S(kind.into()));
        item.insert("status".into(), SendStatus::Sending.value());
        item.insert("claimedAt".into(), AttributeValue::S(now.to_rfc3339()));
        item.insert(
            "claimedEpoch".into(),
            AttributeValue::N(now.timestamp().to_string()),
        );
        if let Some(deadline) = vitrina_shared::runtime::invocation_deadline() {
            item.insert(
                "claimedUntilMs".into(),
                AttributeValue::N(deadline.timestamp_millis().to_string()),
            );
        }
        let result = self
            .db
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression(
                "attribute_not_exists(PK) OR (#status = :sending AND \
                 (claimedUntilMs < :over OR (attribute_not_exists(claimedUntilMs) AND claimedEpoch < :stale)))",
            )
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":sending", SendStatus::Sending.value())
            .expression_attribute_values(
                ":over",
                AttributeValue::N((now.timestamp_millis() - CLOCK_MARGIN_MS).to_string()),
            )
            .expression_attribute_values(
                ":stale",
                AttributeValue::N((now.timestamp() - ABANDONED_CLAIM_SECONDS).to_string()),
            )
            .send()
            .await;
        if table::written(result.map_err(StoreError::from))? {
            return Ok(Claim::Ours);
        }
        let held: Option<SentItem> = table::get(
            &self.db,
            &self.table,
            keys::notification::sent(user_id, notification_id),
            true,
        )
        .await?;
        Ok(match held {
            Some(item) if item.status == SendStatus::Sent => Claim::Sent,
            // Sent and given back in between: the next delivery claims it afresh.
            _ => Claim::Held,
        })
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
            .expression_attribute_values(":sent", SendStatus::Sent.value())
            .expression_attribute_values(":p", AttributeValue::S(provider_id.into()))
            .expression_attribute_values(":t", AttributeValue::S(chrono::Utc::now().to_rfc3339()))
            .send()
            .await?;
        Ok(())
    }

    /// Keeps one device's subscription; the same endpoint again replaces its keys.
    pub async fn put_push_subscription(
        &self,
        user_id: &str,
        subscription: &PushSubscription,
    ) -> Result<(), StoreError> {
        let item = table::item(
            keys::notification::push_subscription(user_id, &subscription.subscription_id),
            subscription,
        )?;
        table::put(&self.db, &self.table, item).await
    }

    /// The client's devices, oldest first.
    pub async fn push_subscriptions(
        &self,
        user_id: &str,
    ) -> Result<Vec<PushSubscription>, StoreError> {
        let (pk, _) = keys::notification::account(user_id);
        let out = self
            .db
            .query()
            .table_name(&self.table)
            .key_condition_expression("PK = :pk AND begins_with(SK, :push)")
            .expression_attribute_values(":pk", AttributeValue::S(pk))
            .expression_attribute_values(
                ":push",
                AttributeValue::S(keys::notification::PUSH_PREFIX.into()),
            )
            .consistent_read(true)
            .send()
            .await?;
        let mut subscriptions: Vec<PushSubscription> = out
            .items
            .unwrap_or_default()
            .into_iter()
            .map(serde_dynamo::from_item)
            .collect::<Result<_, _>>()?;
        subscriptions.sort_by(|a, b| a.created_at.cmp(&b.created_at));
        Ok(subscriptions)
    }

    /// Forgets a device; forgetting it again changes nothing.
    pub async fn delete_push_subscription(
        &self,
        user_id: &str,
        subscription_id: &str,
    ) -> Result<(), StoreError> {
        self.db
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::notification::push_subscription(
                user_id,
                subscription_id,
            ))))
            .send()
            .await?;
        Ok(())
    }

    /// The client's choice of channels; the default for a client who never chose.
    pub async fn preferences(&self, user_id: &str) -> Result<Preferences, StoreError> {
        Ok(table::get(
            &self.db,
            &self.table,
            keys::notification::preferences(user_id),
            true,
        )
        .await?
        .unwrap_or_default())
    }

    /// Writes `preferences` over the version `from` they were made from: `false` when another
    /// change came in between.
    pub async fn replace_preferences(
        &self,
        user_id: &str,
        preferences: &Preferences,
        from: u64,
    ) -> Result<bool, StoreError> {
        let item = table::item(keys::notification::preferences(user_id), preferences)?;
        let condition = match from {
            0 => "attribute_not_exists(PK)",
            _ => "version = :from",
        };
        let mut put = self
            .db
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression(condition);
        if from != 0 {
            put = put.expression_attribute_values(":from", AttributeValue::N(from.to_string()));
        }
        table::written(put.send().await.map_err(StoreError::from))
    }
}
