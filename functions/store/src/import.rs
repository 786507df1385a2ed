//! Loading a catalog file into the table: everything is validated before anything is written,
//! only items that differ from what is stored are written (the report counts the file's rows), product images go to S3, and a
//! `catalog.changed` message asks for a new search index. Loading the same file twice changes
//! nothing the second time. Products missing from a file are left as they are (no deletions).
//!
//! A stock row is a stocktaking: the store holds that many units on its shelves now. For a
//! product already stored it is one conditional update that also moves the product's
//! `counted` units by the difference (`CatalogStore::apply_count`), so an order taking units
//! between the read and the write is never overwritten and the units stay accounted for.

use crate::{
    bucket::{BucketError, CatalogBucket},
    domain::{image, Catalog, Product, Stock},
    store::{product_item, read_product, store_item, CatalogStore, StockLevels},
};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use vitrina_shared::{
    envelope::{CatalogChanged, Envelope, CATALOG_CHANGED},
    keys,
    table::Item,
    StoreError,
};

/// Why a catalog file was not (wholly) loaded. Validation happens before any write; a failure
/// after it leaves a partial load that loading the file again completes.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("stock names unknown product {0}")]
    UnknownProduct(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Bucket(#[from] BucketError),
    #[error("catalog.changed not sent: {0}")]
    Queue(String),
}

#[derive(Debug, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub images_uploaded: usize,
}

pub struct Target<'a> {
    pub catalog: &'a CatalogStore,
    pub bucket: &'a CatalogBucket,
    pub sqs: &'a aws_sdk_sqs::Client,
    pub queue_url: &'a str,
}

pub async fn import(catalog: &Catalog, to: &Target<'_>) -> Result<ImportReport, ImportError> {
    // Every product the file touches (its own row or a stock row) is one item to read and
    // maybe rewrite: stock lives on the product's item.
    let mut touched: BTreeMap<&str, (Option<&Product>, Vec<&Stock>)> = BTreeMap::new();
    for p in &catalog.products {
        touched.entry(&p.id).or_default().0 = Some(p);
    }
    for s in &catalog.stock {
        touched.entry(&s.product_id).or_default().1.push(s);
    }
    let mut keys: Vec<(String, String)> = catalog
        .stores
        .iter()
        .map(|s| keys::store::store(&s.id))
        .collect();
    keys.extend(touched.keys().map(|id| keys::store::product(id)));
    let current: HashMap<(String, String), Item> = to.catalog.current(&keys).await?;

    let mut report = ImportReport::default();
    let mut count = |before: Option<bool>| match before {
        None => report.created += 1,
        Some(true) => report.unchanged += 1,
        Some(false) => report.updated += 1,
    };
    let mut writes = Vec::new();
    let mut counted = Vec::new();
    let mut images = Vec::new();
    for s in &catalog.stores {
        let item = store_item(s)?;
        let stored = current.get(&keys::store::store(&s.id));
        count(stored.map(|old| old == &item));
        if stored != Some(&item) {
            writes.push(item);
        }
    }
    for (id, (row, stock_rows)) in touched {
        let stored = current
            .get(&keys::store::product(id))
            .map(read_product)
            .transpose()?;
        let (old_product, old_stock) = match &stored {
            Some((p, stock)) => (Some(p), stock.clone()),
            None => (None, StockLevels::new()),
        };
        if let Some(p) = row {
            count(old_product.map(|old| old == p));
            if old_product != Some(p) {
                images.push(p);
            }
        }
        let mut counts = StockLevels::new();
        for s in stock_rows {
            count(old_stock.get(&s.store_id).map(|q| *q == s.quantity));
            counts.insert(s.store_id.clone(), s.quantity);
        }
        // check_references guarantees a stock row's product is in the file or stored.
        let Some(product) = row.or(old_product) else {
            return Err(ImportError::UnknownProduct(id.to_string()));
        };
        if stored.is_none() {
            // Nobody can have taken units of a product that did not exist: written in bulk.
            writes.push(product_item(product, &counts)?);
        } else {
            let unchanged = old_product == Some(product)
                && counts.iter().all(|(s, q)| old_stock.get(s) == Some(q));
            if !unchanged {
                // A stored product's shelves may be moving (orders): one conditional update.
                counted.push((product.clone(), counts));
            }
        }
    }
    for p in images {
        to.bucket.put_image(&p.id, image::svg(p)).await?;
        report.images_uploaded += 1;
    }
    let mut changed = writes.len();
    to.catalog.put_all(writes).await?;
    for (product, counts) in counted {
        if to.catalog.apply_count(&product, &counts).await? {
            changed += 1;
        }
    }
    if changed > 0 {
        let message = Envelope::new(
            CATALOG_CHANGED,
            "catalog-import",
            CatalogChanged {
                products_changed: changed,
            },
        );
        vitrina_shared::sqs::send(to.sqs, to.queue_url, &message)
            .await
            .map_err(|e| ImportError::Queue(e.to_string()))?;
    }
    Ok(report)
}
