//! `DELETE /api/cart/items/{productId}`: a line out of the cart (the web client asks the
//! client to confirm first).

use super::product_in_path;
use crate::{domain::cart::CartView, flow::cart, Orders};
use lambda_http::{Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, Caller},
    openapi::{ErrorBody, Guarded, Unavailable},
    ApiError,
};

#[utoipa::path(
    delete,
    path = "/api/cart/items/{productId}",
    operation_id = "cart-item-delete",
    tag = "order",
    summary = "Удалить из корзины",
    security(("sessionId" = [])),
    params(("productId" = String, Path, description = "The line's product (`p-000123`)")),
    responses(
        (status = 200, description = "The cart without the line", body = CartView),
        (status = 404, body = ErrorBody, description = "`not_in_cart`"),
        (status = 409, body = ErrorBody, description = "`cart_busy` (changed at the same moment: send it again)"),
        Guarded, Unavailable,
    )
)]
pub async fn handle(orders: Arc<Orders>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let product_id = product_in_path(&req)?;
    let order = cart::update(&orders, &caller.user_id, false, |o| o.remove(&product_id)).await?;
    Ok(ok(&cart::view(&orders, &order).await?))
}
