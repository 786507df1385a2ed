//! `GET /api/logout` (the spec's) and `POST /api/logout` (the web client's: another site cannot
//! end a session by a link) — ends the session; both answers clear the cookie, as the spec says.

use super::{session_cookie, with_cookie};
use crate::{
    domain::session,
    flow::{sessions, AuthError},
    Auth,
};
use lambda_http::{Body, Request, Response};
use serde::Serialize;
use std::sync::Arc;
use vitrina_shared::{
    http::ok,
    openapi::{ErrorBody, Unavailable},
    ApiError,
};

/// The spec's answer to a logout (`{"message": "Success"}`); logging out everywhere adds how
/// many sessions it ended.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct LoggedOut {
    pub message: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ended: Option<usize>,
}

#[utoipa::path(
    get,
    path = "/api/logout",
    operation_id = "logout",
    tag = "auth",
    security(()),
    summary = "Выход из системы",
    params(("sessionId" = Option<String>, Cookie, description = "The session to end")),
    responses(
        (status = 200, description = "`{\"message\": \"Success\"}`; the cookie emptied", body = LoggedOut,
            headers(("Set-Cookie" = String, description = "sessionId=; Max-Age=0"))),
        (status = 401, body = ErrorBody, description = "`unauthorized` «Not authorized»: no live session; the cookie emptied too",
            headers(("Set-Cookie" = String, description = "sessionId=; Max-Age=0"))),
        Unavailable,
    )
)]
pub async fn handle(auth: Arc<Auth>, req: Request) -> Result<Response<Body>, ApiError> {
    let resp = match sessions::logout(&auth, session_cookie(&req).as_deref()).await {
        Ok(()) => ok(&LoggedOut {
            message: "Success",
            ended: None,
        }),
        // No session to end is still an answer that clears the cookie; a table that is down
        // is not (the session lives on).
        Err(e @ AuthError::NotAuthorized(_)) => ApiError::from(e).into_response(),
        Err(e) => return Err(e.into()),
    };
    with_cookie(resp, &session::clear_cookie(auth.secure_cookies))
}

/// The web client's logout: a POST, so another site cannot end a session by a link.
#[utoipa::path(
    post,
    path = "/api/logout",
    operation_id = "logout-post",
    tag = "auth",
    security(()),
    summary = "Выйти (the web client's)",
    params(("sessionId" = Option<String>, Cookie, description = "The session to end")),
    responses(
        (status = 200, description = "`{\"message\": \"Success\"}`; the cookie emptied", body = LoggedOut),
        (status = 401, body = ErrorBody, description = "`unauthorized`: no live session; the cookie emptied too"),
        Unavailable,
    )
)]
pub async fn handle_post(auth: Arc<Auth>, req: Request) -> Result<Response<Body>, ApiError> {
    handle(auth, req).await
}
