//! `PATCH /api/cart/items/{productId}`: a line's quantity.

use super::product_in_path;
use crate::{
    domain::{cart::CartView, check_quantity, CartError},
    flow::{cart, OrderError},
    Orders,
};
use lambda_http::{Body, Request, Response};
use serde::Deserialize;
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, parse_json, Caller},
    openapi::{BodyRefused, ErrorBody, Guarded, Unavailable},
    ApiError,
};

#[derive(Deserialize, utoipa::ToSchema)]
struct SetQuantity {
    #[schema(required = true, value_type = i64, minimum = 1, maximum = 99)]
    quantity: Option<i64>,
}

#[utoipa::path(
    patch,
    path = "/api/cart/items/{productId}",
    operation_id = "cart-item-patch",
    tag = "order",
    summary = "Изменить количество",
    security(("sessionId" = [])),
    params(("productId" = String, Path, description = "The line's product (`p-000123`)")),
    request_body = SetQuantity,
    responses(
        (status = 200, description = "The cart", body = CartView),
        (status = 400, body = ErrorBody, description = "`invalid_quantity` (1 to 99); `body_required`, `invalid_json`"),
        (status = 404, body = ErrorBody, description = "`not_in_cart`"),
        (status = 409, body = ErrorBody, description = "`quantity_too_high`, `cart_busy` (changed at the same moment: send it again)"),
        BodyRefused, Guarded, Unavailable,
    )
)]
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
