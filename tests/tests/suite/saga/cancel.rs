//! «Отменить заказ»: everything given back once — and nothing undone once the goods have left.

use super::*;

#[tokio::test]
async fn the_client_cancels_a_paid_order_and_everything_is_given_back() {
    let (c, user, order_id, product) = paid_order(21_000).await;
    let early = c.cancel_order(&order_id).await;
    assert_eq!(
        (early.status, &early.body["error"]["code"]),
        (409, &json!("order_not_cancellable")),
        "an unpaid order goes back to the cart instead: {}",
        early.body
    );
    pay_from_wallet(&c, &user, &order_id, 21_000).await;
    assert_eq!(settled(&c, &order_id).await["status"], "handed_to_delivery");
    assert_eq!(units(&product, "msk-tverskaya").await, 49);
    let r = c.cancel_order(&order_id).await;
    assert_eq!(r.status, 202, "{}", r.body);
    let o = eventually(SAGA, || async {
        let o = order(&c, &order_id).await;
        (o["status"] == "cancelled").then_some(o)
    })
    .await
    .expect("the order is cancelled");
    assert_eq!(o["cancelReason"], "заказ отменён по вашей просьбе");
    assert_eq!(balance(&c).await, 21_000, "the money is back on the wallet");
    assert_eq!(
        units(&product, "msk-tverskaya").await,
        50,
        "the unit is back"
    );
    assert_eq!(
        status_of(&format!("PICKING#{order_id}")).await.as_deref(),
        Some("cancelled")
    );
    assert_eq!(
        status_of(&format!("DELIVERYCASE#{order_id}"))
            .await
            .as_deref(),
        Some("cancelled")
    );
    let undone = execution(&format!("{order_id}-cancel")).await;
    assert_eq!(
        undone.status().as_str(),
        "SUCCEEDED",
        "{:?}",
        undone.error()
    );
    let (moved, said) = cases("pick", &order_id, "picking");
    assert!(
        !moved && said.contains("MoveNotAllowed"),
        "a cancelled picking case moves no more: {said}"
    );
    // Pressed again: the order as it is, nothing undone twice.
    let again = c.cancel_order(&order_id).await;
    assert_eq!(
        (again.status, &again.body["status"]),
        (200, &json!("cancelled"))
    );
    assert_eq!(balance(&c).await, 21_000);
    assert_eq!(units(&product, "msk-tverskaya").await, 50);
}

/// The saga's refund of a card payment reaches the card at the bank: the bank's own record says
/// the whole amount came back, once, and the shop's payment says `refunded`.
#[tokio::test]
async fn a_card_order_cancelled_by_its_client_is_refunded_at_the_bank_once() {
    let (c, _user, order_id, product) = paid_order(23_000).await;
    let started = start_payment(
        &c,
        &unique("key-"),
        json!({"orderId": order_id, "method": "card"}),
    )
    .await;
    assert_eq!(started.status, 201, "{}", started.body);
    let id = started.body["paymentId"].as_str().unwrap().to_string();
    pay_on_bank_page(
        started.body["redirectUrl"].as_str().unwrap(),
        "5555555555554444",
        None,
    )
    .await;
    c.payment(&id).await;
    confirm(&c, &id).await;
    assert_eq!(settled(&c, &order_id).await["status"], "handed_to_delivery");
    let at_bank = bank_record_of(&id).await;
    assert_eq!(
        (&at_bank["status"], &at_bank["refunded_amount"]["value"]),
        (&json!("succeeded"), &json!("0.00")),
        "{at_bank}"
    );
    let r = c.cancel_order(&order_id).await;
    assert_eq!(r.status, 202, "{}", r.body);
    let refunded = eventually(SAGA, || async {
        let p = c.payment(&id).await.body;
        (p["status"] == "refunded").then_some(p)
    })
    .await;
    assert!(refunded.is_some(), "the payment is refunded");
    // The saga reports the order cancelled after the refund: wait for that report too.
    let cancelled = eventually(SAGA, || async {
        let o = order(&c, &order_id).await;
        (o["status"] == "cancelled").then_some(o)
    })
    .await;
    assert!(cancelled.is_some(), "the order is cancelled");
    let at_bank = bank_record_of(&id).await;
    assert_eq!(
        (
            &at_bank["amount"]["value"],
            &at_bank["refunded_amount"]["value"]
        ),
        (&json!("230.00"), &json!("230.00")),
        "the whole amount back on the card, once: {at_bank}"
    );
    assert_eq!(
        units(&product, "msk-tverskaya").await,
        50,
        "the unit is back"
    );
}

/// The client's «Отменить заказ» accepted while the order was «передан в доставку», and the
/// operator sending the goods off before the cancellation reaches delivery (its read of the
/// case held by the local AWS until the move is done): the goods are on their way, so nothing
/// is undone — no refund, no units back on the shelves for goods the courier holds.
#[tokio::test]
async fn a_cancel_that_loses_to_the_goods_leaving_undoes_nothing() {
    let (c, user, order_id, product) = paid_order(17_500).await;
    pay_from_wallet(&c, &user, &order_id, 17_500).await;
    assert_eq!(settled(&c, &order_id).await["status"], "handed_to_delivery");
    for step in ["picking", "packed", "handed_over"] {
        let (moved, said) = cases("pick", &order_id, step);
        assert!(moved, "{said}");
    }
    let read = hold_dynamodb(
        "GetItem",
        "DeliveryCaseCancelFunction",
        &format!("DELIVERYCASE#{order_id}"),
    )
    .await;
    let r = c.cancel_order(&order_id).await;
    assert_eq!(r.status, 202, "{}", r.body);
    wait_until_held(&read).await;
    let (moved, said) = move_case(&order_id, "in_transit");
    assert!(moved, "{said}");
    release_held(&read).await;
    let undone = execution(&format!("{order_id}-cancel")).await;
    assert_eq!(
        undone.status().as_str(),
        "SUCCEEDED",
        "{:?}",
        undone.error()
    );
    assert!(
        undone
            .output()
            .unwrap_or_default()
            .contains("not_cancelled"),
        "{:?}",
        undone.output()
    );
    assert_eq!(order(&c, &order_id).await["status"], "in_transit");
    assert_eq!(
        balance(&c).await,
        0,
        "the goods are on their way: no refund"
    );
    assert_eq!(units(&product, "msk-tverskaya").await, 49);
    assert_eq!(
        status_of(&format!("PICKING#{order_id}")).await.as_deref(),
        Some("handed_over")
    );
    assert_eq!(
        status_of(&format!("DELIVERYCASE#{order_id}"))
            .await
            .as_deref(),
        Some("in_transit")
    );
}

/// Cancelled after the warehouse handed the goods to delivery but before they left: the money
/// goes back, the delivery is cancelled, and the units stay off the shelves (`returning`) until
/// the warehouse's staff have them back — then an operator's move puts them on sale, once.
#[tokio::test]
async fn goods_handed_over_come_back_on_sale_only_when_the_warehouse_has_them() {
    let (c, user, order_id, product) = paid_order(18_500).await;
    pay_from_wallet(&c, &user, &order_id, 18_500).await;
    assert_eq!(settled(&c, &order_id).await["status"], "handed_to_delivery");
    for step in ["picking", "packed", "handed_over"] {
        let (moved, said) = cases("pick", &order_id, step);
        assert!(moved, "{said}");
    }
    let r = c.cancel_order(&order_id).await;
    assert_eq!(r.status, 202, "{}", r.body);
    let o = eventually(SAGA, || async {
        let o = order(&c, &order_id).await;
        (o["status"] == "cancelled").then_some(o)
    })
    .await
    .expect("the order is cancelled");
    assert_eq!(o["cancelReason"], "заказ отменён по вашей просьбе");
    assert_eq!(balance(&c).await, 18_500, "the money is back");
    let case = format!("PICKING#{order_id}");
    assert_eq!(status_of(&case).await.as_deref(), Some("returning"));
    assert_eq!(
        units(&product, "msk-tverskaya").await,
        49,
        "not on sale while the delivery desk has it"
    );
    let (moved, said) = move_case(&order_id, "in_transit");
    assert!(!moved, "a cancelled delivery does not leave: {said}");
    for _ in 0..2 {
        let (moved, said) = cases("pick", &order_id, "returned");
        assert!(moved, "{said}");
        assert_eq!(status_of(&case).await.as_deref(), Some("returned"));
        assert_eq!(units(&product, "msk-tverskaya").await, 50, "back once");
    }
}

/// «Отменить заказ» pressed the moment «Оплачено» shows, before order has heard of the payment
/// (the local AWS holds order's write of `paid` from the outcome on its way): order asks payment,
/// records the payment itself, and the cancel goes on as for any paid order — instead of a 409
/// saying the order is not paid. The money comes back once; the outcome, let through after,
/// changes nothing.
#[tokio::test]
async fn a_cancel_pressed_before_order_hears_of_the_payment_is_taken() {
    let (c, user, order_id, product) = paid_order(19_500).await;
    let payment = wallet_payment(&c, &user, &order_id, 19_500).await;
    let heard = hold_dynamodb(
        "UpdateItem",
        "OrderPaymentEventsFunction",
        &format!("ORDER#{order_id}"),
    )
    .await;
    confirm(&c, &payment).await;
    wait_until_held(&heard).await;
    assert_eq!(order(&c, &order_id).await["status"], "awaiting_payment");
    let r = c.cancel_order(&order_id).await;
    assert_eq!(r.status, 202, "{}", r.body);
    // The client's cancel runs to its end before the outcome reaches order.
    let cancelled = execution(&format!("{order_id}-cancel")).await;
    assert_eq!(cancelled.status().as_str(), "SUCCEEDED");
    release_held(&heard).await;
    let o = eventually(SAGA, || async {
        let o = order(&c, &order_id).await;
        (o["status"] == "cancelled").then_some(o)
    })
    .await
    .expect("the order is cancelled");
    assert_eq!(o["paymentId"], payment.as_str());
    assert_eq!(balance(&c).await, 19_500, "the money is back, once");
    assert_eq!(units(&product, "msk-tverskaya").await, 50);
    let forward = execution(&order_id).await;
    assert_eq!(
        forward.status().as_str(),
        "SUCCEEDED",
        "{:?}",
        forward.error()
    );
    // The forward execution, started by the late outcome after the cancel's had refunded, ends
    // at once: the payment is already refunded, there is nothing to do.
    let states = states_of(&order_id).await;
    assert_eq!(
        states,
        ["Route", "ConfirmPayment", "AlreadyUndone"],
        "the late execution undid nothing twice"
    );
    assert_eq!(balance(&c).await, 19_500);
}

/// «Отменить заказ» pressed while the forward execution is still going (the order
/// «собирается», its delivery case not yet open): two executions of one order at once. The
/// forward one is held at its delivery step's write — after reading that there is no case —
/// until the client's cancel has ended; then its write meets the cancel's mark and it undoes
/// itself. Nothing is undone twice: the money back once, the unit
/// back once, the case cancelled, the client's reason kept.
#[tokio::test]
async fn a_cancel_while_the_forward_saga_runs_undoes_everything_once() {
    let (c, user, order_id, product) = paid_order(24_500).await;
    // Held at its write: it has read that the order has no case yet.
    let opening = hold_dynamodb(
        "PutItem",
        "DeliveryCaseOpenFunction",
        &format!("DELIVERYCASE#{order_id}"),
    )
    .await;
    pay_from_wallet(&c, &user, &order_id, 24_500).await;
    wait_until_held(&opening).await;
    assert_eq!(order(&c, &order_id).await["status"], "assembling");
    let r = c.cancel_order(&order_id).await;
    assert_eq!(r.status, 202, "{}", r.body);
    let cancel = execution(&format!("{order_id}-cancel")).await;
    assert_eq!(
        cancel.status().as_str(),
        "SUCCEEDED",
        "{:?}",
        cancel.error()
    );
    release_held(&opening).await;
    let forward = execution(&order_id).await;
    assert_ne!(forward.status().as_str(), "RUNNING");
    let o = order(&c, &order_id).await;
    assert_eq!(
        (&o["status"], &o["cancelReason"]),
        (
            &json!("cancelled"),
            &json!("заказ отменён по вашей просьбе")
        ),
        "{o}"
    );
    assert_eq!(balance(&c).await, 24_500, "the money is back, once");
    assert_eq!(
        units(&product, "msk-tverskaya").await,
        50,
        "the unit is back, once"
    );
    assert_eq!(
        status_of(&format!("DELIVERYCASE#{order_id}"))
            .await
            .as_deref(),
        Some("cancelled")
    );
    assert_eq!(
        status_of(&format!("PICKING#{order_id}")).await.as_deref(),
        Some("cancelled")
    );
    let payment = o["paymentId"].as_str().expect("the payment");
    assert_eq!(c.payment(payment).await.body["status"], "refunded");
}
