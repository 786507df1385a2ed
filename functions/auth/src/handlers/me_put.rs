//! `PUT /api/me` — the personal account's changes; an e-mail change asks for the current
//! password.

use crate::{
    domain::registration::{Profile, ProfileUpdateForm},
    flow::accounts,
    Auth,
};
use lambda_http::{Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, parse_json, Caller},
    openapi::{BodyRefused, ErrorBody, Guarded, Unavailable},
    ApiError,
};

#[utoipa::path(
    put,
    path = "/api/me",
    operation_id = "me-put",
    tag = "auth",
    summary = "Личный кабинет: изменить данные",
    security(("sessionId" = [])),
    request_body = ProfileUpdateForm,
    responses(
        (status = 200, description = "The profile as it is now", body = Profile),
        (status = 400, body = ErrorBody, description = "`missing_fields` (an e-mail cannot be removed), `invalid_email`, `invalid_phone`, `invalid_name`, `current_password_required`, `wrong_password` (the current password, asked for an e-mail change, is wrong); `body_required`, `invalid_json`"),
        (status = 404, body = ErrorBody, description = "`user_not_found`"),
        (status = 409, body = ErrorBody, description = "`email_taken`, `profile_changed`"),
        (status = 429, body = ErrorBody, description = "`too_many_attempts`"),
        BodyRefused, Guarded, Unavailable,
    )
)]
pub async fn handle(auth: Arc<Auth>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let form: ProfileUpdateForm = parse_json(&req)?;
    let profile = accounts::update(&auth, &caller.user_id, &form).await?;
    Ok(ok(&profile))
}
