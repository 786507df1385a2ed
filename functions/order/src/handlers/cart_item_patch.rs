//! `PATCH /api/cart/items/{productId}`: a line's quantity.

use super::product_in_path;
use crate::{
    domain::{check_quantity, CartError},
    flow::{cart, OrderError},
    Orders,
};
use lambda_http::{Body, Request, Response};
use serde::Deserialize;
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, parse_json, Caller},
    ApiError,
};

#[derive(Deserialize)]
struct SetQuantity {
    quantity: Option<i64>,
}

pub async fn handle(orders: Arc<Orders>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let product_id = product_in_path(&req)?;
    let body: SetQuantity = parse_json(&req)?;
    let quantity = body
        .quantity
        .ok_or(CartError::BadQuantity)
        .and_then(check_quantity)
        .map_err(OrderError::from)?;
    let order = cart::update(&orders, &caller.user_id, false, |o| {
        o.set_quantity(&product_id, quantity)
    })
    .await?;
    Ok(ok(&cart::view(&orders, &order).await?))
}
