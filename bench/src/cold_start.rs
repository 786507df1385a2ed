//! Cold starts: each binary started against a fake Lambda Runtime API and timed until it
//! posts its first response (what the Lambda sandbox sees), against hello-world; and the
//! warm overhead of the runtime per request.

use super::*;
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

pub(crate) struct FakeRuntime {
    event: String,
    done: Mutex<Option<mpsc::Sender<()>>>,
}

pub(crate) async fn next(State(rt): State<Arc<FakeRuntime>>) -> (HeaderMap, String) {
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

pub(crate) async fn answered(
    State(rt): State<Arc<FakeRuntime>>,
    Path(_id): Path<String>,
) -> &'static str {
    if let Some(tx) = rt.done.lock().await.take() {
        let _ = tx.send(()).await;
    }
    "{}"
}

/// Starts `binary` with `handler` against a fake Runtime API; time until its first answer.
pub(crate) async fn cold_start(binary: &str, handler: &str, event: &str) -> Duration {
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

/// Our code's share of a warm request: the runtime's event decoding, the route's wrapper, the
/// handler and the response, for a cart-add that the handler refuses before any AWS call (so
/// no emulator time is in it), invoked in-process as the Lambda runtime would.
pub(crate) async fn warm_overhead() {
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
pub(crate) async fn cold_starts(release: &str, bins: &[(&str, &str)]) {
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
