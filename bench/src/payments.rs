//! Payments per method: DynamoDB requests and time per step over HTTP.

use super::*;
use std::time::{Duration, Instant};
use vitrina_tests::Shop;

/// One step of a payment over HTTP: its time and the DynamoDB requests every function it
/// reached made (the local AWS counts them all).
pub(crate) struct Step {
    times: Vec<Duration>,
    counts: Vec<Counts>,
}

impl Step {
    fn new() -> Self {
        Self {
            times: Vec::new(),
            counts: Vec::new(),
        }
    }

    async fn run<T, Fut: std::future::Future<Output = T>>(
        &mut self,
        http: &reqwest::Client,
        aws: &str,
        f: Fut,
    ) -> T {
        let before = dynamodb_requests(http, aws).await;
        let t = Instant::now();
        let out = f.await;
        self.times.push(t.elapsed());
        self.counts
            .push(difference(&dynamodb_requests(http, aws).await, &before));
        out
    }

    fn report(mut self, name: &str) {
        self.counts.sort_by_key(|c| c.values().sum::<u64>());
        println!(
            "  {name:<44} DynamoDB requests typical {}",
            show(&self.counts[self.counts.len() / 2])
        );
        summary(&format!("{name} time"), self.times);
    }
}

/// A new client of the bench's stack, registered and logged in (its cookie jar): the tests'
/// own `Shop`, so the bench walks the API exactly as the tests do.
pub(crate) async fn bench_client(base: &str) -> Shop {
    Shop::at(base).signed_up().await
}

/// Money on the client's wallet through billing's own credit (the wallet opens from
/// `user.registered`, so the credit is retried until it is there).
pub(crate) async fn credit_wallet(client: &reqwest::Client, base: &str, lambda: &str) {
    let me = json_of(client, &format!("{base}/api/me")).await;
    let user_id = me["clientId"].as_str().expect("clientId").to_string();
    let plain = reqwest::Client::new();
    for _ in 0..100 {
        let r: serde_json::Value = plain
            .post(format!("{lambda}/2015-03-31/functions/BillingWalletCreditFunction/invocations"))
            .body(serde_json::json!({"userId": user_id, "amount": 10_000_000, "cause": format!("bench:{user_id}"), "description": "bench"}).to_string())
            .send().await.unwrap().json().await.unwrap();
        if r.get("errorType").is_none() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the wallet of {user_id} never opened");
}

/// «Оплатить заказ» for one unit of `product`, picked up at the Tverskaya store: the order id.
pub(crate) async fn place_order(client: &Shop, product: &str) -> String {
    client.add_to_cart(product, 1).await;
    client.pick_up_at("msk-tverskaya").await;
    let order = client.place_order().await;
    order.body["orderId"].as_str().expect("order").to_string()
}

/// S6 over HTTP through the local runtime (every function it reaches, the emulator and the
/// bank sandbox included): a card payment (start, the bank's page walked outside the timing,
/// the return's settle, «Оплатить»), then the same client's next order by the card the bank
/// kept (start = authorised at once, «Оплатить»); an SBP payment (start, the payer's app outside
/// the timing, the page's poll, «Оплатить»); a wallet payment (start, «Оплатить»). A gift card
/// pays as the wallet does (billing's debit of one item and its ledger entry).
pub(crate) async fn payment_bench(base: &str) {
    let aws = std::env::var("AWS_ENDPOINT_URL").expect("AWS_ENDPOINT_URL");
    let lambda = std::env::var("VITRINA_LAMBDA_URL").expect("VITRINA_LAMBDA_URL");
    println!("\nPayment (S6) over HTTP, each step with the DynamoDB requests of every function it reached:");
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let (mut card_start, mut card_return, mut card_confirm) =
        (Step::new(), Step::new(), Step::new());
    let (mut wallet_start, mut wallet_confirm) = (Step::new(), Step::new());
    let (mut saved_start, mut saved_confirm) = (Step::new(), Step::new());
    let (mut sbp_start, mut sbp_poll, mut sbp_confirm) = (Step::new(), Step::new(), Step::new());
    for _ in 0..10 {
        for method in ["card", "wallet", "sbp"] {
            let client = bench_client(base).await;
            let order_id = place_order(&client, "p-000002").await;
            let start = |method: &str, card_id: Option<&str>| {
                let body = serde_json::json!({
                    "orderId": order_id, "method": method, "saveCard": true, "cardId": card_id,
                });
                let client = &client;
                async move {
                    let key = uuid::Uuid::now_v7().to_string();
                    client.start_payment(&key, &body).await.body
                }
            };
            match method {
                "wallet" => {
                    credit_wallet(&client, base, &lambda).await;
                    let p = wallet_start.run(&plain, &aws, start("wallet", None)).await;
                    let id = p["paymentId"].as_str().expect("payment").to_string();
                    let done = wallet_confirm
                        .run(&plain, &aws, async {
                            client.confirm_payment(&id).await.body
                        })
                        .await;
                    assert_eq!(done["status"], "paid", "{done}");
                }
                "sbp" => {
                    let p = sbp_start.run(&plain, &aws, start("sbp", None)).await;
                    let id = p["paymentId"].as_str().expect("payment").to_string();
                    // The payer's banking app, outside the timing: the QR's link, paid.
                    let link = p["qrLink"].as_str().expect("the QR's link");
                    let app = format!("{}/pay", link.split('?').next().unwrap_or(link));
                    let paid_in_app = plain.post(&app).send().await.unwrap().status();
                    assert!(
                        paid_in_app.is_success() || paid_in_app.is_redirection(),
                        "{paid_in_app}"
                    );
                    authorised_then_paid(
                        &client,
                        &plain,
                        &aws,
                        &id,
                        &mut sbp_poll,
                        &mut sbp_confirm,
                    )
                    .await;
                }
                _ => {
                    let p = card_start.run(&plain, &aws, start("card", None)).await;
                    let id = p["paymentId"].as_str().expect("payment").to_string();
                    let page = p["redirectUrl"].as_str().expect("the bank's page");
                    let r = plain
                        .post(page)
                        .form(&[
                            ("number", "5555555555554444"),
                            ("expiry", "12/30"),
                            ("cvc", "123"),
                        ])
                        .send()
                        .await
                        .unwrap();
                    assert!(r.status().is_redirection(), "{}", r.status());
                    authorised_then_paid(
                        &client,
                        &plain,
                        &aws,
                        &id,
                        &mut card_return,
                        &mut card_confirm,
                    )
                    .await;
                    // The next order, by the card the bank kept.
                    let cards = client.payment_methods().await.body;
                    let card_id = cards["cards"][0]["cardId"]
                        .as_str()
                        .expect("the kept card")
                        .to_string();
                    let next_id = place_order(&client, "p-000002").await;
                    let body = serde_json::json!({
                        "orderId": next_id, "method": "saved_card", "cardId": card_id,
                    });
                    let key = uuid::Uuid::now_v7().to_string();
                    let p = saved_start
                        .run(&plain, &aws, async {
                            client.start_payment(&key, &body).await.body
                        })
                        .await;
                    assert_eq!(p["status"], "authorized", "{p}");
                    let id = p["paymentId"].as_str().expect("payment").to_string();
                    let done = saved_confirm
                        .run(&plain, &aws, async {
                            client.confirm_payment(&id).await.body
                        })
                        .await;
                    assert_eq!(done["status"], "paid", "{done}");
                }
            }
        }
    }
    card_start.report("card: POST /api/payments");
    card_return.report("card: GET /api/payments/{id} (the return)");
    card_confirm.report("card: «Оплатить» (capture)");
    wallet_start.report("wallet: POST /api/payments");
    wallet_confirm.report("wallet: «Оплатить» (debit)");
    saved_start.report("saved card: POST /api/payments (authorised)");
    saved_confirm.report("saved card: «Оплатить» (capture)");
    sbp_start.report("SBP: POST /api/payments (the QR)");
    sbp_poll.report("SBP: GET /api/payments/{id} (the page's poll)");
    sbp_confirm.report("SBP: «Оплатить» (capture)");
}

/// The payment looked at once the payer is back (the return page, the SBP page's poll): it is
/// authorised; then «Оплатить» takes the money. Each a step of its own.
async fn authorised_then_paid(
    client: &Shop,
    plain: &reqwest::Client,
    aws: &str,
    id: &str,
    look: &mut Step,
    pay: &mut Step,
) {
    let got = look
        .run(plain, aws, async { client.payment(id).await.body })
        .await;
    assert_eq!(got["status"], "authorized", "{got}");
    let done = pay
        .run(plain, aws, async { client.confirm_payment(id).await.body })
        .await;
    assert_eq!(done["status"], "paid", "{done}");
}
