//! What order asks delivery: to settle the client's delivery choice for an order, through
//! delivery's `choose` (contract `ChooseDelivery`).

use vitrina_shared::{
    contracts::{
        delivery::{ChooseDelivery, ChooseRequest, DeliveryMethod},
        Remote,
    },
    ApiError,
};

pub type DeliveryService = Remote<ChooseDelivery>;

/// The client's choice as sent to `PUT /api/cart/delivery`: a method the client may choose
/// (pickup or courier), or 400; of the other fields only strings count, the rest is delivery's
/// to refuse.
pub fn choose_request(
    user_id: &str,
    order_id: &str,
    body: &serde_json::Value,
) -> Result<ChooseRequest, ApiError> {
    let text = |field: &str| body.get(field).and_then(|v| v.as_str()).map(str::to_string);
    let method = text("method")
        .and_then(|m| m.parse().ok())
        .filter(|m| matches!(m, DeliveryMethod::Pickup | DeliveryMethod::Courier))
        .ok_or_else(|| {
            ApiError::bad_request("invalid_delivery", "The method is pickup or courier")
        })?;
    Ok(ChooseRequest {
        user_id: user_id.into(),
        order_id: order_id.into(),
        method,
        pickup_point_id: text("pickupPointId"),
        quote_id: text("quoteId"),
        slot_id: text("slotId"),
    })
}
