//! `GET /api/delivery/options`, `POST /api/delivery/quote` and the internal `choose` (order
//! invokes it when the client settles how the order travels).

use crate::{
    domain::{self, QuoteError, PICKUP_POINTS},
    Delivery,
};
use lambda_http::{Body, Request, Response};
use lambda_runtime::Diagnostic;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, parse_json, Caller},
    keys,
    runtime::error,
    table, ApiError,
};

/// How long a courier price holds: long enough to fill in the rest of checkout.
const QUOTE_MINUTES: i64 = 30;

pub async fn options(_: Arc<Delivery>, _req: Request) -> Result<Response<Body>, ApiError> {
    Ok(ok(&json!({
        "pickupPoints": PICKUP_POINTS,
        "couriers": domain::COURIERS,
    })))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct QuoteRequest {
    courier_id: Option<String>,
    address: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Quote {
    pub quote_id: String,
    pub courier_id: String,
    pub courier_name: String,
    pub address: String,
    pub city: String,
    /// Kopecks.
    pub cost: i64,
    pub days_min: u32,
    pub days_max: u32,
    /// Epoch seconds; also the item's TTL.
    pub expires_at: i64,
}

fn quote_error(e: QuoteError) -> ApiError {
    ApiError::bad_request(e.code(), e.message())
}

pub async fn quote(delivery: Arc<Delivery>, req: Request) -> Result<Response<Body>, ApiError> {
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
    let item = table::item(
        keys::delivery::quote(&caller.user_id, &quote.quote_id),
        &quote,
    )
    .map_err(ApiError::internal)?;
    delivery
        .db
        .put_item()
        .table_name(&delivery.table)
        .set_item(Some(item))
        .send()
        .await
        .map_err(ApiError::internal)?;
    Ok(ok(&quote))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChooseRequest {
    pub user_id: String,
    pub order_id: String,
    pub method: String,
    #[serde(default)]
    pub pickup_point_id: Option<String>,
    #[serde(default)]
    pub quote_id: Option<String>,
}

/// The delivery settled for an order: what order shows and adds to the total.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Choice {
    pub method: String,
    /// One line for the client: "Пункт выдачи: …" / "Курьер СДЭК: адрес".
    pub label: String,
    pub address: String,
    pub cost: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pickup_point_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub courier_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote_id: Option<String>,
}

/// Errors carry the client's message: order passes it on as the 4xx body.
pub async fn choose(delivery: Arc<Delivery>, req: ChooseRequest) -> Result<Choice, Diagnostic> {
    let choice = match req.method.as_str() {
        "pickup" => {
            let point = req
                .pickup_point_id
                .as_deref()
                .and_then(domain::pickup_point)
                .ok_or_else(|| error("InvalidChoice", "Выберите пункт выдачи из списка"))?;
            Choice {
                method: "pickup".into(),
                label: format!("Пункт выдачи «{}»", point.name),
                address: point.address.into(),
                cost: 0,
                pickup_point_id: Some(point.id.into()),
                courier_id: None,
                quote_id: None,
            }
        }
        "courier" => {
            let quote_id = req
                .quote_id
                .as_deref()
                .ok_or_else(|| error("InvalidChoice", "Сначала узнайте стоимость доставки"))?;
            let quote: Quote = table::get(
                &delivery.db,
                &delivery.table,
                keys::delivery::quote(&req.user_id, quote_id),
                true,
            )
            .await
            .map_err(|e| error("DeliveryUnavailable", e))?
            .ok_or_else(|| {
                error(
                    "QuoteNotFound",
                    "Стоимость доставки не найдена: узнайте её ещё раз",
                )
            })?;
            // TTL deletion lags; the expiry itself is what counts.
            if quote.expires_at < chrono::Utc::now().timestamp() {
                return Err(error(
                    "QuoteExpired",
                    "Стоимость доставки устарела: узнайте её ещё раз",
                ));
            }
            Choice {
                method: "courier".into(),
                label: format!(
                    "Курьер «{}», {}–{} дн.",
                    quote.courier_name, quote.days_min, quote.days_max
                ),
                address: quote.address,
                cost: quote.cost,
                pickup_point_id: None,
                courier_id: Some(quote.courier_id),
                quote_id: Some(quote.quote_id),
            }
        }
        _ => {
            return Err(error(
                "InvalidChoice",
                "Выберите доставку курьером или пункт выдачи",
            ))
        }
    };
    // The preliminary booking: the latest choice for the order wins, so a retry is harmless.
    let item = table::item(
        keys::delivery::booking(&req.user_id, &req.order_id),
        &choice,
    )
    .map_err(|e| error("DeliveryUnavailable", e))?;
    delivery
        .db
        .put_item()
        .table_name(&delivery.table)
        .set_item(Some(item))
        .send()
        .await
        .map_err(|e| error("DeliveryUnavailable", format!("{e:?}")))?;
    tracing::info!(user_id = %req.user_id, order_id = %req.order_id, method = %choice.method, cost = choice.cost, "delivery chosen");
    Ok(choice)
}
