//! `GET /api/me`, `PUT /api/me` — the personal account's data ("Личный кабинет").

use super::{login::verify_counted, now};
use crate::{domain::registration::ProfileUpdateForm, store::UserRecord, Auth};
use lambda_http::{http::StatusCode, Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, parse_json, Caller},
    ApiError, StoreError,
};

/// The caller's own record; gone only if the user was deleted under a live session.
async fn caller_record(auth: &Auth, caller: &Caller) -> Result<UserRecord, ApiError> {
    auth.store
        .user(&caller.user_id)
        .await?
        .ok_or_else(|| ApiError::not_found("user_not_found", "Not Found"))
}

/// The profile, and the client's number: what support asks for (and what an operator's tools,
/// such as `vitrina-wallet`, take).
pub async fn get(auth: Arc<Auth>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let record = caller_record(&auth, &caller).await?;
    let mut body = serde_json::to_value(record.profile()).map_err(ApiError::internal)?;
    body["clientId"] = serde_json::Value::String(record.user_id);
    Ok(ok(&body))
}

pub async fn put(auth: Arc<Auth>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let form: ProfileUpdateForm = parse_json(&req)?;
    let user = caller_record(&auth, &caller).await?;
    let update = form
        .apply(&user.profile())
        .map_err(|e| ApiError::bad_request(e.code(), e.message()))?;
    if update.email.to_lowercase() != user.email.to_lowercase() {
        let password = form
            .current_password
            .as_deref()
            .filter(|p| !p.is_empty() && p.len() <= 1024)
            .ok_or_else(|| {
                ApiError::bad_request(
                    "current_password_required",
                    "The current password is required to change the e-mail",
                )
                .with_details(serde_json::json!({"field": "currentPassword"}))
            })?;
        let hash = Some(user.password_hash.clone());
        if !verify_counted(&auth, &user.username, hash, password, now()).await? {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "wrong_password",
                "The current password is wrong",
            )
            .with_details(serde_json::json!({"field": "currentPassword"})));
        }
    }
    match auth.store.update_profile(&user, &update).await {
        Ok(()) => {}
        // Either the e-mail is taken or the profile changed meanwhile; re-read to tell which.
        Err(StoreError::Conflict | StoreError::Busy(_)) => {
            let fresh = auth.store.user(&caller.user_id).await.ok().flatten();
            return Err(match fresh {
                Some(f) if f.version != user.version => ApiError::conflict(
                    "profile_changed",
                    "Profile was changed elsewhere, reload and try again",
                ),
                _ => ApiError::conflict("email_taken", "Email is already in use"),
            });
        }
        Err(e) => return Err(ApiError::internal(e)),
    }
    Ok(ok(&caller_record(&auth, &caller).await?.profile()))
}
