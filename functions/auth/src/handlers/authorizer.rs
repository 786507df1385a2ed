//! The HTTP API's Lambda authorizer (payload 2.0, simple responses), handing the user to every
//! protected function in its request context: a browser's session — the same check as
//! `GET /api/auth` — or, as a resource server (RFC 9068), a provider's access token for the
//! shop's API in `Authorization: Bearer`, whose `(issuer, subject)` is linked to a client here.
//! Both give the same caller context; anything else is refused (API Gateway's 403).

use crate::{domain::session, flow::sessions::live_session, SignOn};
use aws_lambda_events::apigw::{
    ApiGatewayV2CustomAuthorizerSimpleResponse, ApiGatewayV2CustomAuthorizerV2Request,
};
use lambda_runtime::Diagnostic;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use vitrina_shared::http::cookie_from_headers;

/// What every protected function finds under `requestContext.authorizer.lambda`.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Caller {
    pub user_id: String,
    pub username: String,
}

/// The session cookie: API Gateway passes cookies apart from the other headers (payload 2.0);
/// a `Cookie` header is read too, as `sam local` and tests may send one.
fn session_token(event: &ApiGatewayV2CustomAuthorizerV2Request) -> Option<String> {
    let from_cookies = event
        .cookies
        .iter()
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == session::COOKIE)
        .map(|(_, v)| v.to_string());
    from_cookies
        .or_else(|| cookie_from_headers(event.headers.get_all("cookie").iter(), session::COOKIE))
}

/// The access token of `Authorization: Bearer …`, if the request carries one.
fn bearer_token(event: &ApiGatewayV2CustomAuthorizerV2Request) -> Option<String> {
    let value = event.headers.get("authorization")?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty())
        .then(|| token.trim().to_string())
}

pub async fn handle(
    sign_on: Arc<SignOn>,
    event: ApiGatewayV2CustomAuthorizerV2Request,
) -> Result<ApiGatewayV2CustomAuthorizerSimpleResponse<Caller>, Diagnostic> {
    // An error reading the table or the provider's keys must not let anyone in; it is a
    // denial and a log line.
    let caller = match bearer_token(&event) {
        Some(token) => match by_access_token(&sign_on, &token).await {
            Ok(caller) => caller,
            Err(why) => {
                tracing::info!(%why, "access token refused");
                None
            }
        },
        None => match live_session(&sign_on.auth, session_token(&event).as_deref()).await {
            Ok(found) => found.map(|(_, s)| Caller {
                user_id: s.user_id,
                username: s.username,
            }),
            Err(e) => {
                tracing::error!(error = %e, "authorizer could not check the session");
                None
            }
        },
    };
    let mut response = ApiGatewayV2CustomAuthorizerSimpleResponse::default();
    if let Some(caller) = caller {
        response.is_authorized = true;
        response.context = caller;
    }
    Ok(response)
}

/// The client a provider's access token speaks for: its identity must be linked here (the spec:
/// "in any case the client's account is looked up in the local database").
async fn by_access_token(sign_on: &SignOn, token: &str) -> Result<Option<Caller>, String> {
    let (issuer, subject) = sign_on
        .providers
        .access_token_subject(token)
        .await
        .map_err(|e| e.to_string())?;
    let store = &sign_on.auth.store;
    let Some(user_id) = store
        .identity_owner(&issuer, &subject)
        .await
        .map_err(|e| e.to_string())?
    else {
        return Err(format!("{issuer} {subject} is linked to no client"));
    };
    let user = store.user(&user_id).await.map_err(|e| e.to_string())?;
    Ok(user.map(|u| Caller {
        user_id: u.user_id,
        username: u.username,
    }))
}
