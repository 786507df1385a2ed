//! The cart: DynamoDB requests per add and per read, counted where they arrive, and the
//! handler time with its AWS calls.

use super::*;
use std::time::Instant;

pub(crate) type Counts = std::collections::BTreeMap<String, u64>;

pub(crate) async fn dynamodb_requests(http: &reqwest::Client, aws: &str) -> Counts {
    http.get(format!("{aws}/_vitrina/dynamodb-requests"))
        .send()
        .await
        .expect("the local AWS answers its request counter")
        .json()
        .await
        .expect("counter JSON")
}

pub(crate) fn difference(after: &Counts, before: &Counts) -> Counts {
    after
        .iter()
        .map(|(k, v)| (k.clone(), v - before.get(k).copied().unwrap_or(0)))
        .filter(|(_, v)| *v > 0)
        .collect()
}

pub(crate) fn show(counts: &Counts) -> String {
    let total: u64 = counts.values().sum();
    let parts: Vec<String> = counts.iter().map(|(k, v)| format!("{k} {v}")).collect();
    format!("{total} ({})", parts.join(", "))
}

/// An API Gateway v2 event for an order route, as the authorizer would have passed it.
pub(crate) fn cart_event(
    method: &str,
    path: &str,
    user_id: &str,
    body: Option<String>,
) -> serde_json::Value {
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

pub(crate) async fn cart_bench(aws: &str) {
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
pub(crate) fn sold_out(product: &str, store: &str) {
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
