//! `GET /api/auth` — the spec's "запрос на подтверждение авторизации".

use super::session_cookie;
use crate::{flow::sessions, Auth};
use lambda_http::{Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{http::ok, ApiError};

pub async fn handle(auth: Arc<Auth>, req: Request) -> Result<Response<Body>, ApiError> {
    let user = sessions::signed_in(&auth, session_cookie(&req).as_deref()).await?;
    Ok(ok(&user.profile()))
}
