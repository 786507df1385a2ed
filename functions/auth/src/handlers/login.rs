//! `POST /api/login` — the spec's "запрос на вход в систему".

use super::{session_cookie, with_cookie};
use crate::{domain::session, flow::sessions, Auth};
use lambda_http::{Body, Request, Response};
use serde::Deserialize;
use std::sync::Arc;
use vitrina_shared::{
    http::{cookie, ok, parse_json},
    ApiError,
};

#[derive(Deserialize)]
struct Credentials {
    username: Option<String>,
    password: Option<String>,
}

pub async fn handle(auth: Arc<Auth>, req: Request) -> Result<Response<Body>, ApiError> {
    let creds: Credentials = parse_json(&req)?;
    let came_with: Vec<String> = [session_cookie(&req), cookie(&req, session::OLD_COOKIE)]
        .into_iter()
        .flatten()
        .collect();
    let (profile, token) = sessions::login(
        &auth,
        creds.username.as_deref(),
        creds.password.as_deref(),
        &came_with,
    )
    .await?;
    with_cookie(
        ok(&profile),
        &session::set_cookie(&token, auth.secure_cookies),
    )
}
