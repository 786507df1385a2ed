//! Notifications to the shop's webhook URL: each one redelivered with a growing pause until
//! the shop answers 200, at most `attempts` times, as YooKassa does. Every attempt is logged
//! (`GET /_sandbox/webhooks`) so tests can see what was sent and what the shop answered.

use crate::{bank::Notification, faults::Kind, Bank};
use serde::Serialize;
use serde_json::Value;
use std::{sync::Arc, time::Duration};
use tokio::sync::{mpsc, Mutex};

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attempt {
    pub event: String,
    pub object_id: String,
    pub attempt: u32,
    /// The shop's status code; 0 when it could not be reached.
    pub status: u16,
    pub at: String,
}

#[derive(Default)]
pub struct Log(pub Mutex<Vec<Attempt>>);

pub fn start(
    bank: Arc<Bank>,
    log: Arc<Log>,
    mut queue: mpsc::UnboundedReceiver<Notification>,
    url: Option<String>,
    attempts: u32,
    first_pause: Duration,
) {
    tokio::spawn(async move {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap_or_default();
        while let Some(notification) = queue.recv().await {
            let Some(url) = url.clone() else { continue };
            let copies = if bank.faults.take(Kind::DuplicateWebhook, "", None).is_some() {
                2
            } else {
                1
            };
            for _ in 0..copies {
                tokio::spawn(deliver(
                    http.clone(),
                    log.clone(),
                    url.clone(),
                    notification.clone(),
                    attempts,
                    first_pause,
                ));
            }
        }
    });
}

async fn deliver(
    http: reqwest::Client,
    log: Arc<Log>,
    url: String,
    notification: Value,
    attempts: u32,
    first_pause: Duration,
) {
    let event = notification["event"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let object_id = notification["object"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let mut pause = first_pause;
    for attempt in 1..=attempts {
        let status = match http.post(&url).json(&notification).send().await {
            Ok(r) => r.status().as_u16(),
            Err(_) => 0,
        };
        log.0.lock().await.push(Attempt {
            event: event.clone(),
            object_id: object_id.clone(),
            attempt,
            status,
            at: chrono::Utc::now().to_rfc3339(),
        });
        if status == 200 {
            return;
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_secs(60));
    }
    tracing::warn!(%event, %object_id, "webhook given up after {attempts} attempts");
}
