//! An order's AWS bill by path through the saga, Standard against Express.

use super::*;
use std::time::Duration;

/// List prices (USD, us-east-1, arm64 Lambda; on-demand DynamoDB at its Nov 2024 price) used
/// for an order's AWS bill. Rounded as AWS publishes them; the bill is an estimate from counted
/// requests, not a quote.
pub(crate) mod price {
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

pub(crate) async fn json_of(http: &reqwest::Client, url: &str) -> serde_json::Value {
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
pub(crate) async fn usage(
    http: &reqwest::Client,
    aws: &str,
    base: &str,
) -> (Counts, Counts, Counts) {
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
pub(crate) struct OrderPath {
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
pub(crate) async fn saga_of(sfn: &aws_sdk_sfn::Client, names: &[String]) -> (u64, f64) {
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
pub(crate) async fn order_cost_bench(base: &str) {
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
        credit_wallet(&client, base, &lambda).await;
        // The registration's own work (the welcome letter, the wallet) settles first: it is
        // not the order's.
        tokio::time::sleep(Duration::from_secs(5)).await;
        let before = usage(&plain, &aws, base).await;
        // What the web client asks for on the way: the cart, delivery, the order, the methods,
        // the payment and «Оплатить», then the order's page.
        let mut api_requests = 0;
        let order_id = place_order(&client, product).await;
        client.cart().await;
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
        client.payment_methods().await;
        client.wallet().await;
        let key = uuid::Uuid::now_v7().to_string();
        let payment = client
            .start_payment(
                &key,
                &serde_json::json!({"orderId": order_id, "method": "wallet"}),
            )
            .await
            .body;
        let id = payment["paymentId"].as_str().expect("payment").to_string();
        client.confirm_payment(&id).await;
        client.order(&order_id).await;
        api_requests += 5;
        let mut executions = vec![order_id.clone()];
        if name.starts_with("cancelled") {
            saga_of(&clients.sfn, &executions).await;
            client.cancel_order(&order_id).await;
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
