//! `GET /api/auth` — the spec's "запрос на подтверждение авторизации".

use super::session_cookie;
use crate::{domain::registration::Profile, flow::sessions, Auth};
use lambda_http::{Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::ok,
    openapi::{ErrorBody, Unavailable},
    ApiError,
};

#[utoipa::path(
    get,
    path = "/api/auth",
    operation_id = "auth",
    tag = "auth",
    security(()),
    summary = "Подтверждение авторизации",
    params(("sessionId" = Option<String>, Cookie, description = "The session to check")),
    responses(
        (status = 200, description = "The user model of the session's client", body = Profile),
        (status = 401, body = ErrorBody, description = "`unauthorized` «User not authorized»"),
        Unavailable,
    )
)]
pub async fn handle(auth: Arc<Auth>, req: Request) -> Result<Response<Body>, ApiError> {
    let user = sessions::signed_in(&auth, session_cookie(&req).as_deref()).await?;
    Ok(ok(&user.profile()))
}
