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
    openapi::{BodyRefused, ErrorBody, Guarded},
    ApiError,
};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct NewPayment {
    /// The client's order to pay (its total is the amount).
    #[schema(required = true, value_type = String, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    order_id: Option<String>,
    /// `card`, `saved_card`, `sbp`, `wallet` or `gift_card`.
    #[schema(required = true, value_type = Method)]
    method: Option<String>,
    /// `card`: ask the bank to keep the card for the next payments.
    #[serde(default)]
    save_card: bool,
    /// For `saved_card`: one of the client's saved cards; for `gift_card`: an activated one.
    #[serde(default)]
    card_id: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/payments",
    operation_id = "payment-create",
    tag = "payment",
    summary = "Оплата заказа: выбранным способом",
    security(("sessionId" = [])),
    params(("Idempotency-Key" = String, Header, description = "8 to 64 characters, one per press of «Оплатить»: a retry with it finds the same payment")),
    request_body = NewPayment,
    responses(
        (status = 201, description = "The payment: a card's waits for the payer at `redirectUrl`, SBP's at `qrLink`; a wallet's or gift card's is `ready` for «Оплатить»", body = PaymentView),
        (status = 400, body = ErrorBody, description = "`missing_idempotency_key`, `invalid_order`, `invalid_method`, `invalid_card`; `body_required`, `invalid_json`"),
        (status = 404, body = ErrorBody, description = "`order_not_found`, `card_not_found` (no such saved card, or no such activated gift card of this client)"),
        (status = 409, body = ErrorBody, description = "`order_not_payable`, `method_not_allowed` (a gift card for a gift card, a top-up by anything but a card or SBP), `idempotency_key_reused` (the key was used for another order)"),
        (status = 503, body = ErrorBody, description = "`payment_unavailable`: the bank or billing did not answer — the same request (the same key) never pays twice; `unavailable`"),
        BodyRefused, Guarded,
    )
)]
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
    let body: NewPayment = parse_json(&req)?;
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
