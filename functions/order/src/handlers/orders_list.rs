//! `GET /api/orders` — «Мои заказы»: the cart first (if it has lines), then the placed orders,
//! newest first, with their status.

use super::PlacedView;
use crate::Orders;
use lambda_http::{Body, Request, Response};
use serde::Serialize;
use std::sync::Arc;
use vitrina_shared::{
    contracts::order::OrderStatus,
    http::{ok, Caller},
    ApiError,
};

#[derive(Serialize)]
struct OrderList {
    orders: Vec<OrderInList>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum OrderInList {
    Cart(CartInList),
    Placed(Box<PlacedView>),
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CartInList {
    order_id: String,
    status: OrderStatus,
    item_count: u32,
    updated_at: String,
}

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
                status: o.status,
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
