//! `GET /api/sso/{provider}/callback` — where the provider sends the browser back: signed in,
//! on to registration or linking, or back to the login page with the reason.

use super::{flow_cookie, provider_param, redirect, session_cookie, with_cookie};
use crate::{
    domain::session,
    flow::sso::{self, Callback, Landing},
    SignOn,
};
use lambda_http::{http::StatusCode, Body, Request, RequestExt, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::cookie,
    openapi::{ErrorBody, Unavailable},
    ApiError,
};

#[utoipa::path(
    get,
    path = "/api/sso/{provider}/callback",
    operation_id = "sso-callback",
    tag = "auth",
    security(()),
    summary = "Возврат от провайдера",
    params(
        ("provider" = String, Path),
        ("state" = Option<String>, Query),
        ("code" = Option<String>, Query),
        ("iss" = Option<String>, Query, description = "RFC 9207: the provider that answers"),
        ("error" = Option<String>, Query, description = "The provider's refusal (`access_denied`, …)"),
        ("ssoFlow" = Option<String>, Cookie, description = "The flow this browser started"),
    ),
    responses(
        (status = 303, description = "Signed in: to `returnTo` with a new `sessionId` cookie. A new identity: to `/register?sso={provider}` or `/sso/link` with an `ssoPending` cookie. Linked: to `/account?sso=linked`. Refused (nothing written): to `/login?sso=<reason>` (or `/account?sso=<reason>` when linking) — `state_expired`, `provider_refused`, `sso_failed`, `provider_unavailable`, `email_unverified`, `linked_to_another`, `provider_already_linked`",
            headers(("Location" = String), ("Set-Cookie" = String, description = "ssoFlow emptied; sessionId or ssoPending"))),
        (status = 404, body = ErrorBody, description = "`unknown_provider`"),
        Unavailable,
    )
)]
pub async fn handle(sign_on: Arc<SignOn>, req: Request) -> Result<Response<Body>, ApiError> {
    let provider = provider_param(&req)?;
    let query = req.query_string_parameters();
    let answer = Callback {
        state: query.first("state").map(str::to_string),
        code: query.first("code").map(str::to_string),
        error: query.first("error").map(str::to_string),
        iss: query.first("iss").map(str::to_string),
    };
    let came_with: Vec<String> = session_cookie(&req).into_iter().collect();
    let landing = sso::callback(
        &sign_on,
        &provider,
        &answer,
        cookie(&req, sso::FLOW_COOKIE).as_deref(),
        &came_with,
    )
    .await?;
    let secure = sign_on.auth.secure_cookies;
    let (location, cookie) = match landing {
        Landing::SignedIn { session, return_to } => {
            (return_to, Some(session::set_cookie(&session, secure)))
        }
        Landing::Pending { token, page } => (
            page,
            Some(flow_cookie(
                sso::PENDING_COOKIE,
                &token,
                sso::FLOW_SECONDS,
                secure,
            )),
        ),
        Landing::Linked => ("/account?sso=linked".to_string(), None),
        Landing::Refused { page, why } => (format!("{page}?sso={}", why.code()), None),
    };
    let mut resp = with_cookie(
        redirect(StatusCode::SEE_OTHER, &location)?,
        &flow_cookie(sso::FLOW_COOKIE, "", 0, secure),
    )?;
    if let Some(cookie) = cookie {
        resp = with_cookie(resp, &cookie)?;
    }
    Ok(resp)
}
