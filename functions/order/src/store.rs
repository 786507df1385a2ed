//! order's items. The cart (the draft order) lives at `CART#<userId>` / `DRAFT`, so adding to it
//! is one read and one conditional write, and a client has at most one draft.

use crate::domain::Order;
use aws_sdk_dynamodb::{types::AttributeValue, Client};
use vitrina_shared::{keys, table, StoreError};

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
}
