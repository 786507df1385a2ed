//! `POST /api/sso/link` — «Связать с существующей учётной записью»: the password of the account
//! that has the provider's e-mail links the identity to it, and signs the client in.

use super::{
    session_cookie,
    sso_register::{signed_on, SignedOn},
};
use crate::{flow::sso, SignOn};
use lambda_http::{Body, Request, Response};
use serde::Deserialize;
use std::sync::Arc;
use vitrina_shared::{
    http::{cookie, parse_json},
    openapi::{BodyRefused, ErrorBody, Unavailable},
    ApiError,
};

#[derive(Deserialize, utoipa::ToSchema)]
struct LinkForm {
    /// The password of the account that has the provider's e-mail.
    #[schema(required = true, value_type = String)]
    password: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/sso/link",
    operation_id = "sso-link",
    tag = "auth",
    security(()),
    summary = "Связать с существующей учётной записью",
    request_body = LinkForm,
    params(("ssoPending" = Option<String>, Cookie, description = "Set by the callback")),
    responses(
        (status = 200, description = "Linked and signed in", body = SignedOn,
            headers(("Set-Cookie" = String, description = "sessionId=…; ssoPending emptied"))),
        (status = 400, body = ErrorBody, description = "`sso_expired`; `missing_fields`; `wrong_password`; `body_required`, `invalid_json`"),
        (status = 409, body = ErrorBody, description = "`not_linkable`: no account has the provider's verified e-mail; `identity_linked`; `provider_already_linked`"),
        (status = 429, body = ErrorBody, description = "`too_many_attempts`: the account's password checks of the last 15 minutes are used up"),
        BodyRefused, Unavailable,
    )
)]
pub async fn handle(sign_on: Arc<SignOn>, req: Request) -> Result<Response<Body>, ApiError> {
    let form: LinkForm = parse_json(&req)?;
    let token = cookie(&req, sso::PENDING_COOKIE);
    let came_with: Vec<String> = session_cookie(&req).into_iter().collect();
    let (profile, session, return_to) = sso::link_with_password(
        &sign_on,
        token.as_deref(),
        form.password.as_deref(),
        &came_with,
    )
    .await?;
    signed_on(&sign_on, profile, &session, return_to)
}
