//! billing's items in the single table.

use crate::domain::Wallet;
use aws_sdk_dynamodb::Client;
use vitrina_shared::{keys, table};

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
    pub async fn open_wallet(&self, wallet: &Wallet) -> Result<bool, String> {
        let item = table::item(keys::billing::wallet(&wallet.user_id), wallet)?;
        table::put_if_absent(&self.db, &self.table, item).await
    }

    pub async fn wallet(&self, user_id: &str) -> Result<Option<Wallet>, String> {
        table::get(&self.db, &self.table, keys::billing::wallet(user_id), true).await
    }
}
