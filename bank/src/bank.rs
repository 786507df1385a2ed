//! The acquirer's books: payments, refunds, saved cards and the answers kept per
//! `Idempotence-Key`. Held in memory: a sandbox, like YooKassa's test shop, that the local
//! platform starts fresh with each stack.
//!
//! Every change of a payment's status goes through [`Bank::transition`], which only moves
//! forward (`pending` → `waiting_for_capture` → `succeeded`, or → `canceled`) and queues the
//! webhook of the new status.

use crate::{cards, model::*};
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use std::collections::HashMap;
use tokio::sync::{mpsc, Mutex};

pub struct Settings {
    pub shop_id: String,
    pub secret_key: String,
    /// Where the hosted pages are, as the payer's browser reaches them.
    pub public_url: String,
    /// How long a payment waits for the payer (card page, SBP) before `expired_on_confirmation`.
    pub confirmation_ttl: Duration,
    /// How long an authorised payment waits for capture before `expired_on_capture`.
    pub capture_ttl: Duration,
    /// How long an `Idempotence-Key` keeps its first answer.
    pub idempotence_ttl: Duration,
}

/// A payment with what only the bank knows about it.
pub struct Entry {
    pub payment: Payment,
    pub kopecks: i64,
    pub refunded: i64,
    /// Kopecks of refunds asked and still pending.
    pub refunding: i64,
    pub capture: bool,
    pub save_method: bool,
    pub return_url: Option<String>,
    /// The card typed on the hosted page, waiting for its 3-D Secure code.
    pub awaiting_3ds: Option<(Card, bool)>,
    pub deadline: DateTime<Utc>,
}

/// An answer kept for an `Idempotence-Key`: the request it answered and what it answered.
struct Kept {
    fingerprint: String,
    status: u16,
    body: Value,
    at: DateTime<Utc>,
}

#[derive(Default)]
pub struct Books {
    pub payments: HashMap<String, Entry>,
    pub refunds: HashMap<String, Refund>,
    /// Saved payment methods: id → card.
    pub saved: HashMap<String, Card>,
    kept: HashMap<String, Kept>,
}

/// A notification to deliver: `{type: "notification", event, object}`.
pub type Notification = Value;

pub struct Bank {
    pub settings: Settings,
    pub books: Mutex<Books>,
    pub faults: crate::faults::Faults,
    /// Keyed calls take turns (see `api::keyed`).
    pub keyed_turn: Mutex<()>,
    webhooks: mpsc::UnboundedSender<Notification>,
}

/// A refusal of the API, as YooKassa words its errors.
#[derive(Debug, thiserror::Error)]
#[error("{code}: {description}")]
pub struct ApiError {
    pub status: u16,
    pub code: &'static str,
    pub description: String,
    pub parameter: Option<&'static str>,
}

impl ApiError {
    pub fn invalid(description: impl Into<String>, parameter: Option<&'static str>) -> Self {
        Self {
            status: 400,
            code: "invalid_request",
            description: description.into(),
            parameter,
        }
    }

    pub fn not_found() -> Self {
        Self {
            status: 404,
            code: "not_found",
            description: "Object not found".into(),
            parameter: None,
        }
    }

    pub fn body(&self) -> Value {
        let mut body = json!({
            "type": "error",
            "id": uuid::Uuid::now_v7().to_string(),
            "code": self.code,
            "description": self.description,
        });
        if let Some(p) = self.parameter {
            body["parameter"] = json!(p);
        }
        body
    }
}

pub fn now() -> DateTime<Utc> {
    Utc::now()
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl Bank {
    pub fn new(settings: Settings) -> (Self, mpsc::UnboundedReceiver<Notification>) {
        let (tx, rx) = mpsc::unbounded_channel();
        (
            Self {
                settings,
                books: Mutex::new(Books::default()),
                faults: Default::default(),
                keyed_turn: Mutex::new(()),
                webhooks: tx,
            },
            rx,
        )
    }

    /// The first answer for `key` if this same request was made with it; a refusal if the key
    /// was used for another request.
    pub async fn kept(
        &self,
        key: &str,
        fingerprint: &str,
    ) -> Result<Option<(u16, Value)>, ApiError> {
        let books = self.books.lock().await;
        match books.kept.get(key) {
            Some(k) if now() - k.at > self.settings.idempotence_ttl => Ok(None),
            Some(k) if k.fingerprint == fingerprint => Ok(Some((k.status, k.body.clone()))),
            Some(_) => Err(ApiError::invalid(
                "Idempotence key duplicated: the same key was used for another request",
                Some("Idempotence-Key"),
            )),
            None => Ok(None),
        }
    }

    pub async fn keep(&self, key: &str, fingerprint: &str, status: u16, body: &Value) {
        let mut books = self.books.lock().await;
        let at = now();
        let ttl = self.settings.idempotence_ttl;
        books.kept.retain(|_, k| at - k.at <= ttl);
        books.kept.insert(
            key.to_string(),
            Kept {
                fingerprint: fingerprint.to_string(),
                status,
                body: body.clone(),
                at,
            },
        );
    }

    pub async fn create(&self, new: NewPayment) -> Result<Payment, ApiError> {
        let kopecks = new.amount.kopecks().ok_or_else(|| {
            ApiError::invalid(
                "amount must be a positive sum in RUB with at most two decimals",
                Some("amount.value"),
            )
        })?;
        let created = now();
        let id = uuid::Uuid::now_v7().to_string();
        let mut books = self.books.lock().await;
        let (method, confirmation, return_url, status, card) =
            if let Some(saved_id) = &new.payment_method_id {
                let card = books.saved.get(saved_id).cloned().ok_or_else(|| {
                    ApiError::invalid("Unknown payment_method_id", Some("payment_method_id"))
                })?;
                let method = PaymentMethod {
                    kind: "bank_card".into(),
                    id: saved_id.clone(),
                    saved: true,
                    title: Some(format!("Bank card *{}", card.last4)),
                    card: Some(card.clone()),
                };
                (method, None, None, Status::Pending, Some(card))
            } else {
                let kind = new
                    .payment_method_data
                    .as_ref()
                    .map(|m| m.kind.as_str())
                    .unwrap_or("bank_card");
                let (kind, confirmation, return_url) = match (kind, &new.confirmation) {
                    ("bank_card", Some(Confirmation::Redirect { return_url, .. })) => {
                        let url = return_url.clone().ok_or_else(|| {
                            ApiError::invalid(
                                "confirmation.return_url is required",
                                Some("confirmation.return_url"),
                            )
                        })?;
                        (
                            "bank_card",
                            Confirmation::Redirect {
                                confirmation_url: Some(format!(
                                    "{}/checkout/{id}",
                                    self.settings.public_url
                                )),
                                return_url: None,
                            },
                            Some(url),
                        )
                    }
                    ("sbp", Some(Confirmation::Qr { return_url, .. })) => (
                        "sbp",
                        Confirmation::Qr {
                            confirmation_data: Some(crate::sbp::payment_link(
                                &self.settings.public_url,
                                &id,
                                kopecks,
                            )),
                            return_url: None,
                        },
                        return_url.clone(),
                    ),
                    ("bank_card" | "sbp", _) => {
                        return Err(ApiError::invalid(
                            "bank_card needs confirmation.type redirect, sbp needs qr",
                            Some("confirmation.type"),
                        ))
                    }
                    _ => {
                        return Err(ApiError::invalid(
                            "payment_method_data.type: bank_card or sbp",
                            Some("payment_method_data.type"),
                        ))
                    }
                };
                let method = PaymentMethod {
                    kind: kind.into(),
                    id: uuid::Uuid::now_v7().to_string(),
                    saved: false,
                    card: None,
                    title: None,
                };
                (
                    method,
                    Some(confirmation),
                    return_url,
                    Status::Pending,
                    None,
                )
            };
        let payment = Payment {
            id: id.clone(),
            status,
            paid: false,
            amount: Amount::rub(kopecks),
            confirmation,
            created_at: stamp(created),
            captured_at: None,
            expires_at: None,
            description: new.description.clone(),
            metadata: new.metadata.clone().unwrap_or_else(|| json!({})),
            recipient: json!({"account_id": self.settings.shop_id, "gateway_id": "sandbox"}),
            refundable: false,
            refunded_amount: Amount::rub(0),
            test: true,
            payment_method: method,
            cancellation_details: None,
        };
        books.payments.insert(
            id.clone(),
            Entry {
                payment,
                kopecks,
                refunded: 0,
                refunding: 0,
                capture: new.capture,
                save_method: new.save_payment_method,
                return_url,
                awaiting_3ds: None,
                deadline: created + self.settings.confirmation_ttl,
            },
        );
        // A saved card (saved only after it paid once) needs no payer: authorised at once.
        if let Some(card) = card {
            self.settle_card(&mut books, &id, card, Ok(()));
        }
        Ok(books.payments[&id].payment.clone())
    }

    pub async fn get(&self, id: &str) -> Result<Payment, ApiError> {
        let books = self.books.lock().await;
        books
            .payments
            .get(id)
            .map(|e| e.payment.clone())
            .ok_or_else(ApiError::not_found)
    }

    /// The payer's card was authorised (`Ok`) or declined: the payment moves on.
    pub fn settle_card(
        &self,
        books: &mut Books,
        id: &str,
        card: Card,
        result: Result<(), &'static str>,
    ) {
        let Some(entry) = books.payments.get_mut(id) else {
            return;
        };
        if entry.payment.status != Status::Pending {
            return;
        }
        entry.awaiting_3ds = None;
        entry.payment.payment_method.card = Some(card.clone());
        entry.payment.payment_method.title = Some(format!("Bank card *{}", card.last4));
        match result {
            Ok(()) => {
                if entry.save_method && !entry.payment.payment_method.saved {
                    entry.payment.payment_method.saved = true;
                    let method_id = entry.payment.payment_method.id.clone();
                    books.saved.insert(method_id, card);
                }
                self.authorise(books, id);
            }
            Err(reason) => self.cancel_with(books, id, reason),
        }
    }

    /// Money held (or taken, with `capture: true`).
    pub fn authorise(&self, books: &mut Books, id: &str) {
        let capture_ttl = self.settings.capture_ttl;
        let Some(entry) = books.payments.get_mut(id) else {
            return;
        };
        if entry.payment.status != Status::Pending {
            return;
        }
        entry.payment.paid = true;
        if entry.capture {
            self.succeed(entry);
        } else {
            entry.payment.status = Status::WaitingForCapture;
            entry.deadline = now() + capture_ttl;
            entry.payment.expires_at = Some(stamp(entry.deadline));
            self.notify("payment.waiting_for_capture", &entry.payment);
        }
    }

    fn succeed(&self, entry: &mut Entry) {
        entry.payment.status = Status::Succeeded;
        entry.payment.paid = true;
        entry.payment.refundable = true;
        entry.payment.captured_at = Some(stamp(now()));
        entry.payment.expires_at = None;
        self.notify("payment.succeeded", &entry.payment);
    }

    pub fn cancel_with(&self, books: &mut Books, id: &str, reason: &str) {
        let Some(entry) = books.payments.get_mut(id) else {
            return;
        };
        if !matches!(
            entry.payment.status,
            Status::Pending | Status::WaitingForCapture
        ) {
            return;
        }
        entry.awaiting_3ds = None;
        entry.payment.status = Status::Canceled;
        entry.payment.paid = false;
        entry.payment.expires_at = None;
        entry.payment.cancellation_details = Some(CancellationDetails {
            party: cards::party(reason).into(),
            reason: reason.into(),
        });
        self.notify("payment.canceled", &entry.payment);
    }

    pub async fn capture(&self, id: &str, capture: Capture) -> Result<Payment, ApiError> {
        let mut books = self.books.lock().await;
        let entry = books.payments.get_mut(id).ok_or_else(ApiError::not_found)?;
        match entry.payment.status {
            Status::WaitingForCapture => {}
            // A capture repeated under a new key finds the payment as the first one left it.
            Status::Succeeded => return Ok(entry.payment.clone()),
            other => {
                return Err(ApiError::invalid(
                    format!("A payment in status {other:?} cannot be captured"),
                    None,
                ))
            }
        }
        if let Some(amount) = capture.amount {
            match amount.kopecks() {
                Some(k) if k <= entry.kopecks => {
                    entry.kopecks = k;
                    entry.payment.amount = Amount::rub(k);
                }
                _ => {
                    return Err(ApiError::invalid(
                        "The captured amount must be positive and at most the authorised one",
                        Some("amount.value"),
                    ))
                }
            }
        }
        self.succeed(entry);
        Ok(entry.payment.clone())
    }

    pub async fn cancel(&self, id: &str) -> Result<Payment, ApiError> {
        let mut books = self.books.lock().await;
        let entry = books.payments.get(id).ok_or_else(ApiError::not_found)?;
        match entry.payment.status {
            Status::Pending | Status::WaitingForCapture => {
                self.cancel_with(&mut books, id, "canceled_by_merchant")
            }
            Status::Canceled => {}
            Status::Succeeded => {
                return Err(ApiError::invalid(
                    "A succeeded payment is returned by a refund, not cancelled",
                    None,
                ))
            }
        }
        Ok(books.payments[id].payment.clone())
    }

    pub async fn refund(&self, new: NewRefund, pending: bool) -> Result<Refund, ApiError> {
        let kopecks = new.amount.kopecks().ok_or_else(|| {
            ApiError::invalid("amount must be a positive sum in RUB", Some("amount.value"))
        })?;
        let mut books = self.books.lock().await;
        let entry = books
            .payments
            .get_mut(&new.payment_id)
            .ok_or_else(|| ApiError::invalid("Unknown payment_id", Some("payment_id")))?;
        if entry.payment.status != Status::Succeeded {
            return Err(ApiError::invalid(
                "Only a succeeded payment can be refunded",
                Some("payment_id"),
            ));
        }
        // Refunds still pending count against the amount too: they may yet succeed.
        let asked = entry.refunded + entry.refunding;
        if asked + kopecks > entry.kopecks {
            return Err(ApiError::invalid(
                "The refunds would exceed the payment's amount",
                Some("amount.value"),
            ));
        }
        let refund = Refund {
            id: uuid::Uuid::now_v7().to_string(),
            payment_id: new.payment_id.clone(),
            status: if pending {
                Status::Pending
            } else {
                Status::Succeeded
            },
            amount: Amount::rub(kopecks),
            created_at: stamp(now()),
            description: new.description,
            cancellation_details: None,
        };
        if pending {
            entry.refunding += kopecks;
        } else {
            Self::count_refund(entry, kopecks, 0);
            self.notify_refund("refund.succeeded", &refund);
        }
        books.refunds.insert(refund.id.clone(), refund.clone());
        Ok(refund)
    }

    /// A refund's money returned: it is on the payment's `refunded_amount`.
    fn count_refund(entry: &mut Entry, kopecks: i64, was_pending: i64) {
        entry.refunding -= was_pending;
        entry.refunded += kopecks;
        entry.payment.refunded_amount = Amount::rub(entry.refunded);
        entry.payment.refundable = entry.refunded < entry.kopecks;
    }

    /// Ends a pending refund (`POST /_sandbox/refunds/{id}/succeed` or `/cancel`), as the bank
    /// would some time after it was asked, and notifies it. Ending one that is over answers it.
    pub async fn end_refund(&self, id: &str, succeed: bool) -> Result<Refund, ApiError> {
        let mut books = self.books.lock().await;
        let refund = books
            .refunds
            .get(id)
            .cloned()
            .ok_or_else(ApiError::not_found)?;
        if refund.status != Status::Pending {
            return Ok(refund);
        }
        let kopecks = refund.amount.kopecks().unwrap_or(0);
        let ended = Refund {
            status: if succeed {
                Status::Succeeded
            } else {
                Status::Canceled
            },
            cancellation_details: (!succeed).then(|| CancellationDetails {
                party: "yoo_money".into(),
                reason: "rejected_by_payee".into(),
            }),
            ..refund
        };
        if let Some(entry) = books.payments.get_mut(&ended.payment_id) {
            if succeed {
                Self::count_refund(entry, kopecks, kopecks);
            } else {
                entry.refunding -= kopecks;
            }
        }
        books.refunds.insert(ended.id.clone(), ended.clone());
        let event = if succeed {
            "refund.succeeded"
        } else {
            "refund.canceled"
        };
        self.notify_refund(event, &ended);
        Ok(ended)
    }

    pub async fn get_refund(&self, id: &str) -> Result<Refund, ApiError> {
        let books = self.books.lock().await;
        books
            .refunds
            .get(id)
            .cloned()
            .ok_or_else(ApiError::not_found)
    }

    /// Payments nobody confirmed in time and authorisations nobody captured are cancelled, as
    /// YooKassa does.
    pub async fn expire(&self) {
        let mut books = self.books.lock().await;
        let at = now();
        let due: Vec<(String, Status)> = books
            .payments
            .iter()
            .filter(|(_, e)| {
                matches!(
                    e.payment.status,
                    Status::Pending | Status::WaitingForCapture
                ) && e.deadline <= at
            })
            .map(|(id, e)| (id.clone(), e.payment.status))
            .collect();
        for (id, status) in due {
            let reason = if status == Status::Pending {
                "expired_on_confirmation"
            } else {
                "expired_on_capture"
            };
            self.cancel_with(&mut books, &id, reason);
        }
    }

    fn notify(&self, event: &str, payment: &Payment) {
        let _ = self.webhooks.send(json!({
            "type": "notification",
            "event": event,
            "object": payment,
        }));
    }

    fn notify_refund(&self, event: &str, refund: &Refund) {
        let _ = self.webhooks.send(json!({
            "type": "notification",
            "event": event,
            "object": refund,
        }));
    }
}
