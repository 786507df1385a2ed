//! `POST /api/gift-cards/activate` (S8 "Активация подарочной карты") and `GET /api/gift-cards`.
//! Wrong codes are counted per client: after 5 in 15 minutes activation answers 429, so codes
//! cannot be guessed by trying.

use crate::{
    billing::CallError,
    domain::{activation::entered_code, guessing},
    Payment,
};
use lambda_http::{http::StatusCode, Body, Request, Response};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, parse_json, Caller},
    keys,
    money::format_rub,
    table, ApiError,
};

#[derive(Deserialize)]
struct ActivateRequest {
    code: Option<String>,
}

fn with_formatted(mut card: Value) -> Value {
    let balance = card["balance"].as_i64().unwrap_or(0);
    card["formatted"] = format_rub(balance).into();
    card
}

pub async fn activate(payment: Arc<Payment>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let body: ActivateRequest = parse_json(&req)?;
    let code = entered_code(body.code.as_deref())
        .ok_or_else(|| ApiError::bad_request("missing_code", "Enter the gift card's code"))?;
    let window = guessing::Window::at(chrono::Utc::now().timestamp());
    let counter = keys::payment::gift_failures(&caller.user_id, window.index);
    let failures = table::failures(&payment.db, &payment.table, counter.clone())
        .await
        .map_err(ApiError::internal)?;
    if !guessing::may_try(failures) {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_codes",
            "Too many wrong codes, try again in 15 minutes",
        ));
    }
    match payment.billing.activate(&caller.user_id, &code).await {
        Ok(card) => Ok(ok(&with_formatted(card))),
        Err(CallError::Refused(kind)) if kind == "GiftCardTaken" => Err(ApiError::conflict(
            "gift_card_taken",
            "This gift card was activated by another client",
        )),
        Err(CallError::Refused(_)) => {
            table::add_failure(&payment.db, &payment.table, counter, window.ends_at)
                .await
                .map_err(ApiError::internal)?;
            Err(ApiError::not_found(
                "gift_card_not_found",
                "No gift card has this code",
            ))
        }
        Err(CallError::Unavailable(e)) => Err(ApiError::internal(e)),
    }
}

pub async fn list(payment: Arc<Payment>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let mut out = payment
        .billing
        .cards_of(&caller.user_id)
        .await
        .map_err(|e| ApiError::internal(format!("{e:?}")))?;
    let cards: Vec<Value> = out["giftCards"]
        .as_array_mut()
        .map(std::mem::take)
        .unwrap_or_default()
        .into_iter()
        .map(with_formatted)
        .collect();
    Ok(ok(&json!({ "giftCards": cards })))
}
