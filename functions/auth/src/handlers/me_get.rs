//! `GET /api/me` — the personal account's data («Личный кабинет»): the profile, and the
//! client's number, what support asks for (and what an operator's tools, such as
//! `vitrina-wallet`, take).

use crate::{domain::registration::Profile, flow::accounts, Auth};
use lambda_http::{Body, Request, Response};
use serde::Serialize;
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, Caller},
    openapi::{ErrorBody, Guarded, Unavailable},
    ApiError,
};

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct Account {
    #[serde(flatten)]
    profile: Profile,
    client_id: String,
}

#[utoipa::path(
    get,
    path = "/api/me",
    operation_id = "me-get",
    tag = "auth",
    summary = "Личный кабинет: данные клиента",
    security(("sessionId" = [])),
    responses(
        (status = 200, description = "The profile and the client's number", body = Account),
        (status = 404, body = ErrorBody, description = "`user_not_found`: the user was deleted under a live session"),
        Guarded, Unavailable,
    )
)]
pub async fn handle(auth: Arc<Auth>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let record = accounts::account(&auth, &caller.user_id).await?;
    Ok(ok(&Account {
        profile: record.profile(),
        client_id: record.user_id,
    }))
}
