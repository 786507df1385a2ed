//! "Оплатить заказ": the cart becomes an order awaiting payment, at the prices the cart shows
//! now, its units put aside by store while the client pays. "Вернуться к редактированию
//! заказа": an order not yet paid goes back into the cart and its units back on the shelves.

use super::{now, OrderError};
use crate::{domain::placed::PlacedOrder, Orders, Placing};
use vitrina_shared::{
    contracts::{
        order::{OrderKind, OrderStatus},
        store::{ReleaseRequest, ReserveRefusal},
        CallError,
    },
    StoreError,
};

/// The placed order, and whether this press placed it (`false`: an earlier press did — a double
/// click, a retry after a lost answer — and this one answers that order).
pub async fn place(svc: &Placing, user_id: &str) -> Result<(PlacedOrder, bool), OrderError> {
    let orders = &svc.order.store;
    let Some(cart) = orders.draft(user_id).await? else {
        return orders
            .placed_of(user_id)
            .await?
            .into_iter()
            .find(|o| o.status == OrderStatus::AwaitingPayment)
            .map(|o| (o, false))
            .ok_or(OrderError::CartEmpty);
    };
    let ids: Vec<String> = cart.lines.iter().map(|l| l.product_id.clone()).collect();
    let now_products = svc.order.catalog.snapshot(&ids).await?;
    let placed = cart.place(&now_products, &now())?;
    hold(svc, &placed).await?;
    match orders.place(&placed, cart.version).await {
        Ok(()) => {}
        Err(StoreError::Conflict) => {
            // A hold belongs to the press whose order was written: two presses at once read the
            // same cart and ask for the same hold (store answers the second with the first's
            // case), so the one that lost the write gives nothing back when the other placed
            // the order — releasing would take the paid order's goods back to the shelves.
            if let Some(other) = orders.placed(&placed.order_id).await? {
                return Ok((other, false));
            }
            give_back(svc, &placed.order_id, "заказ не оформлен").await;
            return Err(OrderError::CartBusy(
                "The cart changed meanwhile: look at it again",
            ));
        }
        Err(e) => {
            give_back(svc, &placed.order_id, "заказ не оформлен").await;
            return Err(e.into());
        }
    }
    tracing::info!(%user_id, order_id = %placed.order_id, total = placed.total, "order placed");
    Ok((placed, true))
}

/// The order's units put aside while the client pays, so that nobody buys them meanwhile.
/// Units another order took first are the client's to see (`OutOfStock`, naming the products);
/// store being unreachable places the order anyway — the saga reserves at payment and gives the
/// money back if the units are gone by then.
async fn hold(svc: &Placing, placed: &PlacedOrder) -> Result<(), OrderError> {
    match svc.hold.call(&placed.units()).await {
        Ok(_) => Ok(()),
        Err(CallError::Refused(ReserveRefusal::OutOfStock(short))) => {
            let (ids, names) = placed
                .lines
                .iter()
                .filter(|l| short.product_ids.contains(&l.product_id))
                .map(|l| (l.product_id.clone(), l.name.clone()))
                .unzip();
            Err(OrderError::OutOfStock { names, ids })
        }
        Err(CallError::Refused(other)) => Err(OrderError::Inconsistent(format!(
            "stock hold of new order {}: {other}",
            placed.order_id
        ))),
        Err(CallError::Unavailable(e)) => {
            tracing::warn!(order_id = %placed.order_id, error = %e, "stock not held: the saga reserves at payment");
            Ok(())
        }
    }
}

/// The units of an order that will never be paid back on the shelves. Failing here costs
/// nothing lasting: the hold lapses on its own at its end.
async fn give_back(svc: &Placing, order_id: &str, reason: &str) {
    let release = ReleaseRequest {
        order_id: order_id.into(),
        reason: reason.into(),
    };
    if let Err(e) = svc.release.call(&release).await {
        tracing::warn!(order_id, error = %e, "hold not released: it lapses at its end");
    }
}

/// The client's own placed order: another client's is as absent as a missing one.
pub async fn own(
    orders: &Orders,
    user_id: &str,
    order_id: &str,
) -> Result<PlacedOrder, OrderError> {
    orders
        .store
        .placed(order_id)
        .await?
        .filter(|o| o.user_id == user_id)
        .ok_or(OrderError::OrderNotFound)
}

/// The order back in the cart (merged with what the cart holds now); the cart as it is then.
pub async fn back_to_cart(
    svc: &Placing,
    user_id: &str,
    order_id: &str,
) -> Result<crate::domain::Order, OrderError> {
    let orders = &svc.order;
    for attempt in 0..5 {
        if attempt > 0 {
            vitrina_shared::table::backoff(attempt).await;
        }
        let order = own(orders, user_id, order_id).await?;
        if order.kind != OrderKind::Goods {
            // A gift card or a top-up was never in a cart: it is changed in its own form, and
            // a payment already claiming it would deliver what it bought without an order.
            return Err(OrderError::NotEditable(
                "A gift card or a wallet top-up has no cart to go back to: change it in its form",
            ));
        }
        if order.status != OrderStatus::AwaitingPayment {
            return Err(OrderError::NotEditable(
                "Only an order that is not paid goes back to the cart",
            ));
        }
        let cart = orders.store.draft(user_id).await?;
        let read_version = cart.as_ref().map(|c| c.version);
        let at = now();
        let merged = order.back_into(cart, &uuid::Uuid::now_v7().to_string(), &at);
        match orders
            .store
            .return_to_cart(order_id, &merged, read_version, &at)
            .await
        {
            Ok(()) => {
                tracing::info!(%user_id, order_id, "order back in the cart");
                give_back(svc, order_id, "заказ вернули в корзину").await;
                return Ok(merged);
            }
            // The cart changed, or the order was paid meanwhile: read both again.
            Err(StoreError::Conflict | StoreError::Busy(_)) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(OrderError::CartBusy(
        "The cart is being changed elsewhere, try again",
    ))
}
