//! payment's items in the table: wrong gift-card codes per client per window. The only code of
//! payment that touches the table.

use crate::domain::guessing::Window;
use vitrina_shared::{keys, table, StoreError};

pub struct PaymentStore {
    db: aws_sdk_dynamodb::Client,
    table: String,
}

impl PaymentStore {
    pub fn new(db: aws_sdk_dynamodb::Client, table: String) -> Self {
        Self { db, table }
    }

    /// Wrong codes the client entered in this window.
    pub async fn wrong_codes(&self, user_id: &str, window: Window) -> Result<u32, StoreError> {
        let counter = keys::payment::gift_failures(user_id, window.index);
        table::failures(&self.db, &self.table, counter).await
    }

    /// Counts one more; the counter disappears with its window (TTL).
    pub async fn add_wrong_code(&self, user_id: &str, window: Window) -> Result<(), StoreError> {
        let counter = keys::payment::gift_failures(user_id, window.index);
        table::add_failure(&self.db, &self.table, counter, window.ends_at).await
    }
}
