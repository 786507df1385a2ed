//! A browsers' push service, as the local platform's sandbox (`/_push` on the shop's port): what
//! notification's adapter (`functions/notification/src/push.rs`) pushes to in `make run` and
//! `make test`, as it pushes to the browsers' vendors in AWS. It plays the browser's part too:
//! it makes the subscription's keys, so it can open what arrives.
//!
//! - `POST /_push/subscriptions` → a subscription as the browser's `PushSubscription.toJSON()`
//!   gives it (`endpoint`, `keys.p256dh`, `keys.auth`); the browser tests hand it to the page in
//!   place of `PushManager.subscribe`, which cannot reach a vendor from here.
//! - `POST /_push/send/{id}` (the endpoint) takes a push as RFC 8030 says, checked as a vendor
//!   would: `Authorization: vapid t=<ES256 JWT>, k=<key>` whose signature holds for `k`, `aud`
//!   this origin, `exp` in the future and at most 24 h away, `sub` a `mailto:` or `https:`
//!   contact (RFC 8292) — else 401; a `TTL`; `Content-Encoding: aes128gcm` whose payload
//!   decrypts with the subscription's keys (RFC 8291) — else 400; at most 4096 bytes — else 413.
//!   201 with `Location`. A subscription told to be gone answers 410; an unknown one 404.
//! - `POST /_push/subscriptions/{id}/gone`: from now on its pushes answer 410 (the browser
//!   dropped it), to prove the shop forgets it.
//! - `GET /_local/push.json` every subscription and every push taken, opened; `GET /_local/push`
//!   the same for people.

use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{Html, IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use chrono::{DateTime, Utc};
use p256::{
    ecdsa::{signature::Verifier, Signature, VerifyingKey},
    elliptic_curve::sec1::ToEncodedPoint,
    SecretKey,
};
use serde::Serialize;
use serde_json::{json, Value};
use std::{collections::HashMap, sync::Arc};
use tokio::sync::Mutex;

use crate::api::escape;

/// RFC 8291 §4: a push service need not take a larger payload.
const MAX_PAYLOAD: usize = 4096;
/// RFC 8292 §2: a token valid for longer than a day is refused.
const MAX_TOKEN_SECONDS: i64 = 24 * 3600;

struct Subscription {
    secret: SecretKey,
    auth: [u8; 16],
    gone: bool,
}

/// One push the service took, as the device opened it.
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Received {
    subscription_id: String,
    received_at: DateTime<Utc>,
    ttl: u64,
    urgency: Option<String>,
    /// The claims of the VAPID token it came with.
    vapid: Value,
    /// The decrypted payload (JSON when it is JSON).
    payload: Value,
}

#[derive(Default)]
struct Record {
    subscriptions: HashMap<String, Subscription>,
    received: Vec<Received>,
}

pub struct PushService {
    /// This service's origin: what a VAPID token's `aud` must be.
    origin: String,
    record: Mutex<Record>,
}

impl PushService {
    pub fn new(origin: String) -> Self {
        Self {
            origin,
            record: Mutex::default(),
        }
    }
}

pub fn router(service: Arc<PushService>) -> Router {
    Router::new()
        .route("/_push/subscriptions", post(subscribe))
        .route("/_push/subscriptions/{id}/gone", post(gone))
        .route("/_push/send/{id}", post(take))
        .route("/_local/push.json", get(list))
        .route("/_local/push", get(page))
        .with_state(service)
}

/// A P-256 key of the process's randomness (a scalar out of range is drawn again).
pub fn new_secret_key() -> Result<SecretKey, String> {
    loop {
        let mut bytes = [0u8; 32];
        getrandom::getrandom(&mut bytes).map_err(|e| e.to_string())?;
        if let Ok(key) = SecretKey::from_slice(&bytes) {
            return Ok(key);
        }
    }
}

fn refused(status: StatusCode, reason: impl Into<String>) -> Response {
    (status, Json(json!({ "error": reason.into() }))).into_response()
}

async fn subscribe(State(s): State<Arc<PushService>>) -> Response {
    let (secret, mut auth, mut id) = match new_secret_key() {
        Ok(k) => (k, [0u8; 16], [0u8; 16]),
        Err(e) => return refused(StatusCode::INTERNAL_SERVER_ERROR, e),
    };
    if getrandom::getrandom(&mut auth)
        .and_then(|()| getrandom::getrandom(&mut id))
        .is_err()
    {
        return refused(StatusCode::INTERNAL_SERVER_ERROR, "no randomness");
    }
    let id: String = id.iter().map(|b| format!("{b:02x}")).collect();
    let p256dh = URL_SAFE_NO_PAD.encode(secret.public_key().to_encoded_point(false).as_bytes());
    let body = json!({
        "endpoint": format!("{}/_push/send/{id}", s.origin),
        "expirationTime": null,
        "keys": { "p256dh": p256dh, "auth": URL_SAFE_NO_PAD.encode(auth) },
    });
    s.record.lock().await.subscriptions.insert(
        id,
        Subscription {
            secret,
            auth,
            gone: false,
        },
    );
    (StatusCode::CREATED, Json(body)).into_response()
}

async fn gone(State(s): State<Arc<PushService>>, Path(id): Path<String>) -> Response {
    match s.record.lock().await.subscriptions.get_mut(&id) {
        Some(sub) => {
            sub.gone = true;
            StatusCode::NO_CONTENT.into_response()
        }
        None => refused(StatusCode::NOT_FOUND, "no such subscription"),
    }
}

/// The VAPID token's claims when `authorization` is one this origin takes.
fn vapid_claims(origin: &str, authorization: &str, now: DateTime<Utc>) -> Result<Value, String> {
    let rest = authorization
        .strip_prefix("vapid ")
        .ok_or("Authorization is not `vapid t=…, k=…`")?;
    let mut token = None;
    let mut key = None;
    for part in rest.split(',').map(str::trim) {
        match part.split_once('=') {
            Some(("t", v)) => token = Some(v),
            Some(("k", v)) => key = Some(v),
            _ => {}
        }
    }
    let (token, key) = token.zip(key).ok_or("t= and k= are both required")?;
    let key = URL_SAFE_NO_PAD
        .decode(key)
        .ok()
        .and_then(|k| VerifyingKey::from_sec1_bytes(&k).ok())
        .ok_or("k is not a P-256 public key")?;
    let (signed, signature) = token.rsplit_once('.').ok_or("t is not a JWT")?;
    let (header, claims) = signed.split_once('.').ok_or("t is not a JWT")?;
    let decode = |part: &str| -> Result<Value, String> {
        URL_SAFE_NO_PAD
            .decode(part)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or_else(|| "t is not a JWT".to_string())
    };
    if decode(header)?["alg"] != "ES256" {
        return Err("the token is not ES256".into());
    }
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .ok()
        .and_then(|s| Signature::from_slice(&s).ok())
        .ok_or("the signature is not r‖s")?;
    key.verify(signed.as_bytes(), &signature)
        .map_err(|_| "the signature does not hold for k")?;
    let claims = decode(claims)?;
    if claims["aud"].as_str() != Some(origin) {
        return Err(format!("aud is {}, not {origin}", claims["aud"]));
    }
    let exp = claims["exp"].as_i64().ok_or("exp is missing")?;
    if exp <= now.timestamp() {
        return Err("the token has expired".into());
    }
    if exp > now.timestamp() + MAX_TOKEN_SECONDS {
        return Err("exp is more than 24 hours away".into());
    }
    let sub = claims["sub"].as_str().unwrap_or_default();
    if !(sub.starts_with("mailto:") || sub.starts_with("https:")) {
        return Err("sub is not a mailto: or https: contact".into());
    }
    Ok(claims)
}

async fn take(
    State(s): State<Arc<PushService>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let mut record = s.record.lock().await;
    let Some(sub) = record.subscriptions.get(&id) else {
        return refused(StatusCode::NOT_FOUND, "no such subscription");
    };
    if sub.gone {
        return refused(StatusCode::GONE, "the subscription is gone");
    }
    let vapid = match vapid_claims(
        &s.origin,
        header("authorization").unwrap_or_default(),
        Utc::now(),
    ) {
        Ok(claims) => claims,
        Err(why) => return refused(StatusCode::UNAUTHORIZED, why),
    };
    let Some(ttl) = header("ttl").and_then(|t| t.parse::<u64>().ok()) else {
        return refused(StatusCode::BAD_REQUEST, "TTL is required (RFC 8030 §5.2)");
    };
    if header("content-encoding") != Some("aes128gcm") {
        return refused(
            StatusCode::BAD_REQUEST,
            "Content-Encoding must be aes128gcm",
        );
    }
    if body.len() > MAX_PAYLOAD {
        return refused(StatusCode::PAYLOAD_TOO_LARGE, "more than 4096 bytes");
    }
    let opened = match web_push_native::decrypt(
        body.to_vec(),
        &sub.secret,
        &web_push_native::Auth::clone_from_slice(&sub.auth),
    ) {
        Ok(plain) => plain,
        Err(e) => {
            return refused(
                StatusCode::BAD_REQUEST,
                format!("the payload does not decrypt: {e}"),
            )
        }
    };
    let payload = serde_json::from_slice(&opened)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&opened).into_owned()));
    record.received.push(Received {
        subscription_id: id,
        received_at: Utc::now(),
        ttl,
        urgency: header("urgency").map(str::to_string),
        vapid,
        payload,
    });
    let location = format!("/_push/messages/{}", record.received.len());
    (StatusCode::CREATED, [("location", location)]).into_response()
}

async fn list(State(s): State<Arc<PushService>>) -> Response {
    let record = s.record.lock().await;
    let subscriptions: Vec<Value> = record
        .subscriptions
        .iter()
        .map(|(id, sub)| json!({ "id": id, "endpoint": format!("{}/_push/send/{id}", s.origin), "gone": sub.gone }))
        .collect();
    Json(json!({ "subscriptions": subscriptions, "received": record.received })).into_response()
}

async fn page(State(s): State<Arc<PushService>>) -> Response {
    let record = s.record.lock().await;
    let mut html = String::from(
        "<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>Push (локально)</title>\
         <style>body{font-family:sans-serif;max-width:40rem;margin:2rem auto}article{border:1px solid #ccc;\
         border-radius:12px;padding:.75rem 1rem;margin:.75rem 0}small{color:#555}</style></head>\
         <body><h1>Уведомления в браузере</h1><p>Всё, что магазин отправил через push-сервис \
         (локальная копия), расшифровано ключами подписки.</p>",
    );
    if record.received.is_empty() {
        html.push_str("<p>Уведомлений пока нет.</p>");
    }
    for r in record.received.iter().rev().take(100) {
        html.push_str(&format!(
            "<article><b>{}</b><div>{}</div><small>{} · TTL {} с · {} · подписка {}</small></article>",
            escape(r.payload["title"].as_str().unwrap_or_default()),
            escape(r.payload["body"].as_str().unwrap_or_default()),
            r.received_at.format("%Y-%m-%d %H:%M:%S"),
            r.ttl,
            escape(r.urgency.as_deref().unwrap_or("normal")),
            escape(&r.subscription_id),
        ));
    }
    html.push_str("</body></html>");
    Html(html).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::{signature::Signer, SigningKey};

    fn token(key: &SigningKey, claims: Value, alg: &str) -> String {
        let header = URL_SAFE_NO_PAD.encode(json!({"typ": "JWT", "alg": alg}).to_string());
        let signed = format!("{header}.{}", URL_SAFE_NO_PAD.encode(claims.to_string()));
        let signature: Signature = key.sign(signed.as_bytes());
        let k = URL_SAFE_NO_PAD.encode(key.verifying_key().to_encoded_point(false).as_bytes());
        format!(
            "vapid t={signed}.{}, k={k}",
            URL_SAFE_NO_PAD.encode(signature.to_bytes())
        )
    }

    #[test]
    fn only_a_token_for_this_origin_signed_by_k_within_a_day_is_taken() {
        let origin = "http://127.0.0.1:3000";
        let now = Utc::now();
        let key = SigningKey::from_slice(&[5u8; 32]).expect("a key");
        let other = SigningKey::from_slice(&[6u8; 32]).expect("a key");
        let exp = now.timestamp() + 3600;
        let good = json!({"aud": origin, "exp": exp, "sub": "mailto:shop@vitrina.example"});
        assert!(vapid_claims(origin, &token(&key, good.clone(), "ES256"), now).is_ok());
        let refused = |t: String| vapid_claims(origin, &t, now).expect_err("refused");
        assert!(refused(token(
            &key,
            json!({"aud": "http://127.0.0.1", "exp": exp, "sub": "mailto:a@b"}),
            "ES256"
        ))
        .contains("aud"));
        assert!(refused(token(
            &key,
            json!({"aud": origin, "exp": now.timestamp() - 1, "sub": "mailto:a@b"}),
            "ES256"
        ))
        .contains("expired"));
        assert!(refused(token(
            &key,
            json!({"aud": origin, "exp": now.timestamp() + 25 * 3600, "sub": "mailto:a@b"}),
            "ES256"
        ))
        .contains("24 hours"));
        assert!(refused(token(
            &key,
            json!({"aud": origin, "exp": exp, "sub": "shop"}),
            "ES256"
        ))
        .contains("sub"));
        assert!(refused(token(&key, good.clone(), "HS256")).contains("ES256"));
        // Signed by another key than the one it names.
        let forged = token(&other, good, "ES256");
        let k = URL_SAFE_NO_PAD.encode(key.verifying_key().to_encoded_point(false).as_bytes());
        let forged = format!("{}, k={k}", forged.split(", k=").next().expect("t"));
        assert!(refused(forged).contains("signature"));
        assert!(refused("Bearer x".into()).contains("vapid"));
    }
}
