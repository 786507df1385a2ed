//! `payment.succeeded` from payment (SQS `BillingPaymentQueue`): what a payment bought besides
//! goods is delivered (`flow::purchases`). Redelivered, it delivers nothing twice; a failure
//! retries and ends in the DLQ (an alarm), never silently: money taken is delivered or an
//! operator sees it.

use crate::{flow::purchases, PaymentOutcomes};
use std::sync::Arc;
use vitrina_shared::{
    contracts::order::OrderKind,
    envelope::{self, PaymentOutcome, PAYMENT_FAILED, PAYMENT_SUCCEEDED},
    sqs::{self, SqsMessage},
    ConsumeError,
};

pub async fn handle(b: Arc<PaymentOutcomes>, record: SqsMessage) -> Result<(), ConsumeError> {
    let body = sqs::body(&record);
    match envelope::kind(body)?.as_str() {
        PAYMENT_SUCCEEDED => {}
        // A failed payment bought nothing.
        PAYMENT_FAILED => return Ok(()),
        other => {
            return Err(ConsumeError::Malformed(format!(
                "unexpected message type {other}"
            )))
        }
    }
    let paid = envelope::parse::<PaymentOutcome>(body, PAYMENT_SUCCEEDED)?.payload;
    match paid.kind {
        OrderKind::Goods => Ok(()),
        OrderKind::WalletTopUp => Ok(purchases::top_up(&b, &paid).await?),
        OrderKind::GiftCard => Ok(purchases::gift_card(&b, &paid).await?),
    }
}
