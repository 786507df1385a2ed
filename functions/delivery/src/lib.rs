//! delivery: pickup points, courier companies and their prices, and the delivery chosen for
//! an order (the preliminary booking that orchestra will turn into a delivery case).

pub mod domain;
pub mod handlers;
pub mod store;

use std::sync::Arc;
use vitrina_shared::{
    contracts::delivery::ChooseDelivery,
    runtime::{http_route, internal, Env, Function, Route},
};

pub struct Delivery {
    pub store: store::DeliveryStore,
}

pub fn functions(env: Arc<Env>) -> Vec<Function> {
    let delivery = Arc::new(Delivery {
        store: store::DeliveryStore::new(
            env.clients.dynamodb.clone(),
            env.config.table_name.clone(),
        ),
    });
    vec![
        http_route(
            "options",
            Route::get("/api/delivery/options").authorized(),
            delivery.clone(),
            handlers::options::handle,
        ),
        http_route(
            "quote",
            Route::post("/api/delivery/quote").authorized(),
            delivery.clone(),
            handlers::quote::handle,
        ),
        internal(ChooseDelivery, delivery, handlers::choose::handle),
    ]
}
