//! `order.paid` and `order.cancel_requested` from order (SQS `OrchestraQueue`): the order's
//! saga starts — forward for a paid order, compensations only for a cancellation.

use crate::{domain::Run, flow, Orchestra};
use std::sync::Arc;
use vitrina_shared::{
    envelope::{self, OrderPaid},
    sqs::{self, SqsMessage},
    ConsumeError,
};

pub async fn handle(o: Arc<Orchestra>, record: SqsMessage) -> Result<(), ConsumeError> {
    let body = sqs::body(&record);
    let kind = envelope::kind(body)?;
    let run = Run::of_message(&kind)
        .ok_or_else(|| ConsumeError::Malformed(format!("unexpected message type {kind}")))?;
    let order = envelope::parse::<OrderPaid>(body, &kind)?.payload;
    Ok(flow::start(&o, run, order).await?)
}
