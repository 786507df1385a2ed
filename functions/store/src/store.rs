//! store's items in the single table. Catalog items (products, stock, stores) also sit in one
//! GSI1 partition, `CATALOG`, so the index builder reads the whole catalog with one paginated
//! Query instead of scanning the shared table.

use crate::domain::{Catalog, Product, Stock, Store};
use aws_sdk_dynamodb::{
    types::{AttributeValue, KeysAndAttributes, PutRequest, WriteRequest},
    Client,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use vitrina_shared::{
    keys,
    table::{self, key, Item},
};

const CATALOG_PARTITION: &str = "CATALOG";

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct IndexMeta {
    /// Milliseconds since the epoch when the index was built; only ever grows.
    pub version: i64,
    /// The S3 key of the packed index.
    pub key: String,
    pub products: usize,
}

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

/// A catalog row as its table item, placed in the `CATALOG` partition of GSI1 under `gsi1_sk`.
fn catalog_item<T: Serialize>(
    k: (String, String),
    gsi1_sk: String,
    value: &T,
) -> Result<Item, String> {
    let mut item = table::item(k, value)?;
    item.insert(
        keys::GSI1PK.into(),
        AttributeValue::S(CATALOG_PARTITION.into()),
    );
    item.insert(keys::GSI1SK.into(), AttributeValue::S(gsi1_sk));
    Ok(item)
}

pub fn product_item(p: &Product) -> Result<Item, String> {
    catalog_item(keys::store::product(&p.id), format!("PRODUCT#{}", p.id), p)
}

pub fn stock_item(s: &Stock) -> Result<Item, String> {
    catalog_item(
        keys::store::stock(&s.product_id, &s.store_id),
        format!("STOCK#{}#{}", s.product_id, s.store_id),
        s,
    )
}

pub fn store_item(s: &Store) -> Result<Item, String> {
    catalog_item(keys::store::store(&s.id), format!("STORE#{}", s.id), s)
}

#[derive(Clone, Debug)]
pub struct CatalogStore {
    db: Client,
    table: String,
}

impl CatalogStore {
    pub fn new(db: Client, table: String) -> Self {
        Self { db, table }
    }

    async fn query_catalog(
        &self,
        sk_prefix: &str,
        limit: Option<i32>,
    ) -> Result<Vec<Item>, String> {
        let mut out = Vec::new();
        let mut start = None;
        loop {
            let mut query = self
                .db
                .query()
                .table_name(&self.table)
                .index_name(keys::GSI1)
                .expression_attribute_values(":p", AttributeValue::S(CATALOG_PARTITION.into()));
            // DynamoDB refuses an empty begins_with operand: no prefix means the whole partition.
            query = if sk_prefix.is_empty() {
                query.key_condition_expression("GSI1PK = :p")
            } else {
                query
                    .key_condition_expression("GSI1PK = :p AND begins_with(GSI1SK, :s)")
                    .expression_attribute_values(":s", AttributeValue::S(sk_prefix.into()))
            };
            let page = query
                .set_limit(limit)
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(err)?;
            out.extend(page.items.unwrap_or_default());
            start = page.last_evaluated_key;
            if start.is_none() || limit.is_some() {
                return Ok(out);
            }
        }
    }

    pub async fn is_empty(&self) -> Result<bool, String> {
        Ok(self.query_catalog("", Some(1)).await?.is_empty())
    }

    /// The whole catalog, for the index builder.
    pub async fn load_catalog(&self) -> Result<Catalog, String> {
        let mut catalog = Catalog::default();
        for item in self.query_catalog("", None).await? {
            let sk = item
                .get(keys::GSI1SK)
                .and_then(|v| v.as_s().ok())
                .cloned()
                .unwrap_or_default();
            if sk.starts_with("PRODUCT#") {
                catalog
                    .products
                    .push(serde_dynamo::from_item(item).map_err(err)?);
            } else if sk.starts_with("STOCK#") {
                catalog
                    .stock
                    .push(serde_dynamo::from_item(item).map_err(err)?);
            } else if sk.starts_with("STORE#") {
                catalog
                    .stores
                    .push(serde_dynamo::from_item(item).map_err(err)?);
            }
        }
        Ok(catalog)
    }

    pub async fn stores(&self) -> Result<Vec<Store>, String> {
        self.query_catalog("STORE#", None)
            .await?
            .into_iter()
            .map(|i| serde_dynamo::from_item(i).map_err(err))
            .collect()
    }

    /// A product and its stock lines: one Query on the product's partition.
    pub async fn product(&self, id: &str) -> Result<Option<(Product, Vec<Stock>)>, String> {
        let (pk, _) = keys::store::product(id);
        let out = self
            .db
            .query()
            .table_name(&self.table)
            .key_condition_expression("PK = :pk")
            .expression_attribute_values(":pk", AttributeValue::S(pk))
            .send()
            .await
            .map_err(err)?;
        let mut product = None;
        let mut stock = Vec::new();
        for item in out.items.unwrap_or_default() {
            match item
                .get(keys::SK)
                .and_then(|v| v.as_s().ok())
                .map(String::as_str)
            {
                Some("PRODUCT") => product = Some(serde_dynamo::from_item(item).map_err(err)?),
                Some(sk) if sk.starts_with("STOCK#") => {
                    stock.push(serde_dynamo::from_item(item).map_err(err)?)
                }
                _ => {}
            }
        }
        Ok(product.map(|p| (p, stock)))
    }

    /// The items stored under these keys now, by (PK, SK).
    pub async fn current(
        &self,
        wanted: &[(String, String)],
    ) -> Result<HashMap<(String, String), Item>, String> {
        let mut found = HashMap::new();
        for chunk in wanted.chunks(100) {
            let mut request = KeysAndAttributes::builder()
                .set_keys(Some(chunk.iter().map(|k| key(k.clone())).collect()))
                .consistent_read(true)
                .build()
                .map_err(err)?;
            loop {
                let out = self
                    .db
                    .batch_get_item()
                    .request_items(&self.table, request)
                    .send()
                    .await
                    .map_err(err)?;
                for item in out
                    .responses
                    .unwrap_or_default()
                    .remove(&self.table)
                    .unwrap_or_default()
                {
                    let pk = item
                        .get(keys::PK)
                        .and_then(|v| v.as_s().ok())
                        .cloned()
                        .unwrap_or_default();
                    let sk = item
                        .get(keys::SK)
                        .and_then(|v| v.as_s().ok())
                        .cloned()
                        .unwrap_or_default();
                    found.insert((pk, sk), item);
                }
                match out.unprocessed_keys.and_then(|mut u| u.remove(&self.table)) {
                    Some(rest) if !rest.keys().is_empty() => request = rest,
                    _ => break,
                }
            }
        }
        Ok(found)
    }

    /// Writes items 25 at a time, retrying what DynamoDB leaves unprocessed.
    pub async fn put_all(&self, items: Vec<Item>) -> Result<(), String> {
        for chunk in items.chunks(25) {
            let mut requests: Vec<WriteRequest> = chunk
                .iter()
                .map(|i| {
                    PutRequest::builder()
                        .set_item(Some(i.clone()))
                        .build()
                        .map(|p| WriteRequest::builder().put_request(p).build())
                        .map_err(err)
                })
                .collect::<Result<_, _>>()?;
            let mut attempt = 0;
            while !requests.is_empty() {
                let out = self
                    .db
                    .batch_write_item()
                    .request_items(&self.table, requests)
                    .send()
                    .await
                    .map_err(err)?;
                requests = out
                    .unprocessed_items
                    .and_then(|mut u| u.remove(&self.table))
                    .unwrap_or_default();
                attempt += 1;
                if attempt > 8 {
                    return Err("DynamoDB kept items unprocessed".into());
                }
                if !requests.is_empty() {
                    tokio::time::sleep(std::time::Duration::from_millis(50 << attempt)).await;
                }
            }
        }
        Ok(())
    }

    pub async fn index_meta(&self) -> Result<Option<IndexMeta>, String> {
        table::get(&self.db, &self.table, keys::store::index_meta(), true).await
    }

    /// Records a newer index; an older build finishing late never replaces a newer one.
    pub async fn set_index_meta(&self, meta: &IndexMeta) -> Result<bool, String> {
        let item = table::item(keys::store::index_meta(), meta)?;
        let result = self
            .db
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(PK) OR version < :v")
            .expression_attribute_values(":v", AttributeValue::N(meta.version.to_string()))
            .send()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(e) if vitrina_shared::aws::is_conditional_failure(&e) => Ok(false),
            Err(e) => Err(err(e)),
        }
    }
}
