//! `POST /api/top-up-orders` — "Пополнить баланс кошелька": the amount makes an order to pay
//! like any other. 201 with the order; 400 naming the field that is wrong.

use super::{idempotency_key, PlacedView};
use crate::{domain::purchase::TopUpForm, flow::purchases, Orders};
use lambda_http::{http::StatusCode, Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::{json, parse_json, Caller},
    openapi::{BodyRefused, ErrorBody, Guarded, Unavailable},
    ApiError,
};

#[utoipa::path(
    post,
    path = "/api/top-up-orders",
    operation_id = "top-up-order",
    tag = "order",
    summary = "Пополнить кошелёк",
    security(("sessionId" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "8 to 64 characters: the same form sent again finds the order it made")),
    request_body = TopUpForm,
    responses(
        (status = 201, description = "An order of the top-up, to pay by a card or SBP", body = PlacedView),
        (status = 400, body = ErrorBody, description = "`invalid_amount` (details: field); `invalid_idempotency_key`; `body_required`, `invalid_json`"),
        (status = 409, body = ErrorBody, description = "`idempotency_key_reused` (the key made another order)"),
        BodyRefused, Guarded, Unavailable,
    )
)]
pub async fn handle(orders: Arc<Orders>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let form: TopUpForm = parse_json(&req)?;
    let order_id = purchases::order_id(&caller.user_id, idempotency_key(&req)?);
    let order =
        purchases::place(&orders, &caller.user_id, &order_id, &form, TopUpForm::order).await?;
    Ok(json(StatusCode::CREATED, &PlacedView::from(&order)))
}
