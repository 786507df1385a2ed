//! `DELETE /api/push/subscriptions/{subscriptionId}`: a device forgotten («Отключить»); the
//! same again changes nothing.

use crate::{flow::push, Choices};
use lambda_http::{http::StatusCode, Body, Request, RequestExt, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::Caller,
    openapi::{Guarded, Unavailable},
    ApiError,
};

#[utoipa::path(
    delete,
    path = "/api/push/subscriptions/{subscriptionId}",
    operation_id = "push-unsubscribe",
    tag = "notification",
    summary = "Не получать уведомления на этом устройстве",
    security(("sessionId" = [])),
    params(("subscriptionId" = String, Path, description = "The device's id, as `push-devices` lists it")),
    responses(
        (status = 204, description = "The device is forgotten (or was not kept)"),
        Guarded, Unavailable,
    )
)]
pub async fn handle(d: Arc<Choices>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    // The shop's ids are 32 hex digits; anything else names no device, and is forgotten already.
    let id = req
        .path_parameters()
        .first("subscriptionId")
        .filter(|id| id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_string);
    if let Some(id) = id {
        push::unsubscribe(&d.store, &caller.user_id, &id).await?;
    }
    Response::builder()
        .status(StatusCode::NO_CONTENT)
        .body(Body::Empty)
        .map_err(ApiError::internal)
}
