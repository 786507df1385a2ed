//! billing's items in the single table.

use crate::domain::Wallet;
use aws_sdk_dynamodb::{types::AttributeValue, Client};
use std::collections::HashMap;
use vitrina_shared::{aws::is_conditional_failure, keys};

#[derive(Clone, Debug)]
pub struct BillingStore {
    db: Client,
    table: String,
}

fn key((pk, sk): (String, String)) -> HashMap<String, AttributeValue> {
    HashMap::from([
        (keys::PK.to_string(), AttributeValue::S(pk)),
        (keys::SK.to_string(), AttributeValue::S(sk)),
    ])
}

impl BillingStore {
    pub fn new(db: Client, table: String) -> Self {
        Self { db, table }
    }

    /// Opens the wallet unless it exists: a replayed message never resets a balance.
    pub async fn open_wallet(&self, wallet: &Wallet) -> Result<bool, String> {
        let mut item: HashMap<String, AttributeValue> =
            serde_dynamo::to_item(wallet).map_err(|e| e.to_string())?;
        item.extend(key(keys::billing::wallet(&wallet.user_id)));
        match self
            .db
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(PK)")
            .send()
            .await
        {
            Ok(_) => Ok(true),
            Err(e) if is_conditional_failure(&e) => Ok(false),
            Err(e) => Err(format!("{e:?}")),
        }
    }

    pub async fn wallet(&self, user_id: &str) -> Result<Option<Wallet>, String> {
        let out = self
            .db
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::billing::wallet(user_id))))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| format!("{e:?}"))?;
        out.item
            .map(|i| serde_dynamo::from_item(i).map_err(|e| e.to_string()))
            .transpose()
    }
}
