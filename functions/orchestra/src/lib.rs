//! orchestra: the order saga. The saga itself is the Step Functions definition
//! `statemachines/order-saga.asl.json` (payment, store, delivery and order steps with their
//! compensations); this service starts it for every paid order order hands over.

pub mod domain;
pub mod flow;
pub mod handlers;
pub mod saga;

use vitrina_shared::{
    config::SettingsError,
    runtime::{sqs_consumer, Env, Function},
};

pub struct Orchestra {
    pub saga: saga::OrderSaga,
}

impl Orchestra {
    pub fn new(env: &Env) -> Result<Self, SettingsError> {
        Ok(Self {
            saga: saga::OrderSaga::new(env.aws.sfn(), env.config.require("ORDER_SAGA_ARN")?),
        })
    }
}

pub fn functions() -> Vec<Function> {
    vec![sqs_consumer(
        "order-paid",
        "OrchestraQueue",
        Orchestra::new,
        handlers::order_paid::handle,
    )]
}
