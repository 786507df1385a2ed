//! One module per function: parse, call the workflow (`crate::flow`), map the result.

pub mod auth;
pub mod authorizer;
pub mod login;
pub mod logout;
pub mod logout_all;
pub mod me_get;
pub mod me_put;
pub mod register;
pub mod user_events;

use crate::domain::session;
use lambda_http::http::{header::SET_COOKIE, HeaderValue};
use lambda_http::{Body, Response};
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
