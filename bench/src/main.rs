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

use vitrina_auth::domain::{password, registration::RegistrationForm, session};

const RUNS: usize = 15;

mod cart;
mod cold_start;
mod orders;
mod payments;
mod search;
mod stats;

use cart::*;
use cold_start::*;
use orders::*;
use payments::*;
use search::*;
use stats::*;

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
