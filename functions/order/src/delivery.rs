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

/// `PUT /api/cart/delivery`'s body: `{method: "pickup", pickupPointId}` or `{method: "courier",
/// quoteId, slotId}` (the slot for the shop's own courier). Any JSON is read: only strings
/// count, so a wrong type is the same 400 as a missing field.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChosenDelivery {
    /// `pickup` or `courier`.
    #[schema(required = true, value_type = String)]
    method: Option<serde_json::Value>,
    /// For `pickup`: one of `GET /api/delivery/options`' points.
    #[schema(value_type = Option<String>)]
    pickup_point_id: Option<serde_json::Value>,
    /// For `courier`: the client's quote from `POST /api/delivery/quote`.
    #[schema(value_type = Option<String>)]
    quote_id: Option<serde_json::Value>,
    /// For the shop's own courier: one of the quote's windows.
    #[schema(value_type = Option<String>)]
    slot_id: Option<serde_json::Value>,
}

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
    pub fn parse(body: &ChosenDelivery) -> Result<Self, ApiError> {
        let text = |field: &Option<serde_json::Value>| {
            field.as_ref().and_then(|v| v.as_str()).map(str::to_string)
        };
        let method = text(&body.method)
            .and_then(|m| m.parse().ok())
            .filter(|m| matches!(m, DeliveryMethod::Pickup | DeliveryMethod::Courier))
            .ok_or_else(|| {
                ApiError::bad_request("invalid_delivery", "The method is pickup or courier")
            })?;
        Ok(Self {
            method,
            pickup_point_id: text(&body.pickup_point_id),
            quote_id: text(&body.quote_id),
            slot_id: text(&body.slot_id),
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
