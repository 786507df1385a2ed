//! store's workflows — the service layer between the handlers and the table: an order's units
//! put aside, reserved, given back (`stock`, answering [`StockError`]), and the catalog as
//! clients browse it (`catalog`, answering [`CatalogError`]). Each error is mapped once into each
//! entry point's (the contracts' `Failure`, a consumer's `ConsumeError`, `ApiError`).

pub mod catalog;
pub mod stock;

use vitrina_shared::{
    contracts::{
        store::{ReserveRefusal, ShortOfStock},
        Failure, NoRefusal,
    },
    ConsumeError, StoreError, Unavailable,
};

#[derive(Debug, thiserror::Error)]
pub enum StockError {
    /// Some lines have not enough units where the order can take them.
    #[error("{0}")]
    OutOfStock(ShortOfStock),
    /// The order's case was undone already (a release ran first): nothing is taken.
    #[error("the picking case of order {0} was cancelled")]
    CaseUndone(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The timer's queue did not take its message, or the stock kept changing: worth a retry.
    #[error(transparent)]
    Unavailable(#[from] Unavailable),
}

impl From<StockError> for Failure<ReserveRefusal> {
    fn from(err: StockError) -> Self {
        match err {
            StockError::OutOfStock(short) => ReserveRefusal::OutOfStock(short).into(),
            StockError::CaseUndone(_) => ReserveRefusal::PickingCancelled(err.to_string()).into(),
            other => Failure::unavailable(other),
        }
    }
}

/// A release refuses nothing: whatever stops it is worth the saga's retry.
impl From<StockError> for Failure<NoRefusal> {
    fn from(err: StockError) -> Self {
        Failure::unavailable(err)
    }
}

impl From<StockError> for ConsumeError {
    fn from(err: StockError) -> Self {
        match err {
            StockError::Store(e) => ConsumeError::Store(e),
            other => ConsumeError::unavailable(other),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// No index was built yet (a fresh deployment before its first import).
    #[error("The catalog is being indexed, try again shortly")]
    NotReady,
    #[error("{0}")]
    QueryTooLong(String),
    #[error("{0}")]
    BadPage(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The index's artifact does not load or answer: logged, never shown.
    #[error("the search index: {0}")]
    Broken(String),
}

impl From<CatalogError> for vitrina_shared::ApiError {
    fn from(err: CatalogError) -> Self {
        use vitrina_shared::ApiError;
        match err {
            CatalogError::NotReady => ApiError::new(
                lambda_http::http::StatusCode::SERVICE_UNAVAILABLE,
                "index_not_ready",
                err.to_string(),
            ),
            CatalogError::QueryTooLong(why) => ApiError::bad_request("query_too_long", why),
            CatalogError::BadPage(why) => ApiError::bad_request("invalid_page", why),
            CatalogError::Store(e) => e.into(),
            CatalogError::Broken(_) => ApiError::internal(err),
        }
    }
}
