//! `POST /api/delivery/quote`: a courier's price for the client's address, held 30 minutes for
//! that client only.

use crate::{
    domain::{self, Quote, QuoteError, QUOTE_MINUTES},
    Delivery,
};
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

fn quote_error(e: QuoteError) -> ApiError {
    let error = ApiError::bad_request(e.code(), e.message());
    match e.details() {
        Some(details) => error.with_details(details),
        None => error,
    }
}

pub async fn handle(delivery: Arc<Delivery>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let body: QuoteRequest = parse_json(&req)?;
    let courier = body
        .courier_id
        .as_deref()
        .and_then(domain::courier)
        .ok_or_else(|| quote_error(QuoteError::UnknownCourier))?;
    let address =
        domain::parse_address(body.address.as_deref().unwrap_or_default()).map_err(quote_error)?;
    let cost = domain::price(courier, &address).map_err(quote_error)?;
    let quote = Quote {
        quote_id: uuid::Uuid::now_v7().to_string(),
        courier_id: courier.id.into(),
        courier_name: courier.name.into(),
        address: address.text,
        city: address.city,
        cost,
        days_min: courier.days_min,
        days_max: courier.days_max,
        expires_at: chrono::Utc::now().timestamp() + QUOTE_MINUTES * 60,
    };
    delivery.store.put_quote(&caller.user_id, &quote).await?;
    Ok(ok(&quote))
}
