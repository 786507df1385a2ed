//! `payment-of-order` (internal, order's at «Отменить заказ»): which payment has the order and
//! whether it took the money — asked when the client cancels an order that order has not heard
//! is paid yet (the outcome is on its way over SQS). A read: repeated, it answers the same.

use crate::{domain::payment::Status, PaymentRecords};
use std::sync::Arc;
use vitrina_shared::contracts::{
    payment::{OrderPayment, PaymentOfOrderRequest},
    Failure, NoRefusal,
};

pub async fn handle(
    p: Arc<PaymentRecords>,
    req: PaymentOfOrderRequest,
) -> Result<OrderPayment, Failure<NoRefusal>> {
    let Some(payment_id) = p.store.order_claimed_by(&req.order_id).await? else {
        return Ok(OrderPayment {
            payment_id: None,
            paid: false,
        });
    };
    let paid =
        p.store.payment(&payment_id).await?.is_some_and(|payment| {
            payment.status == Status::Paid && payment.order_id == req.order_id
        });
    Ok(OrderPayment {
        payment_id: Some(payment_id),
        paid,
    })
}
