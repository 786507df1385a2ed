//! The saga and delivery: operators' moves of the picking and delivery cases, the own courier's
//! windows and another company's bookings.

use super::*;

#[tokio::test]
async fn operators_move_the_picking_case_from_the_shelves_to_delivery() {
    let (c, user, order_id, _) = paid_order(24_500).await;
    pay_from_wallet(&c, &user, &order_id, 24_500).await;
    assert_eq!(settled(&c, &order_id).await["status"], "handed_to_delivery");
    let case = format!("PICKING#{order_id}");
    let (moved, said) = cases("pick", &order_id, "packed");
    assert!(
        !moved && said.contains("MoveNotAllowed"),
        "no skipping: {said}"
    );
    for step in ["picking", "packed", "handed_over"] {
        let (moved, said) = cases("pick", &order_id, step);
        assert!(moved && said.contains(step), "{said}");
        assert_eq!(status_of(&case).await.as_deref(), Some(step));
    }
    let (moved, said) = cases("pick", &order_id, "handed_over");
    assert!(moved, "the same move again answers the same: {said}");
    let (moved, said) = cases("pick", &order_id, "picking");
    assert!(
        !moved && said.contains("MoveNotAllowed"),
        "no way back: {said}"
    );
    let (moved, said) = cases("pick", &uuid::Uuid::now_v7().to_string(), "picking");
    assert!(!moved && said.contains("CaseNotFound"), "{said}");
}

#[tokio::test]
async fn operators_move_the_delivery_case_and_the_client_follows_it_to_the_pickup_point() {
    let (c, user, order_id, _) = paid_order(16_000).await;
    pay_from_wallet(&c, &user, &order_id, 16_000).await;
    assert_eq!(settled(&c, &order_id).await["status"], "handed_to_delivery");

    // Forward one step at a time, and only the way of its method (pickup).
    let (moved, said) = move_case(&order_id, "at_pickup_point");
    assert!(!moved && said.contains("MoveNotAllowed"), "{said}");
    // The goods leave only once the warehouse has handed them over.
    let (moved, said) = move_case(&order_id, "in_transit");
    assert!(
        !moved && said.contains("not handed over yet (picking case: created)"),
        "{said}"
    );
    for step in ["picking", "packed", "handed_over"] {
        let (moved, said) = cases("pick", &order_id, step);
        assert!(moved, "{said}");
    }
    let (moved, said) = move_case(&order_id, "in_transit");
    assert!(moved, "{said}");
    // The goods left: order hears of it («В пути»), and cancelling is over.
    assert_eq!(order(&c, &order_id).await["status"], "in_transit");
    let cancel = c.cancel_order(&order_id).await;
    assert_eq!(
        (cancel.status, &cancel.body["error"]["code"]),
        (409, &json!("order_not_cancellable")),
        "{}",
        cancel.body
    );
    let (moved, said) = move_case(&order_id, "out_for_delivery");
    assert!(
        !moved && said.contains("MoveNotAllowed"),
        "a pickup order has no courier: {said}"
    );

    let (moved, said) = move_case(&order_id, "at_pickup_point");
    assert!(moved, "{said}");
    let o = order(&c, &order_id).await;
    assert_eq!(o["status"], "at_pickup_point", "{o}");
    for stage in [
        "paid",
        "handed_to_delivery",
        "in_transit",
        "at_pickup_point",
    ] {
        assert!(
            o["stages"][stage].is_string(),
            "the timeline has {stage}: {o}"
        );
    }
    // The goods are at the point: too late to cancel.
    let cancel = c.cancel_order(&order_id).await;
    assert_eq!(
        (cancel.status, &cancel.body["error"]["code"]),
        (409, &json!("order_not_cancellable")),
        "{}",
        cancel.body
    );
    // The same move again (an operator's re-run): nothing new, one letter.
    let (moved, said) = move_case(&order_id, "at_pickup_point");
    assert!(moved, "{said}");
    assert!(
        eventually(Duration::from_secs(20), || async {
            (letters(&user.email, "ждёт вас в пункте выдачи").await == 1).then_some(())
        })
        .await
        .is_some(),
        "the arrival letter"
    );
    let letter = mail_to(&mailbox().await, &user.email)
        .into_iter()
        .find(|m| {
            m["subject"]
                .as_str()
                .unwrap_or_default()
                .contains("пункте выдачи")
        })
        .map(|m| m.to_string())
        .unwrap_or_default();
    assert!(letter.contains("Тверская"), "the point's address: {letter}");
    // And by SMS, to the phone given at registration (once, however often the move is run).
    let number = order_id[order_id.len() - 8..].to_string();
    let about_order = || async {
        texts()
            .await
            .into_iter()
            .filter(|t| t["message"].as_str().unwrap_or_default().contains(&number))
            .collect::<Vec<_>>()
    };
    let sms = eventually(Duration::from_secs(20), || async {
        let t = about_order().await;
        (!t.is_empty()).then_some(t)
    })
    .await
    .expect("an SMS");
    assert_eq!(sms.len(), 1, "{sms:?}");
    assert_eq!(sms[0]["phone_number"], "+79991234567");
    let text = sms[0]["message"].as_str().unwrap_or_default();
    assert!(
        text.contains("ждёт вас в пункте выдачи") && text.contains("Тверская"),
        "{text}"
    );

    let (moved, said) = move_case(&order_id, "delivered");
    assert!(moved, "{said}");
    let o = order(&c, &order_id).await;
    assert_eq!(o["status"], "delivered", "{o}");
    assert!(o["stages"]["delivered"].is_string(), "{o}");
    let (moved, said) = move_case(&order_id, "in_transit");
    assert!(
        !moved && said.contains("MoveNotAllowed"),
        "no way back: {said}"
    );
    // Counted once the letters' queue has nothing left: the re-run move's message is handled.
    assert!(queue_drained("NotificationOrderQueue", Duration::from_secs(60)).await);
    assert_eq!(letters(&user.email, "ждёт вас в пункте выдачи").await, 1);
    assert_eq!(about_order().await.len(), 1, "no SMS for «получен»");
}

/// A client whose cart goes by the own courier in an empty window (the first from the `from`th
/// offered: tests that fill windows keep apart, also when run again on the same stack); the
/// order placed, and the window's id.
async fn own_courier_order(from: usize, price: i64) -> (Shop, NewUser, String, String) {
    let (c, user, _) = client_ready_to_order(1, price).await;
    let window = choose_window(&c, |windows| {
        windows
            .iter()
            .skip(from)
            .find(|w| w["free"] == 20)
            .map(|w| w["id"].as_str().unwrap().to_string())
            .expect("an empty window")
    })
    .await;
    let placed = c.place_order().await;
    assert_eq!(placed.status, 201, "{}", placed.body);
    let order_id = placed.body["orderId"].as_str().unwrap().to_string();
    (c, user, order_id, window)
}

/// The cart's delivery: the own courier in the window `pick` takes from those offered; its id.
async fn choose_window(c: &Shop, pick: impl Fn(&[Value]) -> String) -> String {
    let quote = call(
        c,
        "POST",
        "/api/delivery/quote",
        Some(&json!({"courierId": "vitrina", "address": "Москва, ул. Ленина, д. 5"}).to_string()),
    )
    .await;
    assert_eq!(quote.status, 200, "{}", quote.body);
    let window = pick(quote.body["windows"].as_array().expect("windows"));
    let choice = json!({"method": "courier", "quoteId": quote.body["quoteId"], "slotId": window});
    let chosen = call(c, "PUT", "/api/cart/delivery", Some(&choice.to_string())).await;
    assert_eq!(chosen.status, 200, "{}", chosen.body);
    window
}

/// Whether the order holds a place in the window: `Some(confirmed)`.
async fn window_hold(window: &str, order_id: &str) -> Option<bool> {
    let item = table_item("SLOTS#0", &format!("{window}#{order_id}")).await?;
    item["confirmed"].as_bool().ok().copied()
}

#[tokio::test]
async fn a_paid_order_keeps_its_delivery_window_and_a_cancelled_one_gives_it_back() {
    let (c, user, order_id, window) = own_courier_order(8, 22_000).await;
    assert_eq!(
        window_hold(&window, &order_id).await,
        Some(false),
        "held, not yet paid"
    );
    pay_from_wallet(&c, &user, &order_id, 22_000 + 29_000).await;
    assert_eq!(settled(&c, &order_id).await["status"], "handed_to_delivery");
    assert_eq!(
        window_hold(&window, &order_id).await,
        Some(true),
        "the saga keeps the paid order's place"
    );

    let r = c.cancel_order(&order_id).await;
    assert_eq!(r.status, 202, "{}", r.body);
    let given_back = eventually(SAGA, || async {
        window_hold(&window, &order_id)
            .await
            .is_none()
            .then_some(())
    })
    .await;
    assert!(
        given_back.is_some(),
        "the cancelled order's place is given back"
    );
    let refunded = eventually(SAGA, || async {
        let b = balance(&c).await;
        (b == 22_000 + 29_000).then_some(b)
    })
    .await;
    assert!(refunded.is_some(), "the money is back, delivery included");
}

#[tokio::test]
async fn a_window_that_filled_up_before_the_payment_undoes_the_order_and_gives_the_money_back() {
    let (c, user, order_id, window) = own_courier_order(12, 23_000).await;
    // The client took too long: the hold lapsed, and every other place of the window is held.
    set_numbers(
        "SLOTS#0",
        &format!("{window}#{order_id}"),
        &[("expiresAt", epoch_seconds() - 1)],
    )
    .await;
    for _ in 0..19 {
        window_taken_by_another(&window, true).await;
    }
    set_window_count(&window, 20).await;
    // Another client wants that window: the lapsed place is theirs now.
    let (other, _, _) = client_ready_to_order(1, 1_000).await;
    assert_eq!(choose_window(&other, |_| window.clone()).await, window);
    assert_eq!(window_hold(&window, &order_id).await, None);

    // Paid now: the saga cannot keep a place for it, and undoes the order.
    pay_from_wallet(&c, &user, &order_id, 23_000 + 29_000).await;
    let o = settled(&c, &order_id).await;
    assert_eq!(
        (&o["status"], &o["cancelReason"]),
        (
            &json!("cancelled"),
            &json!("доставка выбранным способом сейчас невозможна")
        ),
        "{o}"
    );
    let refunded = eventually(SAGA, || async {
        let b = balance(&c).await;
        (b == 23_000 + 29_000).then_some(b)
    })
    .await;
    assert!(refunded.is_some(), "the money is back, delivery included");
    assert_eq!(
        window_hold(&window, &order_id).await,
        None,
        "no place was taken beyond the capacity"
    );
}

/// A client whose cart goes by СДЭК to a Moscow address (pre-booked on that choice), the order
/// placed: the client, the order, its total and the booking's id.
async fn cdek_order(price: i64) -> (Shop, NewUser, String, i64, String) {
    let (c, user, _) = client_ready_to_order(1, price).await;
    choose_courier(&c, "cdek", "Москва, ул. Ленина, д. 7").await;
    let placed = c.place_order().await;
    assert_eq!(placed.status, 201, "{}", placed.body);
    let order_id = placed.body["orderId"].as_str().unwrap().to_string();
    let total = placed.body["total"].as_i64().unwrap();
    let booked = courier_bookings(&order_id).await;
    assert_eq!(booked.len(), 1, "pre-booked on the choice: {booked:?}");
    assert_eq!(booked[0]["status"], "pending");
    let booking = booked[0]["id"].as_str().unwrap().to_string();
    (c, user, order_id, total, booking)
}

#[tokio::test]
async fn another_companys_courier_is_confirmed_when_paid_and_cancelled_with_the_order() {
    let (c, user, order_id, total, _) = cdek_order(28_000).await;
    pay_from_wallet(&c, &user, &order_id, total).await;
    assert_eq!(settled(&c, &order_id).await["status"], "handed_to_delivery");
    assert_eq!(courier_bookings(&order_id).await[0]["status"], "confirmed");
    let r = c.cancel_order(&order_id).await;
    assert_eq!(r.status, 202, "{}", r.body);
    let cancelled = eventually(SAGA, || async {
        (order(&c, &order_id).await["status"] == "cancelled").then_some(())
    })
    .await;
    assert!(cancelled.is_some(), "the order is cancelled");
    assert_eq!(
        courier_bookings(&order_id).await[0]["status"],
        "cancelled",
        "the courier company is told"
    );
    assert_eq!(balance(&c).await, total, "delivery included");
}

#[tokio::test]
async fn a_courier_booking_dropped_before_the_payment_undoes_the_order_and_gives_the_money_back() {
    let (c, user, order_id, total, booking) = cdek_order(29_000).await;
    // The company gave the capacity away before the client paid.
    courier_drops(&booking).await;
    pay_from_wallet(&c, &user, &order_id, total).await;
    let o = settled(&c, &order_id).await;
    assert_eq!(
        (&o["status"], &o["cancelReason"]),
        (
            &json!("cancelled"),
            &json!("доставка выбранным способом сейчас невозможна")
        ),
        "{o}"
    );
    let refunded = eventually(SAGA, || async {
        (balance(&c).await == total).then_some(())
    })
    .await;
    assert!(refunded.is_some(), "the money is back, delivery included");
    let history = execution_history(&order_id).await;
    assert!(history.contains("booking_cancelled"), "{history}");
}
