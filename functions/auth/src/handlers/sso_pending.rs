//! `GET /api/sso/pending` — what the provider said of a client new here, for the registration
//! form (pre-filled) or the linking page.

use crate::{
    flow::sso::{self, PendingView},
    SignOn,
};
use lambda_http::{Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::{cookie, ok},
    openapi::{ErrorBody, Unavailable},
    ApiError,
};

#[utoipa::path(
    get,
    path = "/api/sso/pending",
    operation_id = "sso-pending",
    tag = "auth",
    security(()),
    summary = "Вход через провайдера: что он сообщил",
    params(("ssoPending" = Option<String>, Cookie, description = "Set by the callback")),
    responses(
        (status = 200, description = "The provider and its claims; `next` says which page finishes", body = PendingView),
        (status = 400, body = ErrorBody, description = "`sso_expired`: no identity waits (used, expired, or never)"),
        Unavailable,
    )
)]
pub async fn handle(sign_on: Arc<SignOn>, req: Request) -> Result<Response<Body>, ApiError> {
    let token = cookie(&req, sso::PENDING_COOKIE);
    Ok(ok(&sso::pending_view(&sign_on, token.as_deref()).await?))
}
