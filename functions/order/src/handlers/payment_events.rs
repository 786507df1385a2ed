//! `payment.succeeded` / `payment.failed` from payment (SQS `OrderPaymentQueue`): the order is
//! paid and handed to orchestra (`order.paid`), or notes why the try failed and waits for
//! another. Redelivered or reordered messages change nothing more: "paid by this payment" holds
//! once (a redelivery hands the order over again, which starts no second saga), and a failure
//! never touches a paid order.

use crate::PaidOrders;
use std::sync::Arc;
use vitrina_shared::{
    contracts::{
        order::{OrderKind, OrderStatus},
        payment::RefundRequest,
        CallError,
    },
    envelope::{self, PaymentOutcome, ORDER_PAID, PAYMENT_FAILED, PAYMENT_SUCCEEDED},
    sqs::{self, SqsMessage},
    ConsumeError, StoreError,
};

pub async fn handle(svc: Arc<PaidOrders>, record: SqsMessage) -> Result<(), ConsumeError> {
    let body = sqs::body(&record);
    let kind = envelope::kind(body)?;
    let at = chrono::Utc::now().to_rfc3339();
    match kind.as_str() {
        PAYMENT_SUCCEEDED => {
            let message = envelope::parse::<PaymentOutcome>(body, PAYMENT_SUCCEEDED)?;
            paid(&svc, &message.payload, &message.correlation_id, &at).await
        }
        PAYMENT_FAILED => {
            let message = envelope::parse::<PaymentOutcome>(body, PAYMENT_FAILED)?;
            let p = &message.payload;
            let reason = p.reason.as_deref().unwrap_or("declined");
            svc.order
                .store
                .note_failure(&p.order_id, reason, &at)
                .await?;
            Ok(())
        }
        other => Err(ConsumeError::Malformed(format!(
            "unexpected message type {other}"
        ))),
    }
}

async fn paid(
    svc: &PaidOrders,
    p: &PaymentOutcome,
    correlation_id: &str,
    at: &str,
) -> Result<(), ConsumeError> {
    let store = &svc.order.store;
    match store.mark_paid(&p.order_id, &p.payment_id, at).await {
        Ok(()) => tracing::info!(order_id = %p.order_id, payment_id = %p.payment_id, "order paid"),
        Err(StoreError::Conflict) => {}
        Err(e) => return Err(e.into()),
    }
    let order = store.placed(&p.order_id).await?.ok_or_else(|| {
        ConsumeError::Malformed(format!("payment of unknown order {}", p.order_id))
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
            Err(CallError::Refused(r)) => Err(ConsumeError::Malformed(format!(
                "payment {} for order {} taken back into the cart cannot be refunded: {r}",
                p.payment_id, p.order_id
            ))),
            Err(CallError::Unavailable(e)) => Err(ConsumeError::Unavailable(e)),
        };
    }
    // payment claims an order before it takes money, so a second payment never succeeds: if
    // one does, an operator must see it (the message ends in the DLQ).
    Err(ConsumeError::Malformed(format!(
        "order {} is {} by payment {:?}, yet payment {} succeeded",
        p.order_id, order.status, order.payment_id, p.payment_id
    )))
}
