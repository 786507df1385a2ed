//! `GET /api/notifications/preferences`: «Уведомления» — for each kind of message, the channels
//! the client wants, which are always sent, and which the client has.

use crate::{
    flow::preferences::{self, PreferencesView},
    Choices,
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
    path = "/api/notifications/preferences",
    operation_id = "notification-preferences",
    tag = "notification",
    summary = "Уведомления: каналы для каждого вида сообщений",
    security(("sessionId" = [])),
    responses(
        (status = 200, description = "The client's channels per kind of message, and where e-mail and SMS go now", body = PreferencesView),
        Guarded, Unavailable,
    )
)]
pub async fn handle(d: Arc<Choices>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    Ok(ok(&preferences::view(&d.store, &caller.user_id).await?))
}
