//! `GET /api/auth` — the spec's "запрос на подтверждение авторизации".

use super::{live_session, session_cookie};
use crate::Auth;
use lambda_http::{Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{http::ok, ApiError};

pub async fn handle(auth: Arc<Auth>, req: Request) -> Result<Response<Body>, ApiError> {
    let unauthorized = || ApiError::unauthorized("User not authorized");
    let (_, session) = live_session(&auth, session_cookie(&req).as_deref())
        .await?
        .ok_or_else(unauthorized)?;
    let user = auth
        .store
        .user(&session.user_id)
        .await?
        .ok_or_else(unauthorized)?;
    Ok(ok(&user.profile()))
}
