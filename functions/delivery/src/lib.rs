//! delivery: pickup points, courier companies and their prices, and the delivery chosen for
//! an order (the preliminary booking that orchestra will turn into a delivery case).

pub mod domain;
pub mod handlers;

use std::sync::Arc;
use vitrina_shared::runtime::{http_route, internal, Env, Function};

pub struct Delivery {
    pub db: aws_sdk_dynamodb::Client,
    pub table: String,
}

pub fn functions(env: Arc<Env>) -> Vec<Function> {
    let delivery = Arc::new(Delivery {
        db: env.clients.dynamodb.clone(),
        table: env.config.table_name.clone(),
    });
    vec![
        http_route(
            "options",
            "GET",
            "/api/delivery/options",
            true,
            delivery.clone(),
            handlers::options,
        ),
        http_route(
            "quote",
            "POST",
            "/api/delivery/quote",
            true,
            delivery.clone(),
            handlers::quote,
        ),
        internal("choose", delivery, handlers::choose),
    ]
}
