//! `POST /api/register` — the spec's "Зарегистрировать нового клиента".

use crate::{
    domain::registration::{Profile, RegistrationForm},
    flow::accounts,
    Auth,
};
use lambda_http::{Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::openapi::{BodyRefused, ErrorBody, Unavailable};
use vitrina_shared::{
    http::{ok, parse_json},
    ApiError,
};

#[utoipa::path(
    post,
    path = "/api/register",
    operation_id = "register",
    tag = "auth",
    security(()),
    summary = "Зарегистрировать нового клиента",
    request_body = RegistrationForm,
    responses(
        (status = 200, description = "The user model", body = Profile),
        (status = 400, body = ErrorBody, description = "`missing_fields` «Username, password, email should be provided»; `invalid_username`, `invalid_email`, `invalid_phone`, `weak_password`, `invalid_name`; `body_required`, `invalid_json`"),
        (status = 409, body = ErrorBody, description = "`user_exists` «User already exists»"),
        BodyRefused, Unavailable,
    )
)]
pub async fn handle(auth: Arc<Auth>, req: Request) -> Result<Response<Body>, ApiError> {
    let form: RegistrationForm = parse_json(&req)?;
    let profile = accounts::register(&auth, &form).await?;
    Ok(ok(&profile))
}
