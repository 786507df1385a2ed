//! The order saga (orchestra, `statemachines/order-saga.asl.json`) on real executions: a paid
//! order is reserved, handed to delivery and the client told; a step that fails for good is
//! compensated in reverse and the money given back; what cannot be undone reaches an operator.
//! After each: stock never below zero, reserved units equal the open picking case, and every
//! paid order ends handed over or refunded — never both, never neither.

use serde_json::{json, Value};
use std::time::Duration;
use vitrina_tests::*;

mod cancel;
mod delivery;
mod steps;
mod stock;

/// A saga runs a handful of Lambda tasks; compensations retry with backoff (up to ~15 s).
const SAGA: Duration = Duration::from_secs(75);

/// A client with one unit of a product of its own in the cart (pickup at the product's store),
/// the order placed and paid from the wallet. Answers the client, the order and the product.
async fn paid_order(price: i64) -> (Shop, NewUser, String, String) {
    let (c, user, ids) = client_ready_to_order(1, price).await;
    let product = ids[0].clone();
    let placed = c.place_order().await;
    assert_eq!(placed.status, 201, "{}", placed.body);
    let order_id = placed.body["orderId"].as_str().unwrap().to_string();
    (c, user, order_id, product)
}

async fn pay_from_wallet(c: &Shop, user: &NewUser, order_id: &str, total: i64) {
    let id = wallet_payment(c, user, order_id, total).await;
    confirm(c, &id).await;
}

/// The wallet payment of the order, started and not yet confirmed; its id.
async fn wallet_payment(c: &Shop, user: &NewUser, order_id: &str, total: i64) -> String {
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
async fn confirm(c: &Shop, payment_id: &str) {
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
async fn handed_over_past(c: &Shop, order_id: &str, product: &str, marker: &str, step: &str) {
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
    let payment = c.payment(payment_id).await;
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
async fn undone_and_refunded(c: &Shop, order_id: &str, product: &str, total: i64) {
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

async fn order(c: &Shop, order_id: &str) -> Value {
    let r = c.order(order_id).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

/// Waits until the order leaves "paid" (the saga's report), and answers it.
async fn settled(c: &Shop, order_id: &str) -> Value {
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

async fn balance(c: &Shop) -> i64 {
    c.wallet().await.body["balance"]
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

/// The cart's delivery: another company's courier to `address`, at the price quoted.
async fn choose_courier(c: &Shop, courier: &str, address: &str) {
    let body = json!({"courierId": courier, "address": address}).to_string();
    let q = call(c, "POST", "/api/delivery/quote", Some(&body)).await;
    assert_eq!(q.status, 200, "{}", q.body);
    let choice = json!({"method": "courier", "quoteId": q.body["quoteId"]}).to_string();
    let chosen = call(c, "PUT", "/api/cart/delivery", Some(&choice)).await;
    assert_eq!(chosen.status, 200, "{}", chosen.body);
}
