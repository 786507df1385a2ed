//! `payment-timer` (SQS `PaymentTimerQueue`): a payment's timer came back; the look itself is
//! `flow::timer` (what it does, and why a payment is then either taken or released).

use crate::{flow::timer::look, timer::PaymentCheck, TimerChecks};
use std::sync::Arc;
use vitrina_shared::{
    envelope,
    sqs::{self, SqsMessage},
    ConsumeError,
};

pub async fn handle(checks: Arc<TimerChecks>, record: SqsMessage) -> Result<(), ConsumeError> {
    let check =
        envelope::parse::<PaymentCheck>(sqs::body(&record), crate::timer::PAYMENT_CHECK)?.payload;
    let step = look(&checks, &check.payment_id).await?;
    tracing::debug!(payment_id = %check.payment_id, ?step, "payment looked at");
    Ok(())
}
