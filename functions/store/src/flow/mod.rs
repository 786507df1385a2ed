//! store's workflows — the service layer between the handlers and the table: an order's units
//! put aside, reserved, given back (`stock`). Each answers [`StockError`], mapped once into each
//! entry point's error (the contracts' `Failure`, a consumer's `ConsumeError`).

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
