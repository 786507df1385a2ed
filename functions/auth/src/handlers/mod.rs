//! One module per function: parse, call the workflow (`crate::flow`), map the result.

pub mod auth;
pub mod authorizer;
pub mod login;
pub mod logout;
pub mod logout_all;
pub mod me_get;
pub mod me_put;
pub mod register;
pub mod sso_callback;
pub mod sso_identities;
pub mod sso_link;
pub mod sso_pending;
pub mod sso_providers;
pub mod sso_register;
pub mod sso_start;
pub mod sso_unlink;
pub mod user_events;

use crate::domain::session;
use lambda_http::http::{
    header::{LOCATION, SET_COOKIE},
    HeaderValue, StatusCode,
};
use lambda_http::{Body, Request, RequestExt, Response};
use vitrina_shared::{http::cookie, ApiError};

pub(crate) fn session_cookie(req: &lambda_http::Request) -> Option<String> {
    cookie(req, session::COOKIE)
}

/// Adds a `Set-Cookie` to an answer.
pub(crate) fn with_cookie(
    mut resp: Response<Body>,
    cookie: &str,
) -> Result<Response<Body>, ApiError> {
    let value = HeaderValue::from_str(cookie).map_err(ApiError::internal)?;
    resp.headers_mut().append(SET_COOKIE, value);
    Ok(resp)
}

/// A redirect of the browser (the single sign-on's navigations).
pub(crate) fn redirect(status: StatusCode, location: &str) -> Result<Response<Body>, ApiError> {
    Response::builder()
        .status(status)
        .header(LOCATION, location)
        .body(Body::Empty)
        .map_err(ApiError::internal)
}

/// A single sign-on cookie: only the `/api/sso` routes see it, HttpOnly, SameSite=Lax (Strict
/// would drop it on the provider's redirect back); an empty value with `max_age` 0 clears it.
pub(crate) fn flow_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/api/sso; Max-Age={max_age}; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The `{provider}` of the path: a provider id's shape, or not found (nothing else reaches a
/// lookup or a key).
pub(crate) fn provider_param(req: &Request) -> Result<String, ApiError> {
    let raw = req
        .path_parameters()
        .first("provider")
        .unwrap_or_default()
        .to_string();
    let shaped = (1..=32).contains(&raw.len())
        && raw
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if shaped {
        Ok(raw)
    } else {
        Err(ApiError::not_found(
            "unknown_provider",
            "No such sign-in provider",
        ))
    }
}
