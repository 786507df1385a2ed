//! The Lambda Invoke API (`POST /2015-03-31/functions/{name}/invocations`), for moto's Step
//! Functions and for `aws lambda invoke --endpoint-url`. Errors come back as real Lambda
//! reports them: 200, `X-Amz-Function-Error: Unhandled`, `{"errorType","errorMessage"}`.

use crate::host::Host;
use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
    Router,
};
use serde_json::{json, Value};
use std::sync::Arc;

pub fn router(host: Arc<Host>) -> Router {
    Router::new()
        .route("/2015-03-31/functions/{name}/invocations", post(invoke))
        .with_state(host)
}

async fn invoke(
    State(host): State<Arc<Host>>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if host.find(&name).is_none() {
        return (
            StatusCode::NOT_FOUND,
            [("x-amzn-ErrorType", "ResourceNotFoundException")],
            json!({"Type": "User", "Message": format!("Function not found: {name}")}).to_string(),
        )
            .into_response();
    }
    // SigV4's `Credential=<access key>/<date>/<region>/lambda/aws4_request`: who is calling.
    if let Some(caller) = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|a| a.split_once("Credential="))
        .and_then(|(_, rest)| rest.split('/').next())
    {
        host.record_invoke(caller, &name);
    }
    let event: Value = if body.is_empty() {
        Value::Null
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => {
                return (
                    StatusCode::BAD_REQUEST,
                    [("x-amzn-ErrorType", "InvalidRequestContentException")],
                    json!({"Type": "User", "Message": format!("Could not parse request body into json: {e}")})
                        .to_string(),
                )
                    .into_response()
            }
        }
    };
    let asynchronous = headers
        .get("x-amz-invocation-type")
        .and_then(|v| v.to_str().ok())
        == Some("Event");
    if asynchronous {
        tokio::spawn(async move {
            if let Err(e) = host.invoke(&name, event).await {
                tracing::warn!(function = %name, error_type = %e.error_type, "async invoke failed");
            }
        });
        return StatusCode::ACCEPTED.into_response();
    }
    match host.invoke(&name, event).await {
        Ok(result) => (StatusCode::OK, result.to_string()).into_response(),
        Err(d) => (
            StatusCode::OK,
            [("X-Amz-Function-Error", "Unhandled")],
            json!({"errorType": d.error_type, "errorMessage": d.error_message}).to_string(),
        )
            .into_response(),
    }
}
