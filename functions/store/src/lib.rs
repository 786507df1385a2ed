//! store: the catalog (products, stores, stock per store) and product search.

pub mod domain;
pub mod handlers;
pub mod import;
pub mod search;
pub mod store;

use std::sync::Arc;
use vitrina_shared::{
    contracts::store::SnapshotProducts,
    runtime::{http_route, internal, sqs_consumer, Env, Function, Route},
};

pub struct StoreService {
    pub catalog: store::CatalogStore,
    pub s3: aws_sdk_s3::Client,
    /// Holds the packed search index and product images.
    pub bucket: String,
    pub index: handlers::search::IndexCache,
}

impl StoreService {
    pub fn new(env: &Env) -> Self {
        let refresh = env
            .config
            .var("SEARCH_INDEX_REFRESH_SECONDS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(10);
        Self {
            catalog: store::CatalogStore::new(
                env.clients.dynamodb.clone(),
                env.config.table_name.clone(),
            ),
            s3: env.clients.s3.clone(),
            bucket: env
                .config
                .var("CATALOG_BUCKET")
                .unwrap_or_default()
                .to_string(),
            index: handlers::search::IndexCache::new(std::time::Duration::from_secs(refresh)),
        }
    }
}

pub fn functions(env: Arc<Env>) -> Vec<Function> {
    let svc = Arc::new(StoreService::new(&env));
    vec![
        http_route(
            "search",
            Route::get("/api/products"),
            svc.clone(),
            handlers::search::handle,
        ),
        http_route(
            "product-get",
            Route::get("/api/products/{id}"),
            svc.clone(),
            handlers::product::handle,
        ),
        http_route(
            "categories",
            Route::get("/api/categories"),
            svc.clone(),
            handlers::search::categories,
        ),
        sqs_consumer(
            "index-rebuild",
            "CatalogQueue",
            svc.clone(),
            handlers::rebuild::handle,
        ),
        internal(SnapshotProducts, svc, handlers::snapshot::handle),
    ]
}
