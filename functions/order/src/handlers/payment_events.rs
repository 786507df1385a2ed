//! `payment.succeeded` / `payment.failed` from payment (SQS `OrderPaymentQueue`): the order is
//! paid and handed to orchestra (`order.paid`), or notes why the try failed and waits for
//! another. Redelivered or reordered messages change nothing more: "paid by this payment" holds
//! once (a redelivery hands the order over again, which starts no second saga), and a failure
//! never touches a paid order.

use crate::{flow::payments, PaidOrders};
use std::sync::Arc;
use vitrina_shared::{
    envelope::{self, PaymentOutcome, PAYMENT_FAILED, PAYMENT_SUCCEEDED},
    sqs::{self, SqsMessage},
    ConsumeError,
};

pub async fn handle(svc: Arc<PaidOrders>, record: SqsMessage) -> Result<(), ConsumeError> {
    let body = sqs::body(&record);
    let kind = envelope::kind(body)?;
    match kind.as_str() {
        PAYMENT_SUCCEEDED => {
            let message = envelope::parse::<PaymentOutcome>(body, PAYMENT_SUCCEEDED)?;
            Ok(payments::paid(&svc, &message.payload, &message.correlation_id).await?)
        }
        PAYMENT_FAILED => {
            let message = envelope::parse::<PaymentOutcome>(body, PAYMENT_FAILED)?;
            Ok(payments::failed(&svc.order, &message.payload).await?)
        }
        other => Err(ConsumeError::Malformed(format!(
            "unexpected message type {other}"
        ))),
    }
}
