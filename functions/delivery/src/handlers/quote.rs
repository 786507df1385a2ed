//! `POST /api/delivery/quote`: a courier's price for the client's address, held 30 minutes for
//! that client only; for the shop's own courier, with the delivery windows of the next days and
//! how many places each has left.

use crate::{flow::choice, Delivery};
use lambda_http::{Body, Request, Response};
use serde::Deserialize;
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, parse_json, Caller},
    ApiError,
};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct QuoteRequest {
    courier_id: Option<String>,
    address: Option<String>,
}

pub async fn handle(delivery: Arc<Delivery>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let body: QuoteRequest = parse_json(&req)?;
    let quote = choice::quote(
        &delivery,
        &caller.user_id,
        body.courier_id.as_deref(),
        body.address.as_deref(),
    )
    .await?;
    Ok(ok(&quote))
}
