//! Internal calls between services: a synchronous Lambda invoke with a JSON payload, as the
//! README's "Internal invokes" documents. A function's error comes back as its `errorType` and
//! `errorMessage` (what Lambda reports for an unhandled error), apart from failures to call.

use aws_sdk_lambda::primitives::Blob;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvokeError {
    /// The function ran and refused: its `errorType` and `errorMessage`.
    Function { kind: String, message: String },
    /// The call itself failed, or the answer was not JSON.
    Call(String),
}

impl std::fmt::Display for InvokeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Function { kind, message } => write!(f, "{kind}: {message}"),
            Self::Call(e) => write!(f, "{e}"),
        }
    }
}

pub async fn invoke(
    lambda: &aws_sdk_lambda::Client,
    function: &str,
    request: &Value,
) -> Result<Value, InvokeError> {
    let out = lambda
        .invoke()
        .function_name(function)
        .payload(Blob::new(request.to_string()))
        .send()
        .await
        .map_err(|e| InvokeError::Call(format!("{function}: {e:?}")))?;
    let body: Value = out
        .payload
        .map(|p| serde_json::from_slice(p.as_ref()))
        .transpose()
        .map_err(|e| InvokeError::Call(format!("{function}: {e}")))?
        .unwrap_or(Value::Null);
    match out.function_error {
        None => Ok(body),
        Some(_) => Err(InvokeError::Function {
            kind: body["errorType"].as_str().unwrap_or_default().to_string(),
            message: body["errorMessage"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        }),
    }
}
