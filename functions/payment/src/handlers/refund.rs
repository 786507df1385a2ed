//! `payment-refund` (internal, the order saga's compensation): a paid payment's money goes
//! back the way it came, once however many times the compensation runs (`flow::refunds`).

use crate::{flow::refunds::refund, TimedPayments};
use std::sync::Arc;
use vitrina_shared::contracts::{
    payment::{RefundRefusal, RefundRequest, Refunded},
    Failure,
};

pub async fn handle(
    t: Arc<TimedPayments>,
    req: RefundRequest,
) -> Result<Refunded, Failure<RefundRefusal>> {
    let done = refund(&t, &req.payment_id, &req.reason).await?;
    Ok(Refunded {
        payment_id: done.payment_id,
        order_id: done.order_id,
        amount: done.amount,
        method: done.method,
    })
}
