//! delivery's items in the table: a client's courier quotes, the delivery chosen for an
//! order, delivery cases, and the own couriers' windows with the orders holding them. The only
//! code of delivery that touches the table.

use crate::domain::{slot::CAPACITY, Quote};
use aws_sdk_dynamodb::types::{AttributeValue, Delete, Put, TransactWriteItem, Update};
use serde::{Deserialize, Serialize};
use vitrina_shared::{
    contracts::delivery::{DeliveryCase, DeliveryChoice, DeliveryStatus},
    keys, table, StoreError,
};

/// An order's place in a window. Unconfirmed, it lapses at `expires_at`; confirmed (the order
/// is paid) it stays until the case is cancelled.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SlotHold {
    pub order_id: String,
    pub zone: usize,
    pub window_id: String,
    pub expires_at: i64,
    pub confirmed: bool,
    /// The table's TTL, well after the window: the item is history by then.
    pub ttl: i64,
}

impl SlotHold {
    pub fn lapsed(&self, now: i64) -> bool {
        !self.confirmed && self.expires_at < now
    }
}

/// A window's count or a hold, as a Query of the zone returns them.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ZoneItem {
    #[serde(rename = "SK")]
    sk: String,
    order_id: Option<String>,
    expires_at: Option<i64>,
    confirmed: Option<bool>,
}

pub struct DeliveryStore {
    db: aws_sdk_dynamodb::Client,
    table: String,
}

impl DeliveryStore {
    pub fn new(db: aws_sdk_dynamodb::Client, table: String) -> Self {
        Self { db, table }
    }

    pub async fn put_quote(&self, user_id: &str, quote: &Quote) -> Result<(), StoreError> {
        let item = table::item(keys::delivery::quote(user_id, &quote.quote_id), quote)?;
        self.put(item).await
    }

    /// The client's own quote: another client's id finds nothing.
    pub async fn quote(&self, user_id: &str, quote_id: &str) -> Result<Option<Quote>, StoreError> {
        table::get(
            &self.db,
            &self.table,
            keys::delivery::quote(user_id, quote_id),
            true,
        )
        .await
    }

    /// The preliminary booking: the latest choice for the order wins, so a retry is harmless.
    pub async fn put_booking(
        &self,
        user_id: &str,
        order_id: &str,
        choice: &DeliveryChoice,
    ) -> Result<(), StoreError> {
        let item = table::item(keys::delivery::booking(user_id, order_id), choice)?;
        self.put(item).await
    }

    pub async fn case(&self, order_id: &str) -> Result<Option<DeliveryCase>, StoreError> {
        table::get(&self.db, &self.table, keys::delivery::case(order_id), true).await
    }

    /// Writes the order's case unless it has one (open or cancelled); `false` when it had.
    pub async fn put_case_if_absent(&self, case: &DeliveryCase) -> Result<bool, StoreError> {
        let item = table::item(keys::delivery::case(&case.order_id), case)?;
        table::put_if_absent(&self.db, &self.table, item).await
    }

    /// Replaces the case on condition that it is still in `from`: `Conflict` when an operator
    /// or another attempt moved it first.
    pub async fn move_case(
        &self,
        case: &DeliveryCase,
        from: DeliveryStatus,
    ) -> Result<(), StoreError> {
        let item = table::item(keys::delivery::case(&case.order_id), case)?;
        table::replace_if_status(&self.db, &self.table, item, from.as_str()).await
    }

    /// The delivery chosen for the order, if any.
    pub async fn booking(
        &self,
        user_id: &str,
        order_id: &str,
    ) -> Result<Option<DeliveryChoice>, StoreError> {
        table::get(
            &self.db,
            &self.table,
            keys::delivery::booking(user_id, order_id),
            true,
        )
        .await
    }

    /// How many places of each window from `first` to `last` (ids) are taken by live holds —
    /// confirmed or not yet lapsed — counted from the holds themselves: a lapsed hold still in
    /// the window's count frees its place here at once.
    pub async fn windows_taken(
        &self,
        zone: usize,
        first: &str,
        last: &str,
        now: i64,
    ) -> Result<std::collections::HashMap<String, i64>, StoreError> {
        let (pk, _) = keys::delivery::slot(zone, first);
        let mut taken = std::collections::HashMap::new();
        let mut start = None;
        loop {
            let out = self
                .db
                .query()
                .table_name(&self.table)
                .key_condition_expression("PK = :pk AND SK BETWEEN :first AND :last")
                .expression_attribute_values(":pk", AttributeValue::S(pk.clone()))
                .expression_attribute_values(":first", AttributeValue::S(first.into()))
                // Past the last window's holds (`<id>#<order>`).
                .expression_attribute_values(":last", AttributeValue::S(format!("{last}#~")))
                .set_exclusive_start_key(start)
                .send()
                .await?;
            for item in out.items.unwrap_or_default() {
                let item: ZoneItem = serde_dynamo::from_item(item)?;
                let (Some(_), Some((window, _))) = (item.order_id, item.sk.split_once('#')) else {
                    continue;
                };
                let live = item.confirmed.unwrap_or(false) || item.expires_at.unwrap_or(0) >= now;
                if live {
                    *taken.entry(window.to_string()).or_insert(0) += 1;
                }
            }
            start = out.last_evaluated_key;
            if start.is_none() {
                return Ok(taken);
            }
        }
    }

    pub async fn slot_hold(
        &self,
        zone: usize,
        window_id: &str,
        order_id: &str,
    ) -> Result<Option<SlotHold>, StoreError> {
        table::get(
            &self.db,
            &self.table,
            keys::delivery::slot_hold(zone, window_id, order_id),
            true,
        )
        .await
    }

    /// Takes a place in the window for the order, in one transaction with the window's count —
    /// only while the count is below the capacity, and only once per order. `false` when the
    /// window is full (or the order's hold appeared meanwhile: the caller reads it).
    pub async fn hold_slot(&self, hold: &SlotHold) -> Result<bool, StoreError> {
        let count = self.count_change(hold.zone, &hold.window_id, 1, true)?;
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(table::item(
                keys::delivery::slot_hold(hold.zone, &hold.window_id, &hold.order_id),
                hold,
            )?))
            .condition_expression("attribute_not_exists(PK)")
            .build()?;
        self.transact(vec![count, TransactWriteItem::builder().put(put).build()])
            .await
    }

    /// The hold lasts until `expires_at` now (the client chose the same window again).
    pub async fn extend_hold(&self, hold: &SlotHold, expires_at: i64) -> Result<(), StoreError> {
        self.db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(table::key(keys::delivery::slot_hold(
                hold.zone,
                &hold.window_id,
                &hold.order_id,
            ))))
            .update_expression("SET expiresAt = :e")
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_values(":e", AttributeValue::N(expires_at.to_string()))
            .send()
            .await?;
        Ok(())
    }

    /// The paid order keeps its place for good. `false` when it has no hold (it lapsed and was
    /// given to another order).
    pub async fn confirm_hold(
        &self,
        zone: usize,
        window_id: &str,
        order_id: &str,
    ) -> Result<bool, StoreError> {
        let result = self
            .db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(table::key(keys::delivery::slot_hold(
                zone, window_id, order_id,
            ))))
            .update_expression("SET confirmed = :yes")
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_values(":yes", AttributeValue::Bool(true))
            .send()
            .await;
        table::written(result.map_err(StoreError::from))
    }

    /// Gives the order's place back, with the count, once: `false` when it had none (released
    /// before, or never held).
    pub async fn release_hold(
        &self,
        zone: usize,
        window_id: &str,
        order_id: &str,
    ) -> Result<bool, StoreError> {
        let delete = Delete::builder()
            .table_name(&self.table)
            .set_key(Some(table::key(keys::delivery::slot_hold(
                zone, window_id, order_id,
            ))))
            .condition_expression("attribute_exists(PK)")
            .build()?;
        let count = self.count_change(zone, window_id, -1, false)?;
        self.transact(vec![
            TransactWriteItem::builder().delete(delete).build(),
            count,
        ])
        .await
    }

    /// Gives back the places of the window's holds that lapsed unpaid; how many.
    pub async fn reclaim_lapsed(
        &self,
        zone: usize,
        window_id: &str,
        now: i64,
    ) -> Result<usize, StoreError> {
        let (pk, _) = keys::delivery::slot(zone, window_id);
        let out = self
            .db
            .query()
            .table_name(&self.table)
            .key_condition_expression("PK = :pk AND begins_with(SK, :holds)")
            .expression_attribute_values(":pk", AttributeValue::S(pk))
            .expression_attribute_values(":holds", AttributeValue::S(format!("{window_id}#")))
            .send()
            .await?;
        let mut reclaimed = 0;
        for item in out.items.unwrap_or_default() {
            let hold: SlotHold = serde_dynamo::from_item(item)?;
            if !hold.lapsed(now) {
                continue;
            }
            // Only while it is still lapsed and unpaid: a saga confirming it meanwhile wins.
            let delete = Delete::builder()
                .table_name(&self.table)
                .set_key(Some(table::key(keys::delivery::slot_hold(
                    zone,
                    window_id,
                    &hold.order_id,
                ))))
                .condition_expression("confirmed = :no AND expiresAt < :now")
                .expression_attribute_values(":no", AttributeValue::Bool(false))
                .expression_attribute_values(":now", AttributeValue::N(now.to_string()))
                .build()?;
            let count = self.count_change(zone, window_id, -1, false)?;
            if self
                .transact(vec![
                    TransactWriteItem::builder().delete(delete).build(),
                    count,
                ])
                .await?
            {
                reclaimed += 1;
            }
        }
        Ok(reclaimed)
    }

    /// `ADD held :n` on the window's count; a take only below the capacity.
    fn count_change(
        &self,
        zone: usize,
        window_id: &str,
        n: i64,
        below_capacity: bool,
    ) -> Result<TransactWriteItem, StoreError> {
        let mut update = Update::builder()
            .table_name(&self.table)
            .set_key(Some(table::key(keys::delivery::slot(zone, window_id))))
            .update_expression("ADD held :n")
            .expression_attribute_values(":n", AttributeValue::N(n.to_string()));
        if below_capacity {
            update = update
                .condition_expression("attribute_not_exists(held) OR held < :capacity")
                .expression_attribute_values(":capacity", AttributeValue::N(CAPACITY.to_string()));
        }
        Ok(TransactWriteItem::builder().update(update.build()?).build())
    }

    /// `false` when a condition failed.
    async fn transact(&self, writes: Vec<TransactWriteItem>) -> Result<bool, StoreError> {
        let result = self
            .db
            .transact_write_items()
            .set_transact_items(Some(writes))
            .send()
            .await
            .map_err(table::transaction_error);
        table::written(result)
    }

    async fn put(&self, item: table::Item) -> Result<(), StoreError> {
        table::put(&self.db, &self.table, item).await
    }
}
