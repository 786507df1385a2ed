//! The timer's look at a payment (SQS `PaymentTimerQueue`, armed by `POST /api/payments` and
//! by a refund the bank has not finished): the shop's own look at a payment whose client may
//! have vanished. Money is never left hanging — `domain::timer::decide` says what is done:
//!
//! - held and claimed by «Оплатить» whose confirm broke off (a crash, the bank down): the money
//!   is taken now, as the client asked;
//! - held for the hold time and never confirmed: given up and the bank's hold released;
//! - still with the payer at the bank: looked at again later (the bank ends its page itself).
//!
//! Giving up and «Оплатить» exclude each other in the table (the claim is conditional on the
//! payment being confirmable, giving up on the order not being claimed by it), so a payment is
//! either taken or released, never both. The look is idempotent: a duplicate or a late message
//! finds the payment settled and does nothing.

use super::{
    payments::{current, give_up, release_at_bank, settle, take_money},
    refunds::follow,
    PaymentError,
};
use crate::{
    domain::{
        payment::{Payment, Status},
        timer::{decide, needs_claim, since, Look, Step},
    },
    TimerChecks,
};
use vitrina_shared::{contracts::payment::PaymentFailure, Unavailable};

/// What one look at a payment did, for the log and the tests.
pub async fn look(checks: &TimerChecks, payment_id: &str) -> Result<Step, PaymentError> {
    let t = &checks.timed;
    let p = &t.payments;
    // What the bank says first: an authorisation may have expired, a capture may have happened.
    let payment = settle(p, current(p, payment_id).await?).await?;
    let claimed = needs_claim(payment.status)
        && p.store
            .order_claimed_by(&payment.order_id)
            .await?
            .as_deref()
            == Some(payment.payment_id.as_str());
    let now = chrono::Utc::now();
    let step = decide(Look {
        status: payment.status,
        age: since(&payment.created_at, now),
        waited: since(&payment.updated_at, now),
        claimed,
        hold: t.timer.hold,
    });
    match step {
        Step::FollowRefund => follow_refund(checks, payment).await?,
        Step::ReleaseGivenUp => {
            p.store
                .release_order(&payment.order_id, &payment.payment_id)
                .await?;
            release_at_bank(p, &payment).await?;
        }
        Step::ReleaseClaim => {
            p.store
                .release_order(&payment.order_id, &payment.payment_id)
                .await?
        }
        Step::Nothing => {}
        Step::TakeMoney => {
            let taken = take_money(p, &payment).await?;
            tracing::warn!(payment_id = %taken.payment_id, status = ?taken.status, "a confirm that broke off finished by the timer");
        }
        Step::GiveUp => match give_up(p, &payment, PaymentFailure::NotConfirmedInTime).await? {
            Some(given_up) => release_at_bank(p, &given_up).await?,
            // Claimed or moved meanwhile: the redelivery looks again.
            None => {
                return Err(Unavailable(format!(
                    "payment {} moved while being given up",
                    payment.payment_id
                ))
                .into())
            }
        },
        Step::LookAgain(after) => t.timer.arm(&payment.payment_id, after).await?,
        Step::Stuck => {
            return Err(PaymentError::Bug(format!(
                "payment {} still waits for its payer after {} h: the bank does not settle it",
                payment.payment_id,
                since(&payment.created_at, now).as_secs() / 3600
            )))
        }
    }
    Ok(step)
}

/// A refund the bank has not finished: read again, looked at later while pending; refused by
/// the bank, the operators are told (`OperatorQueue`, alarmed) — the money is still the shop's
/// and `payment-refund` run again asks anew. A redelivered message tells them again.
async fn follow_refund(checks: &TimerChecks, payment: Payment) -> Result<(), PaymentError> {
    let t = &checks.timed;
    let payment = follow(&t.payments, payment).await?;
    match payment.status {
        Status::Refunding => Ok(t.timer.arm(&payment.payment_id, t.timer.hold).await?),
        Status::RefundFailed => {
            let report = serde_json::json!({
                "type": "refund.failed",
                "paymentId": payment.payment_id,
                "orderId": payment.order_id,
                "amount": payment.amount,
                "reason": payment.failure,
                "bankReason": payment.refund_refused_by_bank,
                "do": "the money is still the shop's: invoke payment-refund with this paymentId again",
            });
            t.payments
                .sqs
                .send_message()
                .queue_url(&checks.operators)
                .message_body(report.to_string())
                .send()
                .await
                .map_err(|e| Unavailable::new(aws_sdk_sqs::error::DisplayErrorContext(e)))?;
            tracing::error!(payment_id = %payment.payment_id, order_id = %payment.order_id, "the bank refused a refund: operators told");
            Ok(())
        }
        _ => Ok(()),
    }
}
