//! `vitrina-bank`: the acquiring bank of the local platform, shaped like YooKassa's API v3,
//! on its own port. `make run` and `make test` start it; the shop's payment adapter is pointed
//! at it by configuration, as it is pointed at YooKassa in AWS. Not a Lambda of the shop.
//!
//! Settings (environment): `VITRINA_BANK_PORT` (3030), `VITRINA_BANK_SHOP_ID` / `..._SECRET_KEY`
//! (the Basic-auth pair), `VITRINA_BANK_PUBLIC_URL` (how browsers reach the hosted pages),
//! `VITRINA_BANK_WEBHOOK_URL` (the shop's webhook route; none: no webhooks),
//! `VITRINA_BANK_CONFIRMATION_TTL_SECONDS` (3600), `VITRINA_BANK_CAPTURE_TTL_SECONDS`
//! (7 days), `VITRINA_BANK_WEBHOOK_ATTEMPTS` (8), `VITRINA_BANK_WEBHOOK_PAUSE_MS` (500).

mod api;
mod bank;
mod cards;
mod faults;
mod model;
mod pages;
mod sbp;
mod webhooks;

use axum::{
    extract::State,
    routing::{get, post},
    Json, Router,
};
use bank::{Bank, Settings};
use std::{sync::Arc, time::Duration};

fn setting(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

fn number(name: &str, default: i64) -> Result<i64, String> {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .map_err(|_| format!("{name} must be a whole number, not {v:?}")),
        Err(_) => Ok(default),
    }
}

#[derive(Clone)]
struct App {
    bank: Arc<Bank>,
    log: Arc<webhooks::Log>,
}

#[tokio::main]
async fn main() -> Result<(), String> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let port = setting("VITRINA_BANK_PORT", "3030");
    let webhook_url = std::env::var("VITRINA_BANK_WEBHOOK_URL")
        .ok()
        .filter(|u| !u.is_empty());
    let settings = Settings {
        shop_id: setting("VITRINA_BANK_SHOP_ID", "sandbox-shop"),
        secret_key: setting("VITRINA_BANK_SECRET_KEY", "test_sandbox_secret"),
        public_url: setting(
            "VITRINA_BANK_PUBLIC_URL",
            &format!("http://127.0.0.1:{port}"),
        ),
        confirmation_ttl: chrono::Duration::seconds(number(
            "VITRINA_BANK_CONFIRMATION_TTL_SECONDS",
            3600,
        )?),
        capture_ttl: chrono::Duration::seconds(number(
            "VITRINA_BANK_CAPTURE_TTL_SECONDS",
            7 * 24 * 3600,
        )?),
        idempotence_ttl: chrono::Duration::hours(24),
    };
    let attempts = number("VITRINA_BANK_WEBHOOK_ATTEMPTS", 8)?.max(1) as u32;
    let pause = Duration::from_millis(number("VITRINA_BANK_WEBHOOK_PAUSE_MS", 500)?.max(1) as u64);
    let (bank, queue) = Bank::new(settings);
    let bank = Arc::new(bank);
    let log = Arc::new(webhooks::Log::default());
    webhooks::start(
        bank.clone(),
        log.clone(),
        queue,
        webhook_url,
        attempts,
        pause,
    );

    let sweeper = bank.clone();
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(250)).await;
            sweeper.expire().await;
        }
    });

    let sandbox = Router::new()
        .route("/_sandbox/health", get(|| async { "ok" }))
        .route("/_sandbox/faults", post(add_fault).get(list_faults))
        .route("/_sandbox/webhooks", get(webhook_log))
        .with_state(App {
            bank: bank.clone(),
            log,
        });
    let app = Router::new()
        .route("/v3/payments", post(api::create_payment))
        .route("/v3/payments/{id}", get(api::get_payment))
        .route("/v3/payments/{id}/capture", post(api::capture))
        .route("/v3/payments/{id}/cancel", post(api::cancel))
        .route("/v3/refunds", post(api::create_refund))
        .route("/v3/refunds/{id}", get(api::get_refund))
        .route("/_sandbox/refunds/{id}/{outcome}", post(api::end_refund))
        .route(
            "/checkout/{id}",
            get(pages::card_page).post(pages::card_submit),
        )
        .route(
            "/checkout/{id}/3ds",
            get(pages::three_ds_page).post(pages::three_ds_submit),
        )
        .route("/sbp/{id}", get(pages::sbp_page))
        .route("/sbp/{id}/pay", post(pages::sbp_pay))
        .route("/sbp/{id}/decline", post(pages::sbp_decline))
        .with_state(bank)
        .merge(sandbox);
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}"))
        .await
        .map_err(|e| format!("port {port}: {e}"))?;
    tracing::info!(%port, "bank sandbox listening");
    axum::serve(listener, app).await.map_err(|e| e.to_string())
}

async fn add_fault(State(app): State<App>, Json(fault): Json<faults::Fault>) -> &'static str {
    app.bank.faults.add(fault);
    "ok"
}

async fn list_faults(State(app): State<App>) -> Json<Vec<faults::Fault>> {
    Json(app.bank.faults.list())
}

async fn webhook_log(State(app): State<App>) -> Json<Vec<webhooks::Attempt>> {
    Json(app.log.0.lock().await.clone())
}
