//! One module per function: parse, call the workflow (`crate::flow`), map the result.

pub mod cart_add;
pub mod cart_delivery_put;
pub mod cart_get;
pub mod cart_item_delete;
pub mod cart_item_patch;
pub mod gift_card_order;
pub mod order_back_to_cart;
pub mod order_cancel;
pub mod order_get;
pub mod order_payable;
pub mod order_place;
pub mod order_status;
pub mod orders_list;
pub mod payment_events;
pub mod top_up_order;

use crate::{
    domain::{placed::PlacedOrder, CartError, DeliveryChoice},
    flow::{cart::valid_product_id, OrderError},
};
use lambda_http::{Request, RequestExt};
use serde::Serialize;
use std::collections::BTreeMap;
use vitrina_shared::{
    contracts::{
        order::{GiftCardOrder, OrderKind, OrderStatus},
        payment::PaymentFailure,
    },
    ApiError,
};

/// A placed order as its client sees it (`POST /api/orders`, «Мои заказы», the order's page).
#[derive(Serialize, utoipa::ToSchema)]
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
    pub last_payment_failure: Option<PaymentFailure>,
    /// Why it was cancelled, in words for the client.
    pub cancel_reason: Option<String>,
    pub kind: OrderKind,
    pub gift_card: Option<GiftCardOrder>,
    /// When it reached each status after payment: the order's timeline.
    pub stages: BTreeMap<String, String>,
}

#[derive(Serialize, utoipa::ToSchema)]
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
            last_payment_failure: o.last_payment_failure,
            cancel_reason: o.cancel_reason.clone(),
            kind: o.kind,
            gift_card: o.gift_card.clone(),
            stages: o.stages.clone(),
        }
    }
}

/// The `{id}` of an order's route (`/api/orders/{id}/…`): order ids are the shop's UUIDs, so
/// anything else is simply not found (and never reaches a key).
fn order_id_in_path(req: &Request) -> Result<String, ApiError> {
    vitrina_shared::http::path_uuid(req, "id").ok_or_else(|| OrderError::OrderNotFound.into())
}

/// The `{productId}` of a cart line's route: anything that cannot be a product id is no line.
fn product_in_path(req: &Request) -> Result<String, ApiError> {
    req.path_parameters()
        .first("productId")
        .filter(|id| valid_product_id(id))
        .map(str::to_string)
        .ok_or_else(|| OrderError::Cart(CartError::NotInCart).into())
}

/// The client's `Idempotency-Key` of a purchase form, 8 to 64 characters, if it sends one.
fn idempotency_key(req: &Request) -> Result<Option<&str>, ApiError> {
    let Some(key) = req.headers().get("idempotency-key") else {
        return Ok(None);
    };
    key.to_str()
        .ok()
        .map(str::trim)
        .filter(|k| (8..=64).contains(&k.len()))
        .map(Some)
        .ok_or_else(|| {
            ApiError::bad_request(
                "invalid_idempotency_key",
                "The Idempotency-Key header is 8 to 64 characters",
            )
        })
}
