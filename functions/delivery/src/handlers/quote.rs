//! `POST /api/delivery/quote`: a courier's price for the client's address, held 30 minutes for
//! that client only; for the shop's own courier, with the delivery windows of the next days and
//! how many places each has left.

use crate::{
    flow::choice::{self, QuoteView},
    Delivery,
};
use lambda_http::{Body, Request, Response};
use serde::Deserialize;
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, parse_json, Caller},
    openapi::{BodyRefused, ErrorBody, Guarded, Unavailable},
    ApiError,
};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct QuoteRequest {
    #[schema(required = true, value_type = String)]
    courier_id: Option<String>,
    #[schema(required = true, value_type = String)]
    address: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/delivery/quote",
    operation_id = "quote",
    tag = "delivery",
    summary = "Стоимость доставки курьером",
    security(("sessionId" = [])),
    request_body = QuoteRequest,
    responses(
        (status = 200, description = "The price, held 30 minutes for this client; the own courier's windows with their free places", body = QuoteView),
        (status = 400, body = ErrorBody, description = "`unknown_courier`, `invalid_address`, `city_not_served` (details: city), `courier_not_in_city` (details: courier, city); `body_required`, `invalid_json`"),
        BodyRefused, Guarded, Unavailable,
    )
)]
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
