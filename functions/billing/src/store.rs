//! billing's items in the single table.

use crate::domain::{
    giftcard::{GiftCard, Purchase},
    Wallet,
};
use aws_sdk_dynamodb::{
    operation::{transact_write_items::TransactWriteItemsError, update_item::UpdateItemError},
    types::{
        AttributeValue, Put, ReturnValue, ReturnValuesOnConditionCheckFailure, TransactWriteItem,
        Update,
    },
    Client,
};
use vitrina_shared::{contracts::billing::LedgerEntry, keys, table, StoreError};

/// What applying a ledger entry did.
#[derive(Debug, PartialEq, Eq)]
pub enum Applied {
    /// The balance moved and the entry was written, together.
    Moved(LedgerEntry),
    /// The entry of this cause exists: it was applied before (a retry); nothing moved now.
    AlreadyApplied(LedgerEntry),
}

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

    pub async fn purchase(&self, payment_id: &str) -> Result<Option<Purchase>, StoreError> {
        table::get(
            &self.db,
            &self.table,
            keys::billing::gift_card_purchase(payment_id),
            true,
        )
        .await
    }

    /// Issues the card a payment bought and records the purchase, together and once:
    /// `Conflict` when the payment's purchase exists (another delivery issued it).
    pub async fn issue_bought(
        &self,
        card: &GiftCard,
        purchase: &Purchase,
    ) -> Result<(), StoreError> {
        let put = |item: table::Item| {
            Put::builder()
                .table_name(&self.table)
                .set_item(Some(item))
                .condition_expression("attribute_not_exists(PK)")
                .build()
        };
        self.db
            .transact_write_items()
            .transact_items(
                TransactWriteItem::builder()
                    .put(put(table::item(
                        keys::billing::gift_card(&purchase.code_hash),
                        card,
                    )?)?)
                    .build(),
            )
            .transact_items(
                TransactWriteItem::builder()
                    .put(put(table::item(
                        keys::billing::gift_card_purchase(&purchase.payment_id),
                        purchase,
                    )?)?)
                    .build(),
            )
            .send()
            .await
            .map_err(table::transaction_error)?;
        Ok(())
    }

    /// The letter with the code is on its way: the code leaves the table.
    pub async fn mark_mailed(&self, payment_id: &str) -> Result<(), StoreError> {
        self.db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(table::key(keys::billing::gift_card_purchase(
                payment_id,
            ))))
            .update_expression("SET mailed = :yes REMOVE code")
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_values(":yes", AttributeValue::Bool(true))
            .send()
            .await?;
        Ok(())
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
            // The owner activating again gets the card as it is only while it is active: a card
            // in any later state (blocked, spent) never comes back to `active` this way.
            .condition_expression(
                "attribute_exists(PK) AND (#status = :issued OR (ownerUserId = :user AND #status = :active))",
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
        // Every page (the SDK's paginator): a client with many cards sees them all.
        let items: Vec<table::Item> = self
            .db
            .query()
            .table_name(&self.table)
            .index_name(keys::GSI1)
            .key_condition_expression("GSI1PK = :owner")
            .expression_attribute_values(
                ":owner",
                AttributeValue::S(keys::billing::gift_cards_of(user_id)),
            )
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await?;
        Ok(serde_dynamo::from_items(items)?)
    }

    /// Moves the wallet's balance to `entry.balance_after` and writes the entry, in one
    /// transaction: conditional on the wallet's version being `read.version` (so `balance_after`
    /// is exact and entries are in order) and on no entry of this cause existing (so a cause
    /// moves money once). `Conflict`: the wallet changed since it was read; read it again.
    pub async fn apply(&self, read: &Wallet, entry: &LedgerEntry) -> Result<Applied, StoreError> {
        let user_id = &read.user_id;
        let update = Update::builder()
            .table_name(&self.table)
            .set_key(Some(table::key(keys::billing::wallet(user_id))))
            .update_expression("SET balance = :after, version = :next")
            .condition_expression("version = :v")
            .expression_attribute_values(
                ":after",
                AttributeValue::N(entry.balance_after.to_string()),
            )
            .expression_attribute_values(":next", AttributeValue::N(entry.seq.to_string()))
            .expression_attribute_values(":v", AttributeValue::N(read.version.to_string()))
            .build()?;
        self.move_with_entry(update, keys::billing::ledger(user_id, &entry.cause), entry)
            .await
    }

    pub async fn entry(&self, key: (String, String)) -> Result<Option<LedgerEntry>, StoreError> {
        table::get(&self.db, &self.table, key, true).await
    }

    /// The client's activated card with this id, and its key's code hash (strongly consistent:
    /// the card's item is read again by its key after the index found it).
    pub async fn card_of(
        &self,
        user_id: &str,
        card_id: &str,
    ) -> Result<Option<(String, GiftCard)>, StoreError> {
        let out = self
            .db
            .query()
            .table_name(&self.table)
            .index_name(keys::GSI1)
            .key_condition_expression("GSI1PK = :owner")
            .filter_expression("cardId = :card")
            .expression_attribute_values(
                ":owner",
                AttributeValue::S(keys::billing::gift_cards_of(user_id)),
            )
            .expression_attribute_values(":card", AttributeValue::S(card_id.into()))
            .send()
            .await?;
        let Some(hash) = out.items.unwrap_or_default().into_iter().find_map(|i| {
            i.get(keys::PK)?
                .as_s()
                .ok()?
                .strip_prefix("GIFTCARD#")
                .map(str::to_string)
        }) else {
            return Ok(None);
        };
        let card: Option<GiftCard> =
            table::get(&self.db, &self.table, keys::billing::gift_card(&hash), true).await?;
        Ok(card
            .filter(|c| c.owner_user_id.as_deref() == Some(user_id))
            .map(|c| (hash, c)))
    }

    /// Takes `entry` from the card read with `read_balance`, and writes the entry, together:
    /// conditional on the balance still being the one read and on no entry of this cause.
    pub async fn apply_to_card(
        &self,
        code_hash: &str,
        user_id: &str,
        read_balance: i64,
        entry: &LedgerEntry,
    ) -> Result<Applied, StoreError> {
        let update = Update::builder()
            .table_name(&self.table)
            .set_key(Some(table::key(keys::billing::gift_card(code_hash))))
            .update_expression("SET balance = :after, version = :next")
            .condition_expression("balance = :read AND ownerUserId = :u")
            .expression_attribute_values(":next", AttributeValue::N(entry.seq.to_string()))
            .expression_attribute_values(
                ":after",
                AttributeValue::N(entry.balance_after.to_string()),
            )
            .expression_attribute_values(":read", AttributeValue::N(read_balance.to_string()))
            .expression_attribute_values(":u", AttributeValue::S(user_id.into()))
            .build()?;
        self.move_with_entry(
            update,
            keys::billing::gift_card_ledger(code_hash, &entry.cause),
            entry,
        )
        .await
    }

    /// `update` (a balance's conditional change) and the ledger entry under `ledger_key`, in one
    /// transaction. `AlreadyApplied`: the entry of this cause exists (a retry); `Conflict`: the
    /// balance changed since it was read.
    async fn move_with_entry(
        &self,
        update: Update,
        ledger_key: (String, String),
        entry: &LedgerEntry,
    ) -> Result<Applied, StoreError> {
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(table::item(ledger_key.clone(), entry)?))
            .condition_expression("attribute_not_exists(PK)")
            .build()?;
        let result = self
            .db
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().update(update).build())
            .transact_items(TransactWriteItem::builder().put(put).build())
            .send()
            .await;
        let err = match result {
            Ok(_) => return Ok(Applied::Moved(entry.clone())),
            Err(e) => e,
        };
        let reasons: Vec<Option<String>> = match err.as_service_error() {
            Some(TransactWriteItemsError::TransactionCanceledException(c)) => c
                .cancellation_reasons()
                .iter()
                .map(|r| r.code().map(str::to_string))
                .collect(),
            _ => return Err(err.into()),
        };
        let failed = |i: usize| {
            reasons
                .get(i)
                .and_then(|r| r.as_deref())
                .is_some_and(|c| c == "ConditionalCheckFailed")
        };
        if failed(1) {
            return self
                .entry(ledger_key)
                .await?
                .map(Applied::AlreadyApplied)
                .ok_or(StoreError::Conflict);
        }
        if failed(0) {
            return Err(StoreError::Conflict);
        }
        Err(StoreError::Busy(format!(
            "transaction cancelled: {reasons:?}"
        )))
    }

    /// The wallet's ledger, oldest first.
    pub async fn ledger(&self, user_id: &str) -> Result<Vec<LedgerEntry>, StoreError> {
        let (pk, _) = keys::billing::wallet(user_id);
        let mut entries: Vec<LedgerEntry> =
            table::query_prefix(&self.db, &self.table, pk, "LEDGER#").await?;
        entries.sort_by_key(|e| e.seq);
        Ok(entries)
    }
}
