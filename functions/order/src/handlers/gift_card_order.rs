//! `POST /api/gift-card-orders` — "Купить подарочную карту": the form's «Оплатить» makes an
//! order to pay like any other. 201 with the order; 400 naming the field that is wrong.

use super::{idempotency_key, PlacedView};
use crate::{domain::purchase::GiftCardForm, flow::purchases, Orders};
use lambda_http::{http::StatusCode, Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::{json, parse_json, Caller},
    openapi::{BodyRefused, ErrorBody, Guarded, Unavailable},
    ApiError,
};

#[utoipa::path(
    post,
    path = "/api/gift-card-orders",
    operation_id = "gift-card-order",
    tag = "order",
    summary = "Купить подарочную карту",
    security(("sessionId" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "8 to 64 characters: the same form sent again finds the order it made")),
    request_body = GiftCardForm,
    responses(
        (status = 201, description = "An order of the card, to pay like any other", body = PlacedView),
        (status = 400, body = ErrorBody, description = "`invalid_recipient_name`, `invalid_email`, `invalid_amount`, `invalid_design` (details: field); `invalid_idempotency_key`; `body_required`, `invalid_json`"),
        (status = 409, body = ErrorBody, description = "`idempotency_key_reused` (the key made another order)"),
        BodyRefused, Guarded, Unavailable,
    )
)]
pub async fn handle(orders: Arc<Orders>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let form: GiftCardForm = parse_json(&req)?;
    let order_id = purchases::order_id(&caller.user_id, idempotency_key(&req)?);
    let order = purchases::place(
        &orders,
        &caller.user_id,
        &order_id,
        &form,
        GiftCardForm::order,
    )
    .await?;
    Ok(json(StatusCode::CREATED, &PlacedView::from(&order)))
}
