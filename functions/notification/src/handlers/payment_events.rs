//! `payment.succeeded` / `payment.failed` from payment (SQS `NotificationPaymentQueue`): the
//! payment's result e-mail to the client, once per payment whatever the redeliveries (the
//! claim `SENT#payment-<id>` decides; a failed send gives it back for the retry).

use crate::{flow::messages, Notification};
use std::sync::Arc;
use vitrina_shared::{
    envelope::{self, PaymentOutcome, PAYMENT_FAILED, PAYMENT_SUCCEEDED},
    sqs::{self, SqsMessage},
    ConsumeError,
};

pub async fn handle(n: Arc<Notification>, record: SqsMessage) -> Result<(), ConsumeError> {
    let body = sqs::body(&record);
    let kind = envelope::kind(body)?;
    let paid = match kind.as_str() {
        PAYMENT_SUCCEEDED => true,
        PAYMENT_FAILED => false,
        other => {
            return Err(ConsumeError::Malformed(format!(
                "unexpected message type {other}"
            )))
        }
    };
    let message = envelope::parse::<PaymentOutcome>(body, &kind)?;
    Ok(messages::payment_result(&n, &kind, &message.payload, paid).await?)
}
