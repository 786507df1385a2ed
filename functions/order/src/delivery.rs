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

/// The client's choice as sent to `PUT /api/cart/delivery`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryForm {
    method: DeliveryMethod,
    pickup_point_id: Option<String>,
    quote_id: Option<String>,
    slot_id: Option<String>,
}

impl DeliveryForm {
    /// A method the client may choose (pickup or courier), or 400; of the other fields only
    /// strings count, the rest is delivery's to refuse.
    pub fn parse(body: &serde_json::Value) -> Result<Self, ApiError> {
        let text = |field: &str| body.get(field).and_then(|v| v.as_str()).map(str::to_string);
        let method = text("method")
            .and_then(|m| m.parse().ok())
            .filter(|m| matches!(m, DeliveryMethod::Pickup | DeliveryMethod::Courier))
            .ok_or_else(|| {
                ApiError::bad_request("invalid_delivery", "The method is pickup or courier")
            })?;
        Ok(Self {
            method,
            pickup_point_id: text("pickupPointId"),
            quote_id: text("quoteId"),
            slot_id: text("slotId"),
        })
    }

    /// What delivery is asked for the client's order.
    pub fn request(&self, user_id: &str, order_id: &str) -> ChooseRequest {
        ChooseRequest {
            user_id: user_id.into(),
            order_id: order_id.into(),
            method: self.method,
            pickup_point_id: self.pickup_point_id.clone(),
            quote_id: self.quote_id.clone(),
            slot_id: self.slot_id.clone(),
        }
    }
}
