//! API Gateway HTTP API, as far as the shop uses it: routes from the template, payload format
//! 2.0, the Lambda authorizer (simple responses) with its context handed to the function; plus
//! the web client's static files and the local mailbox.

use crate::host::Host;
use crate::template::AuthorizerSpec;
use axum::{
    body::{to_bytes, Body},
    extract::{Path, Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode},
    response::{Html, IntoResponse, Response},
    routing::{get, MethodFilter, MethodRouter},
    Json, Router,
};
use base64::{engine::general_purpose::STANDARD, Engine};
use serde_json::{json, Map, Value};
use std::{
    collections::{BTreeMap, HashMap},
    sync::Arc,
};
use tower_http::services::{ServeDir, ServeFile};

/// API Gateway's own payload limit.
const MAX_PAYLOAD: usize = 10 * 1024 * 1024;

pub struct RouteEntry {
    pub method: String,
    pub path: String,
    pub function: String,
    pub authorizer: Option<AuthorizerSpec>,
}

pub struct Api {
    pub host: Arc<Host>,
    pub routes: Vec<RouteEntry>,
    pub moto_url: String,
    pub http: reqwest::Client,
    /// Where `/images/*` is read from (CloudFront's images origin in AWS).
    pub images: Option<(aws_sdk_s3::Client, String)>,
}

impl Api {
    pub fn new(
        host: Arc<Host>,
        authorizers: &[AuthorizerSpec],
        moto_url: String,
        images: Option<(aws_sdk_s3::Client, String)>,
    ) -> Result<Self, String> {
        let mut routes = Vec::new();
        for f in host.functions.values() {
            for r in &f.spec.routes {
                let authorizer = match &r.authorizer {
                    None => None,
                    Some(name) => Some(
                        authorizers
                            .iter()
                            .find(|a| &a.name == name)
                            .cloned()
                            .ok_or(format!("{}: unknown authorizer {name}", f.spec.logical_id))?,
                    ),
                };
                routes.push(RouteEntry {
                    method: r.method.clone(),
                    path: r.path.clone(),
                    function: f.spec.logical_id.clone(),
                    authorizer,
                });
            }
        }
        Ok(Self {
            host,
            routes,
            moto_url,
            http: reqwest::Client::new(),
            images,
        })
    }
}

/// An HTTP API route's path in axum's syntax: `{id}` is the same, API Gateway's greedy
/// `{proxy+}` is axum's `{*proxy}`. axum's router then does what API Gateway does: literal
/// segments beat parameters, parameters are percent-decoded.
fn axum_path(path: &str) -> String {
    path.split('/')
        .map(
            |seg| match seg.strip_prefix('{').and_then(|s| s.strip_suffix("+}")) {
                Some(name) => format!("{{*{name}}}"),
                None => seg.to_string(),
            },
        )
        .collect::<Vec<_>>()
        .join("/")
}

/// The template's routes as axum routes; a method a path does not have is API Gateway's 404.
fn api_routes(api: &Api) -> Result<Router<Arc<Api>>, String> {
    let mut by_path: BTreeMap<String, MethodRouter<Arc<Api>>> = BTreeMap::new();
    for (index, route) in api.routes.iter().enumerate() {
        let handler = move |State(api): State<Arc<Api>>,
                            params: Option<Path<HashMap<String, String>>>,
                            req: Request| async move {
            handle_route(&api, index, params.map(|p| p.0).unwrap_or_default(), req).await
        };
        let entry = by_path
            .remove(&route.path)
            .unwrap_or_else(|| MethodRouter::new().fallback(not_found));
        let entry = if route.method == "ANY" {
            entry.fallback(handler)
        } else {
            let method = Method::from_bytes(route.method.as_bytes())
                .map_err(|e| format!("{} {}: {e}", route.method, route.path))?;
            let filter = MethodFilter::try_from(method)
                .map_err(|e| format!("{} {}: {e}", route.method, route.path))?;
            entry.on(filter, handler)
        };
        by_path.insert(route.path.clone(), entry);
    }
    let mut router = Router::new()
        .route("/api", axum::routing::any(not_found))
        .route("/api/{*rest}", axum::routing::any(not_found));
    for (path, methods) in by_path {
        router = router.route(&axum_path(&path), methods);
    }
    Ok(router)
}

async fn not_found() -> Response {
    gateway_error(StatusCode::NOT_FOUND, "Not Found")
}

fn gateway_error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "message": message }))).into_response()
}

pub fn router(api: Arc<Api>, web_dir: &str) -> Result<Router, String> {
    let index = format!("{web_dir}/index.html");
    Ok(Router::new()
        .route("/_local/mail", get(mailbox_page))
        .route("/_local/mail.json", get(mailbox_json))
        .route("/_local/sms", get(sms_page))
        .route("/_local/sms.json", get(sms_json))
        .route("/_local/health", get(|| async { "ok" }))
        .route("/images/{file}", get(image))
        // A file of the web build, as CloudFront serves it from the web bucket.
        .route_service(
            "/api/openapi.json",
            ServeFile::new(format!("{web_dir}/api/openapi.json")),
        )
        // Swagger UI over it, files of the web build too.
        .route_service(
            "/api/docs",
            ServeFile::new(format!("{web_dir}/api/docs/index.html")),
        )
        .nest_service("/api/docs/", ServeDir::new(format!("{web_dir}/api/docs")))
        .merge(api_routes(&api)?)
        .fallback_service(ServeDir::new(web_dir).fallback(ServeFile::new(index)))
        .with_state(api))
}

async fn handle_route(
    api: &Api,
    index: usize,
    params: HashMap<String, String>,
    req: Request,
) -> Response {
    let route = &api.routes[index];
    let method = req.method().clone();
    let (parts, body) = req.into_parts();
    let body = match to_bytes(body, MAX_PAYLOAD).await {
        Ok(b) => b,
        Err(_) => return gateway_error(StatusCode::PAYLOAD_TOO_LARGE, "Request Entity Too Large"),
    };
    let mut event = build_event(&method, &parts.uri, &parts.headers, &body, route, params);

    if let Some(authorizer) = &route.authorizer {
        match authorize(api, authorizer, &event).await {
            Ok(context) => {
                event["requestContext"]["authorizer"] = json!({ "lambda": context });
            }
            Err(resp) => return resp,
        }
    }
    match api.host.invoke(&route.function, event).await {
        Ok(result) => into_http(result),
        Err(e) => {
            tracing::error!(function = %route.function, error_type = %e.error_type,
                error = %e.error_message, "function failed");
            gateway_error(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error")
        }
    }
}

/// The authorizer's verdict: its context, or the response API Gateway gives instead
/// (401 without the identity source, 403 when refused, 500 when the authorizer fails).
async fn authorize(
    api: &Api,
    authorizer: &AuthorizerSpec,
    event: &Value,
) -> Result<Value, Response> {
    let headers = event["headers"].as_object().cloned().unwrap_or_default();
    let mut identity = Vec::new();
    for h in &authorizer.identity_headers {
        let lower = h.to_lowercase();
        let value = if lower == "cookie" {
            event["cookies"]
                .as_array()
                .filter(|c| !c.is_empty())
                .map(|c| {
                    c.iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join("; ")
                })
        } else {
            headers
                .get(&lower)
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        match value {
            Some(v) => identity.push(Value::String(v)),
            None => return Err(gateway_error(StatusCode::UNAUTHORIZED, "Unauthorized")),
        }
    }
    let mut request = event.clone();
    let obj = request
        .as_object_mut()
        .ok_or_else(|| gateway_error(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error"))?;
    obj.remove("body");
    obj.remove("isBase64Encoded");
    obj.insert("type".into(), json!("REQUEST"));
    obj.insert("identitySource".into(), Value::Array(identity));
    obj.insert(
        "routeArn".into(),
        json!(format!(
            "arn:aws:execute-api:{}:{}:local/$default/{}",
            api.host.region,
            crate::template::ACCOUNT,
            event["routeKey"]
                .as_str()
                .unwrap_or_default()
                .replace(' ', "")
        )),
    );
    match api.host.invoke(&authorizer.function, request).await {
        Ok(v) if v["isAuthorized"] == json!(true) => {
            Ok(v.get("context").cloned().unwrap_or(json!({})))
        }
        Ok(_) => Err(gateway_error(StatusCode::FORBIDDEN, "Forbidden")),
        Err(e) => {
            tracing::error!(error_type = %e.error_type, error = %e.error_message, "authorizer failed");
            Err(gateway_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Internal Server Error",
            ))
        }
    }
}

fn build_event(
    method: &Method,
    uri: &axum::http::Uri,
    headers: &HeaderMap,
    body: &[u8],
    route: &RouteEntry,
    params: HashMap<String, String>,
) -> Value {
    let mut h: Map<String, Value> = Map::new();
    let mut cookies = Vec::new();
    for (name, value) in headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        if name == "cookie" {
            cookies.extend(
                value
                    .split(';')
                    .map(|c| c.trim().to_string())
                    .filter(|c| !c.is_empty()),
            );
            continue;
        }
        match h.get_mut(name.as_str()) {
            Some(Value::String(existing)) => {
                existing.push(',');
                existing.push_str(&value);
            }
            _ => {
                h.insert(name.as_str().to_string(), Value::String(value));
            }
        }
    }
    let raw_query = uri.query().unwrap_or_default().to_string();
    let mut query: Map<String, Value> = Map::new();
    for (k, v) in form_urlencoded::parse(raw_query.as_bytes()) {
        let (k, v) = (k.into_owned(), v.into_owned());
        match query.get_mut(&k) {
            Some(Value::String(existing)) => {
                existing.push(',');
                existing.push_str(&v);
            }
            _ => {
                query.insert(k, Value::String(v));
            }
        }
    }
    let (body, is_base64) = match std::str::from_utf8(body) {
        Ok(text) => (text.to_string(), false),
        Err(_) => (STANDARD.encode(body), true),
    };
    let now = chrono::Utc::now();
    let route_key = format!("{} {}", route.method, route.path);
    let mut event = json!({
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": uri.path(),
        "rawQueryString": raw_query,
        "headers": h,
        "requestContext": {
            "accountId": crate::template::ACCOUNT,
            "apiId": "local",
            "domainName": "127.0.0.1",
            "domainPrefix": "127",
            "http": {
                "method": method.as_str(),
                "path": uri.path(),
                "protocol": "HTTP/1.1",
                "sourceIp": "127.0.0.1",
                "userAgent": headers.get("user-agent").and_then(|v| v.to_str().ok()).unwrap_or_default(),
            },
            "requestId": uuid::Uuid::now_v7().to_string(),
            "routeKey": route_key,
            "stage": "$default",
            "time": now.format("%d/%b/%Y:%H:%M:%S %z").to_string(),
            "timeEpoch": now.timestamp_millis(),
        },
        "isBase64Encoded": is_base64,
    });
    if !cookies.is_empty() {
        event["cookies"] = json!(cookies);
    }
    if !query.is_empty() {
        event["queryStringParameters"] = Value::Object(query);
    }
    if !params.is_empty() {
        event["pathParameters"] = json!(params);
    }
    if !body.is_empty() {
        event["body"] = Value::String(body);
    }
    event
}

/// A payload-2.0 function result → HTTP, as API Gateway turns it.
fn into_http(result: Value) -> Response {
    let status = result["statusCode"]
        .as_u64()
        .and_then(|s| StatusCode::from_u16(s as u16).ok())
        .unwrap_or(StatusCode::OK);
    let body = result["body"].as_str().unwrap_or_default();
    let body = if result["isBase64Encoded"] == json!(true) {
        STANDARD.decode(body).unwrap_or_default()
    } else {
        body.as_bytes().to_vec()
    };
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = status;
    let headers = resp.headers_mut();
    if let Some(hs) = result["headers"].as_object() {
        for (k, v) in hs {
            if let (Ok(name), Some(Ok(value))) = (
                axum::http::HeaderName::from_bytes(k.as_bytes()),
                v.as_str().map(HeaderValue::from_str),
            ) {
                headers.append(name, value);
            }
        }
    }
    if let Some(hs) = result["multiValueHeaders"].as_object() {
        for (k, vs) in hs {
            for v in vs.as_array().into_iter().flatten() {
                if let (Ok(name), Some(Ok(value))) = (
                    axum::http::HeaderName::from_bytes(k.as_bytes()),
                    v.as_str().map(HeaderValue::from_str),
                ) {
                    headers.append(name, value);
                }
            }
        }
    }
    for c in result["cookies"].as_array().into_iter().flatten() {
        if let Some(Ok(value)) = c.as_str().map(HeaderValue::from_str) {
            headers.append(axum::http::header::SET_COOKIE, value);
        }
    }
    resp
}

async fn image(
    State(api): State<Arc<Api>>,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Response {
    let Some((s3, bucket)) = &api.images else {
        return gateway_error(StatusCode::NOT_FOUND, "Not Found");
    };
    match s3
        .get_object()
        .bucket(bucket)
        .key(format!("images/{file}"))
        .send()
        .await
    {
        Ok(object) => {
            let content_type = object
                .content_type()
                .unwrap_or("application/octet-stream")
                .to_string();
            match object.body.collect().await {
                Ok(bytes) => (
                    [
                        (axum::http::header::CONTENT_TYPE, content_type),
                        (
                            axum::http::header::CACHE_CONTROL,
                            "public, max-age=3600".to_string(),
                        ),
                    ],
                    bytes.into_bytes(),
                )
                    .into_response(),
                Err(_) => gateway_error(StatusCode::BAD_GATEWAY, "Bad Gateway"),
            }
        }
        Err(_) => gateway_error(StatusCode::NOT_FOUND, "Not Found"),
    }
}

/// What SES has sent, newest first, read from moto's state.
async fn sent_mail(api: &Api) -> Result<Vec<Value>, String> {
    sent(api, "ses", "Message").await
}

/// What SNS has texted, newest first: `{message_id, phone_number, message}`.
async fn sent_sms(api: &Api) -> Result<Vec<Value>, String> {
    sent(api, "sns", "SMS").await
}

/// One kind of moto's recorded objects, newest first, through the project's launcher
/// (`/_vitrina/models/<service>/<model>`): only that kind, where moto's own `data.json` would
/// serialise everything it holds on every call.
async fn sent(api: &Api, service: &str, model: &str) -> Result<Vec<Value>, String> {
    let mut out: Vec<Value> = api
        .http
        .get(format!(
            "{}/_vitrina/models/{service}/{model}",
            api.moto_url
        ))
        .send()
        .await
        .map_err(|e| e.to_string())?
        .error_for_status()
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    out.reverse();
    Ok(out)
}

async fn sms_json(State(api): State<Arc<Api>>) -> Response {
    match sent_sms(&api).await {
        Ok(m) => Json(m).into_response(),
        Err(e) => gateway_error(StatusCode::BAD_GATEWAY, &e),
    }
}

/// `/_local/sms`: the text messages the shop sent, as the phones would show them.
async fn sms_page(State(api): State<Arc<Api>>) -> Response {
    let texts = match sent_sms(&api).await {
        Ok(m) => m,
        Err(e) => return gateway_error(StatusCode::BAD_GATEWAY, &e),
    };
    let mut html = String::from(
        "<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>SMS (локально)</title>\
         <style>body{font-family:sans-serif;max-width:40rem;margin:2rem auto}article{border:1px solid #ccc;\
         border-radius:12px;padding:.75rem 1rem;margin:.75rem 0}</style></head>\
         <body><h1>Отправленные SMS</h1><p>Всё, что магазин отправил через SNS (локальная копия).</p>",
    );
    if texts.is_empty() {
        html.push_str("<p>SMS пока нет.</p>");
    }
    for t in texts.iter().take(MAILBOX_PAGE) {
        html.push_str(&format!(
            "<article><div><b>Кому:</b> {}</div><div>{}</div></article>",
            escape(t["phone_number"].as_str().unwrap_or_default()),
            escape(t["message"].as_str().unwrap_or_default()),
        ));
    }
    html.push_str("</body></html>");
    Html(html).into_response()
}

async fn mailbox_json(State(api): State<Arc<Api>>) -> Response {
    match sent_mail(&api).await {
        Ok(m) => Json(m).into_response(),
        Err(e) => gateway_error(StatusCode::BAD_GATEWAY, &e),
    }
}

/// Text as HTML shows it (the local pages of what was sent).
pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Letters shown on the mailbox page.
const MAILBOX_PAGE: usize = 100;

async fn mailbox_page(State(api): State<Arc<Api>>) -> Response {
    let mail = match sent_mail(&api).await {
        Ok(m) => m,
        Err(e) => return gateway_error(StatusCode::BAD_GATEWAY, &e),
    };
    let mut html = String::from(
        "<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>Почта (локально)</title>\
         <style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto}article{border:1px solid #ccc;\
         border-radius:6px;padding:1rem;margin:1rem 0}iframe{width:100%;border:0;height:12rem}</style></head>\
         <body><h1>Отправленные письма</h1><p>Всё, что магазин отправил через SES (локальная копия).</p>",
    );
    if mail.is_empty() {
        html.push_str("<p>Писем пока нет.</p>");
    }
    // Newest first, the latest ones only: a long-running stack has sent thousands, and a page
    // of thousands of letters does not load (`/_local/mail.json` has them all).
    if mail.len() > MAILBOX_PAGE {
        html.push_str(&format!(
            "<p>Последние {MAILBOX_PAGE} из {} писем (все — в <a href=\"/_local/mail.json\">mail.json</a>).</p>",
            mail.len()
        ));
    }
    for m in mail.iter().take(MAILBOX_PAGE) {
        let to = m["destinations"]["ToAddresses"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        html.push_str(&format!(
            "<article><div><b>Кому:</b> {}</div><div><b>От:</b> {}</div><div><b>Тема:</b> {}</div>\
             <iframe sandbox loading=\"lazy\" srcdoc=\"{}\"></iframe></article>",
            escape(&to),
            escape(m["source"].as_str().unwrap_or_default()),
            escape(m["subject"].as_str().unwrap_or_default()),
            escape(m["body"].as_str().unwrap_or_default()).replace('"', "&quot;"),
        ));
    }
    html.push_str("</body></html>");
    Html(html).into_response()
}
