//! `GET /api/orders`, `GET /api/orders/{id}`: the client's own orders with their status ("Мои
//! заказы"): the placed ones, newest first, and the cart (the draft) if it has lines.

use crate::OrderService;
use lambda_http::{Body, Request, Response};
use serde_json::json;
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, Caller},
    ApiError,
};

pub async fn list(svc: Arc<OrderService>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let draft = svc.store.draft(&caller.user_id).await?;
    let mut orders: Vec<_> = draft
        .into_iter()
        .filter(|o| !o.lines.is_empty())
        .map(|o| json!({"orderId": o.order_id, "status": o.status, "itemCount": o.item_count(), "updatedAt": o.updated_at}))
        .collect();
    orders.extend(
        svc.store
            .placed_of(&caller.user_id)
            .await?
            .iter()
            .map(super::placed::view),
    );
    Ok(ok(&json!({ "orders": orders })))
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
    Ok(ok(&super::placed::view(&placed)))
}
