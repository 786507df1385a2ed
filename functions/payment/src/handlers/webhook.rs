//! `POST /api/payments/webhook`: the bank's notification. Only the id of the bank's payment it
//! concerns is used; the payment (or its refund) is read again from the bank. Answered 200
//! unless the shop could not record what it learnt (then the bank sends it again).

use crate::{flow::payments::notified, Payments};
use lambda_http::{Body, Request, Response};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, parse_json},
    openapi::{BodyRefused, ErrorBody},
    ApiError,
};

/// As much of YooKassa's notification as the shop reads.
#[derive(Deserialize, utoipa::ToSchema)]
struct BankNotification {
    /// `payment.succeeded`, `payment.waiting_for_capture`, `refund.succeeded`…
    #[serde(default)]
    event: String,
    object: Option<NotifiedObject>,
}

#[derive(Deserialize, utoipa::ToSchema)]
struct NotifiedObject {
    /// The bank's payment (or refund).
    id: Option<String>,
    /// A refund's: the bank's payment it gives back.
    payment_id: Option<String>,
}

/// Taken: the bank stops sending it.
#[derive(Serialize, utoipa::ToSchema)]
struct Received {}

#[utoipa::path(
    post,
    path = "/api/payments/webhook",
    operation_id = "payment-webhook",
    tag = "payment",
    summary = "Уведомление банка (YooKassa)",
    description = "Only the id of the bank's payment it concerns is read: the payment (or its refund) is then read again from the bank, so a forged notification moves nothing.",
    security(()),
    request_body = BankNotification,
    responses(
        (status = 200, description = "Recorded, or about a payment the shop does not know", body = Received),
        (status = 400, body = ErrorBody, description = "`invalid_notification`: it names no object; `body_required`, `invalid_json`"),
        (status = 503, body = ErrorBody, description = "`payment_unavailable`, `unavailable`: not recorded — the bank sends it again"),
        BodyRefused,
    )
)]
pub async fn handle(p: Arc<Payments>, req: Request) -> Result<Response<Body>, ApiError> {
    let body: BankNotification = parse_json(&req)?;
    let short = |id: &Option<String>| id.clone().filter(|id| id.len() <= 64);
    let object = body.object.as_ref();
    let Some(id) = object.and_then(|o| short(&o.id)) else {
        return Err(ApiError::bad_request(
            "invalid_notification",
            "A notification names its object",
        ));
    };
    if body.event.starts_with("refund.") {
        if let Some(bank_payment) = object.and_then(|o| short(&o.payment_id)) {
            notified(&p, &bank_payment, true).await?;
        }
    } else if body.event.starts_with("payment.") {
        notified(&p, &id, false).await?;
    }
    Ok(ok(&Received {}))
}
