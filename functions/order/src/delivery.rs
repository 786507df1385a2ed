//! What order asks delivery: to settle the client's delivery choice for an order, through
//! delivery's `choose` (contract `ChooseDelivery`).

use vitrina_shared::contracts::{
    delivery::{ChooseDelivery, ChooseRequest},
    Remote,
};

pub type DeliveryService = Remote<ChooseDelivery>;

/// The client's choice as sent to `PUT /api/cart/delivery`; only string fields count, the rest
/// is delivery's to refuse.
pub fn choose_request(user_id: &str, order_id: &str, body: &serde_json::Value) -> ChooseRequest {
    let text = |field: &str| body.get(field).and_then(|v| v.as_str()).map(str::to_string);
    ChooseRequest {
        user_id: user_id.into(),
        order_id: order_id.into(),
        method: text("method").unwrap_or_default(),
        pickup_point_id: text("pickupPointId"),
        quote_id: text("quoteId"),
        slot_id: text("slotId"),
    }
}
