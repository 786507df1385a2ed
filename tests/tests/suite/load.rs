//! `make load` (and the end of `make bench`): a bounded load run on a stack of its own. N clients
//! at once (`VITRINA_LOAD_CLIENTS`, 10 by default), each registering, being credited, and placing
//! and paying `VITRINA_LOAD_ORDERS` orders (3 by default) by wallet and by card, with what real
//! clients mix in: a double «Оплатить», a double «Оплатить заказ», «Отменить заказ» once paid,
//! «Вернуться к редактированию заказа» before paying. Every client shares the same few products,
//! so their holds and reservations meet on the same items.
//!
//! It prints the place+pay times (p50 / p95) and what every order ended as, and fails on any 5xx
//! or on an order that ended anywhere but where its client's steps lead. `make audit` runs after
//! it on the same stack: the whole table must still add up.

use serde_json::json;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use vitrina_tests::*;

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// What a client does with one order; every client walks them in turn, each from a different
/// place in the list, so every kind runs at once.
#[derive(Clone, Copy, Debug)]
enum Walk {
    /// Wallet, «Оплатить» pressed twice at once.
    WalletDoubleClick,
    /// A new bank card, through the bank's page.
    Card,
    /// «Оплатить заказ» pressed twice at once, then the wallet.
    DoublePlace,
    /// Wallet, then «Отменить заказ».
    PaidThenCancelled,
    /// «Вернуться к редактированию заказа», the order placed again, then the card.
    BackToCartThenCard,
}

const WALKS: [Walk; 5] = [
    Walk::WalletDoubleClick,
    Walk::Card,
    Walk::DoublePlace,
    Walk::PaidThenCancelled,
    Walk::BackToCartThenCard,
];

impl Walk {
    /// Where the order must end: goods handed to delivery, or cancelled with the money back.
    fn ends_as(self) -> &'static str {
        match self {
            Walk::PaidThenCancelled => "cancelled",
            _ => "handed_to_delivery",
        }
    }
}

struct Outcome {
    walk: Walk,
    order_id: String,
    place_and_pay: Duration,
}

/// A call that must not be a server error, whatever the race.
async fn sure(c: &reqwest::Client, method: &str, path: &str, body: Option<&str>) -> Reply {
    let r = call(c, method, path, body).await;
    assert!(r.status < 500, "{method} {path}: {} {}", r.status, r.body);
    r
}

async fn fill_cart(c: &reqwest::Client, product: &str) {
    let item = json!({"productId": product, "quantity": 1}).to_string();
    let r = sure(c, "POST", "/api/cart/items", Some(&item)).await;
    assert!(r.status == 200 || r.status == 201, "{}", r.body);
    let pickup = json!({"method": "pickup", "pickupPointId": "msk-tverskaya"}).to_string();
    let r = sure(c, "PUT", "/api/cart/delivery", Some(&pickup)).await;
    assert_eq!(r.status, 200, "{}", r.body);
}

/// «Оплатить заказ»: the order's id.
async fn place(c: &reqwest::Client) -> String {
    let r = sure(c, "POST", "/api/orders", None).await;
    assert!(r.status == 201 || r.status == 200, "{}", r.body);
    r.body["orderId"].as_str().expect("orderId").to_string()
}

/// Pays the order by `method` and presses «Оплатить» (`presses` times at once): the payment.
async fn pay(c: &reqwest::Client, order_id: &str, method: &str, presses: usize) -> String {
    let started = start_payment(
        c,
        &unique("load-"),
        json!({"orderId": order_id, "method": method}),
    )
    .await;
    assert_eq!(started.status, 201, "{}", started.body);
    let id = started.body["paymentId"]
        .as_str()
        .expect("payment")
        .to_string();
    if method == "card" {
        pay_on_bank_page(
            started.body["redirectUrl"]
                .as_str()
                .expect("the bank's page"),
            "5555555555554444",
            None,
        )
        .await;
        sure(c, "GET", &format!("/api/payments/{id}"), None).await;
    }
    let path = format!("/api/payments/{id}/confirm");
    let answers =
        futures::future::join_all((0..presses).map(|_| sure(c, "POST", &path, None))).await;
    // One press takes the money; a second at once answers `paid` or «in progress», never 5xx.
    assert!(
        answers.iter().any(|a| a.body["status"] == "paid"),
        "no press paid: {:?}",
        answers.iter().map(|a| &a.body).collect::<Vec<_>>()
    );
    id
}

async fn walk(c: &reqwest::Client, product: &str, walk: Walk) -> Outcome {
    fill_cart(c, product).await;
    let started = Instant::now();
    let order_id = match walk {
        Walk::WalletDoubleClick => {
            let order_id = place(c).await;
            pay(c, &order_id, "wallet", 2).await;
            order_id
        }
        Walk::Card => {
            let order_id = place(c).await;
            pay(c, &order_id, "card", 1).await;
            order_id
        }
        Walk::DoublePlace => {
            let (a, b) = tokio::join!(place(c), place(c));
            assert_eq!(a, b, "two presses placed two orders");
            pay(c, &a, "wallet", 1).await;
            a
        }
        Walk::PaidThenCancelled => {
            let order_id = place(c).await;
            pay(c, &order_id, "wallet", 1).await;
            order_id
        }
        Walk::BackToCartThenCard => {
            let first = place(c).await;
            let back = sure(c, "POST", &format!("/api/orders/{first}/cart"), None).await;
            assert_eq!(back.status, 200, "{}", back.body);
            let again = place(c).await;
            pay(c, &again, "card", 1).await;
            again
        }
    };
    let place_and_pay = started.elapsed();
    if let Walk::PaidThenCancelled = walk {
        // Cancelled as soon as the client sees «Оплачено»; a 409 «being recorded» is tried again.
        let cancelled = eventually(Duration::from_secs(30), || async {
            let r = sure(c, "POST", &format!("/api/orders/{order_id}/cancel"), None).await;
            (r.status == 200 || r.status == 202).then_some(())
        })
        .await;
        assert!(cancelled.is_some(), "order {order_id} was never cancelled");
    }
    Outcome {
        walk,
        order_id,
        place_and_pay,
    }
}

async fn client(index: usize, orders: usize, products: &[String]) -> Vec<Outcome> {
    let c = browser();
    let user = register(&c).await;
    assert_eq!(login(&c, &user).await.status, 200);
    credit_wallet(&user, 10_000_000).await;
    let mut out = Vec::new();
    for k in 0..orders {
        let product = &products[(index + k) % products.len()];
        out.push(walk(&c, product, WALKS[(index + k) % WALKS.len()]).await);
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::test]
#[ignore = "a load run on a stack of its own: `make load`, `make bench`"]
async fn clients_at_once_place_pay_cancel_and_go_back() {
    let (clients, orders) = (
        setting("VITRINA_LOAD_CLIENTS", 10),
        setting("VITRINA_LOAD_ORDERS", 3),
    );
    // A few products everybody orders, with units enough for all of them.
    let products = products_in_stock(3, 15_000);
    let started = Instant::now();
    let runs = (0..clients).map(|i| {
        let products = products.clone();
        tokio::spawn(async move { client(i, orders, &products).await })
    });
    let mut outcomes = Vec::new();
    for run in futures::future::join_all(runs).await {
        outcomes.extend(run.expect("a client's run"));
    }
    let wall = started.elapsed();

    // Where each order ended, once the saga is done with it.
    let mut ended: BTreeMap<String, usize> = BTreeMap::new();
    let mut wrong = Vec::new();
    for o in &outcomes {
        let wanted = o.walk.ends_as();
        let status = eventually(Duration::from_secs(120), || async {
            let order = table_item(&format!("ORDER#{}", o.order_id), "ORDER").await?;
            let status = order["status"].as_s().ok()?.clone();
            (status == wanted).then_some(status)
        })
        .await;
        let status = match status {
            Some(s) => s,
            None => {
                let order = table_item(&format!("ORDER#{}", o.order_id), "ORDER").await;
                let status = order
                    .and_then(|o| o.get("status").and_then(|s| s.as_s().ok()).cloned())
                    .unwrap_or_else(|| "missing".into());
                wrong.push(format!("{} ({:?}): {status}", o.order_id, o.walk));
                status
            }
        };
        *ended.entry(format!("{:?} → {status}", o.walk)).or_default() += 1;
    }

    let mut times: Vec<Duration> = outcomes.iter().map(|o| o.place_and_pay).collect();
    times.sort();
    println!(
        "\nLoad: {clients} clients × {orders} orders at once, {} orders in {:.1} s",
        outcomes.len(),
        wall.as_secs_f64()
    );
    println!(
        "  place+pay (from «Оплатить заказ» to «Оплатить»'s answer): p50 {:.2} s, p95 {:.2} s, max {:.2} s",
        percentile(&times, 0.5).as_secs_f64(),
        percentile(&times, 0.95).as_secs_f64(),
        times.last().copied().unwrap_or_default().as_secs_f64()
    );
    println!("  what every order ended as:");
    for (what, count) in &ended {
        println!("    {count:>4}  {what}");
    }
    assert!(wrong.is_empty(), "orders that ended elsewhere: {wrong:#?}");
}
