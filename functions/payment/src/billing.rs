//! What payment asks billing about gift cards, through billing's internal functions (Lambda
//! invoke): billing owns the cards and their balances.

use aws_sdk_lambda::primitives::Blob;
use serde_json::Value;

#[derive(Clone, Debug)]
pub struct BillingGiftCards {
    pub lambda: aws_sdk_lambda::Client,
    pub activate_function: String,
    pub list_function: String,
}

#[derive(Debug)]
pub enum CallError {
    /// billing answered with this error type (e.g. `GiftCardNotFound`).
    Refused(String),
    Unavailable(String),
}

impl BillingGiftCards {
    async fn call(&self, function: &str, request: Value) -> Result<Value, CallError> {
        let out = self
            .lambda
            .invoke()
            .function_name(function)
            .payload(Blob::new(request.to_string()))
            .send()
            .await
            .map_err(|e| CallError::Unavailable(format!("{e:?}")))?;
        let body: Value = out
            .payload
            .map(|p| serde_json::from_slice(p.as_ref()))
            .transpose()
            .map_err(|e| CallError::Unavailable(e.to_string()))?
            .unwrap_or(Value::Null);
        match out.function_error {
            None => Ok(body),
            Some(_) => match body["errorType"].as_str() {
                Some(kind @ ("GiftCardNotFound" | "GiftCardTaken")) => {
                    Err(CallError::Refused(kind.to_string()))
                }
                _ => Err(CallError::Unavailable(body.to_string())),
            },
        }
    }

    pub async fn activate(&self, user_id: &str, code: &str) -> Result<Value, CallError> {
        self.call(
            &self.activate_function,
            serde_json::json!({ "userId": user_id, "code": code }),
        )
        .await
    }

    pub async fn cards_of(&self, user_id: &str) -> Result<Value, CallError> {
        self.call(
            &self.list_function,
            serde_json::json!({ "userId": user_id }),
        )
        .await
    }
}
