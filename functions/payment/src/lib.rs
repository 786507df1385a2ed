//! payment: the client's means of payment. Today: gift cards — activating one by its code
//! (billing keeps the card and its balance) and listing the client's cards. Bank cards, SBP and
//! paying for orders come with the payment scenario.

pub mod bank;
pub mod billing;
pub mod domain;
pub mod handlers;
pub mod store;

use vitrina_shared::{
    config::SettingsError,
    contracts::Remote,
    runtime::{http_route, Env, Function, Route},
};

pub struct Payment {
    pub store: store::PaymentStore,
    pub billing: billing::BillingGiftCards,
}

impl Payment {
    pub fn new(env: &Env) -> Result<Self, SettingsError> {
        let lambda = env.aws.lambda();
        Ok(Self {
            store: store::PaymentStore::new(env.aws.dynamodb(), env.config.table_name.clone()),
            billing: billing::BillingGiftCards {
                activate: Remote::new(
                    lambda.clone(),
                    env.config.require("BILLING_GIFT_CARD_ACTIVATE_FUNCTION")?,
                ),
                cards_of: Remote::new(
                    lambda.clone(),
                    env.config.require("BILLING_GIFT_CARDS_OF_FUNCTION")?,
                ),
            },
        })
    }
}

pub fn functions() -> Vec<Function> {
    vec![
        http_route(
            "gift-card-activate",
            Route::post("/api/gift-cards/activate").authorized(),
            Payment::new,
            handlers::activate::handle,
        ),
        http_route(
            "gift-cards-list",
            Route::get("/api/gift-cards").authorized(),
            Payment::new,
            handlers::list::handle,
        ),
    ]
}
