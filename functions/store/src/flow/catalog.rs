//! The catalog as clients browse it: the search index, loaded from S3 at cold start and reloaded
//! when a newer build is recorded, and a search's page with the stock of now (the index knows
//! the stock of its build, and orders take units every minute). Answers [`CatalogError`].

use super::CatalogError;
use crate::{
    domain::catalog::Availability,
    search::{Card, SearchError, SearchIndex, SearchPage},
    store::IndexMeta,
    Storefront,
};
use std::{
    sync::Arc,
    time::{Duration, Instant},
};
use tokio::sync::{Mutex, RwLock};

struct Loaded {
    version: i64,
    index: Arc<SearchIndex>,
}

pub struct IndexCache {
    current: RwLock<Option<Loaded>>,
    checked_at: Mutex<Option<Instant>>,
    refresh: Duration,
}

impl IndexCache {
    pub fn new(refresh: Duration) -> Self {
        Self {
            current: RwLock::new(None),
            checked_at: Mutex::new(None),
            refresh,
        }
    }
}

/// The current index: checks for a newer build at most every `refresh`, downloads it once.
pub async fn current_index(svc: &Storefront) -> Result<Arc<SearchIndex>, CatalogError> {
    // One check at a time: concurrent requests on a cold instance download the index once.
    let mut checked = svc.index.checked_at.lock().await;
    let loaded = svc
        .index
        .current
        .read()
        .await
        .as_ref()
        .map(|l| (l.version, l.index.clone()));
    let due = checked.is_none_or(|t| t.elapsed() >= svc.index.refresh);
    if let (false, Some((_, index))) = (due, &loaded) {
        return Ok(index.clone());
    }
    let meta = svc.catalog.index_meta().await?;
    *checked = Some(Instant::now());
    match (meta, loaded) {
        (None, Some((_, index))) => Ok(index),
        (None, None) => Err(CatalogError::NotReady),
        (Some(m), Some((v, index))) if m.version == v => Ok(index),
        (Some(m), _) => load(svc, &m).await,
    }
}

async fn load(svc: &Storefront, meta: &IndexMeta) -> Result<Arc<SearchIndex>, CatalogError> {
    let bytes = svc
        .bucket
        .index(&meta.key)
        .await
        .map_err(|e| CatalogError::Broken(e.to_string()))?;
    let dir = std::env::temp_dir().join(format!(
        "vitrina-index-{}-{}",
        meta.version,
        uuid::Uuid::now_v7()
    ));
    let index = tokio::task::spawn_blocking(move || {
        crate::search::unpack(&bytes, &dir)?;
        SearchIndex::open(&dir)
    })
    .await
    .map_err(|e| CatalogError::Broken(e.to_string()))?
    .map_err(|e| CatalogError::Broken(e.to_string()))?;
    let index = Arc::new(index);
    tracing::info!(
        version = meta.version,
        products = meta.products,
        "search index loaded"
    );
    *svc.index.current.write().await = Some(Loaded {
        version: meta.version,
        index: index.clone(),
    });
    Ok(index)
}

/// A page of the search for `q` (in `category`): the index's cards with the stock of now.
pub async fn search(
    svc: &Storefront,
    q: &str,
    category: Option<&str>,
    page: usize,
) -> Result<SearchPage, CatalogError> {
    let index = current_index(svc).await?;
    let mut result = index.search(q, category, page).map_err(|e| match e {
        SearchError::TooLong => CatalogError::QueryTooLong(e.to_string()),
        SearchError::BadPage => CatalogError::BadPage(e.to_string()),
        SearchError::Index(_) => CatalogError::Broken(e.to_string()),
    })?;
    follow_stock(svc, &mut result.items).await;
    Ok(result)
}

/// Each card's availability from the stock of now: one BatchGetItem of the page (24 products).
/// Should the table not answer, the page keeps the index's levels — a search still works, and
/// the cart and the saga check the stock of now anyway.
async fn follow_stock(svc: &Storefront, cards: &mut [Card]) {
    if cards.is_empty() {
        return;
    }
    let ids: Vec<String> = cards.iter().map(|c| c.id.clone()).collect();
    let now = match svc.catalog.products(&ids).await {
        Ok(now) => now,
        Err(e) => {
            tracing::warn!(error = %e, "stock not read: the page shows the index's");
            return;
        }
    };
    for card in cards.iter_mut() {
        let Some((_, stock)) = now.iter().find(|(p, _)| p.id == card.id) else {
            continue;
        };
        for shown in &mut card.availability {
            shown.level = Availability::of(stock.get(&shown.store_id).copied().unwrap_or(0));
        }
    }
}
