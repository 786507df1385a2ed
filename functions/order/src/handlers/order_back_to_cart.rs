//! `POST /api/orders/{id}/cart` — "Вернуться к редактированию заказа": an order not yet paid
//! goes back into the cart and its units back on the shelves; the answer is the cart.

use super::order_id_in_path;
use crate::{
    domain::cart::CartView,
    flow::{cart, placing},
    Placing,
};
use lambda_http::{Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, Caller},
    openapi::{ErrorBody, Guarded, Unavailable},
    ApiError,
};

#[utoipa::path(
    post,
    path = "/api/orders/{id}/cart",
    operation_id = "order-back-to-cart",
    tag = "order",
    summary = "Вернуться к редактированию заказа",
    security(("sessionId" = [])),
    params(("id" = String, Path, description = "The order's id (a UUID)")),
    responses(
        (status = 200, description = "The cart, with the order's lines merged into it", body = CartView),
        (status = 404, body = ErrorBody, description = "`order_not_found`"),
        (status = 409, body = ErrorBody, description = "`order_not_editable` (paid, or being paid), `cart_busy` (changed at the same moment: send it again)"),
        Guarded, Unavailable,
    )
)]
pub async fn handle(svc: Arc<Placing>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let order_id = order_id_in_path(&req)?;
    let merged = placing::back_to_cart(&svc, &caller.user_id, &order_id).await?;
    Ok(ok(&cart::view(&svc.order, &merged).await?))
}
