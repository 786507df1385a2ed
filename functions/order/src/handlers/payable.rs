//! `order-payable` (internal, for payment): the client's order that awaits payment, with the
//! total to pay. payment takes the amount from here, never from the browser.

use crate::OrderService;
use std::sync::Arc;
use vitrina_shared::contracts::{
    order::{OrderStatus, OrderToPay, PaidLine, PayableRefusal, PayableRequest},
    Failure,
};

pub async fn handle(
    svc: Arc<OrderService>,
    req: PayableRequest,
) -> Result<OrderToPay, Failure<PayableRefusal>> {
    let order = svc
        .store
        .placed(&req.order_id)
        .await?
        .filter(|o| o.user_id == req.user_id)
        .ok_or_else(|| PayableRefusal::OrderNotFound("no such order of this client".into()))?;
    if order.status != OrderStatus::AwaitingPayment {
        return Err(
            PayableRefusal::OrderNotPayable(format!("the order is {}", order.status)).into(),
        );
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
