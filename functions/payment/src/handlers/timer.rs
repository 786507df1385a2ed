//! The payment's timer (SQS `PaymentTimerQueue`, armed by `POST /api/payments`): the shop's own
//! look at a payment whose client may have vanished. Money is never left hanging:
//!
//! - held (a card authorised, a wallet ready) and claimed by "Оплатить" whose confirm broke off
//!   (a crash, the bank down): the money is taken now, as the client asked;
//! - held for the hold time and never confirmed: given up and the bank's hold released;
//! - still with the payer at the bank: looked at again later (the bank ends its page itself).
//!
//! Giving up and "Оплатить" exclude each other in the table (the claim is conditional on the
//! payment being confirmable, giving up on the order not being claimed by it), so a payment is
//! either taken or released, never both. The check is idempotent: a duplicate or a late message
//! finds the payment settled and does nothing.

use crate::{
    domain::payment::{Payment, Status},
    handlers::{
        payments::{self, settle, take_money},
        refund,
    },
    timer::{PaymentCheck, PAYMENT_CHECK},
    TimedPayments, TimerChecks,
};
use std::{sync::Arc, time::Duration};
use vitrina_shared::{
    envelope,
    sqs::{self, SqsMessage},
    ConsumeError,
};

/// Why a payment nobody confirmed was given up (the web client words it in Russian).
pub const NOT_CONFIRMED: &str = "not_confirmed_in_time";

/// A payment still with the payer this long is the bank's problem to report: an operator looks.
const PAYER_AT_MOST: Duration = Duration::from_secs(24 * 3600);

pub async fn handle(checks: Arc<TimerChecks>, record: SqsMessage) -> Result<(), ConsumeError> {
    let check = envelope::parse::<PaymentCheck>(sqs::body(&record), PAYMENT_CHECK)?.payload;
    let t = &checks.timed;
    let p = &t.payments;
    let Some(payment) = p.store.payment(&check.payment_id).await? else {
        return Err(ConsumeError::Malformed(format!(
            "no payment {}",
            check.payment_id
        )));
    };
    // What the bank says first: an authorisation may have expired, a capture may have happened.
    let payment = settle(p, payment)
        .await
        .map_err(ConsumeError::unavailable)?;
    match payment.status {
        Status::Refunding | Status::RefundFailed => follow_refund(&checks, payment).await,
        Status::Cancelled => {
            // Its claim too, should the write that ended it have stopped before that.
            p.store
                .release_order(&payment.order_id, &payment.payment_id)
                .await?;
            release_at_bank(t, &payment).await
        }
        Status::Failed => Ok(p
            .store
            .release_order(&payment.order_id, &payment.payment_id)
            .await?),
        status if status.is_final() => Ok(()),
        Status::Created | Status::AwaitingPayer => {
            let age = since(&payment.created_at);
            if age > PAYER_AT_MOST {
                return Err(ConsumeError::Malformed(format!(
                    "payment {} still waits for its payer after {} h: the bank does not settle it",
                    payment.payment_id,
                    age.as_secs() / 3600
                )));
            }
            if payment.status == Status::Created && age >= t.timer.hold {
                // The bank was never reached (the client's request broke off): nothing is held.
                return give_up(t, &payment).await;
            }
            t.timer
                .arm(&payment.payment_id, t.timer.hold)
                .await
                .map_err(ConsumeError::Unavailable)
        }
        Status::Authorized | Status::Ready => {
            let waited = since(&payment.updated_at);
            let claimed = p.store.order_claimed_by(&payment.order_id).await?;
            if claimed.as_deref() == Some(payment.payment_id.as_str()) {
                let taken = take_money(p, &payment)
                    .await
                    .map_err(ConsumeError::unavailable)?;
                tracing::warn!(payment_id = %taken.payment_id, status = ?taken.status, "a confirm that broke off finished by the timer");
                return Ok(());
            }
            if waited < t.timer.hold {
                return t
                    .timer
                    .arm(&payment.payment_id, t.timer.hold - waited)
                    .await
                    .map_err(ConsumeError::Unavailable);
            }
            give_up(t, &payment).await
        }
        // Paid, Failed, Refunded: final, handled above.
        _ => Ok(()),
    }
}

/// A refund the bank has not finished: read again, looked at later while pending; refused by
/// the bank, the operators are told (`OperatorQueue`, alarmed) — the money is still the shop's
/// and `payment-refund` run again asks anew. A redelivered message tells them again.
async fn follow_refund(checks: &TimerChecks, payment: Payment) -> Result<(), ConsumeError> {
    let t = &checks.timed;
    let payment = refund::follow(&t.payments, payment)
        .await
        .map_err(ConsumeError::Unavailable)?;
    match payment.status {
        Status::Refunding => t
            .timer
            .arm(&payment.payment_id, t.timer.hold)
            .await
            .map_err(ConsumeError::Unavailable),
        Status::RefundFailed => {
            let report = serde_json::json!({
                "type": "refund.failed",
                "paymentId": payment.payment_id,
                "orderId": payment.order_id,
                "amount": payment.amount,
                "reason": payment.failure,
                "do": "the money is still the shop's: invoke payment-refund with this paymentId again",
            });
            t.payments
                .sqs
                .send_message()
                .queue_url(&checks.operators)
                .message_body(report.to_string())
                .send()
                .await
                .map_err(|e| {
                    ConsumeError::Unavailable(
                        aws_sdk_sqs::error::DisplayErrorContext(e).to_string(),
                    )
                })?;
            tracing::error!(payment_id = %payment.payment_id, order_id = %payment.order_id, "the bank refused a refund: operators told");
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Gives up a payment nobody confirmed, unless "Оплатить" claims it first; then the bank's hold
/// is released.
async fn give_up(t: &TimedPayments, payment: &Payment) -> Result<(), ConsumeError> {
    match payments::give_up(&t.payments, payment, NOT_CONFIRMED).await? {
        Some(given_up) => release_at_bank(t, &given_up).await,
        // Claimed or moved meanwhile: the redelivery looks again.
        None => Err(ConsumeError::Unavailable(format!(
            "payment {} moved while being given up",
            payment.payment_id
        ))),
    }
}

/// A given-up payment's hold at the bank released again (a message after the give-up).
async fn release_at_bank(t: &TimedPayments, payment: &Payment) -> Result<(), ConsumeError> {
    payments::release_at_bank(&t.payments, payment)
        .await
        .map_err(ConsumeError::Unavailable)
}

/// How long ago an RFC 3339 time was (zero if it is unreadable or in the future).
fn since(time: &str) -> Duration {
    chrono::DateTime::parse_from_rfc3339(time)
        .ok()
        .and_then(|t| {
            (chrono::Utc::now() - t.with_timezone(&chrono::Utc))
                .to_std()
                .ok()
        })
        .unwrap_or_default()
}
