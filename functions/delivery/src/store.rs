//! delivery's items in the table: a client's courier quotes and the delivery chosen for an
//! order. The only code of delivery that touches the table.

use crate::domain::Quote;
use aws_sdk_dynamodb::types::AttributeValue;
use vitrina_shared::{
    contracts::delivery::{DeliveryCase, DeliveryChoice},
    keys, table, StoreError,
};

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
    pub async fn move_case(&self, case: &DeliveryCase, from: &str) -> Result<(), StoreError> {
        self.db
            .put_item()
            .table_name(&self.table)
            .set_item(Some(table::item(
                keys::delivery::case(&case.order_id),
                case,
            )?))
            .condition_expression("#status = :from")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":from", AttributeValue::S(from.into()))
            .send()
            .await?;
        Ok(())
    }

    async fn put(&self, item: table::Item) -> Result<(), StoreError> {
        self.db
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .send()
            .await?;
        Ok(())
    }
}
