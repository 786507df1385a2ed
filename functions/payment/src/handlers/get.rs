//! `GET /api/payments/{id}`: the client's payment as the bank has it now (the page the bank
//! sends the payer back to follows it with this).

use super::{payment_id, PaymentView};
use crate::{flow::payments::of_client, Payments};
use lambda_http::{Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, Caller},
    openapi::{ErrorBody, Guarded, Unavailable},
    ApiError,
};

#[utoipa::path(
    get,
    path = "/api/payments/{id}",
    operation_id = "payment-get",
    tag = "payment",
    summary = "Платёж: как его видит банк сейчас",
    security(("sessionId" = [])),
    params(("id" = String, Path, description = "The payment's id (a UUID)")),
    responses(
        (status = 200, description = "The payment, settled with the bank's answer first", body = PaymentView),
        (status = 404, body = ErrorBody, description = "`payment_not_found` (not the caller's, or no such payment)"),
        Guarded, Unavailable,
    )
)]
pub async fn handle(p: Arc<Payments>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let payment = of_client(&p, &caller.user_id, &payment_id(&req)?).await?;
    Ok(ok(&PaymentView::from(payment)))
}
