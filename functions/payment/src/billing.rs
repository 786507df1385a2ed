//! What payment asks billing about gift cards, through billing's internal functions (Lambda
//! invoke): billing owns the cards and their balances.

use serde_json::{json, Value};
use vitrina_shared::invoke::{invoke, InvokeError};

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

fn classify(e: InvokeError) -> CallError {
    match e {
        InvokeError::Function { kind, .. }
            if matches!(kind.as_str(), "GiftCardNotFound" | "GiftCardTaken") =>
        {
            CallError::Refused(kind)
        }
        other => CallError::Unavailable(other.to_string()),
    }
}

impl BillingGiftCards {
    pub async fn activate(&self, user_id: &str, code: &str) -> Result<Value, CallError> {
        invoke(
            &self.lambda,
            &self.activate_function,
            &json!({ "userId": user_id, "code": code }),
        )
        .await
        .map_err(classify)
    }

    pub async fn cards_of(&self, user_id: &str) -> Result<Value, CallError> {
        invoke(
            &self.lambda,
            &self.list_function,
            &json!({ "userId": user_id }),
        )
        .await
        .map_err(classify)
    }
}
