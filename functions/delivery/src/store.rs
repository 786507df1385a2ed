//! delivery's items in the table: a client's courier quotes and the delivery chosen for an
//! order. The only code of delivery that touches the table.

use crate::domain::Quote;
use vitrina_shared::{contracts::delivery::DeliveryChoice, keys, table, StoreError};

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
