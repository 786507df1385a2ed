//! The HTTP API's Lambda authorizer (payload 2.0, simple responses): the same session check as
//! `GET /api/auth`, handing the user to every protected function in its request context.

use crate::{domain::session, flow::sessions::live_session, Auth};
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

pub async fn handle(
    auth: Arc<Auth>,
    event: ApiGatewayV2CustomAuthorizerV2Request,
) -> Result<ApiGatewayV2CustomAuthorizerSimpleResponse<Caller>, Diagnostic> {
    let token = session_token(&event);
    // An error reading the table must not let anyone in; it is a denial and a log line.
    let found = match live_session(&auth, token.as_deref()).await {
        Ok(found) => found,
        Err(e) => {
            tracing::error!(error = %e, "authorizer could not check the session");
            None
        }
    };
    let mut response = ApiGatewayV2CustomAuthorizerSimpleResponse::default();
    if let Some((_, s)) = found {
        response.is_authorized = true;
        response.context = Caller {
            user_id: s.user_id,
            username: s.username,
        };
    }
    Ok(response)
}
