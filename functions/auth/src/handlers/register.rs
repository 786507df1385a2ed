//! `POST /api/register` — the spec's "Зарегистрировать нового клиента".

use crate::{
    domain::{password, registration::RegistrationForm},
    store::UserRecord,
    Auth,
};
use lambda_http::{Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, parse_json},
    ApiError, StoreError,
};

pub async fn handle(auth: Arc<Auth>, req: Request) -> Result<Response<Body>, ApiError> {
    let form: RegistrationForm = parse_json(&req)?;
    let user = form
        .validate()
        .map_err(|e| ApiError::bad_request(e.code(), e.message()))?;
    let plain = user.password.clone();
    let password_hash = tokio::task::spawn_blocking(move || password::hash(&plain))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    let record = UserRecord {
        user_id: uuid::Uuid::now_v7().to_string(),
        username: user.profile.username.clone(),
        first_name: user.profile.first_name.clone(),
        last_name: user.profile.last_name.clone(),
        email: user.profile.email.clone(),
        phone: user.profile.phone.clone(),
        password_hash,
        created_at: chrono::Utc::now().to_rfc3339(),
        version: 1,
    };
    let mut attempt = 0;
    loop {
        match auth.store.create_user(&record).await {
            Ok(()) => break,
            Err(StoreError::Conflict) => {
                return Err(ApiError::conflict("user_exists", "User already exists"))
            }
            Err(StoreError::Busy(_)) if attempt < 3 => attempt += 1,
            Err(e) => return Err(ApiError::internal(e)),
        }
    }
    // `user.registered` goes out from the table's stream (handlers::user_events): it leaves
    // only once the user is committed, and a failed send is retried rather than lost.
    tracing::info!(user_id = %record.user_id, "user registered");
    Ok(ok(&user.profile))
}
