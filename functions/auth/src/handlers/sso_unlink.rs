//! `DELETE /api/me/identities/{provider}` — a provider unlinked from the caller's account,
//! never the last way in.

use super::provider_param;
use crate::{flow::sso, SignOn};
use lambda_http::{http::StatusCode, Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::Caller,
    openapi::{ErrorBody, Guarded, Unavailable},
    ApiError,
};

#[utoipa::path(
    delete,
    path = "/api/me/identities/{provider}",
    operation_id = "sso-unlink",
    tag = "auth",
    summary = "Личный кабинет: отвязать провайдера",
    security(("sessionId" = [])),
    params(("provider" = String, Path)),
    responses(
        (status = 204, description = "Unlinked"),
        (status = 404, body = ErrorBody, description = "`identity_not_linked`, `unknown_provider`, `user_not_found`"),
        (status = 409, body = ErrorBody, description = "`last_way_in`: no password and no other provider; `profile_changed`: the ways in changed meanwhile"),
        Guarded, Unavailable,
    )
)]
pub async fn handle(sign_on: Arc<SignOn>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let provider = provider_param(&req)?;
    sso::unlink(&sign_on, &caller.user_id, &provider).await?;
    Response::builder()
        .status(StatusCode::NO_CONTENT)
        .body(Body::Empty)
        .map_err(ApiError::internal)
}
