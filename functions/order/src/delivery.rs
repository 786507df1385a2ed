//! What order asks delivery: to settle the client's delivery choice for an order, through
//! delivery's internal `choose` function (a documented Lambda invoke).

use crate::domain::DeliveryChoice;
use aws_sdk_lambda::primitives::Blob;
use serde_json::{json, Value};

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
        let out = self
            .lambda
            .invoke()
            .function_name(&self.function)
            .payload(Blob::new(request.to_string()))
            .send()
            .await
            .map_err(|e| ChooseError::Unavailable(format!("{e:?}")))?;
        let body: Value = out
            .payload
            .map(|p| serde_json::from_slice(p.as_ref()))
            .transpose()
            .map_err(|e| ChooseError::Unavailable(e.to_string()))?
            .unwrap_or(Value::Null);
        if out.function_error.is_some() {
            let kind = body["errorType"].as_str().unwrap_or_default().to_string();
            let message = body["errorMessage"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            return Err(match kind.as_str() {
                "InvalidChoice" | "QuoteNotFound" | "QuoteExpired" => {
                    ChooseError::Refused { kind, message }
                }
                _ => ChooseError::Unavailable(format!("{kind}: {message}")),
            });
        }
        serde_json::from_value(body).map_err(|e| ChooseError::Unavailable(e.to_string()))
    }
}
