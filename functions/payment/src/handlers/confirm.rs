//! `POST /api/payments/{id}/confirm`: «Оплатить» — takes the money of a payment whose payer's
//! part is done. Pressed twice, or in two tabs, it takes the money once.

use super::{payment_id, PaymentView};
use crate::{flow::payments::confirm, Payments};
use lambda_http::{Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, Caller},
    openapi::{ErrorBody, Guarded},
    ApiError,
};

#[utoipa::path(
    post,
    path = "/api/payments/{id}/confirm",
    operation_id = "payment-confirm",
    tag = "payment",
    summary = "«Оплатить»: списать деньги",
    security(("sessionId" = [])),
    params(("id" = String, Path, description = "The payment's id (a UUID)")),
    responses(
        (status = 200, description = "The payment: `paid`, or `failed` with its `failure` (a card the bank declined)", body = PaymentView),
        (status = 404, body = ErrorBody, description = "`payment_not_found`, `order_not_found`, `card_not_found` (the gift card is not this client's)"),
        (status = 409, body = ErrorBody, description = "`payment_not_confirmable` (details: status, failure), `payment_in_progress` (details: status), `order_not_payable`, `order_already_paid`, `insufficient_funds`"),
        (status = 503, body = ErrorBody, description = "`payment_unavailable`: the bank or billing did not answer — pressing again never takes the money twice; `unavailable`"),
        Guarded,
    )
)]
pub async fn handle(p: Arc<Payments>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let payment = confirm(&p, &caller.user_id, &payment_id(&req)?).await?;
    Ok(ok(&PaymentView::from(payment)))
}
