//! `GET /api/me/identities` — «Личный кабинет» → «Вход через…»: the providers, which are
//! linked, and whether the account has a password.

use crate::{
    flow::sso::{self, SignInWays},
    SignOn,
};
use lambda_http::{Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, Caller},
    openapi::{ErrorBody, Guarded, Unavailable},
    ApiError,
};

#[utoipa::path(
    get,
    path = "/api/me/identities",
    operation_id = "sso-identities",
    tag = "auth",
    summary = "Личный кабинет: вход через провайдеров",
    security(("sessionId" = [])),
    responses(
        (status = 200, description = "Every provider, linked or not", body = SignInWays),
        (status = 404, body = ErrorBody, description = "`user_not_found`"),
        Guarded, Unavailable,
    )
)]
pub async fn handle(sign_on: Arc<SignOn>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    Ok(ok(&sso::ways_in(&sign_on, &caller.user_id).await?))
}
