pub mod cart;
pub mod orders;
pub mod payable;
pub mod payment_events;
pub mod placed;
pub mod purchases;
pub mod status;

use crate::{
    domain::{Line, Order, ProductSnapshot},
    OrderService,
};
use lambda_http::{Body, Response};
use serde_json::{json, Value};
use std::collections::HashMap;
use vitrina_shared::{http::ok, ApiError};

/// The `{id}` of an order's route (`/api/orders/{id}/…`): order ids are the shop's UUIDs, so
/// anything else is simply not found (and never reaches a key).
pub fn order_id_in_path(req: &lambda_http::Request) -> Result<String, ApiError> {
    vitrina_shared::http::path_uuid(req, "id").ok_or_else(order_not_found)
}

pub fn order_not_found() -> ApiError {
    ApiError::not_found("order_not_found", "Order not found")
}

/// The cart as the client sees it: every line re-checked against the catalog now.
pub fn view(order: &Order, now: &[ProductSnapshot]) -> Value {
    let current: HashMap<&str, &ProductSnapshot> = now.iter().map(|p| (p.id.as_str(), p)).collect();
    let mut total = 0i64;
    let mut discount_total = 0i64;
    let lines: Vec<Value> = order
        .lines
        .iter()
        .map(|l: &Line| {
            let snap = current.get(l.product_id.as_str());
            let price = snap.map(|p| p.price).unwrap_or(l.unit_price);
            let available = snap.is_some_and(|p| p.available);
            let line_total = price * i64::from(l.quantity);
            if available {
                total += line_total;
                let old = snap.and_then(|p| p.old_price).unwrap_or(price);
                discount_total += (old - price).max(0) * i64::from(l.quantity);
            }
            json!({
                "productId": l.product_id,
                "name": l.name,
                "description": l.description,
                "unitPrice": price,
                "oldPrice": snap.and_then(|p| p.old_price),
                "discountPercent": snap.and_then(|p| p.discount_percent),
                "quantity": l.quantity,
                "lineTotal": line_total,
                "available": available,
                "priceWhenAdded": (price != l.unit_price).then_some(l.unit_price),
            })
        })
        .collect();
    let delivery_cost = order.delivery.as_ref().map_or(0, |d| d.cost);
    json!({
        "orderId": order.order_id,
        "status": order.status,
        "lines": lines,
        "itemCount": order.item_count(),
        "total": total,
        "discountTotal": discount_total,
        "delivery": order.delivery,
        "grandTotal": total + delivery_cost,
        "version": order.version,
    })
}

/// The order as a response, its lines re-checked against the catalog now.
pub async fn respond_with(svc: &OrderService, order: &Order) -> Result<Response<Body>, ApiError> {
    let ids: Vec<String> = order.lines.iter().map(|l| l.product_id.clone()).collect();
    let now = svc
        .catalog
        .snapshot(&ids)
        .await
        .map_err(ApiError::internal)?;
    Ok(ok(&view(order, &now)))
}
