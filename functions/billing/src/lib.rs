//! billing: clients' wallets and gift cards (later, the ledger). Balances are kopecks.

pub mod domain;
pub mod handlers;
pub mod store;

use std::sync::Arc;
use vitrina_shared::{
    contracts::billing::{ActivateGiftCard, GiftCardsOf},
    runtime::{http_route, internal, sqs_consumer, Env, Function, Route},
};

pub struct Billing {
    pub store: store::BillingStore,
}

pub fn functions(env: Arc<Env>) -> Vec<Function> {
    let billing = Arc::new(Billing {
        store: store::BillingStore::new(
            env.clients.dynamodb.clone(),
            env.config.table_name.clone(),
        ),
    });
    vec![
        http_route(
            "wallet-get",
            Route::get("/api/wallet").authorized(),
            billing.clone(),
            handlers::wallet::get,
        ),
        sqs_consumer(
            "user-registered",
            "BillingQueue",
            billing.clone(),
            handlers::user_registered::handle,
        ),
        internal(
            ActivateGiftCard,
            billing.clone(),
            handlers::giftcards::activate,
        ),
        internal(GiftCardsOf, billing, handlers::giftcards::cards_of),
    ]
}
