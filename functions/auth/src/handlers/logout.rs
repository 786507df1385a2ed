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
use vitrina_shared::{http::ok, ApiError};

/// The spec's answer to a logout (`{"message": "Success"}`); logging out everywhere adds how
/// many sessions it ended.
#[derive(Serialize)]
pub(crate) struct LoggedOut {
    pub message: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ended: Option<usize>,
}

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
