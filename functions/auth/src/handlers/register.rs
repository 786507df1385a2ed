//! `POST /api/register` — the spec's "Зарегистрировать нового клиента".

use crate::{domain::registration::RegistrationForm, flow::accounts, Auth};
use lambda_http::{Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, parse_json},
    ApiError,
};

pub async fn handle(auth: Arc<Auth>, req: Request) -> Result<Response<Body>, ApiError> {
    let form: RegistrationForm = parse_json(&req)?;
    let profile = accounts::register(&auth, &form).await?;
    Ok(ok(&profile))
}
