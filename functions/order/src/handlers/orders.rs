//! `GET /api/orders`, `GET /api/orders/{id}`: the client's own orders with their status. Until
//! checkout exists the only order a client has is the draft (the cart).

use crate::OrderService;
use lambda_http::{Body, Request, RequestExt, Response};
use serde_json::json;
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, Caller},
    ApiError,
};

pub async fn list(svc: Arc<OrderService>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let draft = svc.store.draft(&caller.user_id).await?;
    let orders: Vec<_> = draft
        .into_iter()
        .map(|o| json!({"orderId": o.order_id, "status": o.status, "itemCount": o.item_count(), "updatedAt": o.updated_at}))
        .collect();
    Ok(ok(&json!({ "orders": orders })))
}

pub async fn get(svc: Arc<OrderService>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let id = req
        .path_parameters()
        .first("id")
        .unwrap_or_default()
        .to_string();
    // Another client's order is as absent as a missing one: 404 either way.
    let order = svc
        .store
        .draft(&caller.user_id)
        .await?
        .filter(|o| o.order_id == id)
        .ok_or_else(|| ApiError::not_found("order_not_found", "Order not found"))?;
    super::respond_with(&svc, &order).await
}
