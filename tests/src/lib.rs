//! Helpers for the emulator-backed tests. Every address comes from the environment, so the same
//! tests run against the local stack (`make test` sets these), LocalStack or a deployed stack:
//! - `VITRINA_URL`: the shop's origin (the HTTP API behind `/api`), default http://127.0.0.1:3000
//! - `VITRINA_LAMBDA_URL`: a Lambda Invoke API (local runtime only; tests needing it skip without)
//! - `AWS_ENDPOINT_URL`: the AWS APIs (moto by default); unset means real AWS
//! - `VITRINA_RESOURCE_PREFIX` (default `vitrina-`) or `VITRINA_TABLE_NAME` etc.: physical names

use serde_json::Value;
use std::{future::Future, time::Duration};

pub fn base_url() -> String {
    std::env::var("VITRINA_URL").unwrap_or_else(|_| "http://127.0.0.1:3000".into())
}

pub fn lambda_url() -> Option<String> {
    std::env::var("VITRINA_LAMBDA_URL")
        .ok()
        .filter(|v| !v.is_empty())
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
    let resp = req.send().await.expect("request");
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

pub fn mail_to<'a>(mail: &'a [Value], address: &str) -> Vec<&'a Value> {
    mail.iter()
        .filter(|m| {
            m["destinations"]["ToAddresses"]
                .as_array()
                .is_some_and(|a| a.iter().any(|x| x.as_str() == Some(address)))
        })
        .collect()
}
