//! `GET /api/orders` — «Мои заказы»: the cart first (if it has lines), then the placed orders,
//! newest first, with their status.

use super::PlacedView;
use crate::Orders;
use lambda_http::{Body, Request, Response};
use serde::Serialize;
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, Caller},
    openapi::{Guarded, Unavailable},
    ApiError,
};

/// «Мои заказы».
#[derive(Serialize, utoipa::ToSchema)]
struct OrderList {
    orders: Vec<OrderInList>,
}

/// The cart (while it has lines) or a placed order.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(untagged)]
enum OrderInList {
    Cart(CartInList),
    Placed(Box<PlacedView>),
}

/// The cart in «Мои заказы»: `draft`, with how many items it holds.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct CartInList {
    order_id: String,
    status: Draft,
    item_count: u32,
    updated_at: String,
}

/// A cart's status, always `draft`: what tells it from a placed order in the list.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
enum Draft {
    Draft,
}

#[utoipa::path(
    get,
    path = "/api/orders",
    operation_id = "orders-list",
    tag = "order",
    summary = "Мои заказы",
    security(("sessionId" = [])),
    responses(
        (status = 200, description = "The cart first (if it has lines), then the placed orders, newest first", body = OrderList),
        Guarded, Unavailable,
    )
)]
pub async fn handle(orders: Arc<Orders>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let draft = orders.store.draft(&caller.user_id).await?;
    let mut list: Vec<OrderInList> = draft
        .into_iter()
        .filter(|o| !o.lines.is_empty())
        .map(|o| {
            OrderInList::Cart(CartInList {
                item_count: o.item_count(),
                order_id: o.order_id,
                status: Draft::Draft,
                updated_at: o.updated_at,
            })
        })
        .collect();
    list.extend(
        orders
            .store
            .placed_of(&caller.user_id)
            .await?
            .iter()
            .map(|o| OrderInList::Placed(Box::new(PlacedView::from(o)))),
    );
    Ok(ok(&OrderList { orders: list }))
}
