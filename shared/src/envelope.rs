//! Every message between services travels in one envelope, so that consumers can dedupe by id
//! and trace a flow by its correlation id.

use chrono::{DateTime, Utc};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Envelope<T> {
    pub id: Uuid,
    #[serde(rename = "type")]
    pub kind: String,
    pub version: u32,
    pub occurred_at: DateTime<Utc>,
    pub correlation_id: String,
    pub payload: T,
}

impl<T: Serialize> Envelope<T> {
    pub fn new(kind: &str, correlation_id: impl Into<String>, payload: T) -> Self {
        Self {
            id: Uuid::now_v7(),
            kind: kind.to_string(),
            version: 1,
            occurred_at: Utc::now(),
            correlation_id: correlation_id.into(),
            payload,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EnvelopeError {
    #[error("message is not a valid envelope: {0}")]
    Malformed(String),
    #[error("unexpected message type {found} (wanted {wanted})")]
    WrongType { found: String, wanted: String },
    #[error("unsupported version {0}")]
    Version(u32),
}

/// Parses a message body as an envelope of the one type a consumer handles.
pub fn parse<T: DeserializeOwned>(body: &str, wanted: &str) -> Result<Envelope<T>, EnvelopeError> {
    #[derive(Deserialize)]
    struct Head {
        #[serde(rename = "type")]
        kind: String,
        version: u32,
    }
    let head: Head =
        serde_json::from_str(body).map_err(|e| EnvelopeError::Malformed(e.to_string()))?;
    if head.kind != wanted {
        return Err(EnvelopeError::WrongType {
            found: head.kind,
            wanted: wanted.to_string(),
        });
    }
    if head.version != 1 {
        return Err(EnvelopeError::Version(head.version));
    }
    serde_json::from_str(body).map_err(|e| EnvelopeError::Malformed(e.to_string()))
}

/// `user.registered`: auth asks billing for a wallet and notification for an account.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserRegistered {
    pub user_id: String,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    /// The profile's version at registration: a later `user.updated` carries a greater one.
    #[serde(default)]
    pub version: u64,
}

pub const USER_REGISTERED: &str = "user.registered";

/// `user.updated`: the client changed a contact or the name in «Личный кабинет»; notification
/// writes to the new address from the next message on. `version` orders the changes: the
/// stream is read in order, but a retried message may arrive after a newer one.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserUpdated {
    pub user_id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub version: u64,
}

pub const USER_UPDATED: &str = "user.updated";

/// `catalog.changed`: products, stock or stores were written; store rebuilds its search index.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CatalogChanged {
    pub products_changed: usize,
}

pub const CATALOG_CHANGED: &str = "catalog.changed";

/// `payment.succeeded` / `payment.failed`: payment tells order (the order is paid, or waits for
/// another try) and notification (the e-mail with the result).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaymentOutcome {
    pub payment_id: String,
    pub order_id: String,
    pub user_id: String,
    /// Kopecks.
    pub amount: i64,
    pub method: crate::contracts::payment::PaymentMethod,
    /// Why it failed; none on success.
    #[serde(default)]
    pub reason: Option<crate::contracts::payment::PaymentFailure>,
    /// The order's lines and delivery, for the result e-mail.
    #[serde(default)]
    pub lines: Vec<crate::contracts::order::PaidLine>,
    #[serde(default)]
    pub delivery: String,
    /// What the money bought; billing issues a gift card or credits the wallet on success.
    #[serde(default)]
    pub kind: crate::contracts::order::OrderKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gift_card: Option<crate::contracts::order::GiftCardOrder>,
}

pub const PAYMENT_SUCCEEDED: &str = "payment.succeeded";
pub const PAYMENT_FAILED: &str = "payment.failed";

/// `order.paid`: order hands a paid order to orchestra, whose saga takes it from here. The
/// payload is also the saga execution's input, which the state machine's tasks read by path.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrderPaid {
    pub order_id: String,
    pub user_id: String,
    pub payment_id: String,
    /// Kopecks: what the client paid, goods and delivery.
    pub total: i64,
    pub lines: Vec<crate::contracts::store::OrderedUnits>,
    pub delivery: crate::contracts::delivery::DeliveryChoice,
    /// The store the client collects from, for pickup.
    #[serde(default)]
    pub pickup_store_id: Option<String>,
    /// The client asked to cancel the paid order: the saga runs only its compensations.
    #[serde(default)]
    pub cancel: bool,
}

pub const ORDER_PAID: &str = "order.paid";
/// `order.cancel_requested`: the client cancels a paid order before it is handed over; the
/// payload is the order as paid, with `cancel` set.
pub const ORDER_CANCEL_REQUESTED: &str = "order.cancel_requested";

/// `order.status`: the saga tells notification where a paid order went (handed to delivery,
/// or cancelled and the money given back; written by the state machine itself), and delivery
/// when an operator's move brings the goods to the client (at the pickup point, out with the
/// courier, delivered).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrderStatusChanged {
    pub order_id: String,
    pub user_id: String,
    pub status: crate::contracts::order::OrderStatus,
    #[serde(default)]
    pub reason: Option<String>,
    /// Where the goods wait, or who brings them (delivery's moves: the arrival letter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

pub const ORDER_STATUS: &str = "order.status";

/// `gift_card.issued`: billing issued a bought gift card; notification mails the code to the
/// recipient (the only place the code goes: the buyer never sees it).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GiftCardIssued {
    /// The payment that bought it: one card, one letter per payment.
    pub payment_id: String,
    pub buyer_user_id: String,
    pub recipient_name: String,
    pub recipient_email: String,
    pub design: String,
    /// Kopecks on the card.
    pub amount: i64,
    pub code: String,
}

pub const GIFT_CARD_ISSUED: &str = "gift_card.issued";

/// The type of an envelope, for consumers of more than one.
pub fn kind(body: &str) -> Result<String, EnvelopeError> {
    #[derive(Deserialize)]
    struct Head {
        #[serde(rename = "type")]
        kind: String,
    }
    serde_json::from_str::<Head>(body)
        .map(|h| h.kind)
        .map_err(|e| EnvelopeError::Malformed(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_type_check() {
        let env = Envelope::new(
            USER_REGISTERED,
            "c1",
            UserRegistered {
                user_id: "u".into(),
                username: "ivan".into(),
                first_name: "Иван".into(),
                last_name: "".into(),
                email: "i@example.com".into(),
                phone: "+79990000000".into(),
                version: 1,
            },
        );
        let body = serde_json::to_string(&env).unwrap();
        let back: Envelope<UserRegistered> = parse(&body, USER_REGISTERED).unwrap();
        assert_eq!(back, env);
        assert!(matches!(
            parse::<UserRegistered>(&body, "other.type"),
            Err(EnvelopeError::WrongType { .. })
        ));
        assert!(matches!(
            parse::<UserRegistered>("{not json", USER_REGISTERED),
            Err(EnvelopeError::Malformed(_))
        ));
    }
}
