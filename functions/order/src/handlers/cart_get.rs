//! `GET /api/cart`: the cart re-checked against the catalog now (an empty one when there is
//! none).

use crate::{domain::cart::CartView, flow::cart, Orders};
use lambda_http::{Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, Caller},
    openapi::{Guarded, Unavailable},
    ApiError,
};

#[utoipa::path(
    get,
    path = "/api/cart",
    operation_id = "cart-get",
    tag = "order",
    summary = "Корзина",
    security(("sessionId" = [])),
    responses(
        (status = 200, description = "The cart re-checked against the catalog now: today's prices, what can still be bought (an empty cart when there is none)", body = CartView),
        Guarded, Unavailable,
    )
)]
pub async fn handle(orders: Arc<Orders>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    Ok(ok(&cart::current(&orders, &caller.user_id).await?))
}
