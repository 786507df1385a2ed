//! What order asks delivery: to settle the client's delivery choice for an order, through
//! delivery's internal `choose` function (a documented Lambda invoke).

use crate::domain::DeliveryChoice;
use serde_json::{json, Value};
use vitrina_shared::invoke::{invoke, InvokeError};

#[derive(Clone, Debug)]
pub struct DeliveryService {
    pub lambda: aws_sdk_lambda::Client,
    pub function: String,
}

#[derive(Debug)]
pub enum ChooseError {
    /// delivery refused the choice; the message is for the client.
    Refused {
        kind: String,
        message: String,
    },
    Unavailable(String),
}

impl DeliveryService {
    pub async fn choose(
        &self,
        user_id: &str,
        order_id: &str,
        choice: &Value,
    ) -> Result<DeliveryChoice, ChooseError> {
        let mut request = json!({ "userId": user_id, "orderId": order_id });
        for field in ["method", "pickupPointId", "quoteId"] {
            if let Some(v) = choice.get(field).filter(|v| v.is_string()) {
                request[field] = v.clone();
            }
        }
        let body = invoke(&self.lambda, &self.function, &request)
            .await
            .map_err(|e| match e {
                InvokeError::Function { kind, message }
                    if matches!(
                        kind.as_str(),
                        "InvalidChoice" | "QuoteNotFound" | "QuoteExpired"
                    ) =>
                {
                    ChooseError::Refused { kind, message }
                }
                other => ChooseError::Unavailable(other.to_string()),
            })?;
        serde_json::from_value(body).map_err(|e| ChooseError::Unavailable(e.to_string()))
    }
}
