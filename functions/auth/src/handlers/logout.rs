//! `GET /api/logout` — ends the session; both answers clear the cookie, as the spec says.
//! `POST /api/logout/all` — "Выйти на всех устройствах": ends every session of the caller.

use super::{now, session_cookie};
use crate::{domain::session, Auth};
use lambda_http::{
    http::{header::SET_COOKIE, HeaderValue},
    Body, Request, Response,
};
use serde::Serialize;
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, Caller},
    ApiError,
};

pub async fn handle(auth: Arc<Auth>, req: Request) -> Result<Response<Body>, ApiError> {
    let ended = match session_cookie(&req)
        .as_deref()
        .and_then(session::token_hash)
    {
        Some(hash) => auth.store.delete_session(&hash, now()).await?,
        None => false,
    };
    let mut resp = if ended {
        ok(&LoggedOut {
            message: "Success",
            ended: None,
        })
    } else {
        ApiError::unauthorized("Not authorized").into_response()
    };
    let clear = HeaderValue::from_str(&session::clear_cookie(auth.secure_cookies))
        .map_err(ApiError::internal)?;
    resp.headers_mut().append(SET_COOKIE, clear);
    Ok(resp)
}

pub async fn all(auth: Arc<Auth>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let ended = auth.store.delete_sessions_of(&caller.user_id).await?;
    tracing::info!(user_id = %caller.user_id, ended, "logged out everywhere");
    let mut resp = ok(&LoggedOut {
        message: "Success",
        ended: Some(ended),
    });
    let clear = HeaderValue::from_str(&session::clear_cookie(auth.secure_cookies))
        .map_err(ApiError::internal)?;
    resp.headers_mut().append(SET_COOKIE, clear);
    Ok(resp)
}

/// The spec's answer to a logout (`{"message": "Success"}`); logging out everywhere adds how
/// many sessions it ended.
#[derive(Serialize)]
struct LoggedOut {
    message: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    ended: Option<usize>,
}
