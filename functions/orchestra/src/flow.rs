//! orchestra's workflow: the order's saga started once per run, whatever the redeliveries.
//! Answers [`SagaError`], made once into a consumer's `ConsumeError`.

use crate::{domain::Run, saga::StartError, Orchestra};
use vitrina_shared::{envelope::OrderPaid, ConsumeError};

#[derive(Debug, thiserror::Error)]
pub enum SagaError {
    #[error(transparent)]
    Start(#[from] StartError),
}

impl From<SagaError> for ConsumeError {
    fn from(err: SagaError) -> Self {
        ConsumeError::unavailable(err)
    }
}

/// Starts the run of the order's saga; an execution of that name that exists (a redelivered or
/// repeated message) starts nothing.
pub async fn start(o: &Orchestra, run: Run, mut order: OrderPaid) -> Result<(), SagaError> {
    let name = run.execution_name(&order.order_id);
    // What the saga does is decided by the message's type, not by a flag a sender may forget.
    order.cancel = run == Run::Cancellation;
    let started = o.saga.start(&name, &order).await?;
    tracing::info!(order_id = %order.order_id, execution = %name, started, "order saga");
    Ok(())
}
