//! `POST /api/orders` — "Оплатить заказ": the cart becomes an order awaiting payment (201); a
//! second press finds the order the first one placed (200).

use super::PlacedView;
use crate::{flow::placing, Placing};
use lambda_http::{http::StatusCode, Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::{json, Caller},
    openapi::{ErrorBody, Guarded, Unavailable},
    ApiError,
};

#[utoipa::path(
    post,
    path = "/api/orders",
    operation_id = "order-place",
    tag = "order",
    summary = "Оформить заказ (перейти к оплате)",
    security(("sessionId" = [])),
    responses(
        (status = 200, description = "The order a first press placed", body = PlacedView),
        (status = 201, description = "The cart is now an order awaiting payment; its units are held in the stores", body = PlacedView),
        (status = 409, body = ErrorBody, description = "`cart_empty`, `delivery_not_chosen`, `cart_has_unavailable`, `out_of_stock` (details: products, productIds), `cart_busy` (changed at the same moment: send it again)"),
        Guarded, Unavailable,
    )
)]
pub async fn handle(placing: Arc<Placing>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let (order, placed_now) = placing::place(&placing, &caller.user_id).await?;
    let status = match placed_now {
        true => StatusCode::CREATED,
        false => StatusCode::OK,
    };
    Ok(json(status, &PlacedView::from(&order)))
}
