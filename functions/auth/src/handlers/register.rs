//! `POST /api/register` — the spec's "Зарегистрировать нового клиента".

use crate::{
    domain::{password, registration::RegistrationForm},
    store::{StoreError, UserRecord},
    Auth,
};
use lambda_http::{Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    envelope::{Envelope, UserRegistered, USER_REGISTERED},
    http::{ok, parse_json},
    ApiError,
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
            Err(StoreError::Exists) => {
                return Err(ApiError::conflict("user_exists", "User already exists"))
            }
            Err(StoreError::Conflict) if attempt < 3 => attempt += 1,
            Err(e) => return Err(ApiError::internal(e)),
        }
    }
    tracing::info!(user_id = %record.user_id, "user registered");
    announce(&auth, &record, &req).await;
    Ok(ok(&user.profile))
}

/// Asks billing for a wallet and notification for an account. The user is already saved, so a
/// failed send is logged for the operators' alarm rather than failing the registration; the
/// consumers are idempotent, so a replay from the log is safe.
async fn announce(auth: &Auth, user: &UserRecord, req: &Request) {
    let correlation = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .unwrap_or_else(|| user.user_id.clone());
    let message = Envelope::new(
        USER_REGISTERED,
        correlation,
        UserRegistered {
            user_id: user.user_id.clone(),
            username: user.username.clone(),
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            email: user.email.clone(),
            phone: user.phone.clone(),
        },
    );
    let body = match serde_json::to_string(&message) {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, user_id = %user.user_id, "cannot encode user.registered");
            return;
        }
    };
    for queue in &auth.registration_queues {
        if let Err(e) = auth
            .sqs
            .send_message()
            .queue_url(queue)
            .message_body(&body)
            .send()
            .await
        {
            tracing::error!(error = ?e, queue, user_id = %user.user_id, message_id = %message.id,
                "user.registered not sent");
        }
    }
}
