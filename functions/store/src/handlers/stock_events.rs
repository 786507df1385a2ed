//! `stock-events` (the table's stream: product items modified): when a hold, a reservation, a
//! release or an import changes where a product can be bought at all — a store running out, or
//! stocked again — the search index is rebuilt, so that its ranking (what can be bought, in
//! more stores, first) follows too; the levels a search page shows are read live already, so
//! a change between "in stock" and "few" asks for nothing. The `catalog.changed` is sent a few
//! seconds late: a burst of changes then costs one build, since a build covers every message
//! older than itself (`handlers::rebuild`).

use crate::{store::StockLevels, StockEvents};
use serde::Deserialize;
use std::{collections::BTreeSet, sync::Arc, time::Duration};
use vitrina_shared::{
    envelope::{CatalogChanged, CATALOG_CHANGED},
    stream::{self, StreamRecord},
    ConsumeError,
};

/// How long changes gather before the build they ask for.
const GATHER: Duration = Duration::from_secs(5);

#[derive(Deserialize)]
struct StockOnly {
    #[serde(default)]
    stock: StockLevels,
}

/// The stores that have the product: what the index ranks by.
fn selling(image: &serde_dynamo::Item) -> Result<BTreeSet<String>, ConsumeError> {
    let StockOnly { stock } = serde_dynamo::from_item(image.clone())?;
    Ok(stock
        .into_iter()
        .filter(|(_, units)| *units > 0)
        .map(|(store, _)| store)
        .collect())
}

pub async fn handle(s: Arc<StockEvents>, record: StreamRecord) -> Result<(), ConsumeError> {
    let (pk, _) = stream::key(&record);
    if record.event_name != "MODIFY" || !pk.starts_with("PRODUCT#") {
        return Ok(());
    }
    if selling(&record.change.old_image)? == selling(&record.change.new_image)? {
        return Ok(());
    }
    let changed = CatalogChanged {
        products_changed: 1,
    };
    s.index.arm(CATALOG_CHANGED, &pk, changed, GATHER).await?;
    tracing::info!(product = %pk, "the stores selling it changed: index rebuild asked");
    Ok(())
}
