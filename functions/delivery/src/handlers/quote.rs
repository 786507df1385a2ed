//! `POST /api/delivery/quote`: a courier's price for the client's address, held 30 minutes for
//! that client only; for the shop's own courier, with the delivery windows of the next days and
//! how many places each has left.

use crate::{
    domain::{self, slot, Quote, QuoteError, QUOTE_MINUTES},
    Delivery,
};
use lambda_http::{Body, Request, Response};
use serde::{Deserialize, Serialize};
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

/// A delivery window as the client picks it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WindowOffer {
    id: String,
    label: String,
    /// Places left; 0 shows the window as taken.
    free: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct QuoteView {
    #[serde(flatten)]
    quote: Quote,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    windows: Vec<WindowOffer>,
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
        zone: address.zone,
        cost,
        days_min: courier.days_min,
        days_max: courier.days_max,
        expires_at: chrono::Utc::now().timestamp() + QUOTE_MINUTES * 60,
    };
    delivery.store.put_quote(&caller.user_id, &quote).await?;
    let windows = if courier.windows {
        let now = chrono::Utc::now();
        let offered = slot::offered(now);
        let (Some(first), Some(last)) = (offered.first(), offered.last()) else {
            return Ok(ok(&QuoteView {
                quote,
                windows: vec![],
            }));
        };
        let taken = delivery
            .store
            .windows_taken(quote.zone, &first.id(), &last.id(), now.timestamp())
            .await?;
        offered
            .iter()
            .map(|w| WindowOffer {
                free: (slot::CAPACITY - taken.get(&w.id()).copied().unwrap_or(0)).max(0),
                id: w.id(),
                label: w.label(),
            })
            .collect()
    } else {
        vec![]
    };
    Ok(ok(&QuoteView { quote, windows }))
}
