//! "Оплатить заказ" (`POST /api/orders`): the cart becomes an order awaiting payment, at the
//! prices the cart shows now, its units put aside by store while the client pays;
//! "Вернуться к редактированию заказа" (`POST /api/orders/{id}/cart`): an order not yet paid
//! goes back into the cart and its units back on the shelves.

use super::PlacedView;
use crate::{
    domain::placed::{PlacedOrder, CANCELLABLE},
    OrderService, Placing,
};
use lambda_http::{http::StatusCode, Body, Request, Response};
use serde_json::json;
use std::sync::Arc;
use vitrina_shared::{
    contracts::{
        order::{OrderKind, OrderStatus},
        payment::PaymentOfOrderRequest,
        store::{ReleaseRequest, ReserveRefusal},
        CallError,
    },
    http::{json as respond, ok, Caller},
    ApiError, StoreError,
};

pub async fn place(svc: Arc<Placing>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let orders = &svc.order.store;
    let Some(cart) = orders.draft(&caller.user_id).await? else {
        // A second press (a double click, a retry after a lost answer) finds the cart already
        // placed: it answers that order.
        return match orders
            .placed_of(&caller.user_id)
            .await?
            .into_iter()
            .find(|o| o.status == OrderStatus::AwaitingPayment)
        {
            Some(o) => Ok(ok(&PlacedView::from(&o))),
            None => Err(ApiError::conflict("cart_empty", "The cart is empty")),
        };
    };
    let ids: Vec<String> = cart.lines.iter().map(|l| l.product_id.clone()).collect();
    let now_products = svc.order.catalog.snapshot(&ids).await?;
    let at = chrono::Utc::now().to_rfc3339();
    let placed = cart
        .place(&now_products, &at)
        .map_err(|e| ApiError::conflict(e.code(), e.message()))?;
    hold(&svc, &placed).await?;
    match orders.place(&placed, cart.version).await {
        Ok(()) => {}
        Err(StoreError::Conflict) => {
            // A hold belongs to the press whose order was written: two presses at once read the
            // same cart and ask for the same hold (store answers the second with the first's
            // case), so the one that lost the write gives nothing back when the other placed
            // the order — releasing would take the paid order's goods back to the shelves.
            if let Some(other) = orders.placed(&placed.order_id).await? {
                return Ok(ok(&PlacedView::from(&other)));
            }
            give_back(&svc, &placed.order_id, "заказ не оформлен").await;
            return Err(ApiError::conflict(
                "cart_busy",
                "The cart changed meanwhile: look at it again",
            ));
        }
        Err(e) => {
            give_back(&svc, &placed.order_id, "заказ не оформлен").await;
            return Err(e.into());
        }
    }
    tracing::info!(user_id = %caller.user_id, order_id = %placed.order_id, total = placed.total, "order placed");
    Ok(respond(StatusCode::CREATED, &PlacedView::from(&placed)))
}

/// The order's units put aside while the client pays, so that nobody buys them meanwhile.
/// Units another order took first are the client's to see (409 `out_of_stock`, naming the
/// products); store being unreachable places the order anyway — the saga reserves at payment
/// and gives the money back if the units are gone by then.
async fn hold(svc: &Placing, placed: &PlacedOrder) -> Result<(), ApiError> {
    match svc.hold.call(&placed.units()).await {
        Ok(_) => Ok(()),
        Err(CallError::Refused(ReserveRefusal::OutOfStock(short))) => {
            let (ids, names): (Vec<&str>, Vec<&str>) = placed
                .lines
                .iter()
                .filter(|l| short.product_ids.contains(&l.product_id))
                .map(|l| (l.product_id.as_str(), l.name.as_str()))
                .unzip();
            Err(ApiError::conflict(
                "out_of_stock",
                format!("Not enough in stock now: {}", names.join(", ")),
            )
            .with_details(json!({ "products": names.join(", "), "productIds": ids })))
        }
        Err(CallError::Refused(other)) => Err(ApiError::internal(format!(
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
    svc: &OrderService,
    user_id: &str,
    order_id: &str,
) -> Result<PlacedOrder, ApiError> {
    svc.store
        .placed(order_id)
        .await?
        .filter(|o| o.user_id == user_id)
        .ok_or_else(super::order_not_found)
}

pub async fn back_to_cart(svc: Arc<Placing>, req: Request) -> Result<Response<Body>, ApiError> {
    let placing = svc;
    let svc = &placing.order;
    let caller = Caller::from_request(&req)?;
    let order_id = super::order_id_in_path(&req)?;
    for attempt in 0..5 {
        if attempt > 0 {
            vitrina_shared::table::backoff(attempt).await;
        }
        let order = own(svc, &caller.user_id, &order_id).await?;
        if order.kind != OrderKind::Goods {
            // A gift card or a top-up was never in a cart: it is changed in its own form, and
            // a payment already claiming it would deliver what it bought without an order.
            return Err(ApiError::conflict(
                "order_not_editable",
                "A gift card or a wallet top-up has no cart to go back to: change it in its form",
            ));
        }
        if order.status != OrderStatus::AwaitingPayment {
            return Err(ApiError::conflict(
                "order_not_editable",
                "Only an order that is not paid goes back to the cart",
            ));
        }
        let cart = svc.store.draft(&caller.user_id).await?;
        let read_version = cart.as_ref().map(|c| c.version);
        let at = chrono::Utc::now().to_rfc3339();
        let merged = order.back_into(cart, &uuid::Uuid::now_v7().to_string(), &at);
        match svc
            .store
            .return_to_cart(&order_id, &merged, read_version, &at)
            .await
        {
            Ok(()) => {
                tracing::info!(user_id = %caller.user_id, order_id, "order back in the cart");
                give_back(&placing, &order_id, "заказ вернули в корзину").await;
                return super::respond_with(svc, &merged).await;
            }
            // The cart changed, or the order was paid meanwhile: read both again.
            Err(StoreError::Conflict | StoreError::Busy(_)) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::conflict(
        "cart_busy",
        "The cart is being changed elsewhere, try again",
    ))
}

/// An order awaiting payment as order knows it, whose payment may have taken the money a moment
/// ago (its outcome comes over SQS): payment is asked. Paid: order records it now, with the
/// same conditional write the outcome makes (which then changes nothing), and the cancel goes on
/// as for any paid order. Being taken: 409 `payment_in_progress`, which is true. Neither: the
/// order as it is (not cancellable).
async fn paid_meanwhile(
    svc: &crate::Cancellations,
    order: PlacedOrder,
) -> Result<PlacedOrder, ApiError> {
    let asked = PaymentOfOrderRequest {
        order_id: order.order_id.clone(),
    };
    let payment = svc
        .payment_of
        .call(&asked)
        .await
        .map_err(ApiError::unavailable)?;
    match (payment.payment_id, payment.paid) {
        (Some(payment_id), true) => {
            let at = chrono::Utc::now().to_rfc3339();
            match svc
                .order
                .store
                .mark_paid(&order.order_id, &payment_id, &at)
                .await
            {
                Ok(()) | Err(StoreError::Conflict) => {}
                Err(e) => return Err(e.into()),
            }
            tracing::info!(order_id = %order.order_id, %payment_id, "paid before its outcome arrived: recorded at the cancel");
            own(&svc.order, &order.user_id, &order.order_id).await
        }
        (Some(_), false) => Err(ApiError::conflict(
            "payment_in_progress",
            "The order's payment is being taken: cancel it in a moment",
        )),
        (None, _) => Ok(order),
    }
}

/// `POST /api/orders/{id}/cancel`: the client cancels a paid order before its goods leave.
/// orchestra's saga runs the compensations (delivery case, stock, the money back the way it
/// came) and reports `cancelled`; this answers 202 with the order as it is now. Pressing again
/// starts nothing twice (the execution is named by the order), and a cancelled order answers
/// as it is.
pub async fn cancel(
    svc: Arc<crate::Cancellations>,
    req: Request,
) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let order_id = super::order_id_in_path(&req)?;
    let mut order = own(&svc.order, &caller.user_id, &order_id).await?;
    if order.status == OrderStatus::Cancelled {
        return Ok(ok(&PlacedView::from(&order)));
    }
    if order.status == OrderStatus::AwaitingPayment && order.kind == OrderKind::Goods {
        order = paid_meanwhile(&svc, order).await?;
    }
    if order.kind != OrderKind::Goods {
        // Money goes back only with what it bought: billing credited the wallet or issued the
        // card on the payment's word, and nothing takes those back.
        return Err(ApiError::conflict(
            "order_not_cancellable",
            "A paid gift card or wallet top-up is not cancelled: what it bought is delivered",
        ));
    }
    if !CANCELLABLE.contains(&order.status) {
        return Err(ApiError::conflict(
            "order_not_cancellable",
            "Only a paid order is cancelled; an unpaid one goes back to the cart",
        ));
    }
    let payment_id = order
        .payment_id
        .clone()
        .ok_or_else(|| ApiError::internal(format!("paid order {order_id} without its payment")))?;
    let mut request = order.paid(&payment_id);
    request.cancel = true;
    svc.orchestra
        .send(
            vitrina_shared::envelope::ORDER_CANCEL_REQUESTED,
            &order_id,
            request,
        )
        .await?;
    tracing::info!(user_id = %caller.user_id, order_id, "the client cancels a paid order");
    Ok(respond(StatusCode::ACCEPTED, &PlacedView::from(&order)))
}
