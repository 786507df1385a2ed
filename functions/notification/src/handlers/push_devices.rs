//! `GET /api/push/subscriptions`: the shop's VAPID public key (what the browser subscribes
//! with) and the client's devices.

use crate::{
    flow::push::{self, Devices},
    PushDevices,
};
use lambda_http::{Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, Caller},
    openapi::{Guarded, Unavailable},
    ApiError,
};

#[utoipa::path(
    get,
    path = "/api/push/subscriptions",
    operation_id = "push-devices",
    tag = "notification",
    summary = "Уведомления в браузере: ключ магазина и устройства клиента",
    security(("sessionId" = [])),
    responses(
        (status = 200, description = "The VAPID public key and the client's devices, oldest first", body = Devices),
        Guarded, Unavailable,
    )
)]
pub async fn handle(d: Arc<PushDevices>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    Ok(ok(&push::devices(&d, &caller.user_id).await?))
}
