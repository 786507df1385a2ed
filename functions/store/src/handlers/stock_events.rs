//! `stock-events` (the table's stream: product items modified): when a hold, a reservation, a
//! release or an import changes where a product can be bought — some store's level, in stock /
//! few / none — the search index is rebuilt, so that its ranking (what can be bought first)
//! follows too, not only the availability a search page reads live. The `catalog.changed` is
//! sent a few seconds late: a burst of changes then costs one build, since a build covers
//! every message older than itself (`handlers::rebuild`).

use crate::{domain::catalog::Availability, store::StockLevels, StockEvents};
use serde::Deserialize;
use std::{collections::BTreeMap, sync::Arc, time::Duration};
use vitrina_shared::{
    envelope::{CatalogChanged, CATALOG_CHANGED},
    stream::{self, StreamRecord},
    ConsumeError,
};

/// How long changes gather before the build they ask for.
const GATHER: Duration = Duration::from_secs(2);

#[derive(Deserialize)]
struct StockOnly {
    #[serde(default)]
    stock: StockLevels,
}

fn levels(image: &serde_dynamo::Item) -> Result<BTreeMap<String, Availability>, ConsumeError> {
    let StockOnly { stock } = serde_dynamo::from_item(image.clone())?;
    Ok(stock
        .into_iter()
        .map(|(store, units)| (store, Availability::of(units)))
        .collect())
}

pub async fn handle(s: Arc<StockEvents>, record: StreamRecord) -> Result<(), ConsumeError> {
    let (pk, _) = stream::key(&record);
    if record.event_name != "MODIFY" || !pk.starts_with("PRODUCT#") {
        return Ok(());
    }
    if levels(&record.change.old_image)? == levels(&record.change.new_image)? {
        return Ok(());
    }
    let changed = CatalogChanged {
        products_changed: 1,
    };
    s.index
        .arm(CATALOG_CHANGED, &pk, changed, GATHER)
        .await
        .map_err(ConsumeError::Unavailable)?;
    tracing::info!(product = %pk, "a store's level changed: index rebuild asked");
    Ok(())
}
