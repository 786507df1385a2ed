//! Faults on demand, for tests of what the shop does when the bank misbehaves:
//! `POST /_sandbox/faults {"kind": "error500" | "slow" | "duplicate_webhook" | "refund_pending", "times": n,
//! "delayMs": ms, "pathContains": "...", "idempotenceKey": "..."}`. A test that names its own
//! idempotence key gets the fault on its own call, whatever other tests do meanwhile.

use serde::{Deserialize, Serialize};
use std::sync::Mutex;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The next API calls answer 500 `internal_server_error` without doing anything.
    Error500,
    /// The next API calls do their work, then answer only after `delay_ms`: past a caller's
    /// timeout, the work is done and a retry with the same key must find it.
    Slow,
    /// The next webhooks are delivered twice.
    DuplicateWebhook,
    /// The next refunds stay `pending`, as YooKassa's may, until a test ends them:
    /// `POST /_sandbox/refunds/{id}/succeed` or `/cancel` (then `refund.succeeded` /
    /// `refund.canceled` is notified).
    RefundPending,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fault {
    pub kind: Kind,
    #[serde(default = "one")]
    pub times: u32,
    #[serde(default)]
    pub delay_ms: u64,
    /// Only API paths containing this (e.g. "/capture"); every path when absent.
    #[serde(default)]
    pub path_contains: Option<String>,
    /// Only the call with this `Idempotence-Key`; every call when absent.
    #[serde(default)]
    pub idempotence_key: Option<String>,
}

fn one() -> u32 {
    1
}

#[derive(Default)]
pub struct Faults(Mutex<Vec<Fault>>);

impl Faults {
    pub fn add(&self, fault: Fault) {
        if let Ok(mut faults) = self.0.lock() {
            faults.push(fault);
        }
    }

    pub fn list(&self) -> Vec<Fault> {
        self.0.lock().map(|f| f.clone()).unwrap_or_default()
    }

    /// Takes one use of the first fault of `kind` that applies to a call of `path` made with
    /// `key`.
    pub fn take(&self, kind: Kind, path: &str, key: Option<&str>) -> Option<Fault> {
        let mut faults = self.0.lock().ok()?;
        let i = faults.iter().position(|f| {
            f.kind == kind
                && f.times > 0
                && f.path_contains.as_deref().is_none_or(|p| path.contains(p))
                && f.idempotence_key.as_deref().is_none_or(|k| key == Some(k))
        })?;
        faults[i].times -= 1;
        let fault = faults[i].clone();
        if faults[i].times == 0 {
            faults.remove(i);
        }
        Some(fault)
    }
}
