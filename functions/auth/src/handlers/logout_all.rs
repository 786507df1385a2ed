//! `POST /api/logout/all` — "Выйти на всех устройствах": ends every session of the caller.

use super::{logout::LoggedOut, with_cookie};
use crate::{domain::session, flow::sessions, Auth};
use lambda_http::{Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, Caller},
    openapi::{Guarded, Unavailable},
    ApiError,
};

#[utoipa::path(
    post,
    path = "/api/logout/all",
    operation_id = "logout-all",
    tag = "auth",
    summary = "Выйти на всех устройствах",
    security(("sessionId" = [])),
    responses(
        (status = 200, description = "Every session of the client ended; how many", body = LoggedOut),
        Guarded, Unavailable,
    )
)]
pub async fn handle(auth: Arc<Auth>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let ended = sessions::logout_everywhere(&auth, &caller.user_id).await?;
    let resp = ok(&LoggedOut {
        message: "Success",
        ended: Some(ended),
    });
    with_cookie(resp, &session::clear_cookie(auth.secure_cookies))
}
