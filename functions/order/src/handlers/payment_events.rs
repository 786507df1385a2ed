//! `payment.succeeded` / `payment.failed` from payment (SQS `OrderPaymentQueue`): the order is
//! paid, or notes why the try failed and waits for another. Redelivered or reordered messages
//! change nothing more: "paid by this payment" holds once, and a failure never touches a paid
//! order.

use crate::OrderService;
use std::sync::Arc;
use vitrina_shared::{
    envelope::{self, PaymentOutcome, PAYMENT_FAILED, PAYMENT_SUCCEEDED},
    sqs::{self, SqsMessage},
    ConsumeError, StoreError,
};

pub async fn handle(svc: Arc<OrderService>, record: SqsMessage) -> Result<(), ConsumeError> {
    let body = sqs::body(&record);
    let kind = envelope::kind(body)?;
    let at = chrono::Utc::now().to_rfc3339();
    match kind.as_str() {
        PAYMENT_SUCCEEDED => {
            let message = envelope::parse::<PaymentOutcome>(body, PAYMENT_SUCCEEDED)?;
            let p = &message.payload;
            match svc.store.mark_paid(&p.order_id, &p.payment_id, &at).await {
                Ok(()) => {
                    tracing::info!(order_id = %p.order_id, payment_id = %p.payment_id, "order paid");
                    Ok(())
                }
                // payment claims an order before it takes money, so a second payment never
                // succeeds: if one does, an operator must see it (the message ends in the DLQ).
                Err(StoreError::Conflict) => Err(ConsumeError::Malformed(format!(
                    "order {} is not awaiting payment, yet payment {} succeeded",
                    p.order_id, p.payment_id
                ))),
                Err(e) => Err(e.into()),
            }
        }
        PAYMENT_FAILED => {
            let message = envelope::parse::<PaymentOutcome>(body, PAYMENT_FAILED)?;
            let p = &message.payload;
            let reason = p.reason.as_deref().unwrap_or("declined");
            svc.store.note_failure(&p.order_id, reason, &at).await?;
            Ok(())
        }
        other => Err(ConsumeError::Malformed(format!(
            "unexpected message type {other}"
        ))),
    }
}
