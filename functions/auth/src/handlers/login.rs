//! `POST /api/login` — the spec's "запрос на вход в систему".

use super::{session_cookie, with_cookie};
use crate::{
    domain::{registration::Profile, session},
    flow::sessions,
    Auth,
};
use lambda_http::{Body, Request, Response};
use serde::Deserialize;
use std::sync::Arc;
use vitrina_shared::openapi::{BodyRefused, ErrorBody, Unavailable};
use vitrina_shared::{
    http::{cookie, ok, parse_json},
    ApiError,
};

#[derive(Deserialize, utoipa::ToSchema)]
struct Credentials {
    #[schema(required = true, value_type = String)]
    username: Option<String>,
    #[schema(required = true, value_type = String)]
    password: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/login",
    operation_id = "login",
    tag = "auth",
    security(()),
    summary = "Вход в систему",
    request_body = Credentials,
    params(("oldSessionId" = Option<String>, Cookie, description = "The session this browser had: it ends")),
    responses(
        (status = 200, description = "The user model; the new session in its cookie", body = Profile,
            headers(("Set-Cookie" = String, description = "sessionId=…; HttpOnly; Secure; SameSite=Lax; Path=/"))),
        (status = 400, body = ErrorBody, description = "`missing_fields` «Username and password should be provided»; `body_required`, `invalid_json`"),
        (status = 401, body = ErrorBody, description = "`unauthorized` «Invalid login/password»"),
        (status = 404, body = ErrorBody, description = "`user_not_found`: no user has this username"),
        (status = 429, body = ErrorBody, description = "`too_many_attempts`: this username's failed logins of the last 15 minutes are used up"),
        BodyRefused, Unavailable,
    )
)]
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
