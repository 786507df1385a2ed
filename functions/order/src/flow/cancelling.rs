//! The client cancels a paid order before its goods leave: orchestra's saga runs the
//! compensations (delivery case, stock, the money back the way it came) and reports
//! `cancelled`. Pressing again starts nothing twice (the execution is named by the order), and
//! a cancelled order answers as it is.

use super::{now, placing::own, OrderError};
use crate::{
    domain::placed::{PlacedOrder, CANCELLABLE},
    Cancellations,
};
use vitrina_shared::{
    contracts::{order::OrderKind, order::OrderStatus, payment::PaymentOfOrderRequest},
    envelope::ORDER_CANCEL_REQUESTED,
    StoreError, Unavailable,
};

/// The order as it is when the saga is asked to undo it (or as it is, when cancelled before).
pub async fn cancel(
    svc: &Cancellations,
    user_id: &str,
    order_id: &str,
) -> Result<(PlacedOrder, bool), OrderError> {
    let mut order = own(&svc.order, user_id, order_id).await?;
    if order.status == OrderStatus::Cancelled {
        return Ok((order, false));
    }
    if order.status == OrderStatus::AwaitingPayment && order.kind == OrderKind::Goods {
        order = paid_meanwhile(svc, order).await?;
    }
    if order.kind != OrderKind::Goods {
        // Money goes back only with what it bought: billing credited the wallet or issued the
        // card on the payment's word, and nothing takes those back.
        return Err(OrderError::NotCancellable(
            "A paid gift card or wallet top-up is not cancelled: what it bought is delivered",
        ));
    }
    if !CANCELLABLE.contains(&order.status) {
        return Err(OrderError::NotCancellable(
            "Only a paid order is cancelled; an unpaid one goes back to the cart",
        ));
    }
    let payment_id = order.payment_id.clone().ok_or_else(|| {
        OrderError::Inconsistent(format!("paid order {order_id} without its payment"))
    })?;
    let mut request = order.paid(&payment_id);
    request.cancel = true;
    svc.orchestra
        .send(ORDER_CANCEL_REQUESTED, order_id, request)
        .await?;
    tracing::info!(%user_id, order_id, "the client cancels a paid order");
    Ok((order, true))
}

/// An order awaiting payment as order knows it, whose payment may have taken the money a moment
/// ago (its outcome comes over SQS): payment is asked. Paid: order records it now, with the
/// same conditional write the outcome makes (which then changes nothing), and the cancel goes on
/// as for any paid order. Being taken: `PaymentInProgress`, which is true. Neither: the order as
/// it is (not cancellable).
async fn paid_meanwhile(
    svc: &Cancellations,
    order: PlacedOrder,
) -> Result<PlacedOrder, OrderError> {
    let asked = PaymentOfOrderRequest {
        order_id: order.order_id.clone(),
    };
    let payment = svc
        .payment_of
        .call(&asked)
        .await
        .map_err(Unavailable::new)?;
    match (payment.payment_id, payment.paid) {
        (Some(payment_id), true) => {
            match svc
                .order
                .store
                .mark_paid(&order.order_id, &payment_id, &now())
                .await
            {
                Ok(()) | Err(StoreError::Conflict) => {}
                Err(e) => return Err(e.into()),
            }
            tracing::info!(order_id = %order.order_id, %payment_id, "paid before its outcome arrived: recorded at the cancel");
            own(&svc.order, &order.user_id, &order.order_id).await
        }
        (Some(_), false) => Err(OrderError::PaymentInProgress),
        (None, _) => Ok(order),
    }
}
