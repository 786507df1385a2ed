//! Helpers for the emulator-backed tests. Every address comes from the environment, so the same
//! tests run against the local stack (`make test` sets these), LocalStack or a deployed stack:
//! - `VITRINA_URL`: the shop's origin (the HTTP API behind `/api`), default http://127.0.0.1:3000
//! - `VITRINA_LAMBDA_URL`: a Lambda Invoke API (the local runtime's, or LocalStack's); the tests
//!   that need it fail with a clear message without it, they never pass by skipping
//! - `AWS_ENDPOINT_URL`: the AWS APIs (moto by default); unset means real AWS
//! - `VITRINA_RESOURCE_PREFIX` (default `vitrina-`) or `VITRINA_TABLE_NAME` etc.: physical names

use serde_json::Value;
use std::{future::Future, time::Duration};

pub mod shop;
pub mod sso;
pub use shop::Shop;

pub fn base_url() -> String {
    std::env::var("VITRINA_URL").unwrap_or_else(|_| "http://127.0.0.1:3000".into())
}

/// The Lambda Invoke API. A test that needs it and cannot have it fails: a skipped check must
/// never be reported as a passed one.
pub fn lambda_url() -> String {
    std::env::var("VITRINA_LAMBDA_URL")
        .ok()
        .filter(|v| !v.is_empty())
        .expect("VITRINA_LAMBDA_URL is not set: this test invokes functions directly (make test sets it)")
}

/// The physical name of a template resource: `VITRINA_<LOGICAL_ID>_NAME` if set, else the
/// local runtime's naming (`vitrina-<LogicalId>`).
pub fn resource_name(logical_id: &str) -> String {
    let var = format!("VITRINA_{}_NAME", logical_id.to_uppercase());
    std::env::var(var).unwrap_or_else(|_| {
        format!(
            "{}{logical_id}",
            std::env::var("VITRINA_RESOURCE_PREFIX").unwrap_or_else(|_| "vitrina-".into())
        )
    })
}

pub fn unique(prefix: &str) -> String {
    let id = uuid::Uuid::now_v7().simple().to_string();
    format!("{prefix}{}", &id[id.len() - 12..])
}

/// A browser-like client: keeps cookies between requests.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("http client")
}

pub async fn clients() -> vitrina_shared::aws::Clients {
    vitrina_shared::aws::Clients::from_env().await
}

pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub set_cookies: Vec<String>,
}

pub async fn call(client: &reqwest::Client, method: &str, path: &str, body: Option<&str>) -> Reply {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut req = client.request(method, format!("{}{path}", base_url()));
    if let Some(b) = body {
        req = req
            .header("content-type", "application/json")
            .body(b.to_string());
    }
    reply(req.send().await.expect("request")).await
}

/// An HTTP answer as the tests read it: its status, its body as JSON (or the text as a string)
/// and the cookies it sets.
pub(crate) async fn reply(resp: reqwest::Response) -> Reply {
    let status = resp.status().as_u16();
    let set_cookies = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_string))
        .collect();
    let text = resp.text().await.unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Reply {
        status,
        body,
        set_cookies,
    }
}

#[derive(Clone)]
pub struct NewUser {
    pub username: String,
    pub password: String,
    pub email: String,
}

/// Registers a fresh user through `POST /api/register`.
pub async fn register(client: &reqwest::Client) -> NewUser {
    let username = unique("u");
    let user = NewUser {
        email: format!("{username}@example.ru"),
        password: "Secret-123".into(),
        username,
    };
    let body = serde_json::json!({
        "username": user.username, "password": user.password, "email": user.email,
        "firstName": "Иван", "lastName": "Петров", "phone": "+7 999 123-45-67",
    });
    let r = call(client, "POST", "/api/register", Some(&body.to_string())).await;
    assert_eq!(r.status, 200, "register: {}", r.body);
    user
}

pub async fn login(client: &reqwest::Client, user: &NewUser) -> Reply {
    let body = serde_json::json!({"username": user.username, "password": user.password});
    call(client, "POST", "/api/login", Some(&body.to_string())).await
}

/// Polls `probe` until it yields a value or `timeout` passes (asynchronous flows: SQS, SES).
pub async fn eventually<T, F, Fut>(timeout: Duration, mut probe: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Some(v) = probe().await {
            return Some(v);
        }
        if tokio::time::Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Sent e-mails as the local mailbox lists them (local runtime only).
pub async fn mailbox() -> Vec<Value> {
    let r = reqwest::get(format!("{}/_local/mail.json", base_url()))
        .await
        .expect("mailbox");
    r.json().await.unwrap_or_default()
}

/// The text messages the shop sent through SNS, newest first (`/_local/sms.json`):
/// `{phone_number, message}`.
pub async fn texts() -> Vec<Value> {
    let r = reqwest::get(format!("{}/_local/sms.json", base_url()))
        .await
        .expect("texts");
    r.json().await.unwrap_or_default()
}

pub fn mail_to<'a>(mail: &'a [Value], address: &str) -> Vec<&'a Value> {
    mail.iter()
        .filter(|m| {
            m["destinations"]["ToAddresses"]
                .as_array()
                .is_some_and(|a| a.iter().any(|x| x.as_str() == Some(address)))
        })
        .collect()
}

/// Waits, if need be, until at least `margin` seconds remain of the current fixed window of
/// `window_seconds` (the rate limits count per 15-minute window), so that every call of a test
/// lands in one window instead of straddling its boundary.
pub async fn clear_of_window_edge(window_seconds: i64, margin: i64) {
    let now = epoch_seconds();
    let left = window_seconds - now % window_seconds;
    if left < margin {
        tokio::time::sleep(Duration::from_secs((left + 1) as u64)).await;
    }
}

/// A DynamoDB string attribute.
pub fn n(v: i64) -> aws_sdk_dynamodb::types::AttributeValue {
    aws_sdk_dynamodb::types::AttributeValue::N(v.to_string())
}

pub fn s(v: impl Into<String>) -> aws_sdk_dynamodb::types::AttributeValue {
    aws_sdk_dynamodb::types::AttributeValue::S(v.into())
}

/// One item of the table by its key, read strongly consistently.
pub async fn table_item(
    pk: &str,
    sk: &str,
) -> Option<std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>> {
    clients()
        .await
        .dynamodb
        .get_item()
        .table_name(resource_name("Table"))
        .key("PK", s(pk))
        .key("SK", s(sk))
        .consistent_read(true)
        .send()
        .await
        .expect("get item")
        .item
}

/// Another order's place in an own-courier window of Moscow, written as delivery writes it (held
/// for an hour, or paid): how a test fills a window. Its order id.
pub async fn window_taken_by_another(window: &str, confirmed: bool) -> String {
    let other = uuid::Uuid::now_v7().to_string();
    put_item(vec![
        ("PK", s("SLOTS#0")),
        ("SK", s(format!("{window}#{other}"))),
        ("orderId", s(other.clone())),
        ("zone", n(0)),
        ("windowId", s(window)),
        ("expiresAt", n(epoch_seconds() + 3_600)),
        (
            "confirmed",
            aws_sdk_dynamodb::types::AttributeValue::Bool(confirmed),
        ),
        ("ttl", n(epoch_seconds() + 86_400)),
    ])
    .await;
    other
}

/// The count of places taken in an own-courier window of Moscow, as delivery keeps it.
pub async fn set_window_count(window: &str, held: i64) {
    put_item(vec![
        ("PK", s("SLOTS#0")),
        ("SK", s(window)),
        ("held", n(held)),
    ])
    .await;
}

/// Writes an item into the table as its service would.
pub async fn put_item(item: Vec<(&str, aws_sdk_dynamodb::types::AttributeValue)>) {
    let mut put = clients()
        .await
        .dynamodb
        .put_item()
        .table_name(resource_name("Table"));
    for (name, value) in item {
        put = put.item(name, value);
    }
    put.send().await.expect("an item written");
}

/// Sets numeric attributes of one existing item: how a test moves time (an expiry) or money
/// (a balance) that no API moves yet.
pub async fn set_numbers(pk: &str, sk: &str, values: &[(&str, i64)]) {
    let mut update = clients()
        .await
        .dynamodb
        .update_item()
        .table_name(resource_name("Table"))
        .key("PK", s(pk))
        .key("SK", s(sk))
        .condition_expression("attribute_exists(PK)");
    let mut sets = Vec::new();
    for (i, (name, value)) in values.iter().enumerate() {
        sets.push(format!("#n{i} = :v{i}"));
        update = update
            .expression_attribute_names(format!("#n{i}"), *name)
            .expression_attribute_values(
                format!(":v{i}"),
                aws_sdk_dynamodb::types::AttributeValue::N(value.to_string()),
            );
    }
    update
        .update_expression(format!("SET {}", sets.join(", ")))
        .send()
        .await
        .expect("update item");
}

/// The value of cookie `name` among `Set-Cookie` headers.
pub fn cookie_value(set_cookies: &[String], name: &str) -> Option<String> {
    set_cookies
        .iter()
        .filter_map(|c| c.split(';').next())
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A request that carries exactly this cookie header and no cookie jar.
pub async fn call_with_cookie(method: &str, path: &str, cookie: &str) -> Reply {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let resp = reqwest::Client::new()
        .request(method, format!("{}{path}", base_url()))
        .header("cookie", cookie)
        .send()
        .await
        .expect("request");
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap_or_default();
    Reply {
        status,
        body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
        set_cookies: Vec::new(),
    }
}

/// The operators' catalog import (`vitrina-catalog import FILE`), as built for the tests.
pub fn catalog_tool() -> std::process::Command {
    let target = std::env::var("CARGO_TARGET_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../target").to_string());
    let mut cmd = std::process::Command::new(format!("{target}/debug/vitrina-catalog"));
    cmd.arg("import");
    cmd
}

pub fn write_file(name: &str, lines: &[String]) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("{name}-{}.jsonl", unique("")));
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

pub fn product_row(id: &str, name: &str, price: i64) -> String {
    format!(
        r#"{{"type":"product","id":"{id}","name":"{name}","description":"Тестовый товар","category":"Дом и сад","brand":"Тест","price":{price}}}"#
    )
}

pub fn stock_row(id: &str, store: &str, quantity: i64) -> String {
    format!(r#"{{"type":"stock","productId":"{id}","storeId":"{store}","quantity":{quantity}}}"#)
}

/// Imports `lines` as a catalog file; panics with the tool's own words if it refuses.
pub fn import(name: &str, lines: &[String]) {
    let out = catalog_tool()
        .arg(write_file(name, lines))
        .output()
        .expect("run vitrina-catalog");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `count` new products of this test's own, each with 50 units in one store.
pub fn products_in_stock(count: usize, price: i64) -> Vec<String> {
    let ids: Vec<String> = (0..count).map(|_| unique("t-cart-")).collect();
    let mut rows = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        rows.push(product_row(id, &format!("Кружка тестовая {i}"), price));
        rows.push(stock_row(id, "msk-tverskaya", 50));
    }
    import("in-stock", &rows);
    ids
}

/// A made-up word of `len` Latin letters, new to the catalog: a product named with it is the
/// only one a search for it finds.
pub fn unique_word(len: usize) -> String {
    unique("")
        .chars()
        .filter(|c| c.is_ascii_lowercase())
        .take(len)
        .collect()
}

/// A registered user's id, from auth's username claim.
pub async fn user_id_of(username: &str) -> String {
    let claim = table_item(&format!("USERNAME#{}", username.to_lowercase()), "USERNAME")
        .await
        .expect("the user's username claim");
    claim["userId"].as_s().expect("userId").clone()
}

/// What the local runtime multiplies a function's `Timeout` by before it stops the function
/// (`VITRINA_TIMEOUT_SCALE`, 3 unless set; see local/src/lib.rs).
pub fn timeout_scale() -> u64 {
    std::env::var("VITRINA_TIMEOUT_SCALE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
}

/// Now, in seconds since the epoch (what the table's expiries count in).
pub fn epoch_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs() as i64
}

/// A contract's function as another service calls it (typed request, refusal by name), through
/// the Lambda Invoke API of `lambda_url()`.
pub async fn remote<C: vitrina_shared::contracts::Contract>(
    logical_id: &str,
) -> vitrina_shared::contracts::Remote<C> {
    let sdk = vitrina_shared::aws::sdk_config().await;
    let lambda = aws_sdk_lambda::Client::from_conf(
        aws_sdk_lambda::config::Builder::from(&sdk)
            .endpoint_url(lambda_url())
            .build(),
    );
    vitrina_shared::contracts::Remote::new(lambda, function_name(logical_id))
}

/// A function's name for the Invoke API: `VITRINA_<LOGICAL_ID>_NAME` if set (a deployed stack),
/// else the logical id, which is what the local runtime names functions (as `!Ref` resolves).
pub fn function_name(logical_id: &str) -> String {
    std::env::var(format!("VITRINA_{}_NAME", logical_id.to_uppercase()))
        .unwrap_or_else(|_| logical_id.to_string())
}

/// A newly registered client whose wallet billing has opened (it opens from `user.registered`,
/// asynchronously); answers the client's id.
pub async fn client_with_wallet(client: &reqwest::Client) -> (NewUser, String) {
    let user = register(client).await;
    let user_id = user_id_of(&user.username).await;
    eventually(Duration::from_secs(15), || async {
        table_item(&format!("WALLET#{user_id}"), "WALLET").await
    })
    .await
    .expect("the wallet opens after registration");
    (user, user_id)
}

/// A queue of the template by its logical id.
pub async fn queue_url(sqs: &aws_sdk_sqs::Client, logical_id: &str) -> String {
    sqs.get_queue_url()
        .queue_name(resource_name(logical_id))
        .send()
        .await
        .expect("queue")
        .queue_url
        .expect("queue url")
}

/// A logged-in client with a cart of `lines` products of its own (in stock, one each at
/// `price` kopecks) and pickup chosen: ready for "Оплатить заказ".
pub async fn client_ready_to_order(lines: usize, price: i64) -> (Shop, NewUser, Vec<String>) {
    let ids = products_in_stock(lines, price);
    let (c, user) = client_with_cart(&ids).await;
    (c, user, ids)
}

/// A new client, logged in, with one of each of `ids` in the cart and pickup at the store on
/// Tverskaya chosen.
pub async fn client_with_cart(ids: &[String]) -> (Shop, NewUser) {
    let c = Shop::registered().await;
    for id in ids {
        let r = c.add_to_cart(id, 1).await;
        assert!(r.status == 200 || r.status == 201, "{}", r.body);
    }
    let r = c.pick_up_at("msk-tverskaya").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let user = c.user().clone();
    (c, user)
}

/// The bank sandbox (`VITRINA_BANK_URL`); the tests that need it fail without it.
pub fn bank_url() -> String {
    std::env::var("VITRINA_BANK_URL").expect(
        "VITRINA_BANK_URL: the bank sandbox's address (make test starts it; see scripts/stack.sh)",
    )
}

/// The payer's browser: follows nothing on its own, so the test sees each redirect.
pub fn payer_browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// Types the card on the hosted page (and the 3-D Secure code when asked); answers where the
/// browser was sent at the end.
pub async fn pay_on_bank_page(confirmation_url: &str, number: &str, code: Option<&str>) -> String {
    let b = payer_browser();
    let page = b.get(confirmation_url).send().await.unwrap();
    assert_eq!(page.status(), reqwest::StatusCode::OK);
    let html = page.text().await.unwrap();
    for label in ["Номер карты", "Срок действия (ММ/ГГ)", "CVC"] {
        assert!(html.contains(label), "the card page asks for {label}");
    }
    let r = b
        .post(confirmation_url)
        .form(&[("number", number), ("expiry", "12/30"), ("cvc", "123")])
        .send()
        .await
        .unwrap();
    assert!(r.status().is_redirection(), "{}", r.status());
    let mut location = r.headers()["location"].to_str().unwrap().to_string();
    if location.ends_with("/3ds") {
        let three_ds = format!("{}{location}", bank_url());
        let page = b.get(&three_ds).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Код из SMS"), "{page}");
        let r = b
            .post(&three_ds)
            .form(&[("code", code.expect("this card asks for a 3-D Secure code"))])
            .send()
            .await
            .unwrap();
        assert!(r.status().is_redirection(), "{}", r.status());
        location = r.headers()["location"].to_str().unwrap().to_string();
    }
    location
}

/// Gift cards issued by the operators' tool (`vitrina-giftcards issue`): their codes.
pub fn issue_gift_cards(rubles: i64, count: usize) -> Vec<String> {
    let target = std::env::var("CARGO_TARGET_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../target").to_string());
    let out = std::process::Command::new(format!("{target}/debug/vitrina-giftcards"))
        .args([
            "issue",
            "--amount",
            &rubles.to_string(),
            "--count",
            &count.to_string(),
        ])
        .output()
        .expect("run vitrina-giftcards");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let codes: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(codes.len(), count);
    codes
}

/// The shop's credentials at the bank (`VITRINA_BANK_SHOP_ID`, `VITRINA_BANK_SECRET_KEY`; the
/// sandbox's by default, as the local runtime gives them to payment): reading the bank's own
/// record of a payment against a real account needs the real ones.
pub fn bank_credentials() -> (String, String) {
    let var = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.into());
    (
        var("VITRINA_BANK_SHOP_ID", "sandbox-shop"),
        var("VITRINA_BANK_SECRET_KEY", "test_sandbox_secret"),
    )
}

/// The bank sandbox's own record of a shop payment (`GET /v3/payments/{id}` with the sandbox's
/// credentials), found through the bank id payment stored.
pub async fn bank_record_of(payment_id: &str) -> Value {
    let bank_id = table_item(&format!("PAYMENT#{payment_id}"), "PAYMENT")
        .await
        .expect("the payment's item")["bankPaymentId"]
        .as_s()
        .expect("a bank payment id")
        .clone();
    let (shop, secret) = bank_credentials();
    payer_browser()
        .get(format!("{}/v3/payments/{bank_id}", bank_url()))
        .basic_auth(shop, Some(secret))
        .send()
        .await
        .expect("the bank sandbox answers")
        .json()
        .await
        .expect("a payment")
}

/// A client with one product ordered («Оплатить заказ» pressed): the order awaits payment.
pub async fn placed_order(price: i64) -> (Shop, NewUser, String) {
    let (c, user, _) = client_ready_to_order(1, price).await;
    let r = c.place_order().await;
    assert_eq!(r.status, 201, "{}", r.body);
    (
        c,
        user,
        r.body["orderId"].as_str().expect("orderId").to_string(),
    )
}

/// `POST /api/payments` with the client's Idempotency-Key.
pub async fn start_payment(client: &reqwest::Client, key: &str, body: Value) -> Reply {
    let r = client
        .post(format!("{}/api/payments", base_url()))
        .header("content-type", "application/json")
        .header("idempotency-key", key)
        .body(body.to_string())
        .send()
        .await
        .expect("request");
    reply(r).await
}

/// Whether an order has been paid, whatever the order saga has done with it since (it moves a
/// paid order on within seconds).
pub fn is_paid(order: &Value) -> bool {
    order["status"].as_str().is_some_and(is_paid_status)
}

/// Whether an order's status (as the API and the table write it) is one of a paid goods order,
/// whatever the saga and delivery have done with it since — order's own rule
/// (`OrderStatus::is_paid`), not a copy of it.
pub fn is_paid_status(status: &str) -> bool {
    status
        .parse::<vitrina_shared::contracts::order::OrderStatus>()
        .is_ok_and(|s| s.is_paid())
}

/// Puts `kopecks` on the client's wallet through billing's own credit (a top-up of the test's).
pub async fn credit_wallet(user: &NewUser, kopecks: i64) {
    use vitrina_shared::contracts::billing::{CreditWallet, WalletMove};
    let user_id = user_id_of(&user.username).await;
    eventually(Duration::from_secs(15), || async {
        table_item(&format!("WALLET#{user_id}"), "WALLET").await
    })
    .await
    .expect("wallet");
    remote::<CreditWallet>("BillingWalletCreditFunction")
        .await
        .call(&WalletMove {
            user_id,
            amount: kopecks,
            cause: unique("test-topup:"),
            description: "test".into(),
        })
        .await
        .expect("the wallet is credited");
}

/// Makes the local AWS refuse the next `times` requests to `path` whose body holds `contains`.
pub async fn inject_fault(path: &str, contains: &str, times: u32) {
    inject(serde_json::json!({"path": path, "contains": contains, "times": times})).await;
}

/// Any fault the local AWS plays (`local/python/moto_launcher.py`): besides `path`, `contains`
/// and `times`, `principal` (the calling function's logical id), `target` (the API action) and
/// `lateMs` (carry the request out, answer that much later).
pub async fn inject(fault: Value) {
    let aws = std::env::var("AWS_ENDPOINT_URL").expect("AWS_ENDPOINT_URL: the local AWS");
    let r = reqwest::Client::new()
        .post(format!("{aws}/_vitrina/faults"))
        .json(&fault)
        .send()
        .await
        .expect("fault injection");
    assert!(r.status().is_success());
}

/// How many refusals are still waiting for requests holding `contains`.
pub async fn faults_left(contains: &str) -> u64 {
    let aws = std::env::var("AWS_ENDPOINT_URL").expect("AWS_ENDPOINT_URL: the local AWS");
    let faults: Value = reqwest::get(format!("{aws}/_vitrina/faults"))
        .await
        .expect("the local AWS answers")
        .json()
        .await
        .expect("the faults as JSON");
    faults
        .as_array()
        .expect("a list of faults")
        .iter()
        .filter(|f| f["contains"] == contains)
        .filter_map(|f| f["times"].as_u64())
        .sum()
}

/// Waits until the queue `logical_id` holds nothing, neither waiting nor in flight (up to
/// `within`): every message sent to it so far, a redelivery included, has been handled. A test
/// counts what a consumer did ("one letter") after this, not at the first sign of it. A message
/// whose handling failed stays in flight for the queue's visibility timeout, so it is `false`.
pub async fn queue_drained(logical_id: &str, within: Duration) -> bool {
    let sqs = clients().await.sqs;
    let url = queue_url(&sqs, logical_id).await;
    eventually(within, || async {
        (messages_in(&sqs, &url).await.ok()? == 0).then_some(())
    })
    .await
    .is_some()
}

/// Sends `body` to the queue `logical_id` `times` times, as a producer (or a redelivery) would.
pub async fn send_to_queue(sqs: &aws_sdk_sqs::Client, logical_id: &str, body: &str, times: usize) {
    let url = queue_url(sqs, logical_id).await;
    for _ in 0..times {
        sqs.send_message()
            .queue_url(&url)
            .message_body(body)
            .send()
            .await
            .expect("the message is sent");
    }
}

/// How many messages the queue at `url` holds, waiting or in flight (SQS's approximate counts).
pub async fn messages_in(sqs: &aws_sdk_sqs::Client, url: &str) -> Result<u64, String> {
    use aws_sdk_sqs::types::QueueAttributeName::{
        ApproximateNumberOfMessages, ApproximateNumberOfMessagesNotVisible,
    };
    let a = sqs
        .get_queue_attributes()
        .queue_url(url)
        .attribute_names(ApproximateNumberOfMessages)
        .attribute_names(ApproximateNumberOfMessagesNotVisible)
        .send()
        .await
        .map_err(|e| aws_sdk_sqs::error::DisplayErrorContext(e).to_string())?;
    Ok(a.attributes()
        .into_iter()
        .flatten()
        .filter_map(|(_, v)| v.parse::<u64>().ok())
        .sum())
}

/// `template.yaml`, parsed: what the tests check against the deployed shape.
pub fn template() -> serde_yaml::Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../template.yaml"))
        .expect("template.yaml");
    serde_yaml::from_str(&text).expect("the template parses")
}

/// Takes back the refusals still waiting for requests holding `contains` (a test that armed
/// more than it needed leaves none behind); answers how many were left.
pub async fn disarm_faults(contains: &str) -> u64 {
    let aws = std::env::var("AWS_ENDPOINT_URL").expect("AWS_ENDPOINT_URL: the local AWS");
    let r: Value = reqwest::Client::new()
        .post(format!("{aws}/_vitrina/faults/disarm"))
        .json(&serde_json::json!({ "contains": contains }))
        .send()
        .await
        .expect("the local AWS answers")
        .json()
        .await
        .expect("the disarmed count");
    r["disarmed"].as_u64().expect("a count")
}

/// Takes the operators' message that `mine` picks out of `SagaOperatorQueue` (waiting up to
/// `within`): received with a short visibility, so other tests' messages come back at once, and
/// deleted once found, so the queue never fills with old ones on a reused stack.
pub async fn take_operator_message(
    within: Duration,
    mine: impl Fn(&Value) -> bool,
) -> Option<Value> {
    let sqs = clients().await.sqs;
    let url = queue_url(&sqs, "SagaOperatorQueue").await;
    eventually(within, || async {
        let got = sqs
            .receive_message()
            .queue_url(&url)
            .max_number_of_messages(10)
            .visibility_timeout(1)
            .wait_time_seconds(1)
            .send()
            .await
            .ok()?;
        let (body, receipt) = got.messages().iter().find_map(|m| {
            let body: Value = serde_json::from_str(m.body()?).ok()?;
            mine(&body).then(|| (body, m.receipt_handle().map(str::to_string)))
        })?;
        sqs.delete_message()
            .queue_url(&url)
            .receipt_handle(receipt?)
            .send()
            .await
            .ok()?;
        Some(body)
    })
    .await
}

/// What the courier sandbox holds for an order (`/_local/couriers.json`): its bookings, oldest
/// first.
pub async fn courier_bookings(order_id: &str) -> Vec<serde_json::Value> {
    let all: Vec<serde_json::Value> = reqwest::get(format!("{}/_local/couriers.json", base_url()))
        .await
        .expect("the courier sandbox")
        .json()
        .await
        .expect("bookings");
    all.into_iter()
        .filter(|b| b["orderNumber"] == order_id)
        .collect()
}

/// The courier company drops a booking on its side (the sandbox's API, with the shop's token).
pub async fn courier_drops(booking_id: &str) {
    let token =
        std::env::var("VITRINA_COURIERS_TOKEN").unwrap_or_else(|_| "sandbox-courier-token".into());
    let r = reqwest::Client::new()
        .post(format!(
            "{}/_couriers/v1/bookings/{booking_id}/cancel",
            base_url()
        ))
        .bearer_auth(token)
        .send()
        .await
        .expect("the courier sandbox");
    assert!(r.status().is_success(), "{}", r.status());
}

/// Invokes `function` through the local runtime's Lambda API as another service or Step
/// Functions would: (HTTP status, `X-Amz-Function-Error`, the answer).
pub async fn invoke_lambda(
    function: &str,
    payload: &serde_json::Value,
) -> (u16, Option<String>, serde_json::Value) {
    let r = reqwest::Client::new()
        .post(format!(
            "{}/2015-03-31/functions/{function}/invocations",
            lambda_url()
        ))
        .body(payload.to_string())
        .send()
        .await
        .expect("invoke");
    let status = r.status().as_u16();
    let function_error = r
        .headers()
        .get("x-amz-function-error")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    (
        status,
        function_error,
        r.json().await.unwrap_or(serde_json::Value::Null),
    )
}

/// `GET /api/products?q=…` as anyone (search needs no session), the query URL-encoded.
pub async fn search(q: &str) -> Reply {
    let url = format!("/api/products?q={}", urlencode(q));
    call(&browser(), "GET", &url, None).await
}

pub(crate) fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A delay fault of the local AWS (`local/python/moto_launcher.py`): the next request matching
/// `fault` (`path`, `contains`, `target`, `principal`, `times` as for [`inject`]) is held before
/// it is carried out, until [`release_held`]. A test drives an interleaving with it: the held
/// request runs after whatever the test does meanwhile. Answers the fault's id.
pub async fn hold_requests(mut fault: Value) -> String {
    let id = unique("hold-");
    fault["id"] = Value::String(id.clone());
    fault["hold"] = Value::Bool(true);
    inject(fault).await;
    id
}

/// Holds the next DynamoDB request of `action` (`TransactWriteItems`, `GetItem`, …) that
/// `principal` (a function's logical id) sends with `contains` in its body, as
/// [`hold_requests`] does: the fault's id.
pub async fn hold_dynamodb(action: &str, principal: &str, contains: &str) -> String {
    hold_requests(serde_json::json!({
        "path": "/", "target": action, "contains": contains, "principal": principal,
    }))
    .await
}

/// Waits until a request is held by the delay fault `id` (the request got that far) — up to
/// 90 s, so a timer's request (the payment's hold time is 30 s in `make test`) gets there too.
pub async fn wait_until_held(id: &str) {
    wait_for_fault(id, "held", 1, Duration::from_secs(90)).await;
}

/// Waits until a request held by the delay fault `id` has been carried out after its wait.
pub async fn wait_until_done(id: &str) {
    wait_for_fault(id, "done", 1, Duration::from_secs(30)).await;
}

/// Waits until the delay fault `id` counts `at_least` requests in `field` (`held`, `done`): a
/// fault already released counts the requests it matched without holding them.
pub async fn wait_until_counted(id: &str, field: &str, at_least: u64) {
    wait_for_fault(id, field, at_least, Duration::from_secs(60)).await;
}

/// Waits until the delay fault `id` counts `at_least` requests in `field` (`held`, `done`).
async fn wait_for_fault(id: &str, field: &str, at_least: u64, patience: Duration) {
    let aws = std::env::var("AWS_ENDPOINT_URL").expect("AWS_ENDPOINT_URL: the local AWS");
    eventually(patience, || async {
        let faults: Value = reqwest::get(format!("{aws}/_vitrina/faults"))
            .await
            .ok()?
            .json()
            .await
            .ok()?;
        faults
            .as_array()?
            .iter()
            .any(|f| f["id"] == id && f[field].as_u64() >= Some(at_least))
            .then_some(())
    })
    .await
    .unwrap_or_else(|| panic!("the delay fault {id} never counted {at_least} requests {field}"));
}

/// A request sent in the background, as a second tab or a click the test does not wait for
/// (typically held by a delay fault meanwhile): its answer when awaited.
pub fn call_in_background(
    client: &reqwest::Client,
    method: &'static str,
    path: String,
) -> tokio::task::JoinHandle<Reply> {
    let client = client.clone();
    tokio::spawn(async move { call(&client, method, &path, None).await })
}

/// Lets the requests held by the delay fault `id` go on.
pub async fn release_held(id: &str) {
    let aws = std::env::var("AWS_ENDPOINT_URL").expect("AWS_ENDPOINT_URL: the local AWS");
    let r: Value = reqwest::Client::new()
        .post(format!("{aws}/_vitrina/faults/release"))
        .json(&serde_json::json!({ "id": id }))
        .send()
        .await
        .expect("the local AWS answers")
        .json()
        .await
        .expect("an answer");
    assert_eq!(r["released"], true, "the delay fault {id} exists");
}

/// The units of `product` on the shelves of `store`, as store keeps them.
pub async fn units(product: &str, store: &str) -> i64 {
    let item = table_item(&format!("PRODUCT#{product}"), "PRODUCT")
        .await
        .expect("the product");
    item["stock"].as_m().expect("stock")[store]
        .as_n()
        .expect("units")
        .parse()
        .expect("a number")
}

/// A new subscription at the local platform's push service, as a browser's
/// `PushSubscription.toJSON()` gives it (`endpoint`, `keys.p256dh`, `keys.auth`).
pub async fn push_service_subscription() -> Value {
    let r = call(&browser(), "POST", "/_push/subscriptions", None).await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.body
}

/// Every push the local push service took, opened: `{subscriptionId, ttl, urgency, vapid,
/// payload}`.
pub async fn pushes_to(endpoint: &str) -> Vec<Value> {
    let r = call(&browser(), "GET", "/_local/push.json", None).await;
    let id = endpoint.rsplit('/').next().unwrap_or_default();
    r.body["received"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| m["subscriptionId"] == id)
        .cloned()
        .collect()
}

/// The client pays `order_id` from its wallet and presses «Оплатить» at once: the confirmed
/// payment.
pub async fn pay_from_wallet(c: &Shop, order_id: &str) -> Reply {
    let started = start_payment(
        c,
        &unique("key-"),
        serde_json::json!({"orderId": order_id, "method": "wallet"}),
    )
    .await;
    let id = started.body["paymentId"].as_str().expect("paymentId");
    c.confirm_payment(id).await
}
