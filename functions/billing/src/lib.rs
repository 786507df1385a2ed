//! billing: clients' wallets with their ledger, and gift cards. Balances are kopecks.

pub mod domain;
pub mod flow;
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
pub struct PaymentOutcomes {
    pub billing: std::sync::Arc<Billing>,
    pub sqs: aws_sdk_sqs::Client,
    pub notification_queue: String,
}

impl PaymentOutcomes {
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
            handlers::wallet_get::handle,
        ),
        http_route(
            "wallet-history",
            Route::get("/api/wallet/history").authorized(),
            Billing::new,
            handlers::wallet_history::handle,
        ),
        sqs_consumer(
            "payment-events",
            "BillingPaymentQueue",
            PaymentOutcomes::new,
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
            handlers::gift_card_activate::handle,
        ),
        internal(GiftCardsOf, Billing::new, handlers::gift_cards_of::handle),
        internal(DebitWallet, Billing::new, handlers::wallet_debit::handle),
        internal(CreditWallet, Billing::new, handlers::wallet_credit::handle),
        internal(
            DebitGiftCard,
            Billing::new,
            handlers::gift_card_debit::handle,
        ),
        internal(
            CreditGiftCard,
            Billing::new,
            handlers::gift_card_credit::handle,
        ),
    ]
}

/// billing's part of the API's OpenAPI document: the wallet as its client sees it.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(handlers::wallet_get::handle, handlers::wallet_history::handle),
    tags((name = "billing", description = "The client's wallet"))
)]
pub struct BillingApi;
