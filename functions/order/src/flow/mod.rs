//! order's workflows — the service layer between the handlers (parse, call, map) and the
//! table, store, delivery, payment and orchestra: the cart (`cart`), "Оплатить заказ" and
//! "Вернуться к редактированию заказа" (`placing`), a purchase form's order (`purchases`), the
//! client's cancellation of a paid order (`cancelling`), and what payment and the saga tell
//! order (`payments`). Each answers [`OrderError`], made once into each entry point's error
//! (`From` into `ApiError`, `ConsumeError` and the contracts' `Failure`s).

pub mod cancelling;
pub mod cart;
pub mod payments;
pub mod placing;
pub mod purchases;

use crate::domain::{placed::PlaceError, purchase::Invalid, CartError};
use lambda_http::http::StatusCode;
use serde_json::json;
use vitrina_shared::{
    contracts::{
        delivery::ChooseRefusal,
        order::{PayableRefusal, StatusRefusal},
        Failure,
    },
    ApiError, ConsumeError, StoreError, Unavailable,
};

#[derive(Debug, thiserror::Error)]
pub enum OrderError {
    /// A change of the cart its rules refuse (a quantity, a full cart, a line not in it).
    #[error(transparent)]
    Cart(#[from] CartError),
    /// The cart cannot become an order to pay (empty, no delivery, unavailable products).
    #[error(transparent)]
    Place(#[from] PlaceError),
    /// A purchase form's field.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// delivery refused the client's choice.
    #[error(transparent)]
    Delivery(#[from] ChooseRefusal),
    #[error("productId must name a product")]
    InvalidProduct,
    #[error("Product not found")]
    ProductNotFound,
    #[error("The cart is empty")]
    CartEmpty,
    /// The cart kept changing under the write (other tabs), or changed between read and write.
    #[error("{0}")]
    CartBusy(&'static str),
    #[error("Order not found")]
    OrderNotFound,
    #[error("{0}")]
    NotEditable(&'static str),
    #[error("{0}")]
    NotCancellable(&'static str),
    #[error("The order's payment is being taken: cancel it in a moment")]
    PaymentInProgress,
    /// Units another order took first: the products' names for the client, their ids for the
    /// web client's marks.
    #[error("Not enough in stock now: {}", .names.join(", "))]
    OutOfStock {
        names: Vec<String>,
        ids: Vec<String>,
    },
    #[error("This Idempotency-Key was used for another order")]
    IdempotencyKeyReused,
    #[error("no order {0}")]
    NoSuchOrder(String),
    /// The saga or delivery reported a status the order cannot take from where it is.
    #[error("{0}")]
    StatusNotAllowed(String),
    #[error("the order is {0}")]
    NotPayable(vitrina_shared::contracts::order::OrderStatus),
    /// What must never happen and only an operator can mend (a second payment that
    /// succeeded, a refund refused): the message ends in the DLQ, where an alarm sees it.
    #[error("{0}")]
    Inconsistent(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Unavailable(#[from] Unavailable),
}

impl From<OrderError> for ApiError {
    fn from(err: OrderError) -> Self {
        use OrderError as E;
        let message = err.to_string();
        match err {
            E::Cart(e) => {
                let status = match e {
                    CartError::NotInCart => StatusCode::NOT_FOUND,
                    CartError::BadQuantity => StatusCode::BAD_REQUEST,
                    CartError::TooManyLines
                    | CartError::QuantityTooHigh
                    | CartError::Unavailable => StatusCode::CONFLICT,
                };
                ApiError::new(status, e.code(), message)
            }
            E::Place(e) => ApiError::conflict(e.code(), e.message()),
            E::Invalid(e) => {
                ApiError::bad_request(e.code, e.message).with_details(json!({ "field": e.field }))
            }
            E::Delivery(refusal) => {
                let (status, code) = match &refusal {
                    ChooseRefusal::InvalidChoice(_) => {
                        (StatusCode::BAD_REQUEST, "invalid_delivery")
                    }
                    ChooseRefusal::QuoteNotFound(_) => (StatusCode::CONFLICT, "quote_not_found"),
                    ChooseRefusal::QuoteExpired(_) => (StatusCode::CONFLICT, "quote_expired"),
                    ChooseRefusal::SlotTaken(_) => (StatusCode::CONFLICT, "slot_taken"),
                    ChooseRefusal::CourierRefused(_) => (StatusCode::CONFLICT, "courier_refused"),
                    ChooseRefusal::CourierUnavailable(_) => {
                        (StatusCode::SERVICE_UNAVAILABLE, "courier_unavailable")
                    }
                };
                ApiError::new(status, code, refusal.to_string())
            }
            E::InvalidProduct => ApiError::bad_request("invalid_product", message),
            E::ProductNotFound => ApiError::not_found("product_not_found", message),
            E::CartEmpty => ApiError::conflict("cart_empty", message),
            E::CartBusy(_) => ApiError::conflict("cart_busy", message),
            E::OrderNotFound | E::NoSuchOrder(_) => {
                ApiError::not_found("order_not_found", "Order not found")
            }
            E::NotEditable(_) => ApiError::conflict("order_not_editable", message),
            E::NotCancellable(_) => ApiError::conflict("order_not_cancellable", message),
            E::PaymentInProgress => ApiError::conflict("payment_in_progress", message),
            E::OutOfStock { names, ids } => ApiError::conflict("out_of_stock", message)
                .with_details(json!({ "products": names.join(", "), "productIds": ids })),
            E::IdempotencyKeyReused => ApiError::conflict("idempotency_key_reused", message),
            E::NotPayable(_) => ApiError::conflict("order_not_payable", message),
            E::StatusNotAllowed(_) | E::Inconsistent(_) => ApiError::internal(message),
            E::Store(e) => e.into(),
            E::Unavailable(e) => e.into(),
        }
    }
}

/// For the payment outcomes' consumer: what only an operator can mend goes to the DLQ at once;
/// anything else is tried again.
impl From<OrderError> for ConsumeError {
    fn from(err: OrderError) -> Self {
        match err {
            OrderError::Store(e) => ConsumeError::Store(e),
            OrderError::Unavailable(e) => e.into(),
            other => ConsumeError::Malformed(other.to_string()),
        }
    }
}

impl From<OrderError> for Failure<StatusRefusal> {
    fn from(err: OrderError) -> Self {
        let message = err.to_string();
        match err {
            OrderError::NoSuchOrder(_) => StatusRefusal::OrderNotFound(message).into(),
            OrderError::StatusNotAllowed(_) => StatusRefusal::StatusNotAllowed(message).into(),
            OrderError::Store(e) => e.into(),
            other => Failure::unavailable(other),
        }
    }
}

impl From<OrderError> for Failure<PayableRefusal> {
    fn from(err: OrderError) -> Self {
        let message = err.to_string();
        match err {
            OrderError::NoSuchOrder(_) => PayableRefusal::OrderNotFound(message).into(),
            OrderError::NotPayable(_) => PayableRefusal::OrderNotPayable(message).into(),
            OrderError::Store(e) => e.into(),
            other => Failure::unavailable(other),
        }
    }
}

pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339()
}
