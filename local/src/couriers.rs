//! The courier companies' booking API, as the local platform's sandbox (`/_couriers/v1` on the
//! shop's port): what
//! delivery's adapter (`functions/delivery/src/couriers.rs`) talks to in `make run` and
//! `make test`, as it talks to the courier aggregator's API in AWS. A booking is made
//! `pending` when the client chooses the courier (the pre-booking: the courier keeps the
//! capacity until `expiresAt`), `confirmed` once the order is paid, or `cancelled`.
//!
//! - `POST /v1/bookings` (`Authorization: Bearer <token>`, `Idempotence-Key` required)
//!   `{carrier: "cdek" | "pochta", orderNumber, city, address}` → 201 the booking; the same key
//!   answers the same booking. The sandbox couriers do not go to a street named «Закрытая»:
//!   422 `not_deliverable` (as the bank sandbox's test cards decline).
//! - `POST /v1/bookings/{id}/confirm` → `confirmed`; 409 `booking_expired` / `booking_cancelled`.
//! - `POST /v1/bookings/{id}/cancel` → `cancelled` (again: the same answer).
//! - `GET /v1/bookings/{id}`; `GET /_local/couriers.json` every booking, for people and tests.
//!
//! Settings: `VITRINA_COURIERS_TOKEN` (`sandbox-courier-token`),
//! `VITRINA_COURIERS_BOOKING_TTL_SECONDS` (3600).

use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::{collections::HashMap, sync::Arc};
use tokio::sync::Mutex;

const CARRIERS: &[&str] = &["cdek", "pochta"];

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Booking {
    pub id: String,
    pub carrier: String,
    pub order_number: String,
    pub city: String,
    pub address: String,
    /// `pending` → `confirmed`, or `cancelled`; a `pending` one past `expires_at` is `expired`.
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewBooking {
    carrier: String,
    order_number: String,
    city: String,
    address: String,
}

#[derive(Default)]
struct Book {
    bookings: HashMap<String, Booking>,
    /// Idempotence key → booking id.
    keys: HashMap<String, String>,
}

pub struct Couriers {
    token: String,
    ttl: Duration,
    book: Mutex<Book>,
}

impl Couriers {
    pub fn from_env() -> Result<Self, String> {
        let ttl = match std::env::var("VITRINA_COURIERS_BOOKING_TTL_SECONDS") {
            Ok(v) => v.parse::<i64>().map_err(|_| {
                format!("VITRINA_COURIERS_BOOKING_TTL_SECONDS must be whole seconds, not {v:?}")
            })?,
            Err(_) => 3600,
        };
        Ok(Self {
            token: std::env::var("VITRINA_COURIERS_TOKEN")
                .unwrap_or_else(|_| "sandbox-courier-token".into()),
            ttl: Duration::seconds(ttl),
            book: Mutex::default(),
        })
    }
}

/// The API under `/_couriers/v1`, and `/_local/couriers.json`.
pub fn router(couriers: Arc<Couriers>) -> Router {
    Router::new()
        .route("/_couriers/v1/bookings", post(create))
        .route("/_couriers/v1/bookings/{id}", get(read))
        .route("/_couriers/v1/bookings/{id}/confirm", post(confirm))
        .route("/_couriers/v1/bookings/{id}/cancel", post(cancel))
        .route("/_local/couriers.json", get(list))
        .with_state(couriers)
}

fn error(status: StatusCode, code: &str, description: &str) -> Response {
    (
        status,
        Json(json!({"type": "error", "code": code, "description": description})),
    )
        .into_response()
}

fn authorised(c: &Couriers, headers: &HeaderMap) -> bool {
    let expected = format!("Bearer {}", c.token);
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(expected.as_str())
}

fn unauthorised() -> Response {
    error(
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
        "Authorization: Bearer <token> is wrong or missing",
    )
}

/// A pending booking past its time is expired: the courier gave its capacity to others.
fn settled(b: &mut Booking, now: DateTime<Utc>) {
    if b.status == "pending" && b.expires_at <= now {
        b.status = "expired".into();
    }
}

async fn create(
    State(c): State<Arc<Couriers>>,
    headers: HeaderMap,
    Json(new): Json<NewBooking>,
) -> Response {
    if !authorised(&c, &headers) {
        return unauthorised();
    }
    let Some(key) = headers
        .get("idempotence-key")
        .and_then(|v| v.to_str().ok())
        .filter(|k| !k.is_empty() && k.len() <= 128)
    else {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Idempotence-Key (1–128 characters) is required",
        );
    };
    if !CARRIERS.contains(&new.carrier.as_str()) || new.order_number.is_empty() {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "carrier is cdek or pochta, orderNumber is required",
        );
    }
    let mut book = c.book.lock().await;
    if let Some(id) = book.keys.get(key).cloned() {
        if let Some(b) = book.bookings.get(&id) {
            return (StatusCode::OK, Json(b.clone())).into_response();
        }
    }
    if new.address.to_lowercase().contains("закрытая") {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_deliverable",
            "The courier does not deliver to this address",
        );
    }
    let now = Utc::now();
    let booking = Booking {
        id: uuid::Uuid::now_v7().to_string(),
        carrier: new.carrier,
        order_number: new.order_number,
        city: new.city,
        address: new.address,
        status: "pending".into(),
        created_at: now,
        expires_at: now + c.ttl,
    };
    book.keys.insert(key.to_string(), booking.id.clone());
    book.bookings.insert(booking.id.clone(), booking.clone());
    (StatusCode::CREATED, Json(booking)).into_response()
}

/// Does `change` to the booking `id` (settled first) for an authorised caller.
async fn on_booking(
    c: &Couriers,
    headers: &HeaderMap,
    id: &str,
    change: impl FnOnce(&mut Booking) -> Response,
) -> Response {
    if !authorised(c, headers) {
        return unauthorised();
    }
    let mut book = c.book.lock().await;
    match book.bookings.get_mut(id) {
        Some(b) => {
            settled(b, Utc::now());
            change(b)
        }
        None => error(StatusCode::NOT_FOUND, "not_found", "No such booking"),
    }
}

async fn read(
    State(c): State<Arc<Couriers>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    on_booking(&c, &headers, &id, |b| Json(b.clone()).into_response()).await
}

async fn confirm(
    State(c): State<Arc<Couriers>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    on_booking(&c, &headers, &id, |b| match b.status.as_str() {
        "pending" | "confirmed" => {
            b.status = "confirmed".into();
            Json(b.clone()).into_response()
        }
        "expired" => error(
            StatusCode::CONFLICT,
            "booking_expired",
            "The pre-booking expired: book again",
        ),
        _ => error(
            StatusCode::CONFLICT,
            "booking_cancelled",
            "The booking was cancelled",
        ),
    })
    .await
}

async fn cancel(
    State(c): State<Arc<Couriers>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    on_booking(&c, &headers, &id, |b| {
        b.status = "cancelled".into();
        Json(b.clone()).into_response()
    })
    .await
}

async fn list(State(c): State<Arc<Couriers>>) -> Json<Vec<Booking>> {
    let mut book = c.book.lock().await;
    let now = Utc::now();
    let mut all: Vec<Booking> = book
        .bookings
        .values_mut()
        .map(|b| {
            settled(b, now);
            b.clone()
        })
        .collect();
    all.sort_by_key(|b| b.created_at);
    Json(all)
}
