//! `GET /api/sso/providers` — the providers a client may sign in with («Войти через …»).

use crate::SignOn;
use lambda_http::{Body, Request, Response};
use serde::Serialize;
use std::sync::Arc;
use vitrina_shared::{http::ok, ApiError};

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ProviderView {
    /// The provider in `/api/sso/{provider}/start`.
    pub id: String,
    pub name: String,
}

#[utoipa::path(
    get,
    path = "/api/sso/providers",
    operation_id = "sso-providers",
    tag = "auth",
    security(()),
    summary = "Провайдеры единого входа",
    responses((status = 200, description = "The configured providers, in the template's order", body = [ProviderView]))
)]
pub async fn handle(sign_on: Arc<SignOn>, _req: Request) -> Result<Response<Body>, ApiError> {
    let list: Vec<ProviderView> = sign_on
        .providers
        .all()
        .map(|p| ProviderView {
            id: p.id.clone(),
            name: p.name.clone(),
        })
        .collect();
    Ok(ok(&list))
}
