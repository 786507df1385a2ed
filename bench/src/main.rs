//! `make bench`. Prints numbers; asserts nothing.
//!
//! 1. Release binary sizes of each service and of a hello-world lambda_runtime binary.
//! 2. exec → first invocation answered: each binary is started against a fake Lambda Runtime
//!    API (what the Lambda sandbox provides) and timed until it posts its first response;
//!    reported as the median over runs and as a ratio to hello-world.
//! 3. Search over a generated 100 000-product catalog: index build time and size, cold load
//!    (unpack the S3 artifact + open), the process's memory growth, and query latency p50/p99
//!    (warm, in-process).
//! 4. Handler latency through the local runtime over HTTP (emulator included), p50/p99, and
//!    the CPU-only part of the same handlers in-process (emulator excluded): argon2 hashing
//!    for register, verification for login, token decoding and hashing for the authorizer.
//! 6. Payments per method (DynamoDB requests and time per step) and an order's AWS bill by
//!    path through the saga, Standard against Express (`vitrina-bench orders` runs only these).
//! 5. The cart: DynamoDB requests per add-to-cart and per cart read, counted where they arrive
//!    (the local AWS counts each action it answers; store's snapshot function, invoked by
//!    order, is included), and the handler time p50/p99 with its AWS calls against the local
//!    emulators (order's handlers run in this process, store's snapshot in the local runtime).

use axum::{
    extract::{Path, State},
    http::HeaderMap,
    routing::{get, post},
    Router,
};
use std::{
    sync::Arc,
    time::{Duration, Instant},
};
use tokio::sync::{mpsc, Mutex};
use vitrina_auth::domain::{password, registration::RegistrationForm, session};
use vitrina_tests::Shop;

const RUNS: usize = 15;

struct FakeRuntime {
    event: String,
    done: Mutex<Option<mpsc::Sender<()>>>,
}

async fn next(State(rt): State<Arc<FakeRuntime>>) -> (HeaderMap, String) {
    let mut h = HeaderMap::new();
    h.insert("lambda-runtime-aws-request-id", "bench-1".parse().unwrap());
    let deadline = (std::time::SystemTime::now() + Duration::from_secs(30))
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
        .to_string();
    h.insert("lambda-runtime-deadline-ms", deadline.parse().unwrap());
    h.insert(
        "lambda-runtime-invoked-function-arn",
        "arn:aws:lambda:us-east-1:123456789012:function:bench"
            .parse()
            .unwrap(),
    );
    (h, rt.event.clone())
}

async fn answered(State(rt): State<Arc<FakeRuntime>>, Path(_id): Path<String>) -> &'static str {
    if let Some(tx) = rt.done.lock().await.take() {
        let _ = tx.send(()).await;
    }
    "{}"
}

/// Starts `binary` with `handler` against a fake Runtime API; time until its first answer.
async fn cold_start(binary: &str, handler: &str, event: &str) -> Duration {
    let (tx, mut rx) = mpsc::channel(1);
    let rt = Arc::new(FakeRuntime {
        event: event.to_string(),
        done: Mutex::new(Some(tx)),
    });
    let app = Router::new()
        .route("/2018-06-01/runtime/invocation/next", get(next))
        .route(
            "/2018-06-01/runtime/invocation/{id}/response",
            post(answered),
        )
        .route("/2018-06-01/runtime/invocation/{id}/error", post(answered))
        .with_state(rt);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let start = Instant::now();
    let mut child = tokio::process::Command::new(binary)
        .env("AWS_LAMBDA_RUNTIME_API", addr.to_string())
        .env("AWS_LAMBDA_FUNCTION_NAME", "bench")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("_HANDLER", handler)
        .env("TABLE_NAME", "vitrina-Table")
        // Each service's settings, as the template gives its functions (placeholders: the
        // measured handlers call nothing by them).
        .env("CATALOG_BUCKET", "vitrina-catalogbucket")
        .env("STORE_SNAPSHOT_FUNCTION", "StoreProductSnapshotFunction")
        .env(
            "BILLING_GIFT_CARD_ACTIVATE_FUNCTION",
            "BillingGiftCardActivateFunction",
        )
        .env(
            "BILLING_GIFT_CARDS_OF_FUNCTION",
            "BillingGiftCardsOfFunction",
        )
        .env("MAIL_FROM", "shop@vitrina.example")
        .env("SHOP_URL", "https://shop.vitrina.example")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "bench")
        .env("AWS_SECRET_ACCESS_KEY", "bench")
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let got = tokio::time::timeout(Duration::from_secs(10), rx.recv()).await;
    let elapsed = start.elapsed();
    let _ = child.kill().await;
    server.abort();
    assert!(got.is_ok(), "{binary} never answered");
    elapsed
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn summary(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "  {name:<44} p50 {:>9.3} ms   p99 {:>9.3} ms   (n={})",
        percentile(&samples, 0.5).as_secs_f64() * 1e3,
        percentile(&samples, 0.99).as_secs_f64() * 1e3,
        samples.len()
    );
}

async fn timed<F, Fut>(n: usize, mut f: F) -> Vec<Duration>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let t = Instant::now();
        f(i).await;
        out.push(t.elapsed());
    }
    out
}

fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn search_bench() {
    use vitrina_store::{domain::generator::generate, search};
    let products = std::env::var("BENCH_PRODUCTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    println!("\nSearch over a generated {products}-product catalog:");
    let t = Instant::now();
    let catalog = generate(products, 42);
    println!(
        "  generate catalog            {:>9.2} s",
        t.elapsed().as_secs_f64()
    );
    let base = std::env::temp_dir().join(format!("vitrina-bench-{}", uuid::Uuid::now_v7()));
    let t = Instant::now();
    search::SearchIndex::build(&catalog, &base.join("built")).expect("build");
    println!(
        "  build index                 {:>9.2} s",
        t.elapsed().as_secs_f64()
    );
    drop(catalog);
    let packed = search::pack(&base.join("built")).expect("pack");
    println!(
        "  index artifact (tar)        {:>9.2} MB",
        packed.len() as f64 / 1e6
    );
    let before = rss_kb();
    let t = Instant::now();
    search::unpack(&packed, &base.join("loaded")).expect("unpack");
    let index = search::SearchIndex::open(&base.join("loaded")).expect("open");
    let first = index.search("кроссовки", None, 1).expect("search");
    println!(
        "  cold load (unpack + open + first query) {:>7.1} ms   (first query found {})",
        t.elapsed().as_secs_f64() * 1e3,
        first.total
    );
    let queries = [
        "кроссовки",
        "кросовки",
        "кроссовок",
        "смартфон samsung",
        "чай",
        "кофе в зёрнах",
        "пылесос",
        "мастер и маргарита",
        "мед",
        "корм для кошек",
        "велосипед горный",
        "шампунь",
        "кросс",
        "наушники беспроводные",
        "футболка",
    ];
    let mut samples = Vec::new();
    for round in 0..40 {
        for q in queries {
            let t = Instant::now();
            let page = index.search(q, None, 1 + round % 3).expect("search");
            samples.push(t.elapsed());
            std::hint::black_box(page);
        }
    }
    summary("search query (warm, in-process)", samples);
    let mut by_category = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        std::hint::black_box(index.search("", Some("obuv"), 2).expect("category"));
        by_category.push(t.elapsed());
    }
    summary("category listing, page 2", by_category);
    println!(
        "  resident memory growth after load   {:>7.1} MB",
        rss_kb().saturating_sub(before) as f64 / 1024.0
    );
    let _ = std::fs::remove_dir_all(&base);
}

type Counts = std::collections::BTreeMap<String, u64>;

async fn dynamodb_requests(http: &reqwest::Client, aws: &str) -> Counts {
    http.get(format!("{aws}/_vitrina/dynamodb-requests"))
        .send()
        .await
        .expect("the local AWS answers its request counter")
        .json()
        .await
        .expect("counter JSON")
}

fn difference(after: &Counts, before: &Counts) -> Counts {
    after
        .iter()
        .map(|(k, v)| (k.clone(), v - before.get(k).copied().unwrap_or(0)))
        .filter(|(_, v)| *v > 0)
        .collect()
}

fn show(counts: &Counts) -> String {
    let total: u64 = counts.values().sum();
    let parts: Vec<String> = counts.iter().map(|(k, v)| format!("{k} {v}")).collect();
    format!("{total} ({})", parts.join(", "))
}

/// An API Gateway v2 event for an order route, as the authorizer would have passed it.
fn cart_event(method: &str, path: &str, user_id: &str, body: Option<String>) -> serde_json::Value {
    let mut event: serde_json::Value =
        serde_json::from_str(include_str!("../../events/OrderCartGetFunction.json"))
            .expect("event file");
    event["routeKey"] = format!("{method} {path}").into();
    event["rawPath"] = path.into();
    event["requestContext"]["http"]["method"] = method.into();
    event["requestContext"]["http"]["path"] = path.into();
    event["requestContext"]["routeKey"] = format!("{method} {path}").into();
    event["requestContext"]["authorizer"]["lambda"]["userId"] = user_id.into();
    event["body"] = body.map(Into::into).unwrap_or(serde_json::Value::Null);
    event
}

async fn cart_bench(aws: &str) {
    use vitrina_shared::runtime::Env;
    println!("\nThe cart (order's handlers in-process, store's snapshot in the local runtime):");
    let seed = std::fs::read_to_string("data/catalog.seed.jsonl").expect("seed catalog");
    let catalog = vitrina_store::domain::parse_catalog(&seed).expect("seed parses");
    let in_stock: std::collections::HashSet<&str> = catalog
        .stock
        .iter()
        .filter(|s| s.quantity > 0)
        .map(|s| s.product_id.as_str())
        .collect();
    let products: Vec<&str> = catalog
        .products
        .iter()
        .map(|p| p.id.as_str())
        .filter(|id| in_stock.contains(id))
        .take(40)
        .collect();

    // scripts/bench.sh sets TABLE_NAME, STORE_SNAPSHOT_FUNCTION and AWS_ENDPOINT_URL_LAMBDA
    // (the local runtime's Invoke API) as the template and the local runtime would.
    let env = Env {
        config: vitrina_shared::config::Config::from_env().expect("config"),
        aws: vitrina_shared::aws::Aws::from_env().await,
    };
    let functions = vitrina_order::functions();
    let handler = |name: &str| {
        functions
            .iter()
            .find(|f| f.handler == name)
            .map(|f| f.build(&env).expect("order's settings"))
            .expect("order has the handler")
    };
    let (add, get) = (handler("cart-add"), handler("cart-get"));
    let http = reqwest::Client::new();

    let mut add_times = Vec::new();
    let mut add_counts: Vec<Counts> = Vec::new();
    let mut first_add = Counts::new();
    let rounds = 5;
    for round in 0..rounds {
        let user = uuid::Uuid::now_v7().to_string();
        for (i, product) in products.iter().enumerate() {
            let body = format!(r#"{{"productId":"{product}","quantity":1}}"#);
            let event = cart_event("POST", "/api/cart/items", &user, Some(body));
            let before = dynamodb_requests(&http, aws).await;
            let t = Instant::now();
            let out = add(event, lambda_runtime::Context::default())
                .await
                .expect("cart-add answers");
            add_times.push(t.elapsed());
            let counts = difference(&dynamodb_requests(&http, aws).await, &before);
            let status = out["statusCode"].as_u64().unwrap_or(0);
            assert!(status == 200 || status == 201, "cart-add {status}: {out}");
            if round == 0 && i == 0 {
                first_add = counts;
            } else {
                add_counts.push(counts);
            }
        }
    }
    println!(
        "  DynamoDB requests, first add (creates the order)   {}",
        show(&first_add)
    );
    add_counts.sort_by_key(|c| c.values().sum::<u64>());
    println!(
        "  DynamoDB requests, add to an existing cart         typical {}, most {}",
        show(&add_counts[add_counts.len() / 2]),
        show(add_counts.last().expect("adds"))
    );
    summary("cart-add handler time", add_times);

    let user = uuid::Uuid::now_v7().to_string();
    for product in &products {
        let body = format!(r#"{{"productId":"{product}","quantity":2}}"#);
        add(
            cart_event("POST", "/api/cart/items", &user, Some(body)),
            lambda_runtime::Context::default(),
        )
        .await
        .expect("cart-add answers");
    }
    let mut read_times = Vec::new();
    let mut read_counts: Vec<Counts> = Vec::new();
    for _ in 0..100 {
        let event = cart_event("GET", "/api/cart", &user, None);
        let before = dynamodb_requests(&http, aws).await;
        let t = Instant::now();
        let out = get(event, lambda_runtime::Context::default())
            .await
            .expect("cart-get answers");
        read_times.push(t.elapsed());
        read_counts.push(difference(&dynamodb_requests(&http, aws).await, &before));
        assert_eq!(out["statusCode"], 200, "{out}");
    }
    read_counts.sort_by_key(|c| c.values().sum::<u64>());
    println!(
        "  DynamoDB requests, cart read ({} lines)             typical {}, most {}",
        products.len(),
        show(&read_counts[read_counts.len() / 2]),
        show(read_counts.last().expect("reads"))
    );
    summary(
        &format!("cart-get handler time ({} lines)", products.len()),
        read_times,
    );
}

/// A stocktaking that finds no units of `product` in `store`: a stock row through
/// `vitrina-catalog import`, built beside this binary.
fn sold_out(product: &str, store: &str) {
    let tool = std::env::current_exe()
        .expect("the bench's path")
        .with_file_name("vitrina-catalog");
    let file = std::env::temp_dir().join(format!("sold-out-{product}.jsonl"));
    std::fs::write(
        &file,
        format!(r#"{{"type":"stock","productId":"{product}","storeId":"{store}","quantity":0}}"#),
    )
    .expect("the stocktaking's file");
    let out = std::process::Command::new(tool)
        .arg("import")
        .arg(&file)
        .output()
        .expect("vitrina-catalog runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// One step of a payment over HTTP: its time and the DynamoDB requests every function it
/// reached made (the local AWS counts them all).
struct Step {
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
async fn bench_client(base: &str) -> Shop {
    Shop::at(base).signed_up().await
}

/// Money on the client's wallet through billing's own credit (the wallet opens from
/// `user.registered`, so the credit is retried until it is there).
async fn credit_wallet(client: &reqwest::Client, base: &str, lambda: &str) {
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
async fn place_order(client: &Shop, product: &str) -> String {
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
async fn payment_bench(base: &str) {
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
            let post = |path: &str, body: serde_json::Value| {
                client
                    .post(format!("{base}{path}"))
                    .header("content-type", "application/json")
                    .body(body.to_string())
            };
            let order_id = place_order(&client, "p-000002").await;
            let start = |m: &str| {
                post(
                    "/api/payments",
                    serde_json::json!({"orderId": order_id, "method": m, "saveCard": true}),
                )
                .header("idempotency-key", uuid::Uuid::now_v7().to_string())
            };
            let confirm = |id: &str| {
                post(
                    &format!("/api/payments/{id}/confirm"),
                    serde_json::json!({}),
                )
            };
            if method == "wallet" {
                credit_wallet(&client, base, &lambda).await;
                let p: serde_json::Value = wallet_start
                    .run(&plain, &aws, async {
                        start("wallet").send().await.unwrap().json().await.unwrap()
                    })
                    .await;
                let id = p["paymentId"].as_str().expect("payment").to_string();
                let done: serde_json::Value = wallet_confirm
                    .run(&plain, &aws, async {
                        confirm(&id).send().await.unwrap().json().await.unwrap()
                    })
                    .await;
                assert_eq!(done["status"], "paid", "{done}");
            } else if method == "sbp" {
                let p: serde_json::Value = sbp_start
                    .run(&plain, &aws, async {
                        start("sbp").send().await.unwrap().json().await.unwrap()
                    })
                    .await;
                let id = p["paymentId"].as_str().expect("payment").to_string();
                // The payer's banking app pays the QR's link.
                let link = p["qrLink"].as_str().expect("the QR's link");
                let app = format!("{}/pay", link.split('?').next().unwrap_or(link));
                let paid_in_app = plain.post(&app).send().await.unwrap().status();
                assert!(
                    paid_in_app.is_success() || paid_in_app.is_redirection(),
                    "{paid_in_app}"
                );
                let got: serde_json::Value = sbp_poll
                    .run(
                        &plain,
                        &aws,
                        json_of(&client, &format!("{base}/api/payments/{id}")),
                    )
                    .await;
                assert_eq!(got["status"], "authorized", "{got}");
                let done: serde_json::Value = sbp_confirm
                    .run(&plain, &aws, async {
                        confirm(&id).send().await.unwrap().json().await.unwrap()
                    })
                    .await;
                assert_eq!(done["status"], "paid", "{done}");
            } else {
                let p: serde_json::Value = card_start
                    .run(&plain, &aws, async {
                        start("card").send().await.unwrap().json().await.unwrap()
                    })
                    .await;
                let id = p["paymentId"].as_str().expect("payment").to_string();
                let page = p["redirectUrl"]
                    .as_str()
                    .expect("the bank's page")
                    .to_string();
                let r = plain
                    .post(&page)
                    .form(&[
                        ("number", "5555555555554444"),
                        ("expiry", "12/30"),
                        ("cvc", "123"),
                    ])
                    .send()
                    .await
                    .unwrap();
                assert!(r.status().is_redirection(), "{}", r.status());
                let got: serde_json::Value = card_return
                    .run(
                        &plain,
                        &aws,
                        json_of(&client, &format!("{base}/api/payments/{id}")),
                    )
                    .await;
                assert_eq!(got["status"], "authorized", "{got}");
                let done: serde_json::Value = card_confirm
                    .run(&plain, &aws, async {
                        confirm(&id).send().await.unwrap().json().await.unwrap()
                    })
                    .await;
                assert_eq!(done["status"], "paid", "{done}");
                // The next order, by the card the bank kept.
                let cards: serde_json::Value = client
                    .get(format!("{base}/api/payment-methods"))
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                let card_id = cards["cards"][0]["cardId"]
                    .as_str()
                    .expect("the kept card")
                    .to_string();
                let next_id = place_order(&client, "p-000002").await;
                let p: serde_json::Value = saved_start
                    .run(&plain, &aws, async {
                        post(
                            "/api/payments",
                            serde_json::json!({"orderId": next_id, "method": "saved_card", "cardId": card_id}),
                        )
                        .header("idempotency-key", uuid::Uuid::now_v7().to_string())
                        .send()
                        .await
                        .unwrap()
                        .json()
                        .await
                        .unwrap()
                    })
                    .await;
                assert_eq!(p["status"], "authorized", "{p}");
                let id = p["paymentId"].as_str().expect("payment").to_string();
                let done: serde_json::Value = saved_confirm
                    .run(&plain, &aws, async {
                        confirm(&id).send().await.unwrap().json().await.unwrap()
                    })
                    .await;
                assert_eq!(done["status"], "paid", "{done}");
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

/// Our code's share of a warm request: the runtime's event decoding, the route's wrapper, the
/// handler and the response, for a cart-add that the handler refuses before any AWS call (so
/// no emulator time is in it), invoked in-process as the Lambda runtime would.
async fn warm_overhead() {
    let vars = [
        ("TABLE_NAME", "vitrina-Table"),
        ("STORE_SNAPSHOT_FUNCTION", "StoreProductSnapshotFunction"),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()));
    let env = vitrina_shared::runtime::Env {
        config: vitrina_shared::config::Config::from_vars(vars.into()).expect("config"),
        aws: vitrina_shared::aws::Aws::new(
            aws_config::SdkConfig::builder()
                .behavior_version(aws_config::BehaviorVersion::latest())
                .build(),
        ),
    };
    let invoke = vitrina_order::functions()
        .into_iter()
        .find(|f| f.handler == "cart-add")
        .expect("order has cart-add")
        .build(&env)
        .expect("cart-add's settings");
    let mut event: serde_json::Value =
        serde_json::from_str(include_str!("../../events/OrderCartAddFunction.json"))
            .expect("sample event");
    event["body"] = "{}".into();
    let mut samples = Vec::with_capacity(20_000);
    for i in 0..22_000 {
        let context = lambda_runtime::Context::default();
        let t = Instant::now();
        let out = invoke(event.clone(), context).await.expect("an answer");
        let elapsed = t.elapsed();
        assert_eq!(out["statusCode"], 400, "{out}");
        // The first 2 000 warm the allocator and caches.
        if i >= 2_000 {
            samples.push(elapsed);
        }
    }
    println!("\nWarm handler overhead, our code only (in-process, no AWS call):");
    summary("cart-add refused (event in → response out)", samples);
}

/// Release binary sizes and exec → first answer for each `(binary, handler)`, the first being
/// hello-world, the baseline of the ratios.
async fn cold_starts(release: &str, bins: &[(&str, &str)]) {
    println!("Release binaries (the release profile of Cargo.toml, stripped):");
    for (b, _) in bins {
        let size = std::fs::metadata(format!("{release}/{b}"))
            .map(|m| m.len())
            .unwrap_or(0);
        println!("  {b:<14} {:>6.2} MB", size as f64 / 1e6);
    }

    println!("\nexec → first invocation answered (fake Runtime API, median of {RUNS}):");
    let authorizer_event = include_str!("../../events/AuthAuthorizerFunction.json").to_string();
    let wallet_event = include_str!("../../events/BillingWalletGetFunction.json").to_string();
    let sqs_event = r#"{"Records":[]}"#.to_string();
    // An authorized route's sample with a body the handler refuses before any AWS call.
    let refused_body = |sample: &str, body: &str| {
        let mut event: serde_json::Value = serde_json::from_str(sample).expect("sample event");
        event["body"] = body.into();
        event.to_string()
    };
    let cart_event = refused_body(include_str!("../../events/OrderCartAddFunction.json"), "{}");
    let code_event = refused_body(
        include_str!("../../events/PaymentGiftCardActivateFunction.json"),
        r#"{"code":""}"#,
    );
    let options_event = include_str!("../../events/DeliveryOptionsFunction.json").to_string();
    let mut hello = Duration::ZERO;
    for (b, handler) in bins {
        let event = match *b {
            "auth" => &authorizer_event,
            "billing" => &wallet_event,
            "notification" | "store" => &sqs_event,
            "order" => &cart_event,
            "delivery" => &options_event,
            "payment" => &code_event,
            _ => "{}",
        };
        let mut runs = Vec::new();
        for _ in 0..RUNS {
            runs.push(cold_start(&format!("{release}/{b}"), handler, event).await);
        }
        runs.sort();
        let median = runs[RUNS / 2];
        if *b == "hello" {
            hello = median;
        }
        println!(
            "  {b:<14} ({handler:<15}) {:>7.2} ms   ×{:.2} of hello-world",
            median.as_secs_f64() * 1e3,
            median.as_secs_f64() / hello.as_secs_f64()
        );
    }
}

#[tokio::main]
async fn main() {
    // `vitrina-bench orders`: only the payments and the order's cost, against a running stack.
    if std::env::args().nth(1).as_deref() == Some("orders") {
        let base = std::env::var("VITRINA_URL").expect("VITRINA_URL: a running local stack");
        payment_bench(&base).await;
        order_cost_bench(&base).await;
        return;
    }
    let release = std::env::var("RELEASE_DIR").unwrap_or_else(|_| "target/release".into());
    // One handler per service binary. All but billing's answer without an AWS call (bad input
    // or an empty batch), so what is timed is process start, the service's start-up and the
    // runtime's first round trip; billing's wallet read goes to the bench's local AWS.
    let bins = [
        ("hello", "echo"),
        ("auth", "authorizer"),
        ("billing", "wallet-get"),
        ("notification", "user-registered"),
        ("store", "index-rebuild"),
        ("order", "cart-add"),
        ("delivery", "options"),
        ("payment", "gift-card-activate"),
    ];
    cold_starts(&release, &bins).await;
    if std::env::args().nth(1).as_deref() == Some("cold-start") {
        return;
    }
    warm_overhead().await;
    search_bench();

    match std::env::var("AWS_ENDPOINT_URL_LAMBDA") {
        Ok(_) => cart_bench(&std::env::var("AWS_ENDPOINT_URL").expect("AWS_ENDPOINT_URL")).await,
        Err(_) => println!("\n(no local stack: cart requests and handler time skipped)"),
    }

    if let Ok(base) = std::env::var("VITRINA_URL") {
        println!("\nHandlers through the local runtime over HTTP (emulator included):");
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap();
        let prefix = uuid::Uuid::now_v7().simple().to_string()[20..].to_string();
        let register = timed(40, |i| {
            let (client, base, prefix) = (client.clone(), base.clone(), prefix.clone());
            async move {
                let body = format!(r#"{{"username":"b{prefix}{i}","password":"Bench-1234","email":"b{prefix}{i}@example.ru"}}"#);
                let r = client.post(format!("{base}/api/register")).header("content-type", "application/json").body(body).send().await.unwrap();
                assert_eq!(r.status(), 200);
            }
        })
        .await;
        summary("POST /api/register", register);
        let login = timed(40, |i| {
            let (client, base, prefix) = (client.clone(), base.clone(), prefix.clone());
            async move {
                let body = format!(r#"{{"username":"b{prefix}{i}","password":"Bench-1234"}}"#);
                let r = client
                    .post(format!("{base}/api/login"))
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 200);
            }
        })
        .await;
        summary("POST /api/login", login);
        let me = timed(200, |_| {
            let (client, base) = (client.clone(), base.clone());
            async move {
                let r = client.get(format!("{base}/api/me")).send().await.unwrap();
                assert_eq!(r.status(), 200);
            }
        })
        .await;
        summary("GET /api/me (authorizer + handler)", me);
        payment_bench(&base).await;
        order_cost_bench(&base).await;
    } else {
        println!("\n(VITRINA_URL not set: HTTP handler latency skipped)");
    }

    println!("\nThe same handlers' own CPU work in-process (emulator excluded):");
    let form = || RegistrationForm {
        username: Some("bench.user".into()),
        password: Some("Bench-1234".into()),
        email: Some("bench@example.ru".into()),
        phone: Some("+7 999 000-00-00".into()),
        ..Default::default()
    };
    let register_cpu = timed(40, |_| async {
        let user = form().validate().unwrap();
        password::hash(&user.password).unwrap();
    })
    .await;
    summary("register: validate + argon2id hash", register_cpu);
    let phc = password::hash("Bench-1234").unwrap();
    let login_cpu = timed(40, |_| async {
        assert!(password::verify("Bench-1234", &phc));
        session::token_hash(&session::new_token()).unwrap();
    })
    .await;
    summary("login: argon2id verify + new session token", login_cpu);
    let token = session::new_token();
    let authorize_cpu = timed(10_000, |_| async {
        session::token_hash(&token).unwrap();
    })
    .await;
    summary("authorize: decode + SHA-256 of the token", authorize_cpu);
}

/// List prices (USD, us-east-1, arm64 Lambda; on-demand DynamoDB at its Nov 2024 price) used
/// for an order's AWS bill. Rounded as AWS publishes them; the bill is an estimate from counted
/// requests, not a quote.
mod price {
    pub const HTTP_API_PER_MILLION: f64 = 1.00;
    pub const LAMBDA_REQUESTS_PER_MILLION: f64 = 0.20;
    pub const LAMBDA_GB_SECOND_ARM: f64 = 0.000_013_333_4;
    /// `MemorySize` of the template's Globals.
    pub const LAMBDA_GB: f64 = 0.25;
    pub const DYNAMODB_WRITE_UNITS_PER_MILLION: f64 = 0.625;
    pub const DYNAMODB_READ_UNITS_PER_MILLION: f64 = 0.125;
    pub const SQS_REQUESTS_PER_MILLION: f64 = 0.40;
    pub const SES_PER_THOUSAND: f64 = 0.10;
    pub const STANDARD_PER_THOUSAND_TRANSITIONS: f64 = 0.025;
    pub const EXPRESS_REQUESTS_PER_MILLION: f64 = 1.00;
    pub const EXPRESS_GB_SECOND: f64 = 0.000_016_67;
    /// Express bills memory in 64 MB steps; the saga's state is a few KB.
    pub const EXPRESS_GB: f64 = 0.0625;
}

async fn json_of(http: &reqwest::Client, url: &str) -> serde_json::Value {
    http.get(url)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{url}: {e}"))
        .json()
        .await
        .unwrap_or_else(|e| panic!("{url}: {e}"))
}

/// What the local platform counted: AWS requests by action, and function invocations with
/// their time.
async fn usage(http: &reqwest::Client, aws: &str, base: &str) -> (Counts, Counts, Counts) {
    let requests: Counts =
        serde_json::from_value(json_of(http, &format!("{aws}/_vitrina/requests")).await)
            .expect("request counts");
    let invocations = json_of(http, &format!("{base}/_local/invocations")).await;
    let (mut count, mut millis) = (Counts::new(), Counts::new());
    for (f, v) in invocations.as_object().expect("invocations") {
        count.insert(f.clone(), v["count"].as_u64().unwrap_or(0));
        millis.insert(f.clone(), v["millis"].as_u64().unwrap_or(0));
    }
    (requests, count, millis)
}

/// One path of an order through the saga, and what it cost.
struct OrderPath {
    name: &'static str,
    api_requests: u64,
    requests: Counts,
    invocations: u64,
    lambda_millis: u64,
    transitions: u64,
    saga_seconds: f64,
}

impl OrderPath {
    fn sum(&self, prefix: &str, actions: &[&str]) -> u64 {
        actions
            .iter()
            .map(|a| {
                self.requests
                    .get(&format!("{prefix}{a}"))
                    .copied()
                    .unwrap_or(0)
            })
            .sum()
    }

    /// USD per order: each service's share.
    fn bill(&self) -> Vec<(&'static str, f64)> {
        use price::*;
        let ddb = "DynamoDB_20120810.";
        let reads = self.sum(ddb, &["GetItem", "Query", "BatchGetItem", "Scan"])
            + 2 * self.sum(ddb, &["TransactGetItems"]);
        // A transaction's item costs two write units; counted per request (at least one item).
        let writes = self.sum(
            ddb,
            &["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"],
        ) + 2 * self.sum(ddb, &["TransactWriteItems"]);
        // Each message is sent, received and deleted: three requests.
        let messages = self.sum("AmazonSQS.", &["SendMessage", "SendMessageBatch"]);
        let emails = self
            .requests
            .get("POST /v2/email/outbound-emails")
            .copied()
            .unwrap_or(0);
        vec![
            (
                "API Gateway",
                self.api_requests as f64 * HTTP_API_PER_MILLION / 1e6,
            ),
            (
                "Lambda",
                self.invocations as f64 * LAMBDA_REQUESTS_PER_MILLION / 1e6
                    + self.lambda_millis as f64 / 1000.0 * LAMBDA_GB * LAMBDA_GB_SECOND_ARM,
            ),
            (
                "DynamoDB",
                writes as f64 * DYNAMODB_WRITE_UNITS_PER_MILLION / 1e6
                    + reads as f64 * DYNAMODB_READ_UNITS_PER_MILLION / 1e6,
            ),
            (
                "SQS",
                3.0 * messages as f64 * SQS_REQUESTS_PER_MILLION / 1e6,
            ),
            (
                "Step Functions (Standard)",
                self.transitions as f64 * STANDARD_PER_THOUSAND_TRANSITIONS / 1000.0,
            ),
            ("SES", emails as f64 * SES_PER_THOUSAND / 1000.0),
        ]
    }

    fn express(&self) -> f64 {
        use price::*;
        EXPRESS_REQUESTS_PER_MILLION / 1e6
            + EXPRESS_GB * (self.saga_seconds * 10.0).ceil() / 10.0 * EXPRESS_GB_SECOND
    }
}

/// The saga's executions for the order (forward, and the client's cancellation), once they end:
/// their state transitions (what Standard bills) and how long they ran.
async fn saga_of(sfn: &aws_sdk_sfn::Client, names: &[String]) -> (u64, f64) {
    let machines = sfn
        .list_state_machines()
        .send()
        .await
        .expect("state machines");
    let machine = machines
        .state_machines()
        .iter()
        .find(|m| m.name().contains("OrderSaga"))
        .expect("the order saga")
        .state_machine_arn()
        .to_string();
    let (mut transitions, mut seconds) = (0, 0.0);
    for name in names {
        let arn = format!(
            "{}:{name}",
            machine.replacen(":stateMachine:", ":execution:", 1)
        );
        let mut described = None;
        for _ in 0..600 {
            let d = sfn
                .describe_execution()
                .execution_arn(&arn)
                .send()
                .await
                .ok();
            if d.as_ref().is_some_and(|d| d.stop_date().is_some()) {
                described = d;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let d = described.unwrap_or_else(|| panic!("execution {name} never ended"));
        if let (start, Some(stop)) = (d.start_date(), d.stop_date()) {
            seconds += (stop.as_nanos() - start.as_nanos()) as f64 / 1e9;
        }
        let history = sfn
            .get_execution_history()
            .execution_arn(&arn)
            .max_results(1000)
            .send()
            .await
            .expect("history");
        transitions += history
            .events()
            .iter()
            .filter(|e| e.r#type().as_str().ends_with("StateEntered"))
            .count() as u64;
    }
    (transitions, seconds)
}

/// Issue #10 «Cost»: real orders through the local stack — the happy path, the client's
/// cancellation, the compensation when stock vanished — with every request their code made
/// counted where it arrived; printed as an order's AWS bill and the saga's cost per 1 000 000
/// orders, Standard against Express.
async fn order_cost_bench(base: &str) {
    let aws = std::env::var("AWS_ENDPOINT_URL").expect("AWS_ENDPOINT_URL");
    let lambda = std::env::var("VITRINA_LAMBDA_URL").expect("VITRINA_LAMBDA_URL");
    let clients = vitrina_shared::aws::Clients::from_env().await;
    let plain = reqwest::Client::new();
    let mut paths = Vec::new();
    for (name, product) in [
        ("handed to delivery", "p-000005"),
        ("cancelled by the client, refunded", "p-000005"),
        ("stock vanished: compensated, refunded", "p-000006"),
    ] {
        let client = bench_client(base).await;
        let post = |path: &str, body: serde_json::Value| {
            client
                .post(format!("{base}{path}"))
                .header("content-type", "application/json")
                .body(body.to_string())
        };
        credit_wallet(&client, base, &lambda).await;
        // The registration's own work (the welcome letter, the wallet) settles first: it is
        // not the order's.
        tokio::time::sleep(Duration::from_secs(5)).await;
        let before = usage(&plain, &aws, base).await;
        // What the web client asks for on the way: the cart, delivery, the order, the methods,
        // the payment and «Оплатить», then the order's page.
        let mut api_requests = 0;
        let order_id = place_order(&client, product).await;
        client.get(format!("{base}/api/cart")).send().await.unwrap();
        api_requests += 4;
        if name.starts_with("stock vanished") {
            // The client paid after the hold of «Оплатить заказ» lapsed (the bench's stack
            // holds for 3 s), and meanwhile the pickup point's store sold its units.
            let case = format!("PICKING#{order_id}");
            for _ in 0..100 {
                let item = clients
                    .dynamodb
                    .get_item()
                    .table_name("vitrina-Table")
                    .key(
                        "PK",
                        aws_sdk_dynamodb::types::AttributeValue::S(case.clone()),
                    )
                    .key(
                        "SK",
                        aws_sdk_dynamodb::types::AttributeValue::S("CASE".into()),
                    )
                    .send()
                    .await
                    .ok()
                    .and_then(|out| out.item);
                let status = item
                    .as_ref()
                    .and_then(|i| i.get("status"))
                    .and_then(|v| v.as_s().ok())
                    .cloned();
                if status.as_deref() == Some("lapsed") {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            // A stocktaking of the store's shelves: what every operator's count goes through.
            sold_out(product, "msk-tverskaya");
        }
        client
            .get(format!("{base}/api/payment-methods"))
            .send()
            .await
            .unwrap();
        client
            .get(format!("{base}/api/wallet"))
            .send()
            .await
            .unwrap();
        let payment = post(
            "/api/payments",
            serde_json::json!({"orderId": order_id, "method": "wallet"}),
        )
        .header("idempotency-key", uuid::Uuid::now_v7().to_string())
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
        let id = payment["paymentId"].as_str().expect("payment").to_string();
        post(
            &format!("/api/payments/{id}/confirm"),
            serde_json::json!({}),
        )
        .send()
        .await
        .unwrap();
        client
            .get(format!("{base}/api/orders/{order_id}"))
            .send()
            .await
            .unwrap();
        api_requests += 5;
        let mut executions = vec![order_id.clone()];
        if name.starts_with("cancelled") {
            saga_of(&clients.sfn, &executions).await;
            post(
                &format!("/api/orders/{order_id}/cancel"),
                serde_json::json!({}),
            )
            .send()
            .await
            .unwrap();
            api_requests += 1;
            executions.push(format!("{order_id}-cancel"));
        }
        let (transitions, saga_seconds) = saga_of(&clients.sfn, &executions).await;
        // The letters and the outcome consumers finish moments after the saga.
        tokio::time::sleep(Duration::from_secs(3)).await;
        let after = usage(&plain, &aws, base).await;
        paths.push(OrderPath {
            name,
            api_requests,
            requests: difference(&after.0, &before.0),
            invocations: difference(&after.1, &before.1).values().sum(),
            lambda_millis: difference(&after.2, &before.2).values().sum(),
            transitions,
            saga_seconds,
        });
    }
    println!("\nAn order's AWS bill (wallet payment, pickup; every request counted on the local stack; USD per 1 000 000 orders at list prices):");
    for p in &paths {
        let bill = p.bill();
        let total: f64 = bill.iter().map(|(_, usd)| usd).sum();
        let parts: Vec<String> = bill
            .iter()
            .map(|(what, usd)| format!("{what} {:.0}", usd * 1e6))
            .collect();
        println!(
            "  {:<40} {:>6.0} ({}); {} API requests, {} invocations, {} transitions",
            p.name,
            total * 1e6,
            parts.join(", "),
            p.api_requests,
            p.invocations,
            p.transitions
        );
    }
    println!("The saga alone per 1 000 000 orders, Standard (as deployed) against Express:");
    for p in &paths {
        println!(
            "  {:<40} Standard {:>5.0} USD ({} transitions), Express {:>5.2} USD ({:.1} s a run here)",
            p.name,
            p.transitions as f64 * price::STANDARD_PER_THOUSAND_TRANSITIONS / 1000.0 * 1e6,
            p.transitions,
            p.express() * 1e6,
            p.saga_seconds
        );
    }
}
