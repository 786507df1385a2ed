//! payment: the client's means of payment. Today: gift cards — activating one by its code
//! (billing keeps the card and its balance) and listing the client's cards. Bank cards, SBP and
//! paying for orders come with the payment scenario.

pub mod billing;
pub mod domain;
pub mod handlers;
pub mod store;

use std::sync::Arc;
use vitrina_shared::{
    contracts::Remote,
    runtime::{http_route, Env, Function, Route},
};

pub struct Payment {
    pub store: store::PaymentStore,
    pub billing: billing::BillingGiftCards,
}

pub fn functions(env: Arc<Env>) -> Vec<Function> {
    let var = |name: &str| env.config.var(name).unwrap_or_default().to_string();
    let payment = Arc::new(Payment {
        store: store::PaymentStore::new(
            env.clients.dynamodb.clone(),
            env.config.table_name.clone(),
        ),
        billing: billing::BillingGiftCards {
            activate: Remote::new(
                env.clients.lambda.clone(),
                var("BILLING_GIFT_CARD_ACTIVATE_FUNCTION"),
            ),
            cards_of: Remote::new(
                env.clients.lambda.clone(),
                var("BILLING_GIFT_CARDS_OF_FUNCTION"),
            ),
        },
    });
    vec![
        http_route(
            "gift-card-activate",
            Route::post("/api/gift-cards/activate").authorized(),
            payment.clone(),
            handlers::activate::handle,
        ),
        http_route(
            "gift-cards-list",
            Route::get("/api/gift-cards").authorized(),
            payment,
            handlers::list::handle,
        ),
    ]
}
