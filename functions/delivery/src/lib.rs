//! delivery: pickup points, courier companies and their prices, and the delivery chosen for
//! an order (the preliminary booking that orchestra will turn into a delivery case).

pub mod domain;
pub mod handlers;
pub mod store;

use vitrina_shared::{
    config::SettingsError,
    contracts::delivery::{CancelDeliveryCase, ChooseDelivery, OpenDeliveryCase},
    runtime::{http_route, internal, Env, Function, Route},
};

pub struct Delivery {
    pub store: store::DeliveryStore,
}

impl Delivery {
    pub fn new(env: &Env) -> Result<Self, SettingsError> {
        Ok(Self {
            store: store::DeliveryStore::new(env.aws.dynamodb(), env.config.table_name.clone()),
        })
    }
}

pub fn functions() -> Vec<Function> {
    vec![
        http_route(
            "options",
            Route::get("/api/delivery/options").authorized(),
            Delivery::new,
            handlers::options::handle,
        ),
        http_route(
            "quote",
            Route::post("/api/delivery/quote").authorized(),
            Delivery::new,
            handlers::quote::handle,
        ),
        internal(ChooseDelivery, Delivery::new, handlers::choose::handle),
        internal(OpenDeliveryCase, Delivery::new, handlers::case::open),
        internal(CancelDeliveryCase, Delivery::new, handlers::case::cancel),
    ]
}
