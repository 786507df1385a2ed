//! `payment.succeeded` / `payment.failed` from payment (SQS `NotificationPaymentQueue`): the
//! payment's result e-mail to the client, once per payment whatever the redeliveries (the
//! claim `SENT#payment-<id>` decides; a failed send gives it back for the retry).

use crate::{domain::payment_letter, Notification};
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
    let outcome = &message.payload;
    // The account opens from user.registered; a client who pays has one. If it is not there
    // yet, the retry finds it.
    let account = n
        .store
        .account(&outcome.user_id)
        .await?
        .ok_or_else(|| ConsumeError::unavailable("no notification account yet"))?;
    let Some(email) = account.email().map(str::to_string) else {
        tracing::info!(user_id = %outcome.user_id, "no e-mail channel: nothing to send");
        return Ok(());
    };
    let notification_id = format!("payment-{}", outcome.payment_id);
    let letter = payment_letter(&account.name, outcome, paid, &n.shop_url);
    super::send_once(
        &n,
        &outcome.user_id,
        &notification_id,
        &kind,
        &email,
        &letter,
    )
    .await
}
