//! `POST /api/push/subscriptions`: the device's `PushSubscription` (as `toJSON()` gives it)
//! kept, so that the order's and the payment's news reach it. The endpoint must be at a push
//! service the shop sends to (`PUSH_SERVICES`): notification calls it, so an arbitrary URL
//! would let a client aim the shop's requests anywhere.

use crate::{
    flow::push::{self, Device},
    PushDevices,
};
use lambda_http::{http::StatusCode, Body, Request, Response};
use serde::Deserialize;
use std::sync::Arc;
use vitrina_shared::{
    http::{json, parse_json, Caller},
    openapi::{BodyRefused, ErrorBody, Guarded, Unavailable},
    ApiError,
};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct Subscription {
    #[schema(required = true, value_type = String, format = "uri")]
    endpoint: Option<String>,
    /// When the push service ends it (browsers mostly give `null`); not kept.
    #[allow(dead_code)]
    #[schema(value_type = Option<f64>)]
    expiration_time: Option<serde_json::Value>,
    #[schema(required = true, value_type = Keys)]
    keys: Option<Keys>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct Keys {
    /// The browser's P-256 key, uncompressed, base64url.
    #[schema(required = true, value_type = String)]
    p256dh: Option<String>,
    /// The browser's 16-byte secret, base64url.
    #[schema(required = true, value_type = String)]
    auth: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/push/subscriptions",
    operation_id = "push-subscribe",
    tag = "notification",
    summary = "Получать уведомления в браузере",
    security(("sessionId" = [])),
    request_body = Subscription,
    responses(
        (status = 201, description = "The device is kept (the same endpoint again: its new keys)", body = Device),
        (status = 400, body = ErrorBody, description = "`not_a_push_service`, `invalid_push_keys`, `missing_fields`; `body_required`, `invalid_json`"),
        (status = 409, body = ErrorBody, description = "`too_many_devices` (ten at most: forget one first)"),
        BodyRefused, Guarded, Unavailable,
    )
)]
pub async fn handle(d: Arc<PushDevices>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let body: Subscription = parse_json(&req)?;
    let keys = body.keys.as_ref();
    let (Some(endpoint), Some(p256dh), Some(auth)) = (
        body.endpoint.as_deref(),
        keys.and_then(|k| k.p256dh.as_deref()),
        keys.and_then(|k| k.auth.as_deref()),
    ) else {
        return Err(ApiError::bad_request(
            "missing_fields",
            "endpoint, keys.p256dh and keys.auth are required",
        ));
    };
    let device = push::subscribe(&d, &caller.user_id, endpoint, p256dh, auth).await?;
    Ok(json(StatusCode::CREATED, &device))
}
