//! The order saga (orchestra, `statemachines/order-saga.asl.json`) on real executions: a paid
//! order is reserved, handed to delivery and the client told; a step that fails for good is
//! compensated in reverse and the money given back; what cannot be undone reaches an operator.
//! After each: stock never below zero, reserved units equal the open picking case, and every
//! paid order ends handed over or refunded — never both, never neither.

use serde_json::{json, Value};
use std::time::Duration;
use vitrina_tests::*;

/// A saga runs a handful of Lambda tasks; compensations retry with backoff (up to ~15 s).
const SAGA: Duration = Duration::from_secs(75);

/// A client with one unit of a product of its own in the cart (pickup at the product's store),
/// the order placed and paid from the wallet. Answers the client, the order and the product.
async fn paid_order(price: i64) -> (reqwest::Client, NewUser, String, String) {
    let (c, user, ids) = client_ready_to_order(1, price).await;
    let product = ids[0].clone();
    let placed = call(&c, "POST", "/api/orders", None).await;
    assert_eq!(placed.status, 201, "{}", placed.body);
    let order_id = placed.body["orderId"].as_str().unwrap().to_string();
    (c, user, order_id, product)
}

async fn pay_from_wallet(c: &reqwest::Client, user: &NewUser, order_id: &str, total: i64) {
    let id = wallet_payment(c, user, order_id, total).await;
    confirm(c, &id).await;
}

/// The wallet payment of the order, started and not yet confirmed; its id.
async fn wallet_payment(c: &reqwest::Client, user: &NewUser, order_id: &str, total: i64) -> String {
    credit_wallet(user, total).await;
    let started = start_payment(
        c,
        &unique("key-"),
        json!({"orderId": order_id, "method": "wallet"}),
    )
    .await;
    assert_eq!(started.status, 201, "{}", started.body);
    started.body["paymentId"].as_str().unwrap().to_string()
}

/// «Оплатить».
async fn confirm(c: &reqwest::Client, payment_id: &str) {
    let paid = call(
        c,
        "POST",
        &format!("/api/payments/{payment_id}/confirm"),
        None,
    )
    .await;
    assert_eq!(paid.body["status"], "paid", "{}", paid.body);
}

/// The saga got past the fault set on `marker` at `step`, and never both delivered and gave
/// back: the order handed to delivery, the fault spent, the step's Retry the one that took it
/// (its first attempt failed `Unavailable` in the execution's history, a later one went on), one
/// unit reserved, the payment still `paid` and the wallet still without the money once the
/// execution is over.
async fn handed_over_past(
    c: &reqwest::Client,
    order_id: &str,
    product: &str,
    marker: &str,
    step: &str,
) {
    let o = settled(c, order_id).await;
    assert_eq!(o["status"], "handed_to_delivery", "{o}");
    assert_eq!(faults_left(marker).await, 0, "the fault happened");
    let history = history_of(order_id).await;
    let attempts: Vec<&Value> = history["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| s["state"] == step)
        .collect();
    let errors: Vec<&str> = attempts
        .iter()
        .flat_map(|s| s["errors"].as_array().into_iter().flatten())
        .filter_map(Value::as_str)
        .collect();
    assert!(
        errors.len() == 1 && errors[0].starts_with("Unavailable"),
        "{step}'s Retry took exactly the fault: {errors:?} in {history}"
    );
    assert!(
        attempts.iter().any(|s| s["output"].is_string()),
        "{step} went on after its retry: {history}"
    );
    assert_eq!(
        history["steps"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|s| ["RefundPayment", "ReleaseStock", "CancelDeliveryCase"]
                .contains(&s["state"].as_str().unwrap_or_default()))
            .count(),
        0,
        "nothing was undone: {history}"
    );
    assert_eq!(units(product, "msk-tverskaya").await, 49, "reserved once");
    let payment_id = o["paymentId"].as_str().expect("the order's payment");
    let payment = call(c, "GET", &format!("/api/payments/{payment_id}"), None).await;
    assert_eq!(payment.body["status"], "paid", "{}", payment.body);
    assert_eq!(
        balance(c).await,
        0,
        "the money stays taken: nothing refunded"
    );
}

/// The table refuses the next `times` requests that `function` makes naming `marker`.
async fn refuse(function: &str, marker: &str, times: u32) {
    inject(json!({"path": "/", "contains": marker, "times": times, "principal": function})).await;
}

/// The order was undone for a technical fault: cancelled with that reason, nothing reserved,
/// the money back in the wallet.
async fn undone_and_refunded(c: &reqwest::Client, order_id: &str, product: &str, total: i64) {
    let o = settled(c, order_id).await;
    assert_eq!(
        (&o["status"], &o["cancelReason"]),
        (
            &json!("cancelled"),
            &json!("не удалось оформить заказ из-за технического сбоя")
        ),
        "{o}"
    );
    assert_eq!(units(product, "msk-tverskaya").await, 50, "no unit kept");
    let refunded = eventually(SAGA, || async {
        let b = balance(c).await;
        (b == total).then_some(b)
    })
    .await;
    assert_eq!(refunded, Some(total), "the wallet has its money back");
}

async fn order(c: &reqwest::Client, order_id: &str) -> Value {
    let r = call(c, "GET", &format!("/api/orders/{order_id}"), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

/// Waits until the order leaves "paid" (the saga's report), and answers it.
async fn settled(c: &reqwest::Client, order_id: &str) -> Value {
    eventually(SAGA, || async {
        let o = order(c, order_id).await;
        matches!(
            o["status"].as_str(),
            Some("handed_to_delivery" | "cancelled")
        )
        .then_some(o)
    })
    .await
    .unwrap_or_else(|| panic!("order {order_id}: the saga never reported"))
}

/// Waits for the order's hold of "Оплатить заказ" to lapse unpaid (store's timer; the test
/// stack holds units for 20 s): its units are back on the shelves.
async fn lapsed(order_id: &str) {
    let case = format!("PICKING#{order_id}");
    let gone = eventually(Duration::from_secs(60), || async {
        (status_of(&case).await.as_deref() == Some("lapsed")).then_some(())
    })
    .await;
    assert!(gone.is_some(), "the hold of order {order_id} never lapsed");
}

/// A stocktaking: the store counts `quantity` units of `product` on its shelves (a stock row
/// imported, as operators do), so the units taken by orders stay accounted for.
async fn set_units(product: &str, store: &str, quantity: i64) {
    import("stocktaking", &[stock_row(product, store, quantity)]);
}

async fn status_of(pk: &str) -> Option<String> {
    let item = table_item(pk, "CASE").await?;
    Some(item["status"].as_s().ok()?.clone())
}

async fn balance(c: &reqwest::Client) -> i64 {
    call(c, "GET", "/api/wallet", None).await.body["balance"]
        .as_i64()
        .expect("a balance")
}

/// The order's execution, as an operator finds it in the console: named by the order id.
/// The order saga's ARN.
async fn saga_machine() -> String {
    let name = resource_name("OrderSaga");
    clients()
        .await
        .sfn
        .list_state_machines()
        .send()
        .await
        .unwrap()
        .state_machines
        .into_iter()
        .find(|m| m.name == name)
        .expect("the order saga is provisioned")
        .state_machine_arn
}

/// An execution of the order saga started by hand, as an operator may in the console, with
/// `input` (the `order.paid` payload's shape): its name.
async fn start_saga(input: &Value) -> String {
    let name = unique("by-hand-");
    clients()
        .await
        .sfn
        .start_execution()
        .state_machine_arn(saga_machine().await)
        .name(&name)
        .input(input.to_string())
        .send()
        .await
        .expect("the execution starts");
    name
}

/// The execution named `name` as an operator reads it, once it has ended: its steps with their
/// input, output and each attempt's errors.
async fn history_of(name: &str) -> Value {
    let listed: Value =
        serde_json::from_str(&execution_history(name).await).expect("the history as JSON");
    listed
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("the execution {name} in {listed}"))
        .clone()
}

/// The states an execution went through, in order.
async fn states_of(name: &str) -> Vec<String> {
    history_of(name).await["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["state"].as_str().map(String::from))
        .collect()
}

/// The execution named `order_id` (the order's own, or `<order>-cancel`, or one started by
/// hand), once it has ended.
async fn execution(
    order_id: &str,
) -> aws_sdk_sfn::operation::describe_execution::DescribeExecutionOutput {
    let sfn = clients().await.sfn;
    let machine = saga_machine().await;
    let arn = format!(
        "{}:{order_id}",
        machine.replacen(":stateMachine:", ":execution:", 1)
    );
    eventually(SAGA, || async {
        let d = sfn
            .describe_execution()
            .execution_arn(&arn)
            .send()
            .await
            .ok()?;
        (d.status().as_str() != "RUNNING").then_some(d)
    })
    .await
    .unwrap_or_else(|| panic!("execution {arn} never finished"))
}

/// The order's execution as an operator reads it at `/_local/executions/<order>`: its steps with
/// their inputs, outputs and errors.
async fn execution_history(order_id: &str) -> String {
    execution(order_id).await;
    reqwest::get(format!(
        "{}/_local/executions/{order_id}?format=json",
        base_url()
    ))
    .await
    .expect("the local runtime answers")
    .text()
    .await
    .expect("the history")
}

async fn letters(email: &str, subject_has: &str) -> usize {
    mail_to(&mailbox().await, email)
        .iter()
        .filter(|m| {
            m["subject"]
                .as_str()
                .unwrap_or_default()
                .contains(subject_has)
        })
        .count()
}

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
async fn an_order_whose_stock_vanished_is_cancelled_and_the_money_given_back() {
    let (c, user, order_id, product) = paid_order(25_000).await;
    // "Оплатить заказ" put the unit aside; the client paid only after the hold lapsed, and
    // meanwhile the units were sold elsewhere.
    assert_eq!(units(&product, "msk-tverskaya").await, 49, "put aside");
    lapsed(&order_id).await;
    assert_eq!(
        units(&product, "msk-tverskaya").await,
        50,
        "back on the shelf"
    );
    set_units(&product, "msk-tverskaya", 0).await;
    pay_from_wallet(&c, &user, &order_id, 25_000).await;
    let o = settled(&c, &order_id).await;
    assert_eq!(
        (&o["status"], &o["cancelReason"]),
        (&json!("cancelled"), &json!("товара не оказалось в наличии")),
        "{o}"
    );
    assert_eq!(balance(&c).await, 25_000, "the wallet got its money back");
    assert_eq!(units(&product, "msk-tverskaya").await, 0, "nothing taken");
    // Released after its hold lapsed: the case says the order may take nothing.
    assert_eq!(
        status_of(&format!("PICKING#{order_id}")).await.as_deref(),
        Some("cancelled")
    );
    assert_eq!(status_of(&format!("DELIVERYCASE#{order_id}")).await, None);
    let done = execution(&order_id).await;
    assert_eq!(done.status().as_str(), "SUCCEEDED", "{:?}", done.error());
    let out: Value = serde_json::from_str(done.output().unwrap_or("null")).unwrap();
    assert_eq!(out["status"], "cancelled");
    // What an operator reads at /_local/executions/<order> (the console's history, locally).
    let seen: Value = reqwest::get(format!(
        "{}/_local/executions/{order_id}?format=json",
        base_url()
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let steps: Vec<&str> = seen[0]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter_map(|s| s["state"].as_str())
        .collect();
    for step in [
        "ReserveStock",
        "ReleaseStock",
        "RefundPayment",
        "ReportCancelled",
    ] {
        assert!(steps.contains(&step), "{step} in {steps:?}");
    }
    let reserve = seen[0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["state"] == "ReserveStock")
        .unwrap();
    assert!(
        reserve["errors"][0]
            .as_str()
            .unwrap_or_default()
            .starts_with("OutOfStock"),
        "{reserve}"
    );
    let payment = o["paymentId"].as_str().unwrap();
    assert_eq!(
        call(&c, "GET", &format!("/api/payments/{payment}"), None)
            .await
            .body["status"],
        "refunded"
    );
    assert!(
        eventually(Duration::from_secs(20), || async {
            (letters(&user.email, "отменён").await >= 1).then_some(())
        })
        .await
        .is_some(),
        "the client is told why"
    );
    assert!(queue_drained("NotificationOrderQueue", Duration::from_secs(60)).await);
    assert_eq!(letters(&user.email, "отменён").await, 1, "one letter");
}

#[tokio::test]
async fn two_orders_for_the_last_unit_one_is_handed_over_and_the_other_refunded() {
    let (a, user_a, order_a, product) = paid_order(30_000).await;
    // A second client with the same product in the cart, while one unit was left.
    let b = browser();
    let user_b = register(&b).await;
    assert_eq!(login(&b, &user_b).await.status, 200);
    let add = json!({"productId": product, "quantity": 1}).to_string();
    let r = call(&b, "POST", "/api/cart/items", Some(&add)).await;
    assert!(r.status == 200 || r.status == 201, "{}", r.body);
    let pickup = json!({"method": "pickup", "pickupPointId": "msk-tverskaya"}).to_string();
    let r = call(&b, "PUT", "/api/cart/delivery", Some(&pickup)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let placed = call(&b, "POST", "/api/orders", None).await;
    assert_eq!(placed.status, 201, "{}", placed.body);
    let order_b = placed.body["orderId"].as_str().unwrap().to_string();
    // Both paid after their holds lapsed, when one unit was left. A's reservation reads the
    // one unit and is held at its write until B's has taken it: both saw it, one gets it.
    tokio::join!(lapsed(&order_a), lapsed(&order_b));
    set_units(&product, "msk-tverskaya", 1).await;
    let held = hold_dynamodb(
        "TransactWriteItems",
        "StoreStockReserveFunction",
        &format!("PICKING#{order_a}"),
    )
    .await;
    pay_from_wallet(&a, &user_a, &order_a, 30_000).await;
    wait_until_held(&held).await;
    pay_from_wallet(&b, &user_b, &order_b, 30_000).await;
    let ob = settled(&b, &order_b).await;
    assert_eq!(ob["status"], "handed_to_delivery", "{ob}");
    release_held(&held).await;
    let oa = settled(&a, &order_a).await;
    assert_eq!(
        (&oa["status"], &oa["cancelReason"]),
        (&json!("cancelled"), &json!("товара не оказалось в наличии")),
        "{oa}"
    );
    assert_eq!(
        units(&product, "msk-tverskaya").await,
        0,
        "never below zero"
    );
    // The loser holds no unit and has its money back; the winner keeps both.
    assert_eq!(
        status_of(&format!("PICKING#{order_a}")).await.as_deref(),
        Some("cancelled"),
        "the loser's case holds nothing"
    );
    assert_eq!(
        status_of(&format!("PICKING#{order_b}")).await.as_deref(),
        Some("created")
    );
    let payment_a = oa["paymentId"].as_str().expect("A's payment");
    assert_eq!(
        call(&a, "GET", &format!("/api/payments/{payment_a}"), None)
            .await
            .body["status"],
        "refunded"
    );
    assert_eq!(balance(&b).await, 0);
    let refunded = eventually(SAGA, || async {
        (balance(&a).await == 30_000).then_some(())
    })
    .await;
    assert!(refunded.is_some(), "the loser is refunded");
}

#[tokio::test]
async fn the_last_unit_is_put_aside_at_placing_and_the_payment_takes_it_as_held() {
    let ids = products_in_stock(1, 26_000);
    let product = ids[0].clone();
    // Two clients with it in the cart while it is in stock; then one unit is left at the
    // pickup point on Tverskaya (and some in St Petersburg, so the product is still for sale).
    let (a, user_a) = client_with_cart(&ids).await;
    let (b, _) = client_with_cart(&ids).await;
    set_units(&product, "msk-tverskaya", 1).await;
    set_units(&product, "spb-nevsky", 5).await;
    let placed = call(&a, "POST", "/api/orders", None).await;
    assert_eq!(placed.status, 201, "{}", placed.body);
    let order_id = placed.body["orderId"].as_str().unwrap().to_string();
    assert_eq!(units(&product, "msk-tverskaya").await, 0, "put aside");
    let hold = table_item(&format!("PICKING#{order_id}"), "CASE")
        .await
        .expect("the hold");
    assert_eq!(hold["status"].as_s().unwrap(), "held");
    assert!(hold.contains_key("heldUntil"), "{hold:?}");
    // The other client cannot order what is put aside for the first, and is told which.
    let refused = call(&b, "POST", "/api/orders", None).await;
    assert_eq!(
        (refused.status, &refused.body["error"]["code"]),
        (409, &json!("out_of_stock")),
        "{}",
        refused.body
    );
    let cart = call(&b, "GET", "/api/cart", None).await;
    assert_eq!(
        refused.body["error"]["details"]["products"], cart.body["lines"][0]["name"],
        "{}",
        refused.body
    );
    assert_eq!(
        cart.body["lines"].as_array().map(Vec::len),
        Some(1),
        "the cart stays"
    );

    pay_from_wallet(&a, &user_a, &order_id, 26_000).await;
    assert_eq!(settled(&a, &order_id).await["status"], "handed_to_delivery");
    assert_eq!(units(&product, "msk-tverskaya").await, 0, "taken once");
    let case = table_item(&format!("PICKING#{order_id}"), "CASE")
        .await
        .expect("the picking case");
    assert_eq!(case["status"].as_s().unwrap(), "created");
    assert_eq!(
        case["createdAt"], hold["createdAt"],
        "the hold itself became the reservation"
    );
    assert!(!case.contains_key("heldUntil"));
}

#[tokio::test]
async fn a_hold_asked_twice_and_its_lapse_delivered_twice_move_the_units_once() {
    let product = products_in_stock(1, 1_000)[0].clone();
    let order_id = uuid::Uuid::now_v7().to_string();
    let request = json!({
        "orderId": order_id, "pickupStoreId": "msk-tverskaya",
        "lines": [{"productId": product, "quantity": 2}],
    });
    // Every read of the order's case by the hold's timer is counted (a 1 ms delay fault).
    let reads = hold_requests(json!({
        "path": "/", "target": "GetItem", "contains": format!("PICKING#{order_id}"),
        "principal": "StoreStockHoldLapseFunction", "times": 100,
    }))
    .await;
    release_held(&reads).await;
    // order's call made again after a lost answer: the same hold, and a second timer armed.
    for _ in 0..2 {
        let (status, error, held) = invoke_lambda("StoreStockHoldFunction", &request).await;
        assert_eq!((status, error), (200, None), "{held}");
        assert_eq!(held["status"], "held", "{held}");
    }
    assert_eq!(units(&product, "msk-tverskaya").await, 48, "taken once");
    lapsed(&order_id).await;
    // Both timers' messages reached the timer (two reads of the case at least, each after the
    // hold's end) and were handled: the second found the hold lapsed and gave nothing back.
    wait_until_counted(&reads, "done", 2).await;
    // And SQS delivering the timer's message once more, later: a third look, nothing moved.
    let sqs = clients().await.sqs;
    let again = vitrina_shared::envelope::Envelope::new(
        vitrina_store::handlers::stock::HOLD_CHECK,
        "test",
        vitrina_store::handlers::stock::HoldCheck {
            order_id: order_id.clone(),
        },
    );
    sqs.send_message()
        .queue_url(queue_url(&sqs, "StockHoldQueue").await)
        .message_body(serde_json::to_string(&again).unwrap())
        .send()
        .await
        .expect("the timer's message sent again");
    wait_until_counted(&reads, "done", 3).await;
    assert!(queue_drained("StockHoldQueue", Duration::from_secs(60)).await);
    disarm_faults(&format!("PICKING#{order_id}")).await;
    assert_eq!(
        units(&product, "msk-tverskaya").await,
        50,
        "given back once"
    );
}

/// A stocktaking (a stock row imported) whose write meets «Оплатить заказ»: it read 50 units on
/// the shelf, the order puts one aside before the count is written. The write is conditional on
/// the level it read, so it reads again: the shelf gets the count, and the unit in the order's
/// hold stays accounted for (`counted` = shelf + holds, what `make audit` checks).
#[tokio::test]
async fn a_stocktaking_that_meets_an_order_keeps_the_orders_unit_counted() {
    let (c, _user, ids) = client_ready_to_order(1, 11_000).await;
    let product = ids[0].clone();
    let held = hold_requests(json!({
        "path": "/", "target": "UpdateItem", "contains": format!("PRODUCT#{product}"),
    }))
    .await;
    let counting = {
        let product = product.clone();
        tokio::task::spawn_blocking(move || {
            import("stocktaking", &[stock_row(&product, "msk-tverskaya", 60)])
        })
    };
    wait_until_held(&held).await;
    let placed = call(&c, "POST", "/api/orders", None).await;
    assert_eq!(placed.status, 201, "{}", placed.body);
    assert_eq!(units(&product, "msk-tverskaya").await, 49, "one unit held");
    release_held(&held).await;
    counting.await.expect("the stocktaking ran");
    assert_eq!(units(&product, "msk-tverskaya").await, 60, "the count");
    let item = table_item(&format!("PRODUCT#{product}"), "PRODUCT")
        .await
        .expect("the product");
    assert_eq!(
        item["counted"].as_m().expect("counted")["msk-tverskaya"]
            .as_n()
            .expect("units"),
        "61",
        "60 on the shelf and 1 in the order's hold"
    );
    // The same count loaded again (an operator's re-run): nothing moves.
    import("stocktaking", &[stock_row(&product, "msk-tverskaya", 60)]);
    let again = table_item(&format!("PRODUCT#{product}"), "PRODUCT")
        .await
        .expect("the product");
    assert_eq!(again, item, "a replayed stocktaking changes nothing");
}

#[tokio::test]
async fn an_order_taken_back_into_the_cart_puts_its_units_back_at_once() {
    let (c, _user, order_id, product) = paid_order(27_000).await;
    assert_eq!(units(&product, "msk-tverskaya").await, 49, "put aside");
    let r = call(&c, "POST", &format!("/api/orders/{order_id}/cart"), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(units(&product, "msk-tverskaya").await, 50, "back at once");
    assert_eq!(
        status_of(&format!("PICKING#{order_id}")).await.as_deref(),
        Some("cancelled")
    );
    // Placed again: a new order, its unit put aside anew.
    let again = call(&c, "POST", "/api/orders", None).await;
    assert_eq!(again.status, 201, "{}", again.body);
    assert_ne!(again.body["orderId"], json!(order_id));
    assert_eq!(units(&product, "msk-tverskaya").await, 49);
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
async fn the_client_cancels_a_paid_order_and_everything_is_given_back() {
    let (c, user, order_id, product) = paid_order(21_000).await;
    let early = call(&c, "POST", &format!("/api/orders/{order_id}/cancel"), None).await;
    assert_eq!(
        (early.status, &early.body["error"]["code"]),
        (409, &json!("order_not_cancellable")),
        "an unpaid order goes back to the cart instead: {}",
        early.body
    );
    pay_from_wallet(&c, &user, &order_id, 21_000).await;
    assert_eq!(settled(&c, &order_id).await["status"], "handed_to_delivery");
    assert_eq!(units(&product, "msk-tverskaya").await, 49);
    let r = call(&c, "POST", &format!("/api/orders/{order_id}/cancel"), None).await;
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
    let again = call(&c, "POST", &format!("/api/orders/{order_id}/cancel"), None).await;
    assert_eq!(
        (again.status, &again.body["status"]),
        (200, &json!("cancelled"))
    );
    assert_eq!(balance(&c).await, 21_000);
    assert_eq!(units(&product, "msk-tverskaya").await, 50);
}

/// `vitrina-cases move` as an operator runs it against the local stack: (success, its output).
fn move_case(order_id: &str, to: &str) -> (bool, String) {
    cases("move", order_id, to)
}

/// `vitrina-cases <command> --order <order_id> --to <to>`, as an operator runs it: whether it
/// moved the case, and what it said.
fn cases(command: &str, order_id: &str, to: &str) -> (bool, String) {
    let target = std::env::var("CARGO_TARGET_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../target").to_string());
    let out = std::process::Command::new(format!("{target}/debug/vitrina-cases"))
        .env("AWS_ENDPOINT_URL_LAMBDA", lambda_url())
        .args([command, "--order", order_id, "--to", to])
        .output()
        .expect("run vitrina-cases");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
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
    call(&c, "GET", &format!("/api/payments/{id}"), None).await;
    confirm(&c, &id).await;
    assert_eq!(settled(&c, &order_id).await["status"], "handed_to_delivery");
    let at_bank = bank_record_of(&id).await;
    assert_eq!(
        (&at_bank["status"], &at_bank["refunded_amount"]["value"]),
        (&json!("succeeded"), &json!("0.00")),
        "{at_bank}"
    );
    let r = call(&c, "POST", &format!("/api/orders/{order_id}/cancel"), None).await;
    assert_eq!(r.status, 202, "{}", r.body);
    let refunded = eventually(SAGA, || async {
        let p = call(&c, "GET", &format!("/api/payments/{id}"), None)
            .await
            .body;
        (p["status"] == "refunded").then_some(p)
    })
    .await;
    assert!(refunded.is_some(), "the payment is refunded");
    assert_eq!(order(&c, &order_id).await["status"], "cancelled");
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
    let cancel = call(&c, "POST", &format!("/api/orders/{order_id}/cancel"), None).await;
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
    let cancel = call(&c, "POST", &format!("/api/orders/{order_id}/cancel"), None).await;
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

/// A client whose cart goes by the own courier in an empty window (the first from the `from`th
/// offered: tests that fill windows keep apart, also when run again on the same stack); the
/// order placed, and the window's id.
async fn own_courier_order(from: usize, price: i64) -> (reqwest::Client, NewUser, String, String) {
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
    let placed = call(&c, "POST", "/api/orders", None).await;
    assert_eq!(placed.status, 201, "{}", placed.body);
    let order_id = placed.body["orderId"].as_str().unwrap().to_string();
    (c, user, order_id, window)
}

/// The cart's delivery: the own courier in the window `pick` takes from those offered; its id.
async fn choose_window(c: &reqwest::Client, pick: impl Fn(&[Value]) -> String) -> String {
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

    let r = call(&c, "POST", &format!("/api/orders/{order_id}/cancel"), None).await;
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

#[tokio::test]
async fn search_shows_the_last_unit_gone_as_soon_as_an_order_takes_it() {
    let word = unique_word(4);
    let name = format!("Фляга Полярис{word}");
    let id = unique("t-last-");
    import(
        "last-unit",
        &[
            product_row(&id, &name, 24_000),
            stock_row(&id, "msk-tverskaya", 1),
        ],
    );
    // The level the search page shows for the store on Tverskaya.
    let shown = || async {
        let r = search(&format!("Полярис{word}")).await;
        r.body["items"]
            .as_array()?
            .iter()
            .find(|card| card["id"] == id.as_str())?["availability"]
            .as_array()?
            .iter()
            .find(|a| a["storeId"] == "msk-tverskaya")
            .map(|a| a["level"].as_str().unwrap_or_default().to_string())
    };
    // The import's index build makes it searchable.
    let before = eventually(Duration::from_secs(60), || async { shown().await }).await;
    assert_eq!(before.as_deref(), Some("few"), "indexed with its one unit");

    let (c, user) = client_with_cart(std::slice::from_ref(&id)).await;
    let placed = call(&c, "POST", "/api/orders", None).await;
    assert_eq!(placed.status, 201, "{}", placed.body);
    let order_id = placed.body["orderId"].as_str().unwrap().to_string();
    pay_from_wallet(&c, &user, &order_id, 24_000).await;
    assert_eq!(settled(&c, &order_id).await["status"], "handed_to_delivery");
    // No catalog import, no index build: the page reads the stock of now.
    let after = eventually(Duration::from_secs(5), || async {
        shown().await.filter(|level| level == "none")
    })
    .await;
    assert_eq!(after.as_deref(), Some("none"), "the unit is reserved");
}

/// The cart's delivery: another company's courier to `address`, at the price quoted.
async fn choose_courier(c: &reqwest::Client, courier: &str, address: &str) {
    let body = json!({"courierId": courier, "address": address}).to_string();
    let q = call(c, "POST", "/api/delivery/quote", Some(&body)).await;
    assert_eq!(q.status, 200, "{}", q.body);
    let choice = json!({"method": "courier", "quoteId": q.body["quoteId"]}).to_string();
    let chosen = call(c, "PUT", "/api/cart/delivery", Some(&choice)).await;
    assert_eq!(chosen.status, 200, "{}", chosen.body);
}

/// A client whose cart goes by СДЭК to a Moscow address (pre-booked on that choice), the order
/// placed: the client, the order, its total and the booking's id.
async fn cdek_order(price: i64) -> (reqwest::Client, NewUser, String, i64, String) {
    let (c, user, _) = client_ready_to_order(1, price).await;
    choose_courier(&c, "cdek", "Москва, ул. Ленина, д. 7").await;
    let placed = call(&c, "POST", "/api/orders", None).await;
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
    let r = call(&c, "POST", &format!("/api/orders/{order_id}/cancel"), None).await;
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

#[tokio::test]
async fn search_ranks_a_product_put_aside_to_its_last_unit_below_one_still_for_sale() {
    let word = unique_word(5);
    let name = format!("Котелок Ранжир{word}");
    let (a, b) = (unique("t-rank-a-"), unique("t-rank-b-"));
    import(
        "rank",
        &[
            product_row(&a, &name, 21_000),
            stock_row(&a, "msk-tverskaya", 1),
            stock_row(&a, "spb-nevsky", 1),
            stock_row(&a, "kzn-baumana", 1),
            product_row(&b, &name, 21_000),
            stock_row(&b, "ekb-vainera", 5),
            stock_row(&b, "msk-aviapark", 5),
        ],
    );
    // The two as search ranks them: the same words, so what can be bought where decides.
    let ranked = || async {
        let r = search(&format!("Ранжир{word}")).await;
        let ids: Vec<String> = r.body["items"]
            .as_array()?
            .iter()
            .filter_map(|card| card["id"].as_str().map(str::to_string))
            .collect();
        (ids.len() == 2).then_some(ids)
    };
    let before = eventually(Duration::from_secs(60), ranked).await;
    assert_eq!(
        before,
        Some(vec![a.clone(), b.clone()]),
        "in three stores before two"
    );

    // A client puts every unit of the first aside: a courier order takes one from each store.
    let c = browser();
    let user = register(&c).await;
    assert_eq!(login(&c, &user).await.status, 200);
    let add = json!({"productId": a, "quantity": 3}).to_string();
    assert_eq!(
        call(&c, "POST", "/api/cart/items", Some(&add)).await.status,
        201
    );
    choose_courier(&c, "cdek", "Москва, ул. Ленина, д. 9").await;
    let placed = call(&c, "POST", "/api/orders", None).await;
    assert_eq!(placed.status, 201, "{}", placed.body);

    // No import: the table's stream asked for a new index, which ranks it after the other.
    let after = eventually(Duration::from_secs(60), || async {
        ranked().await.filter(|ids| ids[0] == b)
    })
    .await;
    assert_eq!(after, Some(vec![b, a]), "for sale nowhere now, so last");
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
    let r = call(&c, "POST", &format!("/api/orders/{order_id}/cancel"), None).await;
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
    let r = call(&c, "POST", &format!("/api/orders/{order_id}/cancel"), None).await;
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
    let r = call(&c, "POST", &format!("/api/orders/{order_id}/cancel"), None).await;
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
    let r = call(&c, "POST", &format!("/api/orders/{order_id}/cancel"), None).await;
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
    assert_eq!(
        call(&c, "GET", &format!("/api/payments/{payment}"), None)
            .await
            .body["status"],
        "refunded"
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
    assert_ne!(
        call(&c, "GET", &format!("/api/payments/{payment}"), None)
            .await
            .body["status"],
        "refunded"
    );
}
