//! `POST /api/gift-cards/activate` (S8 "Активация подарочной карты"). Wrong codes are counted
//! per client: after 5 in 15 minutes activation answers 429, so codes cannot be guessed by
//! trying.

use super::CardView;
use crate::{
    domain::{activation::entered_code, guessing},
    GiftCards,
};
use lambda_http::{http::StatusCode, Body, Request, Response};
use serde::Deserialize;
use std::sync::Arc;
use vitrina_shared::{
    contracts::{
        billing::{ActivateRefusal, ActivateRequest},
        CallError,
    },
    http::{ok, parse_json, Caller},
    openapi::{BodyRefused, ErrorBody, Guarded, Unavailable},
    ApiError,
};

#[derive(Deserialize, utoipa::ToSchema)]
struct GiftCardCode {
    /// The code from the card (spaces and dashes are ignored).
    #[schema(required = true, value_type = String)]
    code: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/gift-cards/activate",
    operation_id = "gift-card-activate",
    tag = "payment",
    summary = "Активация подарочной карты",
    security(("sessionId" = [])),
    request_body = GiftCardCode,
    responses(
        (status = 200, description = "The card, now the client's (activating it again answers it again)", body = CardView),
        (status = 400, body = ErrorBody, description = "`missing_code`; `body_required`, `invalid_json`"),
        (status = 404, body = ErrorBody, description = "`gift_card_not_found`: no card has this code (counted)"),
        (status = 409, body = ErrorBody, description = "`gift_card_taken`: another client activated it"),
        (status = 429, body = ErrorBody, description = "`too_many_codes`: 5 wrong codes in 15 minutes"),
        BodyRefused, Guarded, Unavailable,
    )
)]
pub async fn handle(payment: Arc<GiftCards>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let body: GiftCardCode = parse_json(&req)?;
    let code = entered_code(body.code.as_deref())
        .ok_or_else(|| ApiError::bad_request("missing_code", "Enter the gift card's code"))?;
    let window = guessing::Window::at(chrono::Utc::now().timestamp());
    // Counted before the code is checked (given back unless it is wrong): parallel guesses
    // cannot all find room under the limit.
    if !payment.store.take_code_try(&caller.user_id, window).await? {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_codes",
            "Too many wrong codes, try again in 15 minutes",
        ));
    }
    let request = ActivateRequest {
        user_id: caller.user_id.clone(),
        code,
    };
    let outcome = payment.billing.activate.call(&request).await;
    if !matches!(
        outcome,
        Err(CallError::Refused(ActivateRefusal::GiftCardNotFound(_)))
    ) {
        payment
            .store
            .give_back_code_try(&caller.user_id, window)
            .await?;
    }
    match outcome {
        Ok(card) => Ok(ok(&CardView::from(card))),
        Err(CallError::Refused(ActivateRefusal::GiftCardTaken(_))) => Err(ApiError::conflict(
            "gift_card_taken",
            "This gift card was activated by another client",
        )),
        Err(CallError::Refused(ActivateRefusal::GiftCardNotFound(_))) => Err(ApiError::not_found(
            "gift_card_not_found",
            "No gift card has this code",
        )),
        Err(CallError::Unavailable(e)) => Err(ApiError::unavailable(e)),
    }
}
