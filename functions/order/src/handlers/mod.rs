pub mod cart;
pub mod orders;
pub mod payable;
pub mod payment_events;
pub mod placed;
pub mod purchases;
pub mod status;

use crate::{
    domain::{cart::priced, placed::PlacedOrder, DeliveryChoice, Order},
    OrderService,
};
use lambda_http::{Body, Response};
use serde::Serialize;
use std::collections::BTreeMap;
use vitrina_shared::{
    contracts::order::{GiftCardOrder, OrderKind, OrderStatus},
    http::ok,
    ApiError,
};

/// A placed order as its client sees it (`POST /api/orders`, «Мои заказы», the order's page).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlacedView {
    pub order_id: String,
    pub status: OrderStatus,
    pub lines: Vec<PlacedLine>,
    pub item_count: u32,
    /// Kopecks: the goods at the prices frozen when placed, then with delivery.
    pub goods_total: i64,
    pub delivery: DeliveryChoice,
    pub total: i64,
    pub placed_at: String,
    pub updated_at: String,
    pub payment_id: Option<String>,
    /// Why the last payment failed (a stable code), while the order waits for another try.
    pub last_payment_failure: Option<String>,
    /// Why it was cancelled, in words for the client.
    pub cancel_reason: Option<String>,
    pub kind: OrderKind,
    pub gift_card: Option<GiftCardOrder>,
    /// When it reached each status after payment: the order's timeline.
    pub stages: BTreeMap<String, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlacedLine {
    pub product_id: String,
    pub name: String,
    pub description: String,
    pub unit_price: i64,
    pub quantity: u32,
    pub line_total: i64,
}

impl From<&PlacedOrder> for PlacedView {
    fn from(o: &PlacedOrder) -> Self {
        Self {
            order_id: o.order_id.clone(),
            status: o.status,
            lines: o
                .lines
                .iter()
                .map(|l| PlacedLine {
                    product_id: l.product_id.clone(),
                    name: l.name.clone(),
                    description: l.description.clone(),
                    unit_price: l.unit_price,
                    quantity: l.quantity,
                    line_total: l.total(),
                })
                .collect(),
            item_count: o.lines.iter().map(|l| l.quantity).sum(),
            goods_total: o.goods_total,
            delivery: o.delivery.clone(),
            total: o.total,
            placed_at: o.placed_at.clone(),
            updated_at: o.updated_at.clone(),
            payment_id: o.payment_id.clone(),
            last_payment_failure: o.last_payment_failure.clone(),
            cancel_reason: o.cancel_reason.clone(),
            kind: o.kind,
            gift_card: o.gift_card.clone(),
            stages: o.stages.clone(),
        }
    }
}

/// The `{id}` of an order's route (`/api/orders/{id}/…`): order ids are the shop's UUIDs, so
/// anything else is simply not found (and never reaches a key).
pub fn order_id_in_path(req: &lambda_http::Request) -> Result<String, ApiError> {
    vitrina_shared::http::path_uuid(req, "id").ok_or_else(order_not_found)
}

pub fn order_not_found() -> ApiError {
    ApiError::not_found("order_not_found", "Order not found")
}

/// The order as a response, its lines re-checked against the catalog now.
pub async fn respond_with(svc: &OrderService, order: &Order) -> Result<Response<Body>, ApiError> {
    let ids: Vec<String> = order.lines.iter().map(|l| l.product_id.clone()).collect();
    let now = svc.catalog.snapshot(&ids).await?;
    Ok(ok(&priced(order, &now)))
}
