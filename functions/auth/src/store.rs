//! auth's items in the single table. Only this module talks to DynamoDB for auth.

use crate::domain::{sso::Identity, Profile, ProfileUpdate};
use aws_sdk_dynamodb::{
    types::{AttributeValue, Delete, Put, ReturnValue, TransactWriteItem, Update},
    Client,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use vitrina_shared::{
    keys,
    table::{self, key, Item},
    StoreError,
};

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserRecord {
    pub user_id: String,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub password_hash: String,
    pub created_at: String,
    pub version: u64,
}

impl UserRecord {
    pub fn profile(&self) -> Profile {
        Profile {
            username: self.username.clone(),
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionRecord {
    pub user_id: String,
    pub username: String,
    pub created_at: i64,
    pub expires_at: i64,
}

/// A single sign-on flow between its start and its callback (`SSOFLOW#<state>`): what the
/// callback needs to finish it, and the browser it belongs to.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FlowRecord {
    pub provider: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub return_to: String,
    /// SHA-256 of the flow cookie's value: the callback must come from the browser that started.
    pub browser: String,
    /// The client who started it from «Личный кабинет» to link the identity to themselves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linking: Option<String>,
    /// TTL: the table deletes it; reads filter it before that.
    pub expires_at: i64,
}

/// What a provider vouched for, waiting for the client to register or to link it with the
/// password of the account that has its e-mail (`SSOPENDING#<sha256(token)>`).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingRecord {
    pub provider: String,
    pub identity: Identity,
    pub return_to: String,
    pub expires_at: i64,
}

/// A client's link to a provider (`USER#<id>` / `IDENTITY#<provider>`); its twin
/// `IDENTITY#<issuer>#<subject>` / `OWNER` names the client.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct IdentityRecord {
    pub user_id: String,
    pub provider: String,
    pub issuer: String,
    pub subject: String,
    /// The e-mail the provider gave when it was linked, to tell the client which account it is.
    #[serde(default)]
    pub email: String,
    pub linked_at: String,
}

fn with_key<T: Serialize>(k: (String, String), value: &T) -> Result<Item, StoreError> {
    table::item(k, value)
}

#[derive(Clone, Debug)]
pub struct AuthStore {
    db: Client,
    table: String,
}

impl AuthStore {
    pub fn new(db: Client, table: String) -> Self {
        Self { db, table }
    }

    fn put(&self, item: Item, condition: &str) -> Result<TransactWriteItem, StoreError> {
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression(condition)
            .build()?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    /// The user and its two uniqueness claims (username, e-mail) in one transaction: either all
    /// three exist afterwards or none does, even under concurrent registrations.
    pub async fn create_user(&self, user: &UserRecord) -> Result<(), StoreError> {
        self.create_user_with(user, Vec::new()).await
    }

    /// A registration through a provider: the user, its claims, its link to the identity, and
    /// the pending item used up — all or nothing, once.
    pub async fn create_user_with_identity(
        &self,
        user: &UserRecord,
        identity: &IdentityRecord,
        pending_hash: &str,
    ) -> Result<(), StoreError> {
        let mut more = self.link_items(identity)?;
        more.push(self.use_up_pending(pending_hash)?);
        self.create_user_with(user, more).await
    }

    async fn create_user_with(
        &self,
        user: &UserRecord,
        more: Vec<TransactWriteItem>,
    ) -> Result<(), StoreError> {
        let owner = HashMap::from([("userId", user.user_id.as_str())]);
        let mut items = vec![
            self.put(
                with_key(keys::auth::user(&user.user_id), user)?,
                "attribute_not_exists(PK)",
            )?,
            self.put(
                with_key(keys::auth::username(&user.username), &owner)?,
                "attribute_not_exists(PK)",
            )?,
            self.put(
                with_key(keys::auth::email(&user.email), &owner)?,
                "attribute_not_exists(PK)",
            )?,
        ];
        items.extend(more);
        self.transact(items).await
    }

    async fn transact(&self, items: Vec<TransactWriteItem>) -> Result<(), StoreError> {
        self.db
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await
            .map_err(table::transaction_error)?;
        Ok(())
    }

    /// The identity's two items, each only if absent: an identity has one client, a client one
    /// identity per provider.
    fn link_items(&self, identity: &IdentityRecord) -> Result<Vec<TransactWriteItem>, StoreError> {
        let owner = HashMap::from([
            ("userId", identity.user_id.as_str()),
            ("provider", identity.provider.as_str()),
        ]);
        Ok(vec![
            self.put(
                with_key(
                    keys::auth::identity(&identity.issuer, &identity.subject),
                    &owner,
                )?,
                "attribute_not_exists(PK)",
            )?,
            self.put(
                with_key(
                    keys::auth::user_identity(&identity.user_id, &identity.provider),
                    identity,
                )?,
                "attribute_not_exists(PK)",
            )?,
        ])
    }

    fn use_up_pending(&self, pending_hash: &str) -> Result<TransactWriteItem, StoreError> {
        let delete = Delete::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::auth::sso_pending(pending_hash))))
            .condition_expression("attribute_exists(PK)")
            .build()?;
        Ok(TransactWriteItem::builder().delete(delete).build())
    }

    /// The user's version moved on, on condition it was still `version`: two changes of the ways
    /// in (a link, an unlink) cannot both pass a check made on the same reading.
    fn bump_version(&self, user_id: &str, version: u64) -> Result<TransactWriteItem, StoreError> {
        let update = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::auth::user(user_id))))
            .update_expression("SET version = :next")
            .condition_expression("version = :v")
            .expression_attribute_values(":v", AttributeValue::N(version.to_string()))
            .expression_attribute_values(":next", AttributeValue::N((version + 1).to_string()))
            .build()?;
        Ok(TransactWriteItem::builder().update(update).build())
    }

    /// Links the identity to the user (read at `user_version`), using up the pending item when
    /// the link came from one.
    pub async fn link_identity(
        &self,
        identity: &IdentityRecord,
        user_version: u64,
        pending_hash: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut items = self.link_items(identity)?;
        items.push(self.bump_version(&identity.user_id, user_version)?);
        if let Some(hash) = pending_hash {
            items.push(self.use_up_pending(hash)?);
        }
        self.transact(items).await
    }

    /// Removes the link (both items), on condition the user is still at `user_version`.
    pub async fn unlink_identity(
        &self,
        identity: &IdentityRecord,
        user_version: u64,
    ) -> Result<(), StoreError> {
        let claim = Delete::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::auth::identity(
                &identity.issuer,
                &identity.subject,
            ))))
            .condition_expression("userId = :me")
            .expression_attribute_values(":me", AttributeValue::S(identity.user_id.clone()))
            .build()?;
        let link = Delete::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::auth::user_identity(
                &identity.user_id,
                &identity.provider,
            ))))
            .condition_expression("attribute_exists(PK)")
            .build()?;
        self.transact(vec![
            TransactWriteItem::builder().delete(claim).build(),
            TransactWriteItem::builder().delete(link).build(),
            self.bump_version(&identity.user_id, user_version)?,
        ])
        .await
    }

    /// The client an identity is linked to.
    pub async fn identity_owner(
        &self,
        issuer: &str,
        subject: &str,
    ) -> Result<Option<String>, StoreError> {
        self.owner_of(keys::auth::identity(issuer, subject)).await
    }

    /// The client whose e-mail this is.
    pub async fn email_owner(&self, email: &str) -> Result<Option<String>, StoreError> {
        self.owner_of(keys::auth::email(email)).await
    }

    async fn owner_of(&self, k: (String, String)) -> Result<Option<String>, StoreError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Owner {
            user_id: String,
        }
        let owner: Option<Owner> = table::get(&self.db, &self.table, k, true).await?;
        Ok(owner.map(|o| o.user_id))
    }

    /// The client's links to providers.
    pub async fn identities(&self, user_id: &str) -> Result<Vec<IdentityRecord>, StoreError> {
        let (pk, _) = keys::auth::user(user_id);
        table::query_prefix(&self.db, &self.table, pk, "IDENTITY#").await
    }

    /// A new flow; its state is 256 random bits, so one already there is a bug, not a retry.
    pub async fn put_flow(&self, state: &str, flow: &FlowRecord) -> Result<(), StoreError> {
        self.put_new(with_key(keys::auth::sso_flow(state), flow)?)
            .await
    }

    async fn put_new(&self, item: Item) -> Result<(), StoreError> {
        match table::put_if_absent(&self.db, &self.table, item).await? {
            true => Ok(()),
            false => Err(StoreError::Conflict),
        }
    }

    /// The flow of `state`, deleted as it is read: a callback uses it once. `None` when there is
    /// none or it expired.
    pub async fn take_flow(&self, state: &str, now: i64) -> Result<Option<FlowRecord>, StoreError> {
        let out = self
            .db
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::auth::sso_flow(state))))
            .return_values(ReturnValue::AllOld)
            .send()
            .await?;
        let flow: Option<FlowRecord> = out.attributes.map(serde_dynamo::from_item).transpose()?;
        Ok(flow.filter(|f| f.expires_at > now))
    }

    pub async fn put_pending(&self, hash: &str, pending: &PendingRecord) -> Result<(), StoreError> {
        self.put_new(with_key(keys::auth::sso_pending(hash), pending)?)
            .await
    }

    pub async fn pending(&self, hash: &str, now: i64) -> Result<Option<PendingRecord>, StoreError> {
        let pending: Option<PendingRecord> =
            table::get(&self.db, &self.table, keys::auth::sso_pending(hash), true).await?;
        Ok(pending.filter(|p| p.expires_at > now))
    }

    pub async fn user(&self, user_id: &str) -> Result<Option<UserRecord>, StoreError> {
        table::get(&self.db, &self.table, keys::auth::user(user_id), true).await
    }

    pub async fn user_by_username(&self, username: &str) -> Result<Option<UserRecord>, StoreError> {
        let out = self
            .db
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::auth::username(username))))
            .send()
            .await?;
        let Some(user_id) = out
            .item
            .as_ref()
            .and_then(|i| i.get("userId"))
            .and_then(|v| v.as_s().ok())
        else {
            return Ok(None);
        };
        self.user(user_id).await
    }

    pub async fn put_session(&self, hash: &str, session: &SessionRecord) -> Result<(), StoreError> {
        let mut item = with_key(keys::auth::session(hash), session)?;
        item.insert(
            keys::GSI1PK.into(),
            AttributeValue::S(keys::auth::sessions_of_user(&session.user_id)),
        );
        item.insert(
            keys::GSI1SK.into(),
            AttributeValue::S(format!("SESSION#{}", session.created_at)),
        );
        self.put_new(item).await
    }

    /// A live session; TTL deletion is lazy, so expired items are filtered here.
    pub async fn session(&self, hash: &str, now: i64) -> Result<Option<SessionRecord>, StoreError> {
        let session: Option<SessionRecord> =
            table::get(&self.db, &self.table, keys::auth::session(hash), false).await?;
        Ok(session.filter(|s| s.expires_at > now))
    }

    /// Pushes the expiry forward; a session deleted meanwhile (logout) stays deleted.
    pub async fn touch_session(&self, hash: &str, expires_at: i64) -> Result<(), StoreError> {
        let result = self
            .db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::auth::session(hash))))
            .update_expression("SET expiresAt = :e")
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_values(":e", AttributeValue::N(expires_at.to_string()))
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(e) => match StoreError::from(e) {
                StoreError::Conflict => Ok(()),
                other => Err(other),
            },
        }
    }

    /// Deletes the session; answers whether a live one was there.
    pub async fn delete_session(&self, hash: &str, now: i64) -> Result<bool, StoreError> {
        let out = self
            .db
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::auth::session(hash))))
            .return_values(ReturnValue::AllOld)
            .send()
            .await?;
        let old: Option<SessionRecord> = out.attributes.map(serde_dynamo::from_item).transpose()?;
        Ok(old.is_some_and(|s| s.expires_at > now))
    }

    /// Ends every session of the user ("Выйти на всех устройствах"); answers how many were
    /// there. Sessions are found by the user (GSI1); one deleted meanwhile is simply gone.
    pub async fn delete_sessions_of(&self, user_id: &str) -> Result<usize, StoreError> {
        let items: Vec<Item> = self
            .db
            .query()
            .table_name(&self.table)
            .index_name(keys::GSI1)
            .key_condition_expression("GSI1PK = :user AND begins_with(GSI1SK, :session)")
            .expression_attribute_values(
                ":user",
                AttributeValue::S(keys::auth::sessions_of_user(user_id)),
            )
            .expression_attribute_values(":session", AttributeValue::S("SESSION#".into()))
            .projection_expression("PK, SK")
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await?;
        for item in &items {
            self.db
                .delete_item()
                .table_name(&self.table)
                .set_key(Some(item.clone()))
                .send()
                .await?;
        }
        Ok(items.len())
    }

    /// Takes one of the username's `max` login attempts in the window before the password is
    /// checked; `false` when none is left.
    pub async fn take_login_attempt(
        &self,
        username: &str,
        window: i64,
        max: u32,
        expires_at: i64,
    ) -> Result<bool, StoreError> {
        table::take_attempt(
            &self.db,
            &self.table,
            keys::auth::login_failures(username, window),
            max,
            expires_at,
        )
        .await
    }

    /// A right password: its attempt is not a failure.
    pub async fn give_back_login_attempt(
        &self,
        username: &str,
        window: i64,
    ) -> Result<(), StoreError> {
        table::give_back_attempt(
            &self.db,
            &self.table,
            keys::auth::login_failures(username, window),
        )
        .await
    }

    /// Saves the personal account's fields. A new e-mail moves its uniqueness claim in the same
    /// transaction; the user's version guards against a concurrent edit.
    pub async fn update_profile(
        &self,
        current: &UserRecord,
        update: &ProfileUpdate,
    ) -> Result<(), StoreError> {
        let mut items = Vec::new();
        let set_user = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::auth::user(&current.user_id))))
            .update_expression(
                "SET firstName = :f, lastName = :l, email = :e, phone = :p, version = :next",
            )
            .condition_expression("version = :v")
            .expression_attribute_values(":f", AttributeValue::S(update.first_name.clone()))
            .expression_attribute_values(":l", AttributeValue::S(update.last_name.clone()))
            .expression_attribute_values(":e", AttributeValue::S(update.email.clone()))
            .expression_attribute_values(":p", AttributeValue::S(update.phone.clone()))
            .expression_attribute_values(":v", AttributeValue::N(current.version.to_string()))
            .expression_attribute_values(
                ":next",
                AttributeValue::N((current.version + 1).to_string()),
            );
        let email_changed = current.email.to_lowercase() != update.email.to_lowercase();
        if email_changed {
            let owner = HashMap::from([("userId", current.user_id.as_str())]);
            items.push(self.put(
                with_key(keys::auth::email(&update.email), &owner)?,
                "attribute_not_exists(PK)",
            )?);
            let delete = Delete::builder()
                .table_name(&self.table)
                .set_key(Some(key(keys::auth::email(&current.email))))
                .condition_expression("userId = :me")
                .expression_attribute_values(":me", AttributeValue::S(current.user_id.clone()))
                .build()?;
            items.push(TransactWriteItem::builder().delete(delete).build());
        }
        let update_item = set_user.build()?;
        items.push(TransactWriteItem::builder().update(update_item).build());
        self.db
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await
            .map_err(table::transaction_error)?;
        Ok(())
    }
}
