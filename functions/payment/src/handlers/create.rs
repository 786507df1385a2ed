//! `POST /api/payments` (S6 "Оплата заказа"): starts a payment of the client's order by the
//! method chosen; the amount comes from the order. The `Idempotency-Key` header makes a double
//! click or a retry find the same payment.

use super::PaymentView;
use crate::{
    domain::payment::Method,
    flow::payments::{start, StartPayment},
    TimedPayments,
};
use lambda_http::{http::StatusCode, Body, Request, Response};
use serde::Deserialize;
use std::sync::Arc;
use vitrina_shared::{
    http::{json, parse_json, Caller},
    ApiError,
};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateBody {
    order_id: Option<String>,
    method: Option<String>,
    #[serde(default)]
    save_card: bool,
    /// For `saved_card`: one of the client's saved cards; for `gift_card`: an activated one.
    #[serde(default)]
    card_id: Option<String>,
}

pub async fn handle(t: Arc<TimedPayments>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let request_key = req
        .headers()
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| (8..=64).contains(&k.len()))
        .ok_or_else(|| {
            ApiError::bad_request(
                "missing_idempotency_key",
                "The Idempotency-Key header (8 to 64 characters) is required",
            )
        })?
        .to_string();
    let body: CreateBody = parse_json(&req)?;
    let order_id = body
        .order_id
        .filter(|id| !id.is_empty() && id.len() <= 64)
        .ok_or_else(|| ApiError::bad_request("invalid_order", "orderId is required"))?;
    let method = body
        .method
        .as_deref()
        .and_then(|m| m.parse::<Method>().ok())
        .ok_or_else(|| {
            ApiError::bad_request(
                "invalid_method",
                "method: card, saved_card, sbp, wallet or gift_card",
            )
        })?;
    let card_id = match method {
        Method::GiftCard => Some(
            body.card_id
                .filter(|id| !id.is_empty() && id.len() <= 64)
                .ok_or_else(|| ApiError::bad_request("invalid_card", "cardId is required"))?,
        ),
        _ => body.card_id,
    };
    let payment = start(
        &t,
        StartPayment {
            user_id: caller.user_id,
            order_id,
            method,
            save_card: body.save_card,
            card_id,
            request_key,
        },
    )
    .await?;
    Ok(json(StatusCode::CREATED, &PaymentView::from(payment)))
}
