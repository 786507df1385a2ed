//! What payment and the saga tell order, and what payment asks of it: the order to pay (payment
//! takes the amount from here, never from the browser), the payment's outcome, and each status
//! the saga and delivery report, stamped on the order's timeline.

use super::{now, OrderError};
use crate::{domain::placed, Orders, PaidOrders};
use vitrina_shared::{
    contracts::{
        order::{OrderKind, OrderStatus, OrderToPay, PaidLine, StatusReport},
        payment::{PaymentFailure, RefundRequest},
        CallError,
    },
    envelope::{PaymentOutcome, ORDER_PAID},
    StoreError, Unavailable,
};

/// The client's order that awaits payment, with the total to pay.
pub async fn payable(
    orders: &Orders,
    user_id: &str,
    order_id: &str,
) -> Result<OrderToPay, OrderError> {
    let order = orders
        .store
        .placed(order_id)
        .await?
        .filter(|o| o.user_id == user_id)
        .ok_or_else(|| OrderError::NoSuchOrder(order_id.into()))?;
    if order.status != OrderStatus::AwaitingPayment {
        return Err(OrderError::NotPayable(order.status));
    }
    Ok(OrderToPay {
        lines: order
            .lines
            .iter()
            .map(|l| PaidLine {
                name: l.name.clone(),
                quantity: l.quantity,
                line_total: l.total(),
            })
            .collect(),
        delivery: format!("{}: {}", order.delivery.label, order.delivery.address),
        description: format!(
            "Заказ № {} в «Витрине»",
            &order.order_id[order.order_id.len().saturating_sub(8)..]
        ),
        order_id: order.order_id,
        user_id: order.user_id,
        total: order.total,
        kind: order.kind,
        gift_card: order.gift_card,
    })
}

/// A status the saga or delivery reports: a paid order handed to delivery, or cancelled with a
/// reason the client reads; then at the pickup point or out with the courier, and delivered.
/// Reported again, it answers the same.
pub async fn report(orders: &Orders, report: StatusReport) -> Result<StatusReport, OrderError> {
    let from = placed::move_from(report.status).ok_or_else(|| {
        OrderError::StatusNotAllowed(format!("order does not take {} as a status", report.status))
    })?;
    let reason = report
        .reason
        .as_deref()
        .filter(|_| report.status == OrderStatus::Cancelled);
    match orders
        .store
        .move_status(&report.order_id, report.status, from, reason, &now())
        .await
    {
        Ok(()) => {
            tracing::info!(order_id = %report.order_id, status = %report.status, "order status reported");
            Ok(report)
        }
        Err(StoreError::Conflict) => {
            let order = orders
                .store
                .placed(&report.order_id)
                .await?
                .ok_or_else(|| OrderError::NoSuchOrder(report.order_id.clone()))?;
            if order.status == report.status {
                // Reported before: the same answer.
                return Ok(StatusReport {
                    reason: order.cancel_reason,
                    ..report
                });
            }
            Err(OrderError::StatusNotAllowed(format!(
                "order {} is {}, it cannot become {}",
                report.order_id, order.status, report.status
            )))
        }
        Err(e) => Err(e.into()),
    }
}

/// A failed payment: the order keeps waiting for another try, with the reason to show.
pub async fn failed(orders: &Orders, outcome: &PaymentOutcome) -> Result<(), OrderError> {
    let reason = outcome.reason.unwrap_or(PaymentFailure::PaymentDeclined);
    Ok(orders
        .store
        .note_failure(&outcome.order_id, reason, &now())
        .await?)
}

/// A payment that took the money: the order is paid and goes on to the saga (goods), or was
/// taken back into the cart meanwhile and the money goes back.
pub async fn paid(
    svc: &PaidOrders,
    p: &PaymentOutcome,
    correlation_id: &str,
) -> Result<(), OrderError> {
    let store = &svc.order.store;
    match store.mark_paid(&p.order_id, &p.payment_id, &now()).await {
        Ok(()) => tracing::info!(order_id = %p.order_id, payment_id = %p.payment_id, "order paid"),
        Err(StoreError::Conflict) => {}
        Err(e) => return Err(e.into()),
    }
    let order = store.placed(&p.order_id).await?.ok_or_else(|| {
        OrderError::Inconsistent(format!("payment of unknown order {}", p.order_id))
    })?;
    if order.payment_id.as_deref() == Some(p.payment_id.as_str()) {
        if order.kind != OrderKind::Goods {
            // A gift card or a top-up: billing delivers it on payment's own word; there are
            // no goods for the saga.
            return Ok(());
        }
        // Paid by this payment (now, or before and maybe further along the saga since).
        svc.orchestra
            .send(ORDER_PAID, correlation_id, order.paid(&p.payment_id))
            .await?;
        return Ok(());
    }
    if order.status == OrderStatus::ReturnedToCart && order.kind == OrderKind::Goods {
        // The client took the order back into the cart while the bank was still taking the
        // money ("Вернуться к редактированию заказа" against a late confirmation): there is no
        // order to deliver, so the money goes back. Only goods go back to a cart: a gift card
        // or a top-up that billing delivers on the same message is never refunded here.
        let refund = RefundRequest {
            payment_id: p.payment_id.clone(),
            reason: "заказ вернули в корзину до подтверждения оплаты".into(),
        };
        return match svc.refund.call(&refund).await {
            Ok(r) => {
                tracing::warn!(order_id = %p.order_id, payment_id = %p.payment_id, amount = r.amount, "payment for an order taken back into the cart: refunded");
                Ok(())
            }
            Err(CallError::Refused(r)) => Err(OrderError::Inconsistent(format!(
                "payment {} for order {} taken back into the cart cannot be refunded: {r}",
                p.payment_id, p.order_id
            ))),
            Err(CallError::Unavailable(e)) => Err(Unavailable(e).into()),
        };
    }
    // payment claims an order before it takes money, so a second payment never succeeds: if
    // one does, an operator must see it (the message ends in the DLQ).
    Err(OrderError::Inconsistent(format!(
        "order {} is {} by payment {:?}, yet payment {} succeeded",
        p.order_id, order.status, order.payment_id, p.payment_id
    )))
}
