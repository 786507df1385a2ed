//! `POST /api/sso/register` — the registration form (S1) completed for a provider's identity:
//! the client is registered, linked to it and signed in.

use super::{flow_cookie, session_cookie, with_cookie};
use crate::{
    domain::{
        registration::{Profile, RegistrationForm},
        session,
    },
    flow::sso,
    SignOn,
};
use lambda_http::{Body, Request, Response};
use serde::Serialize;
use std::sync::Arc;
use vitrina_shared::{
    http::{cookie, ok, parse_json},
    openapi::{BodyRefused, ErrorBody, Unavailable},
    ApiError,
};

/// The user model, and where the client was going when they chose the provider.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SignedOn {
    #[serde(flatten)]
    pub profile: Profile,
    pub return_to: String,
}

#[utoipa::path(
    post,
    path = "/api/sso/register",
    operation_id = "sso-register",
    tag = "auth",
    security(()),
    summary = "Зарегистрироваться через провайдера",
    request_body(content = RegistrationForm, description = "As `/api/register`, but `password` may be left out"),
    params(("ssoPending" = Option<String>, Cookie, description = "Set by the callback")),
    responses(
        (status = 200, description = "Registered, linked and signed in", body = SignedOn,
            headers(("Set-Cookie" = String, description = "sessionId=…; ssoPending emptied"))),
        (status = 400, body = ErrorBody, description = "`sso_expired`; `missing_fields`, `invalid_username`, `invalid_email`, `invalid_phone`, `weak_password`, `invalid_name`; `body_required`, `invalid_json`"),
        (status = 409, body = ErrorBody, description = "`user_exists`: the username or e-mail is taken; `identity_linked`"),
        BodyRefused, Unavailable,
    )
)]
pub async fn handle(sign_on: Arc<SignOn>, req: Request) -> Result<Response<Body>, ApiError> {
    let form: RegistrationForm = parse_json(&req)?;
    let token = cookie(&req, sso::PENDING_COOKIE);
    let came_with: Vec<String> = session_cookie(&req).into_iter().collect();
    let (profile, session, return_to) =
        sso::register(&sign_on, token.as_deref(), &form, &came_with).await?;
    signed_on(&sign_on, profile, &session, return_to)
}

/// The answer of a registration or a link through a provider: the user model and where to go,
/// the new session's cookie, the pending identity's emptied.
pub(crate) fn signed_on(
    sign_on: &SignOn,
    profile: Profile,
    session: &str,
    return_to: String,
) -> Result<Response<Body>, ApiError> {
    let secure = sign_on.auth.secure_cookies;
    let resp = with_cookie(
        ok(&SignedOn { profile, return_to }),
        &session::set_cookie(session, secure),
    )?;
    with_cookie(resp, &flow_cookie(sso::PENDING_COOKIE, "", 0, secure))
}
