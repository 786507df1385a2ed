//! One module per endpoint: parse, call the domain and the store, map the result.

pub mod authorizer;
pub mod check;
pub mod login;
pub mod logout;
pub mod me;
pub mod register;
pub mod user_events;

use crate::{domain::session, store::SessionRecord, Auth};
use vitrina_shared::{http::cookie, ApiError};

pub(crate) fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The live session behind a cookie value, sliding its expiry forward.
pub(crate) async fn live_session(
    auth: &Auth,
    token: Option<&str>,
) -> Result<Option<(String, SessionRecord)>, ApiError> {
    let Some(hash) = token.and_then(session::token_hash) else {
        return Ok(None);
    };
    let now = now();
    let Some(found) = auth.store.session(&hash, now).await? else {
        return Ok(None);
    };
    if let Some(expiry) = session::refreshed_expiry(now, found.expires_at, found.created_at) {
        auth.store.touch_session(&hash, expiry).await?;
    }
    Ok(Some((hash, found)))
}

pub(crate) fn session_cookie(req: &lambda_http::Request) -> Option<String> {
    cookie(req, session::COOKIE)
}
