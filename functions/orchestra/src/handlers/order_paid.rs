//! `order.paid` from order (SQS `OrchestraQueue`): the order's saga starts. A redelivered or
//! repeated message finds the execution of that name and starts nothing.

use crate::Orchestra;
use std::sync::Arc;
use vitrina_shared::{
    envelope::{self, OrderPaid, ORDER_PAID},
    sqs::{self, SqsMessage},
    ConsumeError,
};

pub async fn handle(o: Arc<Orchestra>, record: SqsMessage) -> Result<(), ConsumeError> {
    let message = envelope::parse::<OrderPaid>(sqs::body(&record), ORDER_PAID)?;
    let order = &message.payload;
    match o.saga.start(order).await {
        Ok(true) => {
            tracing::info!(order_id = %order.order_id, "order saga started");
            Ok(())
        }
        Ok(false) => {
            tracing::info!(order_id = %order.order_id, "order saga exists already");
            Ok(())
        }
        Err(e) => Err(ConsumeError::Unavailable(e.to_string())),
    }
}
