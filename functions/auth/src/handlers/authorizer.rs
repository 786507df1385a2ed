//! The HTTP API's Lambda authorizer (payload 2.0, simple responses): the same session check as
//! `GET /api/auth`, handing the user to every protected function in its request context.

use super::live_session;
use crate::{domain::session, Auth};
use lambda_runtime::Diagnostic;
use serde::Deserialize;
use serde_json::{json, Value};
use std::{collections::HashMap, sync::Arc};
use vitrina_shared::http::cookie_from_headers;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthorizerRequest {
    #[serde(default)]
    pub cookies: Vec<String>,
    #[serde(default)]
    pub headers: HashMap<String, String>,
}

impl AuthorizerRequest {
    fn session_token(&self) -> Option<String> {
        let from_cookies = self
            .cookies
            .iter()
            .filter_map(|c| c.trim().split_once('='))
            .find(|(k, _)| *k == session::COOKIE)
            .map(|(_, v)| v.to_string());
        from_cookies.or_else(|| {
            let header = self
                .headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("cookie"))
                .and_then(|(_, v)| lambda_http::http::HeaderValue::from_str(v).ok())?;
            cookie_from_headers(std::iter::once(&header), session::COOKIE)
        })
    }
}

pub async fn handle(auth: Arc<Auth>, event: AuthorizerRequest) -> Result<Value, Diagnostic> {
    let token = event.session_token();
    // An error reading the table must not let anyone in; it is a denial and a log line.
    let found = match live_session(&auth, token.as_deref()).await {
        Ok(found) => found,
        Err(e) => {
            tracing::error!(error = %e, "authorizer could not check the session");
            None
        }
    };
    Ok(match found {
        Some((_, s)) => json!({
            "isAuthorized": true,
            "context": {"userId": s.user_id, "username": s.username},
        }),
        None => json!({"isAuthorized": false, "context": {}}),
    })
}
