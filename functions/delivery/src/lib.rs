//! delivery: pickup points, courier companies and their prices, and the delivery chosen for
//! an order (the preliminary booking that orchestra will turn into a delivery case).

pub mod couriers;
pub mod domain;
pub mod flow;
pub mod handlers;
pub mod store;

use vitrina_shared::{
    config::SettingsError,
    contracts::{
        delivery::{CancelDeliveryCase, ChooseDelivery, MoveDeliveryCase, OpenDeliveryCase},
        order::ReportOrderStatus,
        store::PickingCaseOf,
        Remote,
    },
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

/// What the client's choice and the saga's steps need: delivery's items and the courier
/// companies' booking API (pre-booked on choice, confirmed when paid, cancelled when undone).
pub struct Carriers {
    pub delivery: Delivery,
    pub couriers: couriers::CourierApi,
}

impl Carriers {
    pub fn new(env: &Env) -> Result<Self, SettingsError> {
        let token = couriers::Token::new(
            aws_sdk_secretsmanager::Client::new(env.aws.sdk()),
            env.config.require("COURIER_CREDENTIALS_SECRET")?,
        );
        let api_url = env.config.require("COURIER_API_URL")?;
        let couriers =
            couriers::CourierApi::new(&api_url, token, std::time::Duration::from_secs(3)).map_err(
                |e| SettingsError::Invalid {
                    name: "COURIER_API_URL".into(),
                    reason: e.to_string(),
                },
            )?;
        Ok(Self {
            delivery: Delivery::new(env)?,
            couriers,
        })
    }
}

/// The operators' moves of delivery cases: the cases, and who hears of a move — order (the
/// status on the client's timeline) and notification (the arrival letter, over SQS).
pub struct CaseMoves {
    pub delivery: Delivery,
    pub order: Remote<ReportOrderStatus>,
    /// store's picking case: the courier leaves only with goods the warehouse handed over.
    pub picking: Remote<PickingCaseOf>,
    pub sqs: aws_sdk_sqs::Client,
    pub notification_queue: String,
}

impl CaseMoves {
    pub fn new(env: &Env) -> Result<Self, SettingsError> {
        Ok(Self {
            delivery: Delivery::new(env)?,
            order: Remote::new(
                env.aws.lambda(),
                env.config.require("ORDER_STATUS_FUNCTION")?,
            ),
            picking: Remote::new(
                env.aws.lambda(),
                env.config.require("STORE_PICKING_CASE_FUNCTION")?,
            ),
            sqs: env.aws.sqs(),
            notification_queue: env.config.require("NOTIFICATION_ORDER_QUEUE_URL")?,
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
        internal(ChooseDelivery, Carriers::new, handlers::choose::handle),
        internal(OpenDeliveryCase, Carriers::new, handlers::case_open::handle),
        internal(
            CancelDeliveryCase,
            Carriers::new,
            handlers::case_cancel::handle,
        ),
        internal(
            MoveDeliveryCase,
            CaseMoves::new,
            handlers::case_move::handle,
        ),
    ]
}

/// delivery's part of the API's OpenAPI document: what checkout asks of it directly.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(handlers::options::handle, handlers::quote::handle),
    tags((name = "delivery", description = "Pickup points, courier companies and their prices"))
)]
pub struct DeliveryApi;
