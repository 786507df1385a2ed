//! Giving a paid payment's money back (the order saga's compensation): the way it came — a
//! bank refund for a card or SBP, a credit to the wallet or the gift card — keyed by the
//! payment, so a retried compensation gives back once. A bank refund may be pending: the
//! refund's webhook and the payment's timer follow it to its end.

use super::{now, payments::current, PaymentError};
use crate::{
    bank,
    domain::payment::{Method, Payment, Status},
    Payments, TimedPayments,
};
use vitrina_shared::{contracts::payment::PaymentFailure, StoreError, Unavailable};

/// Gives the payment's money back; answers the payment as it is now (`Refunded`, or
/// `Refunding` / `RefundFailed` while the bank has not finished or has refused).
pub async fn refund(
    t: &TimedPayments,
    payment_id: &str,
    reason: &str,
) -> Result<Payment, PaymentError> {
    let p = &t.payments;
    let payment = current(p, payment_id).await?;
    match payment.status {
        // Given back, or on its way back: the bank finishes it and the timer follows it.
        Status::Refunded | Status::Refunding => return Ok(payment),
        // Refused by the bank before: asked anew (an operator's re-run, or the saga's).
        Status::Paid | Status::RefundFailed => {}
        other => return Err(PaymentError::NotRefundable(other)),
    }
    let cause = format!("refund:{}", payment.payment_id);
    let description = format!("Возврат за заказ {}: {reason}", payment.order_id);
    let done = match payment.method {
        Method::Card | Method::Sbp | Method::SavedCard => {
            let bank_id = payment.bank_payment_id.clone().ok_or_else(|| {
                PaymentError::Bug("a paid bank payment without the bank's id".into())
            })?;
            // A retry of this refund reuses its key; one after a refusal has a new one.
            let attempt = Payment {
                refund_attempts: payment.refund_attempts
                    + u32::from(payment.status == Status::RefundFailed),
                ..payment.clone()
            };
            // A refusal to even take the refund is the bank's trouble for now: the saga retries.
            let at_bank = p
                .bank
                .refund(&attempt.refund_key(), &bank_id, payment.amount)
                .await
                .map_err(Unavailable::new)?;
            after_refund(attempt, &at_bank)
        }
        Method::Wallet => {
            let credit = payment.wallet_move(cause, description);
            p.wallet_credit
                .call(&credit)
                .await
                .map_err(Unavailable::new)?;
            given_back(&payment)
        }
        Method::GiftCard => {
            let credit = payment.gift_card_move(cause, description);
            p.gift_card_credit
                .call(&credit)
                .await
                .map_err(Unavailable::new)?;
            given_back(&payment)
        }
    };
    if done.status != Status::Refunded {
        // Not given back yet (pending) or refused: the timer follows it to its end, and tells
        // an operator of a refusal. Armed before the write, so nothing waits unwatched.
        t.timer.arm(&done.payment_id, t.timer.hold).await?;
    }
    let done = record(p, &payment, done).await?;
    tracing::info!(payment_id = %done.payment_id, order_id = %done.order_id, amount = done.amount, status = ?done.status, reason, "payment refund asked");
    Ok(done)
}

/// A payment whose money billing credited back.
fn given_back(payment: &Payment) -> Payment {
    Payment {
        status: Status::Refunded,
        ..payment.clone()
    }
}

/// A refund the bank has not finished, read again from the bank (never from a webhook's
/// body): the payment `Refunded`, `RefundFailed`, or as it was while still pending.
pub(crate) async fn follow(p: &Payments, payment: Payment) -> Result<Payment, PaymentError> {
    let (Status::Refunding, Some(refund_id)) = (payment.status, payment.refund_id.clone()) else {
        return Ok(payment);
    };
    let at_bank = p
        .bank
        .get_refund(&refund_id)
        .await
        .map_err(Unavailable::new)?;
    let next = after_refund(payment.clone(), &at_bank);
    if next.status == Status::Refunding {
        return Ok(payment);
    }
    tracing::info!(payment_id = %payment.payment_id, status = ?next.status, "the bank finished the refund");
    record(p, &payment, next).await
}

/// The payment after the bank's word on its refund.
fn after_refund(payment: Payment, at_bank: &bank::Refund) -> Payment {
    let (status, failure, refused_by_bank) = match at_bank.status {
        bank::Status::Succeeded => (Status::Refunded, payment.failure, None),
        bank::Status::Canceled => (
            Status::RefundFailed,
            Some(PaymentFailure::RefundDeclined),
            Some(
                at_bank
                    .cancellation_details
                    .as_ref()
                    .map(|c| c.reason.clone())
                    .unwrap_or_else(|| "canceled".into()),
            ),
        ),
        bank::Status::Pending | bank::Status::WaitingForCapture => {
            (Status::Refunding, payment.failure, None)
        }
    };
    Payment {
        status,
        failure,
        refund_refused_by_bank: refused_by_bank,
        refund_id: Some(at_bank.id.clone()),
        updated_at: now(),
        ..payment
    }
}

/// Writes `next` over `from` as read; another attempt that recorded first is the answer (the
/// money moved once: every refund is keyed).
async fn record(p: &Payments, from: &Payment, next: Payment) -> Result<Payment, PaymentError> {
    match p.store.advance(&next, from.status).await {
        Ok(()) => Ok(next),
        Err(StoreError::Conflict) => current(p, &from.payment_id).await,
        Err(e) => Err(e.into()),
    }
}
