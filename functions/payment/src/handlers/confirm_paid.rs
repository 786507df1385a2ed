//! `payment-confirm-paid` (internal, the order saga's first step): the payment of the order
//! took its money, and exactly the order's total. A read: retried or repeated, it answers the
//! same.

use crate::{
    domain::payment::{Payment, Status},
    PaymentRecords,
};
use std::sync::Arc;
use vitrina_shared::contracts::{
    payment::{ConfirmPaidRefusal, ConfirmPaidRequest, ConfirmedPayment},
    Failure,
};

pub async fn handle(
    p: Arc<PaymentRecords>,
    req: ConfirmPaidRequest,
) -> Result<ConfirmedPayment, Failure<ConfirmPaidRefusal>> {
    let payment = p
        .store
        .payment(&req.payment_id)
        .await?
        .filter(|p| p.order_id == req.order_id)
        .ok_or_else(|| {
            ConfirmPaidRefusal::PaymentNotFound(format!(
                "no payment {} of order {}",
                req.payment_id, req.order_id
            ))
        })?;
    check(&payment, req.amount)?;
    Ok(ConfirmedPayment {
        payment_id: payment.payment_id,
        order_id: payment.order_id,
        amount: payment.amount,
        method: payment.method,
    })
}

fn check(payment: &Payment, amount: i64) -> Result<(), ConfirmPaidRefusal> {
    // A refunded payment took money once: a saga that starts after the order's cancellation
    // (a late message) must not go on as if it were still paid.
    if matches!(
        payment.status,
        Status::Refunded | Status::Refunding | Status::RefundFailed
    ) {
        return Err(ConfirmPaidRefusal::PaymentRefunded(format!(
            "payment {} was refunded",
            payment.payment_id
        )));
    }
    if payment.status != Status::Paid {
        return Err(ConfirmPaidRefusal::PaymentNotPaid(format!(
            "payment {} is {:?}",
            payment.payment_id, payment.status
        )));
    }
    if payment.amount != amount {
        return Err(ConfirmPaidRefusal::AmountMismatch(format!(
            "payment {} took {} kopecks, the order's total is {amount}",
            payment.payment_id, payment.amount
        )));
    }
    Ok(())
}
