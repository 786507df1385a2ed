//! billing: clients' wallets and gift cards (later, the ledger). Balances are kopecks.

pub mod domain;
pub mod handlers;
pub mod store;

use std::sync::Arc;
use vitrina_shared::runtime::{http_route, json, sqs_consumer, Env, Function, Trigger};

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
            "GET",
            "/api/wallet",
            true,
            billing.clone(),
            handlers::wallet::get,
        ),
        sqs_consumer(
            "user-registered",
            "BillingQueue",
            billing.clone(),
            handlers::user_registered::handle,
        ),
        Function {
            handler: "gift-card-activate",
            trigger: Trigger::Task,
            invoke: json({
                let billing = billing.clone();
                move |req, _ctx| handlers::giftcards::activate(billing.clone(), req)
            }),
        },
        Function {
            handler: "gift-cards-of",
            trigger: Trigger::Task,
            invoke: json(move |req, _ctx| handlers::giftcards::cards_of(billing.clone(), req)),
        },
    ]
}
