//! `POST /api/cart/items`: a product into the cart (201 when this made the cart). The answer
//! is the whole cart re-checked, as `GET /api/cart` shows it.

use crate::{domain::cart::CartView, flow::cart, Orders};
use lambda_http::{http::StatusCode, Body, Request, Response};
use serde::Deserialize;
use std::sync::Arc;
use vitrina_shared::{
    http::{json, parse_json, Caller},
    openapi::{BodyRefused, ErrorBody, Guarded, Unavailable},
    ApiError,
};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct AddItem {
    /// A product of the catalog (`p-000123`).
    #[schema(required = true, value_type = String, pattern = "^[A-Za-z0-9_-]{1,64}$")]
    product_id: Option<String>,
    /// 1 when not given.
    #[schema(minimum = 1, maximum = 99)]
    quantity: Option<i64>,
}

#[utoipa::path(
    post,
    path = "/api/cart/items",
    operation_id = "cart-add",
    tag = "order",
    summary = "Добавить в корзину",
    security(("sessionId" = [])),
    request_body = AddItem,
    responses(
        (status = 200, description = "The cart, re-checked, with the product in it", body = CartView),
        (status = 201, description = "The same, when this made the cart", body = CartView),
        (status = 400, body = ErrorBody, description = "`invalid_product`, `invalid_quantity` (1 to 99); `body_required`, `invalid_json`"),
        (status = 404, body = ErrorBody, description = "`product_not_found`"),
        (status = 409, body = ErrorBody, description = "`quantity_too_high`, `cart_full`, `product_unavailable`, `cart_busy` (changed at the same moment: send it again)"),
        BodyRefused, Guarded, Unavailable,
    )
)]
pub async fn handle(orders: Arc<Orders>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let body: AddItem = parse_json(&req)?;
    let quantity = body.quantity.unwrap_or(1);
    let (view, created) = cart::add(
        &orders,
        &caller.user_id,
        body.product_id.as_deref(),
        quantity,
    )
    .await?;
    let status = match created {
        true => StatusCode::CREATED,
        false => StatusCode::OK,
    };
    Ok(json(status, &view))
}
