//! billing: clients' wallets with their ledger, and gift cards. Balances are kopecks.

pub mod domain;
pub mod handlers;
pub mod store;

use vitrina_shared::{
    config::SettingsError,
    contracts::billing::{
        ActivateGiftCard, CreditGiftCard, CreditWallet, DebitGiftCard, DebitWallet, GiftCardsOf,
    },
    runtime::{http_route, internal, sqs_consumer, Env, Function, Route},
};

pub struct Billing {
    pub store: store::BillingStore,
}

impl Billing {
    pub fn new(env: &Env) -> Result<Self, SettingsError> {
        Ok(Self {
            store: store::BillingStore::new(env.aws.dynamodb(), env.config.table_name.clone()),
        })
    }
}

/// What a payment bought besides goods, delivered: billing's own items, and notification's
/// queue for the code of a bought gift card.
pub struct BillingPayments {
    pub billing: std::sync::Arc<Billing>,
    pub sqs: aws_sdk_sqs::Client,
    pub notification_queue: String,
}

impl BillingPayments {
    pub fn new(env: &Env) -> Result<Self, SettingsError> {
        Ok(Self {
            billing: std::sync::Arc::new(Billing::new(env)?),
            sqs: env.aws.sqs(),
            notification_queue: env.config.require("NOTIFICATION_GIFT_CARD_QUEUE_URL")?,
        })
    }
}

pub fn functions() -> Vec<Function> {
    vec![
        http_route(
            "wallet-get",
            Route::get("/api/wallet").authorized(),
            Billing::new,
            handlers::wallet::get,
        ),
        http_route(
            "wallet-history",
            Route::get("/api/wallet/history").authorized(),
            Billing::new,
            handlers::wallet::history,
        ),
        sqs_consumer(
            "payment-events",
            "BillingPaymentQueue",
            BillingPayments::new,
            handlers::payment_events::handle,
        ),
        sqs_consumer(
            "user-registered",
            "BillingQueue",
            Billing::new,
            handlers::user_registered::handle,
        ),
        internal(
            ActivateGiftCard,
            Billing::new,
            handlers::giftcards::activate,
        ),
        internal(GiftCardsOf, Billing::new, handlers::giftcards::cards_of),
        internal(DebitWallet, Billing::new, handlers::ledger::debit),
        internal(CreditWallet, Billing::new, handlers::ledger::credit),
        internal(
            DebitGiftCard,
            Billing::new,
            handlers::ledger::debit_gift_card,
        ),
        internal(
            CreditGiftCard,
            Billing::new,
            handlers::ledger::credit_gift_card,
        ),
    ]
}
