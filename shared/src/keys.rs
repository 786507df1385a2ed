//! The single table's keys. Every key prefix belongs to exactly one service: a service builds
//! only its own keys (through its module here) and never reads another's items.
//!
//! Access patterns (README "Data model" has the full table):
//! - auth: user by id; user id by username / by e-mail (uniqueness items); session by the hash
//!   of its id; a user's sessions (GSI1); failed logins per username per window.
//! - billing: wallet by user; gift card by the hash of its code; a client's gift cards (GSI1).
//! - payment: failed gift-card activations per client per window.
//! - notification: account by user; sent notifications by user; push subscriptions by user.
//! - store: product (with its stock per store) by id, and many products at once; store by id;
//!   the whole catalog (GSI1 partition `CATALOG`); the current search index.
//! - order: the client's draft order (the cart) by user.
//! - delivery: a client's courier quote by id; the delivery chosen for a client's order.

/// Prefix → owning service. The ownership test scans the table against this.
pub const OWNERS: &[(&str, &str)] = &[
    ("USER#", "auth"),
    ("USERNAME#", "auth"),
    ("EMAIL#", "auth"),
    ("SESSION#", "auth"),
    ("LOGINFAIL#", "auth"),
    ("WALLET#", "billing"),
    ("GIFTCARD#", "billing"),
    ("NOTIFY#", "notification"),
    ("PRODUCT#", "store"),
    ("STORE#", "store"),
    ("CATALOG#", "store"),
    ("PICKING#", "store"),
    ("CART#", "order"),
    ("ORDER#", "order"),
    ("DELIVERY#", "delivery"),
    ("DELIVERYCASE#", "delivery"),
    ("SLOTS#", "delivery"),
    ("GIFTFAIL#", "payment"),
    ("PAYMENT#", "payment"),
    ("PAYKEY#", "payment"),
    ("BANKPAY#", "payment"),
    ("ORDERPAY#", "payment"),
    ("CARDS#", "payment"),
];

pub const PK: &str = "PK";
pub const SK: &str = "SK";
pub const GSI1: &str = "GSI1";
pub const GSI1PK: &str = "GSI1PK";
pub const GSI1SK: &str = "GSI1SK";
/// The table's TTL attribute (epoch seconds).
pub const EXPIRES_AT: &str = "expiresAt";

pub fn owner_of(pk: &str) -> Option<&'static str> {
    OWNERS
        .iter()
        .find(|(prefix, _)| pk.starts_with(prefix))
        .map(|(_, owner)| *owner)
}

pub mod auth {
    pub fn user(user_id: &str) -> (String, String) {
        (format!("USER#{user_id}"), "PROFILE".into())
    }
    /// Usernames and e-mails are unique case-insensitively.
    pub fn username(username: &str) -> (String, String) {
        (
            format!("USERNAME#{}", username.to_lowercase()),
            "USERNAME".into(),
        )
    }
    pub fn email(email: &str) -> (String, String) {
        (format!("EMAIL#{}", email.to_lowercase()), "EMAIL".into())
    }
    pub fn session(session_hash: &str) -> (String, String) {
        (format!("SESSION#{session_hash}"), "SESSION".into())
    }
    pub fn sessions_of_user(user_id: &str) -> String {
        format!("USER#{user_id}")
    }
    /// A single sign-on flow between its start and its callback, by its `state` (short-lived).
    pub fn sso_flow(state: &str) -> (String, String) {
        (format!("SSOFLOW#{state}"), "FLOW".into())
    }
    /// What a provider vouched for, waiting for the client to register or link (short-lived),
    /// by the SHA-256 of the token its cookie holds.
    pub fn sso_pending(token_hash: &str) -> (String, String) {
        (format!("SSOPENDING#{token_hash}"), "PENDING".into())
    }
    /// Who an identity at a provider is here: one client per `(issuer, subject)`.
    pub fn identity(issuer: &str, subject: &str) -> (String, String) {
        (format!("IDENTITY#{issuer}#{subject}"), "OWNER".into())
    }
    /// A client's link to a provider, beside the profile (one per provider).
    pub fn user_identity(user_id: &str, provider: &str) -> (String, String) {
        (format!("USER#{user_id}"), format!("IDENTITY#{provider}"))
    }
    pub fn login_failures(username: &str, window: i64) -> (String, String) {
        (
            format!("LOGINFAIL#{}", username.to_lowercase()),
            format!("WINDOW#{window}"),
        )
    }
}

pub mod billing {
    pub fn wallet(user_id: &str) -> (String, String) {
        (format!("WALLET#{user_id}"), "WALLET".into())
    }
    /// A wallet's ledger entry, keyed by what caused it ("payment:<id>", "refund:<id>", …): the
    /// same cause never moves money twice. Beside the wallet, so the history is one Query.
    pub fn ledger(user_id: &str, cause: &str) -> (String, String) {
        (format!("WALLET#{user_id}"), format!("LEDGER#{cause}"))
    }
    /// A gift card by the SHA-256 of its activation code: the code itself is never stored.
    pub fn gift_card(code_hash: &str) -> (String, String) {
        (format!("GIFTCARD#{code_hash}"), "CARD".into())
    }
    /// A gift card's ledger entry, keyed by its cause (beside the card).
    pub fn gift_card_ledger(code_hash: &str, cause: &str) -> (String, String) {
        (format!("GIFTCARD#{code_hash}"), format!("LEDGER#{cause}"))
    }
    /// A gift card bought by a payment: which card it issued, and its code until the letter
    /// with it is sent.
    pub fn gift_card_purchase(payment_id: &str) -> (String, String) {
        (format!("GIFTCARD#BOUGHT#{payment_id}"), "PURCHASE".into())
    }
    /// GSI1 partition of the gift cards a client activated.
    pub fn gift_cards_of(user_id: &str) -> String {
        format!("GIFTCARDS#{user_id}")
    }
}

pub mod payment {
    pub fn payment(payment_id: &str) -> (String, String) {
        (format!("PAYMENT#{payment_id}"), "PAYMENT".into())
    }
    /// A client's `Idempotency-Key` for creating a payment: the same key finds the same payment.
    pub fn request_key(user_id: &str, key: &str) -> (String, String) {
        (format!("PAYKEY#{user_id}"), format!("KEY#{key}"))
    }
    /// The bank's payment id → the shop's, for webhooks.
    pub fn bank_payment(bank_payment_id: &str) -> (String, String) {
        (format!("BANKPAY#{bank_payment_id}"), "BANK".into())
    }
    /// A card the client let the bank keep ("Запомнить карту"): the bank's method id, never a
    /// card number.
    pub fn saved_card(user_id: &str, method_id: &str) -> (String, String) {
        (format!("CARDS#{user_id}"), format!("CARD#{method_id}"))
    }
    /// The one payment that pays an order: claimed before money is taken, so two payments of
    /// one order (two tabs, a double click) never both charge.
    pub fn order_claim(order_id: &str) -> (String, String) {
        (format!("ORDERPAY#{order_id}"), "CLAIM".into())
    }
    /// Failed gift-card activations per client per 15-minute window (TTL): guessing codes stops.
    pub fn gift_failures(user_id: &str, window: i64) -> (String, String) {
        (format!("GIFTFAIL#{user_id}"), format!("WINDOW#{window}"))
    }
}

pub mod store {
    pub fn product(product_id: &str) -> (String, String) {
        (format!("PRODUCT#{product_id}"), "PRODUCT".into())
    }
    pub fn store(store_id: &str) -> (String, String) {
        (format!("STORE#{store_id}"), "STORE".into())
    }
    pub fn index_meta() -> (String, String) {
        ("CATALOG#INDEX".into(), "META".into())
    }
    /// An order's picking case with the units reserved for it (or the mark that it may
    /// reserve none, once cancelled).
    pub fn picking(order_id: &str) -> (String, String) {
        (format!("PICKING#{order_id}"), "CASE".into())
    }
}

pub mod order {
    /// The client's cart: the order in status `draft`, one per client.
    pub fn draft(user_id: &str) -> (String, String) {
        (format!("CART#{user_id}"), "DRAFT".into())
    }
    /// An order placed from the cart ("Оплатить заказ"): lines and prices frozen.
    pub fn placed(order_id: &str) -> (String, String) {
        (format!("ORDER#{order_id}"), "ORDER".into())
    }
    /// GSI1 partition of a client's placed orders, newest last by placing time.
    pub fn placed_of(user_id: &str) -> String {
        format!("ORDERS#{user_id}")
    }
}

pub mod delivery {
    /// A courier price offered to a client (expires: TTL).
    pub fn quote(user_id: &str, quote_id: &str) -> (String, String) {
        (format!("DELIVERY#{user_id}"), format!("QUOTE#{quote_id}"))
    }
    /// The delivery chosen for one of the client's orders (the preliminary booking).
    pub fn booking(user_id: &str, order_id: &str) -> (String, String) {
        (format!("DELIVERY#{user_id}"), format!("ORDER#{order_id}"))
    }
    /// A paid order's delivery case (or the mark that none may be opened, once cancelled).
    pub fn case(order_id: &str) -> (String, String) {
        (format!("DELIVERYCASE#{order_id}"), "CASE".into())
    }
    /// How many orders hold an own-courier window of a zone (`held`): the zone's windows are one
    /// partition, sorted by time (`2026-11-28T10`), so a range of days is one Query.
    pub fn slot(zone: usize, window_id: &str) -> (String, String) {
        (format!("SLOTS#{zone}"), window_id.to_string())
    }
    /// One order's hold of a window, next to the window's count.
    pub fn slot_hold(zone: usize, window_id: &str, order_id: &str) -> (String, String) {
        (format!("SLOTS#{zone}"), format!("{window_id}#{order_id}"))
    }
}

pub mod notification {
    pub fn account(user_id: &str) -> (String, String) {
        (format!("NOTIFY#{user_id}"), "ACCOUNT".into())
    }
    /// One device's push subscription, by an id derived from its endpoint.
    pub fn push_subscription(user_id: &str, subscription_id: &str) -> (String, String) {
        (
            format!("NOTIFY#{user_id}"),
            format!("{PUSH_PREFIX}{subscription_id}"),
        )
    }
    pub const PUSH_PREFIX: &str = "PUSH#";
    /// The client's choice of channels.
    pub fn preferences(user_id: &str) -> (String, String) {
        (format!("NOTIFY#{user_id}"), "PREFERENCES".into())
    }
    pub fn sent(user_id: &str, notification_id: &str) -> (String, String) {
        (
            format!("NOTIFY#{user_id}"),
            format!("SENT#{notification_id}"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_builder_uses_an_owned_prefix() {
        let samples = [
            (auth::user("1").0, "auth"),
            (auth::username("Ivan").0, "auth"),
            (auth::email("A@B.ru").0, "auth"),
            (auth::session("h").0, "auth"),
            (auth::login_failures("ivan", 1).0, "auth"),
            (billing::wallet("1").0, "billing"),
            (billing::gift_card("h").0, "billing"),
            (payment::gift_failures("u", 1).0, "payment"),
            (notification::account("1").0, "notification"),
            (notification::sent("1", "n").0, "notification"),
            (store::product("p").0, "store"),
            (store::store("s").0, "store"),
            (store::index_meta().0, "store"),
            (order::draft("u").0, "order"),
            (delivery::quote("u", "q").0, "delivery"),
            (delivery::booking("u", "o").0, "delivery"),
        ];
        for (pk, owner) in samples {
            assert_eq!(owner_of(&pk), Some(owner), "{pk}");
        }
    }

    #[test]
    fn prefixes_do_not_shadow_each_other() {
        for (a, _) in OWNERS {
            for (b, _) in OWNERS {
                if a != b {
                    assert!(!a.starts_with(b), "{a} starts with {b}");
                }
            }
        }
    }
}
