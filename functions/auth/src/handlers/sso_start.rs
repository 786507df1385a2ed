//! `GET /api/sso/{provider}/start` — the browser sent to the provider's login page, with a
//! flow bound to it by a cookie.

use super::{flow_cookie, provider_param, redirect, session_cookie, with_cookie};
use crate::{
    flow::{sessions, sso},
    SignOn,
};
use lambda_http::{http::StatusCode, Body, Request, RequestExt, Response};
use std::sync::Arc;
use vitrina_shared::{openapi::ErrorBody, ApiError};

#[utoipa::path(
    get,
    path = "/api/sso/{provider}/start",
    operation_id = "sso-start",
    tag = "auth",
    security(()),
    summary = "Войти через провайдера",
    params(
        ("provider" = String, Path, description = "A provider of `/api/sso/providers`"),
        ("returnTo" = Option<String>, Query, description = "A path of the shop to come back to (`/` when left out)"),
        ("link" = Option<bool>, Query, description = "`true`: link the identity to the signed-in client («Личный кабинет»)"),
        ("sessionId" = Option<String>, Cookie, description = "The session, when linking"),
    ),
    responses(
        (status = 302, description = "To the provider's authorization endpoint (state, nonce, PKCE S256)",
            headers(("Location" = String), ("Set-Cookie" = String, description = "ssoFlow=…; Path=/api/sso; Max-Age=600; HttpOnly; SameSite=Lax; Secure"))),
        (status = 400, body = ErrorBody, description = "`invalid_return_to`: not a path of the shop"),
        (status = 401, body = ErrorBody, description = "`unauthorized`: linking asked for without a live session"),
        (status = 404, body = ErrorBody, description = "`unknown_provider`"),
        (status = 503, body = ErrorBody, description = "`provider_unavailable`: its discovery document could not be read; `unavailable`"),
    )
)]
pub async fn handle(sign_on: Arc<SignOn>, req: Request) -> Result<Response<Body>, ApiError> {
    let provider = provider_param(&req)?;
    let query = req.query_string_parameters();
    let linking = match query.first("link") {
        Some("true") => {
            let session = sessions::live_session(&sign_on.auth, session_cookie(&req).as_deref())
                .await?
                .ok_or_else(|| ApiError::unauthorized("Sign in to link a provider"))?;
            Some(session.1.user_id)
        }
        _ => None,
    };
    let started = sso::start(&sign_on, &provider, query.first("returnTo"), linking).await?;
    with_cookie(
        redirect(StatusCode::FOUND, &started.location)?,
        &flow_cookie(
            sso::FLOW_COOKIE,
            &started.browser,
            sso::FLOW_SECONDS,
            sign_on.auth.secure_cookies,
        ),
    )
}
