//! `POST /api/payments/webhook`: the bank's notification. Only the id of the bank's payment it
//! concerns is used; the payment (or its refund) is read again from the bank. Answered 200
//! unless the shop could not record what it learnt (then the bank sends it again).

use crate::{flow::payments::notified, Payments};
use lambda_http::{Body, Request, Response};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, parse_json},
    ApiError,
};

/// As much of YooKassa's notification as the shop reads.
#[derive(Deserialize)]
struct Notification {
    #[serde(default)]
    event: String,
    object: Option<NotifiedObject>,
}

#[derive(Deserialize)]
struct NotifiedObject {
    id: Option<String>,
    /// A refund's: the bank's payment it gives back.
    payment_id: Option<String>,
}

#[derive(Serialize)]
struct Received {}

pub async fn handle(p: Arc<Payments>, req: Request) -> Result<Response<Body>, ApiError> {
    let body: Notification = parse_json(&req)?;
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
