//! order's items. The cart (the draft order) lives at `CART#<userId>` / `DRAFT`, so adding to it
//! is one read and one conditional write, and a client has at most one draft. A placed order
//! lives at `ORDER#<orderId>` / `ORDER`, listed per client in GSI1 (`ORDERS#<userId>`).

use crate::domain::{placed::PlacedOrder, Order};
use aws_sdk_dynamodb::{
    types::{AttributeValue, Delete, Put, TransactWriteItem, Update},
    Client,
};
use vitrina_shared::{
    contracts::{order::OrderStatus, payment::PaymentFailure},
    keys, table, StoreError,
};

#[derive(Clone, Debug)]
pub struct OrderStore {
    db: Client,
    table: String,
}

impl OrderStore {
    pub fn new(db: Client, table: String) -> Self {
        Self { db, table }
    }

    pub async fn draft(&self, user_id: &str) -> Result<Option<Order>, StoreError> {
        table::get(&self.db, &self.table, keys::order::draft(user_id), true).await
    }

    /// Writes the draft if nobody else did since `read_version` (`None`: it did not exist);
    /// `Conflict` when another request changed the cart since it was read.
    pub async fn save_draft(
        &self,
        order: &Order,
        read_version: Option<u64>,
    ) -> Result<(), StoreError> {
        let item = table::item(keys::order::draft(&order.user_id), order)?;
        let mut put = self
            .db
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item));
        put = match read_version {
            None => put.condition_expression("attribute_not_exists(PK)"),
            Some(v) => put
                .condition_expression("version = :v")
                .expression_attribute_values(":v", AttributeValue::N(v.to_string())),
        };
        put.send().await?;
        Ok(())
    }

    /// The placed order as its item, listed among the client's orders (GSI1).
    fn placed_item(placed: &PlacedOrder) -> Result<table::Item, StoreError> {
        let mut item = table::item(keys::order::placed(&placed.order_id), placed)?;
        item.insert(
            keys::GSI1PK.into(),
            AttributeValue::S(keys::order::placed_of(&placed.user_id)),
        );
        item.insert(
            keys::GSI1SK.into(),
            AttributeValue::S(placed.placed_at.clone()),
        );
        Ok(item)
    }

    /// Writes an order that comes from no cart (a gift card, a wallet top-up); `false` if an
    /// order with its id exists.
    pub async fn put_placed(&self, placed: &PlacedOrder) -> Result<bool, StoreError> {
        table::put_if_absent(&self.db, &self.table, Self::placed_item(placed)?).await
    }

    /// Places the order and empties the cart, together: `Conflict` if the cart changed since
    /// `cart_version` was read or the order exists already.
    pub async fn place(&self, placed: &PlacedOrder, cart_version: u64) -> Result<(), StoreError> {
        let item = Self::placed_item(placed)?;
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(PK)")
            .build()?;
        let delete = Delete::builder()
            .table_name(&self.table)
            .set_key(Some(table::key(keys::order::draft(&placed.user_id))))
            .condition_expression("version = :v")
            .expression_attribute_values(":v", AttributeValue::N(cart_version.to_string()))
            .build()?;
        self.db
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().put(put).build())
            .transact_items(TransactWriteItem::builder().delete(delete).build())
            .send()
            .await
            .map_err(table::transaction_error)?;
        Ok(())
    }

    pub async fn placed(&self, order_id: &str) -> Result<Option<PlacedOrder>, StoreError> {
        table::get(&self.db, &self.table, keys::order::placed(order_id), true).await
    }

    /// The client's placed orders, newest first (at most 50).
    pub async fn placed_of(&self, user_id: &str) -> Result<Vec<PlacedOrder>, StoreError> {
        let out = self
            .db
            .query()
            .table_name(&self.table)
            .index_name(keys::GSI1)
            .key_condition_expression("GSI1PK = :p")
            .expression_attribute_values(":p", AttributeValue::S(keys::order::placed_of(user_id)))
            .scan_index_forward(false)
            .limit(50)
            .send()
            .await?;
        Ok(serde_dynamo::from_items(out.items.unwrap_or_default())?)
    }

    /// `awaiting_payment` → `paid` by this payment; paid by it already is no change (a
    /// redelivered message). `Conflict`: the order is not awaiting payment.
    pub async fn mark_paid(
        &self,
        order_id: &str,
        payment_id: &str,
        at: &str,
    ) -> Result<(), StoreError> {
        let result = self
            .db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(table::key(keys::order::placed(order_id))))
            .update_expression(
                "SET #s = :paid, paymentId = :p, updatedAt = :at, stages.#stage = if_not_exists(stages.#stage, :at) REMOVE lastPaymentFailure",
            )
            .condition_expression("#s = :awaiting OR (#s = :paid AND paymentId = :p)")
            .expression_attribute_names("#s", "status")
            .expression_attribute_names("#stage", OrderStatus::Paid.as_str())
            .expression_attribute_values(":paid", status(OrderStatus::Paid))
            .expression_attribute_values(":awaiting", status(OrderStatus::AwaitingPayment))
            .expression_attribute_values(":p", AttributeValue::S(payment_id.into()))
            .expression_attribute_values(":at", AttributeValue::S(at.into()))
            .send()
            .await;
        result.map(|_| ()).map_err(StoreError::from)
    }

    /// Moves the order to `to` on condition that it is in one of `from`; `Conflict` otherwise.
    pub async fn move_status(
        &self,
        order_id: &str,
        to: OrderStatus,
        from: &[OrderStatus],
        reason: Option<&str>,
        at: &str,
    ) -> Result<(), StoreError> {
        let allowed: Vec<String> = (0..from.len()).map(|i| format!(":from{i}")).collect();
        let mut update = self
            .db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(table::key(keys::order::placed(order_id))))
            .condition_expression(format!("#s IN ({})", allowed.join(", ")))
            .expression_attribute_names("#s", "status")
            .expression_attribute_names("#stage", to.as_str())
            .expression_attribute_values(":to", status(to))
            .expression_attribute_values(":at", AttributeValue::S(at.into()));
        for (name, status) in allowed.iter().zip(from) {
            update = update.expression_attribute_values(name, self::status(*status));
        }
        update = match reason {
            Some(r) => update
                .update_expression(
                    "SET #s = :to, updatedAt = :at, stages.#stage = :at, cancelReason = :r",
                )
                .expression_attribute_values(":r", AttributeValue::S(r.into())),
            None => update.update_expression("SET #s = :to, updatedAt = :at, stages.#stage = :at"),
        };
        update.send().await?;
        Ok(())
    }

    /// Notes why the last payment failed, while the order waits for another try.
    pub async fn note_failure(
        &self,
        order_id: &str,
        reason: PaymentFailure,
        at: &str,
    ) -> Result<(), StoreError> {
        let result = self
            .db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(table::key(keys::order::placed(order_id))))
            .update_expression("SET lastPaymentFailure = :r, updatedAt = :at")
            .condition_expression("#s = :awaiting")
            .expression_attribute_names("#s", "status")
            .expression_attribute_values(":awaiting", status(OrderStatus::AwaitingPayment))
            .expression_attribute_values(":r", AttributeValue::S(reason.as_str().into()))
            .expression_attribute_values(":at", AttributeValue::S(at.into()))
            .send()
            .await;
        match result.map_err(StoreError::from) {
            // Paid meanwhile, or taken back: the failure no longer matters.
            Ok(_) | Err(StoreError::Conflict) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// "Вернуться к редактированию заказа": the order is taken back (only while it awaits
    /// payment) and `cart` written as the client's cart, together. `Conflict`: the order was
    /// paid or taken back, or the cart changed since it was read (`cart_version`; `None`: there
    /// was none).
    pub async fn return_to_cart(
        &self,
        order_id: &str,
        cart: &Order,
        cart_version: Option<u64>,
        at: &str,
    ) -> Result<(), StoreError> {
        let update = Update::builder()
            .table_name(&self.table)
            .set_key(Some(table::key(keys::order::placed(order_id))))
            .update_expression("SET #s = :returned, updatedAt = :at")
            .condition_expression("#s = :awaiting")
            .expression_attribute_names("#s", "status")
            .expression_attribute_values(":returned", status(OrderStatus::ReturnedToCart))
            .expression_attribute_values(":awaiting", status(OrderStatus::AwaitingPayment))
            .expression_attribute_values(":at", AttributeValue::S(at.into()))
            .build()?;
        let mut put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(table::item(keys::order::draft(&cart.user_id), cart)?));
        put = match cart_version {
            None => put.condition_expression("attribute_not_exists(PK)"),
            Some(v) => put
                .condition_expression("version = :v")
                .expression_attribute_values(":v", AttributeValue::N(v.to_string())),
        };
        self.db
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().update(update).build())
            .transact_items(TransactWriteItem::builder().put(put.build()?).build())
            .send()
            .await
            .map_err(table::transaction_error)?;
        Ok(())
    }
}

/// A status as the table keeps it: its wire name.
fn status(s: OrderStatus) -> AttributeValue {
    AttributeValue::S(s.as_str().into())
}
