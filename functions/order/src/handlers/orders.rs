//! `GET /api/orders`, `GET /api/orders/{id}`: the client's own orders with their status ("Мои
//! заказы"): the placed ones, newest first, and the cart (the draft) if it has lines.

use super::PlacedView;
use crate::OrderService;
use lambda_http::{Body, Request, Response};
use serde::Serialize;
use std::sync::Arc;
use vitrina_shared::{
    contracts::order::OrderStatus,
    http::{ok, Caller},
    ApiError,
};

/// "Мои заказы": the cart first (if it has lines), then the placed orders, newest first.
#[derive(Serialize)]
struct Orders {
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

pub async fn list(svc: Arc<OrderService>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let draft = svc.store.draft(&caller.user_id).await?;
    let mut orders: Vec<OrderInList> = draft
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
    orders.extend(
        svc.store
            .placed_of(&caller.user_id)
            .await?
            .iter()
            .map(|o| OrderInList::Placed(Box::new(PlacedView::from(o)))),
    );
    Ok(ok(&Orders { orders }))
}

pub async fn get(svc: Arc<OrderService>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let id = super::order_id_in_path(&req)?;
    // Another client's order is as absent as a missing one: 404 either way.
    if let Some(cart) = svc
        .store
        .draft(&caller.user_id)
        .await?
        .filter(|o| o.order_id == id)
    {
        return super::respond_with(&svc, &cart).await;
    }
    let placed = super::placed::own(&svc, &caller.user_id, &id).await?;
    Ok(ok(&PlacedView::from(&placed)))
}
