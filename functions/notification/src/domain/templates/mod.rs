//! What the shop says, in Russian: one module per message, and in it one function per channel
//! the message goes by — `email` (a subject, a plain-text part and an HTML part in the shop's
//! layout), `sms` (at most two segments), `push` (a title, a line and the page to open). The
//! workflows (`flow::messages`) choose the message and the channels; nothing else words one.
//!
//! | message | e-mail | SMS | push |
//! |---|---|---|---|
//! | `welcome` | ✓ | | |
//! | `payment` (its result) | ✓ | | ✓ |
//! | `order_status` | ✓ | at the point, with the courier | ✓ |
//! | `gift_card` (its code, to the recipient) | ✓ | | |

pub mod gift_card;
pub mod order_status;
pub mod payment;
pub mod welcome;

use serde::Serialize;

/// An e-mail: its subject, and the same words as plain text and as HTML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Letter {
    pub subject: String,
    pub text: String,
    pub html: String,
    /// Where one click unsubscribes from this kind of letter (RFC 8058), for a letter the client
    /// may turn off; `None` for what the shop must send.
    pub unsubscribe: Option<String>,
}

/// RFC 8030's `Urgency`: what a phone on a low battery wakes for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Urgency {
    Low,
    Normal,
    High,
}

impl Urgency {
    pub fn header(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Normal => "normal",
            Self::High => "high",
        }
    }
}

/// What a push shows, and how long the push service keeps it for a device that is off. The
/// payload holds no code, card or address: the title, a line, and the page to open.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Push {
    pub title: String,
    pub body: String,
    /// The shop's page a click opens (a path).
    pub url: String,
    /// One notification per order on the device: a newer one replaces it.
    pub tag: String,
    #[serde(skip)]
    pub ttl_seconds: u32,
    #[serde(skip)]
    pub urgency: Urgency,
}

/// The most characters a text may have: Cyrillic travels as UCS-2, 70 characters in one
/// segment and 67 in each of a longer one's, and a text is never more than two segments.
pub const SMS_MAX_CHARS: usize = 2 * 67;

pub(crate) const HOUR: u32 = 3600;

pub(crate) fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Kopecks as people read them.
pub(crate) fn rub(kopecks: i64) -> String {
    vitrina_shared::money::format_rub(kopecks)
}

/// «Здравствуйте, Иван!», or without a name.
pub(crate) fn greeting(name: &str) -> String {
    if name.trim().is_empty() {
        "Здравствуйте!".to_string()
    } else {
        format!("Здравствуйте, {}!", name.trim())
    }
}

/// The order's number as the client sees it: the last eight characters of its id.
pub(crate) fn number(order_id: &str) -> &str {
    &order_id[order_id.len().saturating_sub(8)..]
}

/// The page of one order among the client's orders.
pub(crate) fn order_page(order_id: &str) -> String {
    format!("/orders#order-{order_id}")
}

/// The HTML part in the shop's layout: the shop's name above, the body, and who wrote below.
pub(crate) fn layout(body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\"></head>\
         <body style=\"font-family:Arial,sans-serif;color:#1d1d1f;max-width:36rem;margin:0 auto;padding:1rem\">\
         <p style=\"font-size:1.25rem;font-weight:bold;color:#1a73e8\">Витрина</p>{body}\
         <hr style=\"border:0;border-top:1px solid #ddd\">\
         <p style=\"font-size:.8rem;color:#666\">Интернет-магазин «Витрина». Это письмо отправлено автоматически.</p>\
         </body></html>"
    )
}

#[cfg(test)]
pub(crate) mod fixtures {
    use vitrina_shared::{
        contracts::{
            order::{OrderStatus, PaidLine},
            payment::{PaymentFailure, PaymentMethod},
        },
        envelope::{GiftCardIssued, OrderStatusChanged, PaymentOutcome},
    };

    pub const ORDER_ID: &str = "0194f0a0-0000-7000-8000-0000abcd1234";
    pub const SHOP: &str = "https://shop.vitrina.example";

    pub fn outcome(reason: Option<PaymentFailure>) -> PaymentOutcome {
        PaymentOutcome {
            payment_id: "p".into(),
            order_id: ORDER_ID.into(),
            user_id: "u".into(),
            amount: 123_450,
            method: PaymentMethod::Card,
            reason,
            lines: vec![PaidLine {
                name: "Чайник <стальной>".into(),
                quantity: 2,
                line_total: 100_000,
            }],
            delivery: "Пункт выдачи «Витрина на Тверской»: Москва".into(),
            kind: Default::default(),
            gift_card: None,
        }
    }

    pub fn at(status: OrderStatus, place: Option<&str>) -> OrderStatusChanged {
        OrderStatusChanged {
            order_id: ORDER_ID.into(),
            user_id: "u".into(),
            status,
            reason: Some("товар закончился на складе".into()),
            place: place.map(str::to_string),
        }
    }

    pub fn gift() -> GiftCardIssued {
        GiftCardIssued {
            payment_id: "p".into(),
            buyer_user_id: "u".into(),
            recipient_name: "Мария".into(),
            recipient_email: "maria@example.ru".into(),
            design: "birthday".into(),
            amount: 300_000,
            code: "GIFT-ABCD-EFGH".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{fixtures::*, *};
    use vitrina_shared::contracts::{order::OrderStatus, payment::PaymentFailure};

    /// Every letter has a subject, a plain-text part without markup, and an HTML part in the
    /// shop's layout with the greeting escaped; every push's payload is well under a push
    /// service's 4096 bytes and holds no code.
    #[test]
    fn every_template_renders_from_its_fixture() {
        let letters = [
            welcome::email("<Иван>", "ivan"),
            payment::email("Иван", &outcome(None), true, SHOP),
            payment::email(
                "Иван",
                &outcome(Some(PaymentFailure::CardExpired)),
                false,
                SHOP,
            ),
            gift_card::email(&gift(), "Иван", SHOP),
        ]
        .into_iter()
        .chain(
            [
                OrderStatus::HandedToDelivery,
                OrderStatus::OutForDelivery,
                OrderStatus::AtPickupPoint,
                OrderStatus::Delivered,
                OrderStatus::Cancelled,
            ]
            .into_iter()
            .map(|s| {
                order_status::email(
                    "Иван",
                    &at(s, Some("Москва, ул. Тверская, д. 7")),
                    SHOP,
                    None,
                )
                .expect("a letter")
            }),
        );
        for l in letters {
            assert!(!l.subject.is_empty() && !l.subject.contains('<'), "{l:?}");
            assert!(l.text.starts_with("Здравствуйте"), "{}", l.text);
            assert!(
                !l.text.contains("<p>") && !l.text.contains("&lt;"),
                "plain text: {}",
                l.text
            );
            assert!(
                l.html.starts_with("<!doctype html><html lang=\"ru\">")
                    && l.html.contains("Витрина"),
                "{}",
                l.html
            );
        }
        let pushes = [
            payment::push(&outcome(None), true),
            payment::push(&outcome(Some(PaymentFailure::CardExpired)), false),
        ]
        .into_iter()
        .chain(
            OrderStatus::ALL
                .iter()
                .filter_map(|s| order_status::push(&at(*s, None))),
        );
        for p in pushes {
            let payload = serde_json::to_string(&p).expect("JSON");
            assert!(payload.len() < 1024, "{payload}");
            assert!(
                p.url.starts_with('/') && p.title.contains("abcd1234"),
                "{p:?}"
            );
            assert!(p.ttl_seconds > 0, "{p:?}");
        }
    }
}
