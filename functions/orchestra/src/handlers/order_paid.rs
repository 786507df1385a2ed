//! `order.paid` and `order.cancel_requested` from order (SQS `OrchestraQueue`): the order's
//! saga starts — forward for a paid order (the execution named by the order id), compensations
//! only for a cancellation (named `<order id>-cancel`). A redelivered or repeated message finds
//! the execution of that name and starts nothing.

use crate::Orchestra;
use std::sync::Arc;
use vitrina_shared::{
    envelope::{self, OrderPaid, ORDER_CANCEL_REQUESTED, ORDER_PAID},
    sqs::{self, SqsMessage},
    ConsumeError,
};

pub async fn handle(o: Arc<Orchestra>, record: SqsMessage) -> Result<(), ConsumeError> {
    let body = sqs::body(&record);
    let kind = envelope::kind(body)?;
    let (mut order, name) = match kind.as_str() {
        ORDER_PAID => {
            let order = envelope::parse::<OrderPaid>(body, ORDER_PAID)?.payload;
            let name = order.order_id.clone();
            (order, name)
        }
        ORDER_CANCEL_REQUESTED => {
            let order = envelope::parse::<OrderPaid>(body, ORDER_CANCEL_REQUESTED)?.payload;
            let name = format!("{}-cancel", order.order_id);
            (order, name)
        }
        other => {
            return Err(ConsumeError::Malformed(format!(
                "unexpected message type {other}"
            )))
        }
    };
    // What the saga does is decided by the message's type, not by a flag a sender may forget.
    order.cancel = kind == ORDER_CANCEL_REQUESTED;
    match o.saga.start(&name, &order).await {
        Ok(true) => {
            tracing::info!(order_id = %order.order_id, execution = %name, "order saga started");
            Ok(())
        }
        Ok(false) => {
            tracing::info!(order_id = %order.order_id, execution = %name, "order saga exists already");
            Ok(())
        }
        Err(e) => Err(ConsumeError::Unavailable(e.to_string())),
    }
}
