//! payment's workflows — the service layer between the handlers (parse, call, map) and the
//! store, the bank and billing: paying for an order (`payments`), giving money back
//! (`refunds`) and the timer's look at a payment whose client vanished (`timer`). Every step
//! answers with [`PaymentError`]; each kind of entry point maps it once (`From` into
//! `ApiError`, `ConsumeError`, the refund contract's `Failure`).

pub mod payments;
pub mod refunds;
pub mod timer;

use crate::domain::payment::Status;
use lambda_http::http::StatusCode;
use serde_json::json;
use vitrina_shared::{
    contracts::{
        order::OrderKind,
        payment::{PaymentFailure, RefundRefusal},
        Failure,
    },
    ApiError, ConsumeError, StoreError, Unavailable,
};

#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    #[error("payment not found")]
    PaymentNotFound,
    /// The saved card named for a payment is not one of the client's.
    #[error("no such saved card")]
    SavedCardNotFound,
    /// The gift card paying is not an activated card of this client.
    #[error("no such activated gift card of this client")]
    GiftCardNotFound,
    #[error("order not found")]
    OrderNotFound,
    #[error("the order cannot be paid: {0}")]
    OrderNotPayable(String),
    #[error("a {0:?} order is not paid this way")]
    MethodNotAllowed(OrderKind),
    #[error("this Idempotency-Key was used for another order")]
    IdempotencyKeyReused,
    /// «Оплатить» on a payment that is not authorised or is over.
    #[error("the payment is {status:?}: it cannot be confirmed")]
    NotConfirmable {
        status: Status,
        failure: Option<PaymentFailure>,
    },
    /// Another «Оплатить» of this payment is taking the money.
    #[error("the payment is being confirmed elsewhere ({0:?})")]
    InProgress(Status),
    #[error("the order is paid by another payment")]
    OrderAlreadyPaid,
    #[error("the wallet or gift card holds less than the order's total")]
    InsufficientFunds,
    /// Only a payment that took money is given back.
    #[error("the payment is {0:?}: it took no money")]
    NotRefundable(Status),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The bank, billing, order or a queue did not answer: worth the same request again.
    #[error(transparent)]
    Unavailable(#[from] Unavailable),
    /// What this code never does (a paid bank payment without the bank's id): a bug.
    #[error("{0}")]
    Bug(String),
}

impl From<PaymentError> for ApiError {
    fn from(err: PaymentError) -> Self {
        use PaymentError as E;
        match err {
            E::PaymentNotFound => ApiError::not_found("payment_not_found", "Payment not found"),
            E::SavedCardNotFound => ApiError::not_found("card_not_found", "No such saved card"),
            E::GiftCardNotFound => ApiError::not_found(
                "card_not_found",
                "No such activated gift card of this client",
            ),
            E::OrderNotFound => ApiError::not_found("order_not_found", "Order not found"),
            E::OrderNotPayable(why) => ApiError::conflict("order_not_payable", why),
            E::MethodNotAllowed(kind) => ApiError::conflict(
                "method_not_allowed",
                match kind {
                    OrderKind::WalletTopUp => "The wallet is topped up by a bank card or SBP",
                    _ => "A gift card cannot pay for a gift card",
                },
            ),
            E::IdempotencyKeyReused => ApiError::conflict(
                "idempotency_key_reused",
                "This Idempotency-Key was used for another order",
            ),
            E::NotConfirmable { status, failure } => ApiError::conflict(
                "payment_not_confirmable",
                "This payment cannot be confirmed: it is not authorised, or it is over",
            )
            .with_details(json!({ "status": status, "failure": failure })),
            E::InProgress(status) => ApiError::conflict(
                "payment_in_progress",
                "This payment is being confirmed elsewhere: look at it again in a moment",
            )
            .with_details(json!({ "status": status })),
            E::OrderAlreadyPaid => {
                ApiError::conflict("order_already_paid", "The order is paid by another payment")
            }
            E::InsufficientFunds => ApiError::conflict(
                "insufficient_funds",
                "The wallet or gift card holds less than the order's total",
            ),
            E::NotRefundable(_) | E::Bug(_) => ApiError::internal(err),
            E::Store(e) => e.into(),
            // Its own code: the web client tells the payer that trying again never pays twice.
            E::Unavailable(e) => {
                tracing::error!(error = %e, "payment could not reach a party");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "payment_unavailable",
                    "The payment could not be completed now; try again with the same request",
                )
            }
        }
    }
}

/// For the timer: a payment that is not there is a message that can never be handled; anything
/// else is tried again (the look is idempotent).
impl From<PaymentError> for ConsumeError {
    fn from(err: PaymentError) -> Self {
        match err {
            PaymentError::PaymentNotFound | PaymentError::Bug(_) => {
                ConsumeError::Malformed(err.to_string())
            }
            PaymentError::Store(e) => ConsumeError::Store(e),
            other => ConsumeError::unavailable(other),
        }
    }
}

/// For `payment-refund`: the saga's compensation retries everything but the two refusals.
impl From<PaymentError> for Failure<RefundRefusal> {
    fn from(err: PaymentError) -> Self {
        match err {
            PaymentError::PaymentNotFound => {
                RefundRefusal::PaymentNotFound("no such payment".into()).into()
            }
            PaymentError::NotRefundable(_) => {
                RefundRefusal::PaymentNotRefundable(err.to_string()).into()
            }
            other => Failure::unavailable(other),
        }
    }
}

pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339()
}
