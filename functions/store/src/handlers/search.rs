//! `GET /api/products?q=&page=&category=` and `GET /api/categories`: answered from the search
//! index, which is loaded from S3 at cold start and reloaded when a newer build is recorded. The
//! page's availability is the stock of now, read from the table for the page's products: the
//! index knows the stock of its build, and orders take units every minute.

use crate::{
    domain::catalog::Availability,
    search::{Card, SearchError, SearchIndex},
    store::IndexMeta,
    Storefront,
};
use lambda_http::{http::StatusCode, Body, Request, RequestExt, Response};
use std::{
    sync::Arc,
    time::{Duration, Instant},
};
use tokio::sync::{Mutex, RwLock};
use vitrina_shared::{http::ok, ApiError};

pub struct Loaded {
    pub version: i64,
    pub index: Arc<SearchIndex>,
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

fn not_ready() -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "index_not_ready",
        "The catalog is being indexed, try again shortly",
    )
}

/// The current index: checks for a newer build at most every `refresh`, downloads it once.
pub async fn current_index(svc: &Storefront) -> Result<Arc<SearchIndex>, ApiError> {
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
    let meta = svc.catalog.index_meta().await.map_err(ApiError::internal)?;
    *checked = Some(Instant::now());
    match (meta, loaded) {
        (None, Some((_, index))) => Ok(index),
        (None, None) => Err(not_ready()),
        (Some(m), Some((v, index))) if m.version == v => Ok(index),
        (Some(m), _) => load(svc, &m).await,
    }
}

async fn load(svc: &Storefront, meta: &IndexMeta) -> Result<Arc<SearchIndex>, ApiError> {
    let bytes = svc
        .bucket
        .index(&meta.key)
        .await
        .map_err(ApiError::internal)?;
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
    .map_err(ApiError::internal)?
    .map_err(ApiError::internal)?;
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

pub async fn handle(svc: Arc<Storefront>, req: Request) -> Result<Response<Body>, ApiError> {
    let params = req.query_string_parameters();
    let q = params.first("q").unwrap_or_default().trim().to_string();
    let category = params.first("category").map(str::to_string);
    let page = match params.first("page") {
        None | Some("") => 1,
        Some(p) => p
            .parse::<usize>()
            .map_err(|_| ApiError::bad_request("invalid_page", "page must be a positive number"))?,
    };
    let index = current_index(&svc).await?;
    let mut result = index
        .search(&q, category.as_deref(), page)
        .map_err(|e| match e {
            SearchError::TooLong => ApiError::bad_request("query_too_long", e.to_string()),
            SearchError::BadPage => ApiError::bad_request("invalid_page", e.to_string()),
            SearchError::Index(_) => ApiError::internal(e),
        })?;
    follow_stock(&svc, &mut result.items).await;
    Ok(ok(&result))
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
