//! Loading a catalog file into the table: everything is validated before anything is written,
//! only rows that differ from what is stored are written, product images go to S3, and a
//! `catalog.changed` message asks for a new search index. Loading the same file twice changes
//! nothing the second time. Products missing from a file are left as they are (no deletions).

use crate::{
    domain::{image, Catalog},
    store::{product_item, stock_item, store_item, CatalogStore},
};
use serde::Serialize;
use std::collections::HashMap;
use vitrina_shared::{
    envelope::{CatalogChanged, Envelope, CATALOG_CHANGED},
    keys,
    table::Item,
};

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
    pub s3: &'a aws_sdk_s3::Client,
    pub bucket: &'a str,
    pub sqs: &'a aws_sdk_sqs::Client,
    pub queue_url: &'a str,
}

fn pk_sk(item: &Item) -> (String, String) {
    let s = |k: &str| {
        item.get(k)
            .and_then(|v| v.as_s().ok())
            .cloned()
            .unwrap_or_default()
    };
    (s(keys::PK), s(keys::SK))
}

pub async fn import(catalog: &Catalog, to: &Target<'_>) -> Result<ImportReport, String> {
    let mut wanted: Vec<(Item, Option<&crate::domain::Product>)> = Vec::new();
    for s in &catalog.stores {
        wanted.push((store_item(s)?, None));
    }
    for p in &catalog.products {
        wanted.push((product_item(p)?, Some(p)));
    }
    for s in &catalog.stock {
        wanted.push((stock_item(s)?, None));
    }
    let keys: Vec<(String, String)> = wanted.iter().map(|(i, _)| pk_sk(i)).collect();
    let current: HashMap<(String, String), Item> = to.catalog.current(&keys).await?;
    let mut report = ImportReport::default();
    let mut writes = Vec::new();
    let mut images = Vec::new();
    for (item, product) in wanted {
        match current.get(&pk_sk(&item)) {
            Some(existing) if existing == &item => report.unchanged += 1,
            found => {
                if found.is_some() {
                    report.updated += 1;
                } else {
                    report.created += 1;
                }
                if let Some(p) = product {
                    images.push(p);
                }
                writes.push(item);
            }
        }
    }
    for p in images {
        to.s3
            .put_object()
            .bucket(to.bucket)
            .key(format!("images/{}.svg", p.id))
            .content_type("image/svg+xml")
            .cache_control("public, max-age=86400")
            .body(image::svg(p).into_bytes().into())
            .send()
            .await
            .map_err(|e| format!("image of {}: {e:?}", p.id))?;
        report.images_uploaded += 1;
    }
    let changed = writes.len();
    to.catalog.put_all(writes).await?;
    if changed > 0 {
        let message = Envelope::new(
            CATALOG_CHANGED,
            "catalog-import",
            CatalogChanged {
                products_changed: changed,
            },
        );
        to.sqs
            .send_message()
            .queue_url(to.queue_url)
            .message_body(serde_json::to_string(&message).map_err(|e| e.to_string())?)
            .send()
            .await
            .map_err(|e| format!("catalog.changed: {e:?}"))?;
    }
    Ok(report)
}
