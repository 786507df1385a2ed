//! store: the catalog (products, stores, stock per store) and product search.

pub mod bucket;
pub mod domain;
pub mod flow;
pub mod handlers;
pub mod import;
pub mod search;
pub mod store;

use vitrina_shared::{
    config::SettingsError,
    contracts::store::{
        HoldStock, MovePickingCase, PickingCaseOf, ReleaseStock, ReserveStock, SnapshotProducts,
    },
    runtime::{http_route, internal, sqs_consumer, stream_consumer, Env, Function, Route},
    timer::Timer,
};

pub struct Storefront {
    pub catalog: store::CatalogStore,
    /// Holds the packed search index and product images.
    pub bucket: bucket::CatalogBucket,
    pub index: flow::catalog::IndexCache,
}

impl Storefront {
    pub fn new(env: &Env) -> Result<Self, SettingsError> {
        let refresh = env.config.parse_or("SEARCH_INDEX_REFRESH_SECONDS", 10)?;
        Ok(Self {
            catalog: store::CatalogStore::new(env.aws.dynamodb(), env.config.table_name.clone()),
            bucket: bucket::CatalogBucket::new(env.aws.s3(), env.config.require("CATALOG_BUCKET")?),
            index: flow::catalog::IndexCache::new(std::time::Duration::from_secs(refresh)),
        })
    }
}

/// What the saga's stock steps need: the catalog's items alone (no bucket, no index).
pub struct Reservations {
    pub catalog: store::CatalogStore,
}

impl Reservations {
    pub fn new(env: &Env) -> Result<Self, SettingsError> {
        Ok(Self {
            catalog: store::CatalogStore::new(env.aws.dynamodb(), env.config.table_name.clone()),
        })
    }
}

/// The holds of "Оплатить заказ": the catalog's items and the timer that lapses a hold nobody
/// paid (`StockHoldQueue`).
pub struct Holds {
    pub catalog: store::CatalogStore,
    pub timer: Timer,
    /// How long units stay put aside for an unpaid order.
    pub hold: std::time::Duration,
}

impl Holds {
    pub fn new(env: &Env) -> Result<Self, SettingsError> {
        Ok(Self {
            catalog: store::CatalogStore::new(env.aws.dynamodb(), env.config.table_name.clone()),
            timer: Timer::new(env.aws.sqs(), env.config.require("STOCK_HOLD_QUEUE_URL")?),
            hold: std::time::Duration::from_secs(env.config.parse_or("STOCK_HOLD_SECONDS", 900)?),
        })
    }
}

/// Stock changes seen on the table's stream: a product's levels that changed ask for a new
/// search index (`CatalogQueue`, a delayed message).
pub struct StockEvents {
    pub index: Timer,
}

impl StockEvents {
    pub fn new(env: &Env) -> Result<Self, SettingsError> {
        Ok(Self {
            index: Timer::new(env.aws.sqs(), env.config.require("CATALOG_QUEUE_URL")?),
        })
    }
}

pub fn functions() -> Vec<Function> {
    vec![
        http_route(
            "search",
            Route::get("/api/products"),
            Storefront::new,
            handlers::search::handle,
        ),
        http_route(
            "product-get",
            Route::get("/api/products/{id}"),
            Storefront::new,
            handlers::product_get::handle,
        ),
        http_route(
            "categories",
            Route::get("/api/categories"),
            Storefront::new,
            handlers::categories::handle,
        ),
        sqs_consumer(
            "index-rebuild",
            "CatalogQueue",
            Storefront::new,
            handlers::index_rebuild::handle,
        ),
        internal(
            SnapshotProducts,
            Storefront::new,
            handlers::product_snapshot::handle,
        ),
        internal(HoldStock, Holds::new, handlers::stock_hold::handle),
        sqs_consumer(
            "stock-hold-lapse",
            "StockHoldQueue",
            Holds::new,
            handlers::stock_hold_lapse::handle,
        ),
        stream_consumer(
            "stock-events",
            "Table",
            StockEvents::new,
            handlers::stock_events::handle,
        ),
        internal(
            ReserveStock,
            Reservations::new,
            handlers::stock_reserve::handle,
        ),
        internal(
            ReleaseStock,
            Reservations::new,
            handlers::stock_release::handle,
        ),
        internal(
            MovePickingCase,
            Reservations::new,
            handlers::picking_case_move::handle,
        ),
        internal(
            PickingCaseOf,
            Reservations::new,
            handlers::picking_case_get::handle,
        ),
    ]
}

/// store's part of the API's OpenAPI document: the catalog as clients browse it.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        handlers::search::handle,
        handlers::product_get::handle,
        handlers::categories::handle,
    ),
    tags((name = "store", description = "The catalog: search, product pages, sections"))
)]
pub struct StoreApi;
