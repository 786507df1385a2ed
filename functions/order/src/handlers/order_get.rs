//! `GET /api/orders/{id}`: the client's own order — the cart (re-checked against the catalog)
//! or a placed one. Another client's order is as absent as a missing one: 404 either way.

use super::{order_id_in_path, PlacedView};
use crate::{
    domain::cart::CartView,
    flow::{cart, placing},
    Orders,
};
use lambda_http::{Body, Request, Response};
use serde::Serialize;
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, Caller},
    openapi::{ErrorBody, Guarded, Unavailable},
    ApiError,
};

#[utoipa::path(
    get,
    path = "/api/orders/{id}",
    operation_id = "order-get",
    tag = "order",
    summary = "Заказ",
    security(("sessionId" = [])),
    params(("id" = String, Path, description = "The order's id (a UUID)")),
    responses(
        (status = 200, description = "The cart (when the id is the cart's) or a placed order", body = OrderOrCart),
        (status = 404, body = ErrorBody, description = "`order_not_found` (another client's too)"),
        Guarded, Unavailable,
    )
)]
pub async fn handle(orders: Arc<Orders>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let id = order_id_in_path(&req)?;
    let draft = orders.store.draft(&caller.user_id).await?;
    if let Some(cart) = draft.filter(|o| o.order_id == id) {
        return Ok(ok(&OrderOrCart::Cart(Box::new(
            cart::view(&orders, &cart).await?,
        ))));
    }
    let placed = placing::own(&orders, &caller.user_id, &id).await?;
    Ok(ok(&OrderOrCart::Placed(Box::new(PlacedView::from(
        &placed,
    )))))
}

/// The client's order by its id: the cart (`status: draft`) or a placed order.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(untagged)]
enum OrderOrCart {
    Cart(Box<CartView>),
    Placed(Box<PlacedView>),
}
