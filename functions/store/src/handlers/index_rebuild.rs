//! `catalog.changed` (SQS `CatalogQueue`): rebuilds the search index from the table, uploads it
//! to S3 and records it as current. A duplicate or stale message costs a rebuild at most: a
//! build never replaces a newer one, and a message older than the current build is skipped.

use crate::{search::SearchIndex, store::IndexMeta, Storefront};
use std::sync::Arc;
use vitrina_shared::{
    envelope::{parse, CatalogChanged, CATALOG_CHANGED},
    sqs::{self, SqsMessage},
    ConsumeError,
};

pub async fn handle(svc: Arc<Storefront>, record: SqsMessage) -> Result<(), ConsumeError> {
    let message = parse::<CatalogChanged>(sqs::body(&record), CATALOG_CHANGED)?;
    let current = svc.catalog.index_meta().await?.map(|m| m.version);
    if crate::domain::index::covers(current, message.occurred_at.timestamp_millis()) {
        tracing::info!(message_id = %message.id, "index already newer than the change");
        return Ok(());
    }
    rebuild(&svc).await.map(|_| ())
}

/// Builds and publishes the index of the catalog as it is now; answers the new version.
pub async fn rebuild(svc: &Storefront) -> Result<IndexMeta, ConsumeError> {
    let version = chrono::Utc::now().timestamp_millis();
    let catalog = svc.catalog.load_catalog().await?;
    let products = catalog.products.len();
    let dir = std::env::temp_dir().join(format!("vitrina-index-build-{}", uuid::Uuid::now_v7()));
    let build_dir = dir.clone();
    let packed = tokio::task::spawn_blocking(move || {
        SearchIndex::build(&catalog, &build_dir)?;
        crate::search::pack(&build_dir)
    })
    .await
    .map_err(ConsumeError::unavailable)?
    .map_err(ConsumeError::unavailable)?;
    let _ = std::fs::remove_dir_all(&dir);
    let key = format!("search/index-{version}.tar");
    svc.bucket.put_index(&key, packed).await?;
    let meta = IndexMeta {
        version,
        key,
        products,
    };
    let recorded = svc.catalog.set_index_meta(&meta).await?;
    tracing::info!(version, products, recorded, "search index built");
    Ok(meta)
}
