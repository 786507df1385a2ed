//! `POST /api/login` — the spec's "запрос на вход в систему".

use super::{now, session_cookie};
use crate::{
    domain::{password, session},
    store::SessionRecord,
    Auth,
};
use lambda_http::{
    http::{header::SET_COOKIE, HeaderValue, StatusCode},
    Body, Request, Response,
};
use serde::Deserialize;
use std::sync::Arc;
use vitrina_shared::{
    http::{cookie, ok, parse_json},
    ApiError,
};

/// Failed logins allowed per username per window before further attempts are refused.
pub const MAX_FAILURES: u32 = 5;
pub const WINDOW_SECONDS: i64 = 15 * 60;

#[derive(Deserialize)]
struct Credentials {
    username: Option<String>,
    password: Option<String>,
}

pub async fn handle(auth: Arc<Auth>, req: Request) -> Result<Response<Body>, ApiError> {
    let creds: Credentials = parse_json(&req)?;
    let (Some(username), Some(password)) = (
        creds
            .username
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty()),
        creds.password.as_deref().filter(|p| !p.is_empty()),
    ) else {
        return Err(ApiError::bad_request(
            "missing_fields",
            "Username and password should be provided",
        ));
    };
    if username.len() > 64 || password.len() > 1024 {
        return Err(ApiError::unauthorized("Invalid login/password"));
    }
    let now = now();
    let user = auth.store.user_by_username(username).await?;
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    let verified = verify_counted(&auth, username, hash, password, now).await?;
    let Some(user) = user else {
        return Err(ApiError::not_found("user_not_found", "Not Found"));
    };
    if !verified {
        return Err(ApiError::unauthorized("Invalid login/password"));
    }

    // The session the browser came with is ended: a fresh id on every login.
    for old in [session_cookie(&req), cookie(&req, session::OLD_COOKIE)]
        .into_iter()
        .flatten()
    {
        if let Some(old_hash) = session::token_hash(&old) {
            auth.store.delete_session(&old_hash, now).await?;
        }
    }
    let token = session::new_token();
    let token_hash = session::token_hash(&token)
        .ok_or_else(|| ApiError::internal("fresh token does not hash"))?;
    auth.store
        .put_session(
            &token_hash,
            &SessionRecord {
                user_id: user.user_id.clone(),
                username: user.username.clone(),
                created_at: now,
                expires_at: now + session::IDLE_SECONDS,
            },
        )
        .await?;
    tracing::info!(user_id = %user.user_id, "logged in");
    let mut resp = ok(&user.profile());
    let cookie = HeaderValue::from_str(&session::set_cookie(&token, auth.secure_cookies))
        .map_err(ApiError::internal)?;
    resp.headers_mut().append(SET_COOKIE, cookie);
    Ok(resp)
}

/// Checks a password against the user's hash (`None`: no such user, and a dummy hash is
/// verified so timing does not tell), counting the attempt first — parallel wrong guesses
/// cannot all find room under the limit — and giving it back when the password is right.
/// 429 `too_many_attempts` once the username's attempts of the window are used up; the same
/// counter guards every place that checks a password (login, an e-mail change).
pub(crate) async fn verify_counted(
    auth: &Auth,
    username: &str,
    hash: Option<String>,
    password: &str,
    now: i64,
) -> Result<bool, ApiError> {
    let window = now / WINDOW_SECONDS;
    let expires_at = (window + 1) * WINDOW_SECONDS;
    if !auth
        .store
        .take_login_attempt(username, window, MAX_FAILURES, expires_at)
        .await?
    {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            "Too many failed login attempts, try again later",
        ));
    }
    let hash = hash.unwrap_or_else(|| password::dummy_hash().to_string());
    let plain = password.to_string();
    let verified = tokio::task::spawn_blocking(move || password::verify(&plain, &hash))
        .await
        .map_err(ApiError::internal)?;
    if verified {
        auth.store.give_back_login_attempt(username, window).await?;
    }
    Ok(verified)
}
