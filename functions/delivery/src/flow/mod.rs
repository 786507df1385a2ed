//! delivery's workflows — the service layer between the handlers (parse, call, map) and the
//! table and the courier companies: a price and a choice at checkout (`choice`), the paid
//! order's case opened, cancelled and moved (`cases`), and an own-courier window's places
//! (`slots`). Every step answers [`DeliveryError`]; each entry point's error is made from it
//! once (`From` into `ApiError` and each contract's `Failure`).

pub mod cases;
pub mod choice;
pub mod slots;

use crate::domain::QuoteError;
use vitrina_shared::{
    contracts::{
        delivery::{CancelCaseRefusal, ChooseRefusal, MoveCaseRefusal, OpenCaseRefusal},
        Failure,
    },
    ApiError, StoreError, Unavailable,
};

/// Each message is for whoever asked: the client (through order) for a choice, the saga or an
/// operator for a case.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// The address or courier of a price request.
    #[error(transparent)]
    Quote(#[from] QuoteError),
    /// No such method or pickup point, or the method's own field is missing.
    #[error("{0}")]
    InvalidChoice(&'static str),
    #[error("No such quote for this client")]
    QuoteNotFound,
    #[error("The quote has expired; ask for a new one")]
    QuoteExpired,
    #[error("Every place in this delivery window is taken; choose another")]
    SlotTaken,
    /// The courier company's API refused the pre-booking (its own words).
    #[error("{0}")]
    CourierRefused(String),
    #[error("The courier company does not answer; try again")]
    CourierUnavailable,
    /// The paid order's delivery is not one the shop can carry out (any more).
    #[error("{0}")]
    NotPossible(String),
    #[error("the delivery case of order {0} was cancelled")]
    CaseCancelled(String),
    #[error("the delivery case of order {order_id} is {status}: the goods are on their way")]
    Underway {
        order_id: String,
        status: crate::domain::case::DeliveryStatus,
    },
    #[error("no delivery case of order {0}")]
    CaseNotFound(String),
    #[error("{0}")]
    MoveNotAllowed(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The courier API, order or a queue did not answer, or the case kept changing: worth the
    /// same request again.
    #[error(transparent)]
    Unavailable(#[from] Unavailable),
}

impl DeliveryError {
    pub(crate) fn unavailable(cause: impl std::fmt::Display) -> Self {
        Self::Unavailable(Unavailable::new(cause))
    }
}

/// `POST /api/delivery/quote`: the only HTTP entry with a workflow.
impl From<DeliveryError> for ApiError {
    fn from(err: DeliveryError) -> Self {
        match err {
            DeliveryError::Quote(e) => {
                let error = ApiError::bad_request(e.code(), e.to_string());
                match e.details() {
                    Some(details) => error.with_details(details),
                    None => error,
                }
            }
            DeliveryError::Store(e) => e.into(),
            DeliveryError::Unavailable(e) => e.into(),
            other => ApiError::internal(other),
        }
    }
}

impl From<DeliveryError> for Failure<ChooseRefusal> {
    fn from(err: DeliveryError) -> Self {
        let message = err.to_string();
        match err {
            DeliveryError::InvalidChoice(_) => ChooseRefusal::InvalidChoice(message).into(),
            DeliveryError::QuoteNotFound => ChooseRefusal::QuoteNotFound(message).into(),
            DeliveryError::QuoteExpired => ChooseRefusal::QuoteExpired(message).into(),
            DeliveryError::SlotTaken => ChooseRefusal::SlotTaken(message).into(),
            DeliveryError::CourierRefused(_) => ChooseRefusal::CourierRefused(message).into(),
            DeliveryError::CourierUnavailable => ChooseRefusal::CourierUnavailable(message).into(),
            other => Failure::unavailable(other),
        }
    }
}

impl From<DeliveryError> for Failure<OpenCaseRefusal> {
    fn from(err: DeliveryError) -> Self {
        let message = err.to_string();
        match err {
            DeliveryError::NotPossible(_) => OpenCaseRefusal::DeliveryNotPossible(message).into(),
            DeliveryError::CaseCancelled(_) => OpenCaseRefusal::CaseCancelled(message).into(),
            other => Failure::unavailable(other),
        }
    }
}

impl From<DeliveryError> for Failure<CancelCaseRefusal> {
    fn from(err: DeliveryError) -> Self {
        match err {
            DeliveryError::Underway { .. } => {
                CancelCaseRefusal::DeliveryUnderway(err.to_string()).into()
            }
            other => Failure::unavailable(other),
        }
    }
}

impl From<DeliveryError> for Failure<MoveCaseRefusal> {
    fn from(err: DeliveryError) -> Self {
        let message = err.to_string();
        match err {
            DeliveryError::CaseNotFound(_) => MoveCaseRefusal::CaseNotFound(message).into(),
            DeliveryError::MoveNotAllowed(_) => MoveCaseRefusal::MoveNotAllowed(message).into(),
            other => Failure::unavailable(other),
        }
    }
}
