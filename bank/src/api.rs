//! YooKassa's API v3 as far as the shop uses it: payments (create, get, capture, cancel) and
//! refunds (create, get), with HTTP Basic auth (`shopId:secretKey`) and `Idempotence-Key`.

use crate::{
    bank::{ApiError, Bank},
    faults::Kind,
    model::{Capture, NewPayment, NewRefund},
};
use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, Uri},
    response::{IntoResponse, Response},
    Json,
};
use base64::{engine::general_purpose::STANDARD, Engine};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::sync::Arc;

fn answer(status: u16, body: Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(body)).into_response()
}

fn refused(e: ApiError) -> Response {
    answer(e.status, e.body())
}

fn authorised(bank: &Bank, headers: &HeaderMap) -> Result<(), ApiError> {
    let expected = STANDARD.encode(format!(
        "{}:{}",
        bank.settings.shop_id, bank.settings.secret_key
    ));
    let given = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "));
    if given == Some(expected.as_str()) {
        Ok(())
    } else {
        Err(ApiError {
            status: 401,
            code: "invalid_credentials",
            description: "Basic auth with the shop id and the secret key is required".into(),
            parameter: None,
        })
    }
}

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<(T, Value), ApiError> {
    let value: Value = if body.is_empty() {
        Value::Object(Default::default())
    } else {
        serde_json::from_slice(body)
            .map_err(|e| ApiError::invalid(format!("The body is not JSON: {e}"), None))?
    };
    let typed = serde_json::from_value(value.clone())
        .map_err(|e| ApiError::invalid(format!("The body does not fit the request: {e}"), None))?;
    Ok((typed, value))
}

/// A state-changing call: authorised, keyed, answered once per key (the same key with the same
/// body gets the first answer again; with another body, a refusal), with the faults a test
/// asked for.
async fn keyed<T, F, Fut>(
    bank: &Bank,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
    work: F,
) -> Response
where
    T: DeserializeOwned,
    F: FnOnce(T) -> Fut,
    Fut: std::future::Future<Output = Result<Value, ApiError>>,
{
    if let Err(e) = authorised(bank, headers) {
        return refused(e);
    }
    let Some(key) = headers
        .get("idempotence-key")
        .and_then(|v| v.to_str().ok())
        .filter(|k| !k.is_empty() && k.len() <= 64)
    else {
        return refused(ApiError::invalid(
            "The Idempotence-Key header is required (at most 64 characters)",
            Some("Idempotence-Key"),
        ));
    };
    let path = uri.path();
    if bank.faults.take(Kind::Error500, path, Some(key)).is_some() {
        return answer(
            500,
            serde_json::json!({"type": "error", "code": "internal_server_error",
                "description": "Sandbox fault: try again with the same Idempotence-Key"}),
        );
    }
    let (request, value) = match parse::<T>(body) {
        Ok(parsed) => parsed,
        Err(e) => return refused(e),
    };
    let fingerprint = format!("{path} {value}");
    let (status, body) = {
        // One keyed call at a time: two calls racing with one key do the work once.
        let _turn = bank.keyed_turn.lock().await;
        match bank.kept(key, &fingerprint).await {
            Err(e) => return refused(e),
            Ok(Some(kept)) => kept,
            Ok(None) => {
                let (status, body) = match work(request).await {
                    Ok(body) => (200, body),
                    Err(e) => (e.status, e.body()),
                };
                bank.keep(key, &fingerprint, status, &body).await;
                (status, body)
            }
        }
    };
    if let Some(slow) = bank.faults.take(Kind::Slow, path, Some(key)) {
        tokio::time::sleep(std::time::Duration::from_millis(slow.delay_ms)).await;
    }
    answer(status, body)
}

fn json_of<T: serde::Serialize>(value: T) -> Result<Value, ApiError> {
    serde_json::to_value(value).map_err(|e| ApiError {
        status: 500,
        code: "internal_server_error",
        description: e.to_string(),
        parameter: None,
    })
}

pub async fn create_payment(
    State(bank): State<Arc<Bank>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    keyed(&bank, &uri, &headers, &body, |new: NewPayment| async {
        json_of(bank.create(new).await?)
    })
    .await
}

pub async fn capture(
    State(bank): State<Arc<Bank>>,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    keyed(&bank, &uri, &headers, &body, |c: Capture| async {
        json_of(bank.capture(&id, c).await?)
    })
    .await
}

pub async fn cancel(
    State(bank): State<Arc<Bank>>,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    keyed(&bank, &uri, &headers, &body, |_: Value| async {
        json_of(bank.cancel(&id).await?)
    })
    .await
}

pub async fn create_refund(
    State(bank): State<Arc<Bank>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    keyed(&bank, &uri, &headers, &body, |new: NewRefund| async {
        let key = headers.get("idempotence-key").and_then(|v| v.to_str().ok());
        let pending = bank
            .faults
            .take(Kind::RefundPending, uri.path(), key)
            .is_some();
        json_of(bank.refund(new, pending).await?)
    })
    .await
}

/// `POST /_sandbox/refunds/{id}/succeed` | `/cancel`: a pending refund ended by the bank.
pub async fn end_refund(
    State(bank): State<Arc<Bank>>,
    Path((id, outcome)): Path<(String, String)>,
) -> Response {
    let succeed = match outcome.as_str() {
        "succeed" => true,
        "cancel" => false,
        _ => return refused(ApiError::not_found()),
    };
    match bank.end_refund(&id, succeed).await {
        Ok(refund) => match json_of(refund) {
            Ok(body) => answer(200, body),
            Err(e) => refused(e),
        },
        Err(e) => refused(e),
    }
}

async fn read<F, Fut>(bank: &Bank, uri: &Uri, headers: &HeaderMap, work: F) -> Response
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<Value, ApiError>>,
{
    if let Err(e) = authorised(bank, headers) {
        return refused(e);
    }
    if bank.faults.take(Kind::Error500, uri.path(), None).is_some() {
        return answer(
            500,
            serde_json::json!({"type": "error", "code": "internal_server_error",
                "description": "Sandbox fault"}),
        );
    }
    let response = match work().await {
        Ok(body) => answer(200, body),
        Err(e) => refused(e),
    };
    if let Some(slow) = bank.faults.take(Kind::Slow, uri.path(), None) {
        tokio::time::sleep(std::time::Duration::from_millis(slow.delay_ms)).await;
    }
    response
}

pub async fn get_payment(
    State(bank): State<Arc<Bank>>,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    read(&bank, &uri, &headers, || async {
        json_of(bank.get(&id).await?)
    })
    .await
}

pub async fn get_refund(
    State(bank): State<Arc<Bank>>,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    read(&bank, &uri, &headers, || async {
        json_of(bank.get_refund(&id).await?)
    })
    .await
}
