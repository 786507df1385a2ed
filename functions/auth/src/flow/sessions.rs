//! Sessions: a login opens one (an opaque token; the table keeps its hash), every request's
//! check slides it forward, a logout ends it or all of the client's. Every password check —
//! a login, an e-mail change — is counted against the username's attempts.

use super::{now, AuthError};
use crate::{
    domain::{password, registration::Profile, session},
    store::{SessionRecord, UserRecord},
    Auth,
};

/// Failed logins allowed per username per window before further attempts are refused.
pub const MAX_FAILURES: u32 = 5;
pub const WINDOW_SECONDS: i64 = 15 * 60;

/// A new session of the user whose password this is. The sessions the browser came with
/// (`ended`) end: a fresh id on every login.
pub async fn login(
    auth: &Auth,
    username: Option<&str>,
    password: Option<&str>,
    ended: &[String],
) -> Result<(Profile, String), AuthError> {
    let (Some(username), Some(password)) = (
        username.map(str::trim).filter(|u| !u.is_empty()),
        password.filter(|p| !p.is_empty()),
    ) else {
        return Err(AuthError::MissingCredentials);
    };
    if username.len() > 64 || password.len() > 1024 {
        return Err(AuthError::InvalidCredentials);
    }
    let now = now();
    let user = auth.store.user_by_username(username).await?;
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    let verified = verify_counted(auth, username, hash, password, now).await?;
    let Some(user) = user else {
        return Err(AuthError::UserNotFound);
    };
    if !verified {
        return Err(AuthError::InvalidCredentials);
    }
    let token = open(auth, &user, ended).await?;
    tracing::info!(user_id = %user.user_id, "logged in");
    Ok((user.profile(), token))
}

/// A new session of `user`: the sessions the browser came with (`ended`) end, so every sign-in
/// — by password or through a provider — gets a fresh id. Answers the token for the cookie.
pub async fn open(auth: &Auth, user: &UserRecord, ended: &[String]) -> Result<String, AuthError> {
    let now = now();
    for old in ended {
        if let Some(old_hash) = session::token_hash(old) {
            auth.store.delete_session(&old_hash, now).await?;
        }
    }
    let token = session::new_token();
    let token_hash = session::token_hash(&token)
        .ok_or_else(|| AuthError::Bug("a fresh token does not hash".into()))?;
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
    Ok(token)
}

/// Checks a password against the user's hash (`None`: no such user, and a dummy hash is
/// verified so timing does not tell), counting the attempt first — parallel wrong guesses
/// cannot all find room under the limit — and giving it back when the password is right.
/// `TooManyAttempts` once the username's attempts of the window are used up.
pub async fn verify_counted(
    auth: &Auth,
    username: &str,
    hash: Option<String>,
    password: &str,
    now: i64,
) -> Result<bool, AuthError> {
    let window = now / WINDOW_SECONDS;
    let expires_at = (window + 1) * WINDOW_SECONDS;
    if !auth
        .store
        .take_login_attempt(username, window, MAX_FAILURES, expires_at)
        .await?
    {
        return Err(AuthError::TooManyAttempts);
    }
    // A client who registered through a provider may have no password (an empty hash): the
    // dummy is verified all the same, so the time taken does not tell, and never counts.
    let has_password = hash.as_deref().is_some_and(|h| !h.is_empty());
    let hash = hash
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| password::dummy_hash().to_string());
    let plain = password.to_string();
    let verified = tokio::task::spawn_blocking(move || password::verify(&plain, &hash))
        .await
        .map_err(|e| AuthError::Bug(e.to_string()))?
        && has_password;
    if verified {
        auth.store.give_back_login_attempt(username, window).await?;
    }
    Ok(verified)
}

/// The live session behind a cookie value, sliding its expiry forward.
pub async fn live_session(
    auth: &Auth,
    token: Option<&str>,
) -> Result<Option<(String, SessionRecord)>, AuthError> {
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

/// The user of a live session (`/auth`): the spec's 401 without one.
pub async fn signed_in(auth: &Auth, token: Option<&str>) -> Result<UserRecord, AuthError> {
    let unauthorized = || AuthError::NotAuthorized("User not authorized");
    let (_, session) = live_session(auth, token).await?.ok_or_else(unauthorized)?;
    auth.store
        .user(&session.user_id)
        .await?
        .ok_or_else(unauthorized)
}

/// Ends the session of `token`; the spec's 401 when there was none.
pub async fn logout(auth: &Auth, token: Option<&str>) -> Result<(), AuthError> {
    let ended = match token.and_then(session::token_hash) {
        Some(hash) => auth.store.delete_session(&hash, now()).await?,
        None => false,
    };
    match ended {
        true => Ok(()),
        false => Err(AuthError::NotAuthorized("Not authorized")),
    }
}

/// "Выйти на всех устройствах": every session of the user; how many there were.
pub async fn logout_everywhere(auth: &Auth, user_id: &str) -> Result<usize, AuthError> {
    let ended = auth.store.delete_sessions_of(user_id).await?;
    tracing::info!(%user_id, ended, "logged out everywhere");
    Ok(ended)
}
