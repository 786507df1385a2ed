//! Each step of the saga failing once (its Retry takes it on) and for good (compensated in
//! reverse, the money given back), reports that fail, and executions an operator starts by hand.

use super::*;

#[tokio::test]
async fn a_paid_order_is_reserved_handed_to_delivery_and_the_client_told() {
    let (c, user, order_id, product) = paid_order(40_000).await;
    pay_from_wallet(&c, &user, &order_id, 40_000).await;
    let o = settled(&c, &order_id).await;
    assert_eq!(o["status"], "handed_to_delivery", "{o}");
    // The timeline: оплачен → собирается (the goods reserved) → передан в доставку, in order.
    let stamp = |stage: &str| {
        chrono::DateTime::parse_from_rfc3339(o["stages"][stage].as_str().unwrap_or_default())
            .unwrap_or_else(|e| panic!("stage {stage}: {e} in {o}"))
    };
    assert!(stamp("paid") <= stamp("assembling"), "{o}");
    assert!(stamp("assembling") <= stamp("handed_to_delivery"), "{o}");
    // One unit out of the pickup point's store, held by the order's open picking case.
    assert_eq!(units(&product, "msk-tverskaya").await, 49);
    let case = table_item(&format!("PICKING#{order_id}"), "CASE")
        .await
        .expect("the picking case");
    assert_eq!(case["status"].as_s().unwrap(), "created");
    assert_eq!(
        status_of(&format!("DELIVERYCASE#{order_id}"))
            .await
            .as_deref(),
        Some("created")
    );
    let done = execution(&order_id).await;
    assert_eq!(done.status().as_str(), "SUCCEEDED", "{:?}", done.error());
    let out: Value = serde_json::from_str(done.output().unwrap_or("null")).unwrap();
    assert_eq!(out["status"], "handed_to_delivery");
    assert!(
        eventually(Duration::from_secs(20), || async {
            (letters(&user.email, "передан в доставку").await >= 1).then_some(())
        })
        .await
        .is_some(),
        "the client's e-mail"
    );
    // Counted once the letters' queue has nothing left: a second send would be in by then.
    assert!(queue_drained("NotificationOrderQueue", Duration::from_secs(60)).await);
    assert_eq!(
        letters(&user.email, "передан в доставку").await,
        1,
        "one letter"
    );
    assert_eq!(balance(&c).await, 0, "the money stays taken");
}

#[tokio::test]
async fn a_redelivered_order_paid_starts_no_second_saga() {
    let (c, user, order_id, product) = paid_order(12_000).await;
    pay_from_wallet(&c, &user, &order_id, 12_000).await;
    assert_eq!(settled(&c, &order_id).await["status"], "handed_to_delivery");
    let first = execution(&order_id).await;
    // order.paid once more, as SQS may deliver it again.
    let o = order(&c, &order_id).await;
    let message = vitrina_shared::envelope::Envelope::new(
        vitrina_shared::envelope::ORDER_PAID,
        "test",
        vitrina_shared::envelope::OrderPaid {
            order_id: order_id.clone(),
            user_id: user_id_of(&user.username).await,
            payment_id: o["paymentId"].as_str().unwrap().into(),
            total: 12_000,
            lines: vec![vitrina_shared::contracts::store::OrderedUnits {
                product_id: product.clone(),
                quantity: 1,
            }],
            delivery: serde_json::from_value(o["delivery"].clone()).unwrap(),
            pickup_store_id: Some("msk-tverskaya".into()),
            cancel: false,
        },
    );
    let event = json!({"Records": [{
        "messageId": unique("again"), "receiptHandle": "r", "body": serde_json::to_string(&message).unwrap(),
        "attributes": {"ApproximateReceiveCount": "2", "SentTimestamp": "1"}, "messageAttributes": {},
        "md5OfBody": "", "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:q",
        "awsRegion": "us-east-1"}]});
    let r = reqwest::Client::new()
        .post(format!(
            "{}/2015-03-31/functions/{}/invocations",
            lambda_url(),
            function_name("OrchestraOrderPaidFunction")
        ))
        .body(event.to_string())
        .send()
        .await
        .unwrap();
    let answer: Value = r.json().await.unwrap();
    assert_eq!(answer, json!({"batchItemFailures": []}), "taken as done");
    let again = execution(&order_id).await;
    assert_eq!(again.start_date(), first.start_date(), "the same execution");
    assert_eq!(units(&product, "msk-tverskaya").await, 49, "reserved once");
}

#[tokio::test]
async fn a_reservation_that_fails_once_is_retried_and_the_order_goes_on() {
    let (c, user, order_id, product) = paid_order(15_000).await;
    // The table refuses store's first request about this order's picking case at reservation.
    let marker = format!("PICKING#{order_id}");
    refuse("StoreStockReserveFunction", &marker, 1).await;
    pay_from_wallet(&c, &user, &order_id, 15_000).await;
    handed_over_past(&c, &order_id, &product, &marker, "ReserveStock").await;
}

#[tokio::test]
async fn a_refund_that_keeps_failing_reaches_an_operator_and_nothing_is_undone_silently() {
    let (c, user, order_id, product) = paid_order(18_000).await;
    lapsed(&order_id).await;
    set_units(&product, "msk-tverskaya", 0).await;
    // The wallet credit of this payment's refund is refused by the table every time.
    credit_wallet(&user, 18_000).await;
    let started = start_payment(
        &c,
        &unique("key-"),
        json!({"orderId": order_id, "method": "wallet"}),
    )
    .await;
    let payment = started.body["paymentId"].as_str().unwrap().to_string();
    let marker = format!("refund:{payment}");
    inject_fault("/", &marker, 50).await;
    let paid = call(
        &c,
        "POST",
        &format!("/api/payments/{payment}/confirm"),
        None,
    )
    .await;
    assert_eq!(paid.body["status"], "paid", "{}", paid.body);
    let done = execution(&order_id).await;
    assert_eq!(done.status().as_str(), "FAILED");
    assert_eq!(done.error(), Some("NeedsOperator"));
    assert!(
        disarm_faults(&marker).await > 0,
        "the refund kept being refused until the saga gave up"
    );
    // The operator's inbox holds the order's state with the cause.
    let found = take_operator_message(Duration::from_secs(10), |b| {
        b["orderId"] == order_id.as_str()
    })
    .await
    .expect("the order in SagaOperatorQueue");
    assert_eq!(found["reason"], "товара не оказалось в наличии");
    assert!(found["compensationError"]["Error"].is_string(), "{found}");
    // Not cancelled behind the client's back while the money is still out: the order stays
    // paid for the operator, and the wallet shows the money taken.
    assert_eq!(order(&c, &order_id).await["status"], "paid");
    assert_eq!(balance(&c).await, 0);
}

#[tokio::test]
async fn opening_the_delivery_case_failing_once_is_retried_and_the_order_goes_on() {
    let (c, user, order_id, product) = paid_order(13_000).await;
    // The table refuses delivery's first request about this order's case.
    let marker = format!("DELIVERYCASE#{order_id}");
    refuse("DeliveryCaseOpenFunction", &marker, 1).await;
    pay_from_wallet(&c, &user, &order_id, 13_000).await;
    handed_over_past(&c, &order_id, &product, &marker, "OpenDeliveryCase").await;
    assert_eq!(
        status_of(&marker).await.as_deref(),
        Some("created"),
        "opened once"
    );
}

#[tokio::test]
async fn opening_the_delivery_case_failing_for_good_undoes_the_order_and_gives_the_money_back() {
    let (c, user, order_id, product) = paid_order(14_000).await;
    // Every attempt of the step (the first and its three retries) is refused; the compensation
    // that follows finds the table answering again.
    let marker = format!("DELIVERYCASE#{order_id}");
    inject_fault("/", &marker, 4).await;
    pay_from_wallet(&c, &user, &order_id, 14_000).await;
    let o = settled(&c, &order_id).await;
    assert_eq!(
        (&o["status"], &o["cancelReason"]),
        (
            &json!("cancelled"),
            &json!("не удалось оформить заказ из-за технического сбоя")
        ),
        "{o}"
    );
    assert_eq!(faults_left(&marker).await, 0, "every attempt was refused");
    // Undone in reverse: no delivery case will open, the units are back, the money too.
    assert_eq!(status_of(&marker).await.as_deref(), Some("cancelled"));
    assert_eq!(
        status_of(&format!("PICKING#{order_id}")).await.as_deref(),
        Some("cancelled")
    );
    assert_eq!(
        units(&product, "msk-tverskaya").await,
        50,
        "the unit is back"
    );
    let refunded = eventually(SAGA, || async {
        let b = balance(&c).await;
        (b == 14_000).then_some(b)
    })
    .await;
    assert_eq!(refunded, Some(14_000), "the wallet has its money back");
}

#[tokio::test]
async fn confirming_the_payment_failing_once_is_retried_and_the_order_goes_on() {
    let (c, user, order_id, product) = paid_order(15_000).await;
    let payment = wallet_payment(&c, &user, &order_id, 15_000).await;
    let marker = format!("PAYMENT#{payment}");
    refuse("PaymentConfirmPaidFunction", &marker, 1).await;
    confirm(&c, &payment).await;
    handed_over_past(&c, &order_id, &product, &marker, "ConfirmPayment").await;
}

#[tokio::test]
async fn confirming_the_payment_failing_for_good_gives_the_money_back_and_the_units_at_once() {
    let (c, user, order_id, product) = paid_order(16_000).await;
    let payment = wallet_payment(&c, &user, &order_id, 16_000).await;
    let marker = format!("PAYMENT#{payment}");
    // The step and its three retries; the refund that follows reads the payment as payment's
    // refund function, which the table answers.
    refuse("PaymentConfirmPaidFunction", &marker, 4).await;
    confirm(&c, &payment).await;
    undone_and_refunded(&c, &order_id, &product, 16_000).await;
    assert_eq!(faults_left(&marker).await, 0, "every attempt was refused");
    assert_eq!(
        status_of(&format!("PICKING#{order_id}")).await.as_deref(),
        Some("cancelled"),
        "the hold of «Оплатить заказ» given back, not left to lapse"
    );
}

/// The table refuses the next `times` writes of `status` onto the order by order's
/// `order-status` (the saga's report of that status: the update stamps `stages.<status>`;
/// other reports name it only among the statuses they may come from).
async fn refuse_report(order_id: &str, status: &str, times: u32) {
    let stamp = format!("\"#stage\":\"{status}\"");
    inject(json!({
        "path": "/", "contains": order_id, "also": stamp, "times": times,
        "principal": "OrderStatusFunction", "target": "UpdateItem",
    }))
    .await;
}

#[tokio::test]
async fn reporting_the_hand_over_failing_once_is_retried_and_the_order_goes_on() {
    let (c, user, order_id, product) = paid_order(17_000).await;
    refuse_report(&order_id, "handed_to_delivery", 1).await;
    pay_from_wallet(&c, &user, &order_id, 17_000).await;
    handed_over_past(&c, &order_id, &product, &order_id, "ReportHandedToDelivery").await;
}

#[tokio::test]
async fn reporting_assembling_failing_for_good_undoes_the_order_before_any_delivery() {
    let (c, user, order_id, product) = paid_order(17_500).await;
    refuse_report(&order_id, "assembling", 4).await;
    pay_from_wallet(&c, &user, &order_id, 17_500).await;
    undone_and_refunded(&c, &order_id, &product, 17_500).await;
    assert_eq!(faults_left(&order_id).await, 0, "every attempt was refused");
    assert_eq!(
        status_of(&format!("PICKING#{order_id}")).await.as_deref(),
        Some("cancelled"),
        "the reserved unit is back"
    );
    // No delivery case was opened: the compensation only marked that none may be.
    let marked = table_item(&format!("DELIVERYCASE#{order_id}"), "CASE")
        .await
        .expect("the compensation's mark");
    assert_eq!(marked["status"].as_s().unwrap(), "cancelled");
    assert_eq!(marked["userId"].as_s().unwrap(), "", "{marked:?}");
}

#[tokio::test]
async fn reporting_the_hand_over_failing_for_good_undoes_the_order_and_gives_the_money_back() {
    let (c, user, order_id, product) = paid_order(18_000).await;
    // Every attempt of the report; the cancellation reported afterwards finds the table answering.
    refuse_report(&order_id, "handed_to_delivery", 4).await;
    pay_from_wallet(&c, &user, &order_id, 18_000).await;
    undone_and_refunded(&c, &order_id, &product, 18_000).await;
    assert_eq!(faults_left(&order_id).await, 0, "every attempt was refused");
    assert_eq!(
        status_of(&format!("DELIVERYCASE#{order_id}"))
            .await
            .as_deref(),
        Some("cancelled"),
        "the delivery case opened before the report is cancelled"
    );
    assert_eq!(
        status_of(&format!("PICKING#{order_id}")).await.as_deref(),
        Some("cancelled")
    );
}

#[tokio::test]
async fn reserving_stock_stopped_after_its_write_is_retried_and_takes_the_unit_once() {
    let (c, user, order_id, product) = paid_order(19_000).await;
    // store's reservation (the order's hold turned into it) is written, and its answer held
    // back past the function's timeout (10 s, times the local scale): the function is stopped
    // after its write and before its answer, and the step's Retry runs it again.
    let marker = format!("PICKING#{order_id}");
    let late_ms = 10_000 * timeout_scale() + 1_000;
    inject(json!({
        "path": "/", "contains": marker, "times": 1, "lateMs": late_ms,
        "principal": "StoreStockReserveFunction", "target": "PutItem",
    }))
    .await;
    pay_from_wallet(&c, &user, &order_id, 19_000).await;
    assert_eq!(settled(&c, &order_id).await["status"], "handed_to_delivery");
    assert_eq!(faults_left(&marker).await, 0, "the late answer happened");
    assert_eq!(
        units(&product, "msk-tverskaya").await,
        49,
        "one unit taken, however many times the step ran"
    );
    assert_eq!(status_of(&marker).await.as_deref(), Some("created"));
    let history = execution_history(&order_id).await;
    assert!(
        history.contains("Sandbox.Timedout"),
        "the first attempt was stopped at its timeout: {history}"
    );
}

/// The execution input of a paid order (`order.paid`), as orchestra builds it.
fn saga_input(order: &Value, user_id: &str, product: &str, total: i64) -> Value {
    json!({
        "orderId": order["orderId"], "userId": user_id, "paymentId": order["paymentId"],
        "total": total, "lines": [{"productId": product, "quantity": 1}],
        "delivery": order["delivery"], "pickupStoreId": "msk-tverskaya", "cancel": false,
    })
}

/// An execution whose total is not what the payment took (`AmountMismatch` at ConfirmPayment)
/// is undone. Started by hand beside the order's own, which is held at ConfirmPayment
/// meanwhile: the order cancelled for that reason, its money given back once, its unit back on
/// the shelf; the order's own execution then finds the payment refunded and ends.
#[tokio::test]
async fn an_execution_whose_total_differs_from_the_payment_is_undone() {
    let (c, user, order_id, product) = paid_order(21_500).await;
    let payment = wallet_payment(&c, &user, &order_id, 21_500).await;
    let confirming = hold_requests(json!({
        "path": "/", "contains": format!("PAYMENT#{payment}"),
        "principal": "PaymentConfirmPaidFunction",
    }))
    .await;
    confirm(&c, &payment).await;
    wait_until_held(&confirming).await;
    let o = order(&c, &order_id).await;
    let user_id = user_id_of(&user.username).await;
    let name = start_saga(&saga_input(&o, &user_id, &product, 21_501)).await;
    let done = execution(&name).await;
    assert_eq!(done.status().as_str(), "SUCCEEDED", "{:?}", done.error());
    let states = states_of(&name).await;
    assert_eq!(
        states[..3],
        ["Route", "ConfirmPayment", "WhyAmountMismatch"],
        "{states:?}"
    );
    release_held(&confirming).await;
    assert_eq!(
        states_of(&order_id).await,
        ["Route", "ConfirmPayment", "AlreadyUndone"]
    );
    let o = order(&c, &order_id).await;
    assert_eq!(
        (&o["status"], &o["cancelReason"]),
        (
            &json!("cancelled"),
            &json!("сумма оплаты не совпала с суммой заказа")
        ),
        "{o}"
    );
    assert_eq!(balance(&c).await, 21_500, "the money is back, once");
    assert_eq!(units(&product, "msk-tverskaya").await, 50);
}

/// An execution for a payment that took no money (`PaymentNotPaid`: an order marked paid
/// without it) goes to the operators and undoes nothing: no refund of money never taken, the
/// order left for them to look at.
#[tokio::test]
async fn an_execution_for_a_payment_that_took_no_money_goes_to_the_operators() {
    let (c, user, order_id, product) = paid_order(22_500).await;
    let payment = wallet_payment(&c, &user, &order_id, 22_500).await;
    let user_id = user_id_of(&user.username).await;
    let mut o = order(&c, &order_id).await;
    o["paymentId"] = json!(payment);
    let name = start_saga(&saga_input(&o, &user_id, &product, 22_500)).await;
    let done = execution(&name).await;
    assert_eq!(
        (done.status().as_str(), done.error()),
        ("FAILED", Some("NeedsOperator"))
    );
    let states = states_of(&name).await;
    assert!(
        !states.iter().any(|s| s == "RefundPayment"),
        "nothing refunded: {states:?}"
    );
    let told = take_operator_message(Duration::from_secs(10), |b| {
        b["orderId"] == order_id.as_str()
    })
    .await;
    assert!(told.is_some(), "the operators are told");
    assert_eq!(balance(&c).await, 22_500, "the wallet untouched");
    assert_eq!(order(&c, &order_id).await["status"], "awaiting_payment");
    assert_ne!(c.payment(&payment).await.body["status"], "refunded");
}
