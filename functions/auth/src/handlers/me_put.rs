//! `PUT /api/me` — the personal account's changes; an e-mail change asks for the current
//! password.

use crate::{domain::registration::ProfileUpdateForm, flow::accounts, Auth};
use lambda_http::{Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, parse_json, Caller},
    ApiError,
};

pub async fn handle(auth: Arc<Auth>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let form: ProfileUpdateForm = parse_json(&req)?;
    let profile = accounts::update(&auth, &caller.user_id, &form).await?;
    Ok(ok(&profile))
}
