//! Web push to browsers' push services (RFC 8030): the payload encrypted for the subscription
//! (RFC 8291 `aes128gcm`, by `web-push-native`) and the request signed with the shop's VAPID key
//! (RFC 8292). The only code of notification that talks to a push service — pointed by
//! configuration (`PUSH_SERVICES`) at the browsers' vendors in AWS and at the local platform's
//! push service in `make run` / `make test`.
//!
//! The VAPID key is a Secrets Manager secret `{"privateKey": <the P-256 scalar, base64url>}`,
//! read at the first push and kept for the process's life. The token is signed here with p256's
//! ECDSA rather than by `web-push-native`'s `vapid` feature, whose `aud` leaves the endpoint's
//! port out (RFC 8292 §2: the origin, port included).

use crate::domain::{push::PushSubscription, Push};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use p256::ecdsa::{signature::Signer, Signature, SigningKey};
use std::time::Duration;
use vitrina_shared::secrets::{JsonSecret, SecretError};

/// How long a VAPID token holds (RFC 8292: at most 24 hours).
const TOKEN_HOURS: i64 = 12;

/// What the push service did with a push.
#[derive(Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Taken (201): the push service delivers it while its TTL lasts.
    Accepted(String),
    /// 404 / 410: the subscription is gone (the client unsubscribed or the browser dropped it).
    Gone,
}

#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// Not configured here (no VAPID key in the secret): nothing is pushed.
    #[error("web push is not configured: {0}")]
    NotConfigured(String),
    /// 429, 5xx, no answer: the queue tries again.
    #[error("the push service is unavailable: {0}")]
    Unavailable(String),
    /// Any other refusal (400, 401, 403, 413): the same push would be refused again.
    #[error("the push service refused the push ({status}): {body}")]
    Refused { status: u16, body: String },
}

/// The secret holding the VAPID key: `{"privateKey"}`, empty while web push is off. The key is
/// read once, with the secret.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VapidSecret {
    #[serde(deserialize_with = "vapid_key")]
    private_key: Option<VapidKey>,
}

fn vapid_key<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<VapidKey>, D::Error> {
    let text: String = serde::Deserialize::deserialize(d)?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    VapidKey::from_base64(&text)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

/// The shop's VAPID key pair.
#[derive(Clone)]
pub struct VapidKey(SigningKey);

impl VapidKey {
    /// From the P-256 scalar, base64url (32 bytes).
    pub fn from_base64(private_key: &str) -> Result<Self, String> {
        let bytes = URL_SAFE_NO_PAD
            .decode(private_key.trim().trim_end_matches('='))
            .map_err(|e| format!("the VAPID private key is not base64url: {e}"))?;
        SigningKey::from_slice(&bytes)
            .map(Self)
            .map_err(|_| "the VAPID private key is not a P-256 scalar of 32 bytes".into())
    }

    /// The public key as browsers take it for `applicationServerKey`: uncompressed, base64url.
    pub fn public_key(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0.verifying_key().to_encoded_point(false).as_bytes())
    }

    /// `Authorization: vapid t=<ES256 JWT>, k=<public key>` for a push to `endpoint`'s origin.
    pub fn authorization(
        &self,
        endpoint: &http::Uri,
        subject: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<String, PushError> {
        let (Some(scheme), Some(authority)) = (endpoint.scheme_str(), endpoint.authority()) else {
            return Err(PushError::Refused {
                status: 0,
                body: format!("{endpoint} has no origin"),
            });
        };
        let header = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"ES256"}"#);
        let claims = URL_SAFE_NO_PAD.encode(
            serde_json::json!({
                "aud": format!("{scheme}://{authority}"),
                "exp": (now + chrono::Duration::hours(TOKEN_HOURS)).timestamp(),
                "sub": subject,
            })
            .to_string(),
        );
        let signed = format!("{header}.{claims}");
        let signature: Signature = self.0.sign(signed.as_bytes());
        Ok(format!(
            "vapid t={signed}.{}, k={}",
            URL_SAFE_NO_PAD.encode(signature.to_bytes()),
            self.public_key()
        ))
    }
}

pub struct Pusher {
    http: reqwest::Client,
    secret: JsonSecret<VapidSecret>,
    /// Who the push services may write to about the shop's pushes (`mailto:` the shop's sender).
    subject: String,
}

impl Pusher {
    pub fn new(secret: JsonSecret<VapidSecret>, subject: String) -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(3))
            // A push service answers; it never sends the shop elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self {
            http,
            secret,
            subject,
        })
    }

    /// The VAPID key; `None` while the secret holds none (web push is off).
    pub async fn key(&self) -> Result<Option<&VapidKey>, PushError> {
        let secret = self.secret.get().await.map_err(|e| match e {
            SecretError::Unavailable(..) => PushError::Unavailable(e.to_string()),
            SecretError::Malformed(..) => PushError::NotConfigured(e.to_string()),
        })?;
        Ok(secret.private_key.as_ref())
    }

    /// Sends `push` to one subscription.
    pub async fn send(
        &self,
        subscription: &PushSubscription,
        push: &Push,
    ) -> Result<Delivery, PushError> {
        let Some(key) = self.key().await? else {
            return Err(PushError::NotConfigured("no VAPID key".into()));
        };
        let refused = |body: String| PushError::Refused { status: 0, body };
        let endpoint: http::Uri = subscription
            .endpoint
            .parse()
            .map_err(|e| refused(format!("endpoint: {e}")))?;
        let ua_public = URL_SAFE_NO_PAD
            .decode(&subscription.p256dh)
            .ok()
            .and_then(|k| web_push_native::p256::PublicKey::from_sec1_bytes(&k).ok())
            .ok_or_else(|| refused("keys.p256dh".into()))?;
        let auth = URL_SAFE_NO_PAD
            .decode(&subscription.auth)
            .ok()
            .filter(|a| a.len() == 16)
            .ok_or_else(|| refused("keys.auth".into()))?;
        let payload = serde_json::to_vec(push).map_err(|e| refused(e.to_string()))?;
        let request = web_push_native::WebPushBuilder::new(
            endpoint.clone(),
            ua_public,
            web_push_native::Auth::clone_from_slice(&auth),
        )
        .with_valid_duration(Duration::from_secs(push.ttl_seconds.into()))
        .build(payload)
        .map_err(|e| refused(e.to_string()))?;
        let authorization = key.authorization(&endpoint, &self.subject, chrono::Utc::now())?;
        let (mut parts, body) = request.into_parts();
        // reqwest counts the body itself.
        parts.headers.remove(http::header::CONTENT_LENGTH);
        let response = self
            .http
            .post(subscription.endpoint.as_str())
            .headers(parts.headers)
            .header("Urgency", push.urgency.header())
            .header("Authorization", authorization)
            .body(body)
            .send()
            .await
            .map_err(|e| PushError::Unavailable(e.to_string()))?;
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        match status {
            200..=299 => Ok(Delivery::Accepted(location)),
            404 | 410 => Ok(Delivery::Gone),
            429 | 500..=599 => Err(PushError::Unavailable(format!(
                "{status} from {}",
                endpoint.host().unwrap_or_default()
            ))),
            _ => Err(PushError::Refused {
                status,
                body: response.text().await.unwrap_or_default(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::{signature::Verifier, VerifyingKey};

    #[test]
    fn an_empty_secret_turns_push_off_and_a_bad_one_is_refused() {
        let read = |json: &str| serde_json::from_str::<VapidSecret>(json).map(|s| s.private_key);
        assert!(matches!(read(r#"{"privateKey": ""}"#), Ok(None)));
        let key = URL_SAFE_NO_PAD.encode([3u8; 32]);
        assert!(matches!(
            read(&format!(r#"{{"privateKey": "{key}"}}"#)),
            Ok(Some(_))
        ));
        assert!(read(r#"{"privateKey": "not a key"}"#).is_err());
        assert!(read(r#"{"key": "x"}"#).is_err());
    }

    #[test]
    fn the_vapid_token_names_the_endpoints_origin_with_its_port_and_verifies() {
        let key = VapidKey::from_base64(&URL_SAFE_NO_PAD.encode([3u8; 32])).expect("a key");
        let now = chrono::Utc::now();
        let endpoint: http::Uri = "http://127.0.0.1:3010/_push/send/x".parse().expect("URI");
        let header = key
            .authorization(&endpoint, "mailto:shop@vitrina.example", now)
            .expect("signed");
        let (t, k) = header
            .strip_prefix("vapid t=")
            .and_then(|rest| rest.split_once(", k="))
            .expect("vapid t=…, k=…");
        assert_eq!(k, key.public_key());
        let (signed, signature) = t.rsplit_once('.').expect("three parts");
        let claims: serde_json::Value = serde_json::from_slice(
            &URL_SAFE_NO_PAD
                .decode(signed.split('.').nth(1).expect("claims"))
                .expect("base64url"),
        )
        .expect("JSON");
        assert_eq!(claims["aud"], "http://127.0.0.1:3010");
        assert_eq!(claims["sub"], "mailto:shop@vitrina.example");
        let exp = claims["exp"].as_i64().expect("exp");
        assert!(exp > now.timestamp() && exp <= now.timestamp() + 24 * 3600);
        let public =
            VerifyingKey::from_sec1_bytes(&URL_SAFE_NO_PAD.decode(k).expect("k")).expect("a point");
        let signature =
            Signature::from_slice(&URL_SAFE_NO_PAD.decode(signature).expect("sig")).expect("r‖s");
        assert!(public.verify(signed.as_bytes(), &signature).is_ok());
        assert!(public.verify(b"another text", &signature).is_err());
    }
}
