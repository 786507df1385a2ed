//! The courier companies the shop does not run (СДЭК, Почта России), through the courier
//! aggregator's booking API: delivery's one adapter to them. Pointed by configuration
//! (`COURIER_API_URL`) at the aggregator in AWS and at the local platform's courier sandbox in
//! `make run` / `make test` (`local/src/couriers.rs`).
//!
//! The client's choice pre-books (`pending`: the courier keeps the capacity for a while), the
//! paid order's delivery case confirms, a cancelled case cancels. Creating carries an
//! `Idempotence-Key` derived from what causes it (the order and its quote), and a call that got
//! no answer is made again with it: the API answers the first booking, so nothing is booked
//! twice. Confirming and cancelling are the same whenever repeated.

use serde::Deserialize;
use serde_json::{json, Value};
use std::time::Duration;
use vitrina_shared::secrets::JsonSecret;

const ATTEMPTS: u32 = 3;

/// A booking as the API answers it.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Booking {
    pub id: String,
    /// `pending`, `confirmed`, `cancelled` or `expired`.
    pub status: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CourierError {
    /// The API said no (`code`: `not_deliverable`, `booking_expired`, `booking_cancelled`, …):
    /// asking again gets the same answer.
    #[error("the courier refused ({code}): {message}")]
    Refused { code: String, message: String },
    /// No answer, or an answer that is not the API's: a retry may succeed.
    #[error("the courier API is unavailable: {0}")]
    Unavailable(String),
}

impl CourierError {
    /// The company knows no such booking (never made, or long gone): nothing is booked there.
    pub fn no_such_booking(&self) -> bool {
        matches!(self, Self::Refused { code, .. } if code == "not_found")
    }
}

/// The API's token: a Secrets Manager secret `{"token": …}`, read at the first call that needs
/// it and kept for the process's life (a rotated token reaches new instances without a deploy).
pub type Token = JsonSecret<Secret>;

pub struct CourierApi {
    http: reqwest::Client,
    api_url: String,
    token: Token,
}

#[derive(Deserialize)]
pub struct Secret {
    token: String,
}

impl CourierApi {
    pub fn new(api_url: &str, token: Token, timeout: Duration) -> Result<Self, CourierError> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(|e| CourierError::Unavailable(e.to_string()))?;
        Ok(Self {
            http,
            api_url: api_url.trim_end_matches('/').to_string(),
            token,
        })
    }

    /// The `Authorization` header; the secret unread → `Unavailable` (a retry reads it again).
    async fn authorization(&self) -> Result<String, CourierError> {
        let secret = self
            .token
            .get()
            .await
            .map_err(|e| CourierError::Unavailable(e.to_string()))?;
        Ok(format!("Bearer {}", secret.token))
    }

    /// The pre-booking of an order's delivery by `carrier` (`cdek`, `pochta`); `key` names
    /// what causes it, so the same choice books once.
    pub async fn prebook(
        &self,
        key: &str,
        carrier: &str,
        order_number: &str,
        city: &str,
        address: &str,
    ) -> Result<Booking, CourierError> {
        let body = json!({
            "carrier": carrier, "orderNumber": order_number, "city": city, "address": address,
        });
        self.post("/bookings", Some(key), Some(body)).await
    }

    /// The paid order's booking for good; `Refused` when it expired or was cancelled.
    pub async fn confirm(&self, booking_id: &str) -> Result<Booking, CourierError> {
        self.post(&format!("/bookings/{booking_id}/confirm"), None, None)
            .await
    }

    pub async fn cancel(&self, booking_id: &str) -> Result<Booking, CourierError> {
        self.post(&format!("/bookings/{booking_id}/cancel"), None, None)
            .await
    }

    async fn post(
        &self,
        path: &str,
        key: Option<&str>,
        body: Option<Value>,
    ) -> Result<Booking, CourierError> {
        let authorization = self.authorization().await?;
        let mut last = String::new();
        for attempt in 1..=ATTEMPTS {
            if attempt > 1 {
                tokio::time::sleep(Duration::from_millis(200 * u64::from(attempt))).await;
            }
            let mut request = self
                .http
                .post(format!("{}{path}", self.api_url))
                .header("Authorization", &authorization);
            if let Some(key) = key {
                request = request.header("Idempotence-Key", key);
            }
            if let Some(body) = &body {
                request = request.json(body);
            }
            let response = match request.send().await {
                Ok(r) => r,
                Err(e) => {
                    last = e.to_string();
                    continue;
                }
            };
            let status = response.status();
            let text = response.text().await.unwrap_or_default();
            if status.is_server_error() || status.as_u16() == 429 {
                last = format!("{status}: {text}");
                continue;
            }
            if status.is_success() {
                return serde_json::from_str(&text).map_err(|e| {
                    CourierError::Unavailable(format!("not a booking ({e}): {text}"))
                });
            }
            let answer: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            return Err(CourierError::Refused {
                code: answer["code"].as_str().unwrap_or("refused").to_string(),
                message: answer["description"].as_str().unwrap_or(&text).to_string(),
            });
        }
        Err(CourierError::Unavailable(last))
    }
}
