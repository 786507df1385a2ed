//! `POST /api/gift-card-orders` — "Купить подарочную карту": the form's «Оплатить» makes an
//! order to pay like any other. 201 with the order; 400 naming the field that is wrong.

use super::{idempotency_key, PlacedView};
use crate::{domain::purchase::GiftCardForm, flow::purchases, Orders};
use lambda_http::{http::StatusCode, Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::{json, parse_json, Caller},
    ApiError,
};

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
