//! Web push's rules: which subscriptions the shop takes — an endpoint at a push service the shop
//! knows (never an arbitrary URL the Lambda would then call), with keys that are a P-256 point
//! and a 16-byte secret. What a push says is in `templates`.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Push services' origins the shop sends to (`PUSH_SERVICES`): `https://fcm.googleapis.com`,
/// or `https://*.notify.windows.com` for any host under that domain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushServices(Vec<(String, String)>);

impl PushServices {
    /// A comma-separated list of origins (`scheme://host[:port]`, the host's first label may be
    /// `*`).
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut origins = Vec::new();
        for origin in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (scheme, authority) = origin
                .split_once("://")
                .filter(|(s, a)| {
                    matches!(*s, "https" | "http") && !a.is_empty() && !a.contains('/')
                })
                .ok_or_else(|| format!("{origin:?} is not an origin (scheme://host[:port])"))?;
            origins.push((scheme.to_string(), authority.to_ascii_lowercase()));
        }
        if origins.is_empty() {
            return Err("no push service is named".into());
        }
        Ok(Self(origins))
    }

    /// Whether `endpoint` is a push service's: its scheme and authority those of a listed
    /// origin (no user info, no other port), and a path after it.
    pub fn allows(&self, endpoint: &http::Uri) -> bool {
        let (Some(scheme), Some(authority)) = (endpoint.scheme_str(), endpoint.authority()) else {
            return false;
        };
        if authority.as_str().contains('@') || endpoint.path().len() <= 1 {
            return false;
        }
        let authority = authority.as_str().to_ascii_lowercase();
        self.0.iter().any(|(s, allowed)| {
            s == scheme
                && match allowed.strip_prefix("*.") {
                    Some(domain) => authority
                        .strip_suffix(domain)
                        .and_then(|sub| sub.strip_suffix('.'))
                        .is_some_and(|sub| {
                            !sub.is_empty() && !sub.contains([':', '.']) && !domain.contains(':')
                        }),
                    None => authority == *allowed,
                }
        })
    }
}

/// One device's subscription, as the browser's `PushSubscription.toJSON()` gives it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PushSubscription {
    pub subscription_id: String,
    pub endpoint: String,
    /// The browser's P-256 key, uncompressed, base64url.
    pub p256dh: String,
    /// The browser's 16-byte secret, base64url.
    pub auth: String,
    pub created_at: String,
}

/// Why a subscription is not taken; each is the client's 400.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SubscriptionRefused {
    #[error("the endpoint is not a URL of a push service the shop sends to")]
    NotAPushService,
    #[error("keys.p256dh is not a P-256 public key (65 bytes, base64url)")]
    InvalidP256dh,
    #[error("keys.auth is not a 16-byte secret (base64url)")]
    InvalidAuth,
}

/// The longest endpoint taken; push services' are well under it.
const MAX_ENDPOINT: usize = 1024;

/// The subscription to keep, or why not.
pub fn subscription(
    endpoint: &str,
    p256dh: &str,
    auth: &str,
    services: &PushServices,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<PushSubscription, SubscriptionRefused> {
    let uri: http::Uri = endpoint
        .parse()
        .ok()
        .filter(|_| endpoint.len() <= MAX_ENDPOINT)
        .ok_or(SubscriptionRefused::NotAPushService)?;
    if !services.allows(&uri) {
        return Err(SubscriptionRefused::NotAPushService);
    }
    URL_SAFE_NO_PAD
        .decode(p256dh.trim_end_matches('='))
        .ok()
        .filter(|k| k.len() == 65)
        .and_then(|k| p256::PublicKey::from_sec1_bytes(&k).ok())
        .ok_or(SubscriptionRefused::InvalidP256dh)?;
    URL_SAFE_NO_PAD
        .decode(auth.trim_end_matches('='))
        .ok()
        .filter(|a| a.len() == 16)
        .ok_or(SubscriptionRefused::InvalidAuth)?;
    Ok(PushSubscription {
        subscription_id: subscription_id(endpoint),
        endpoint: endpoint.to_string(),
        p256dh: p256dh.trim_end_matches('=').to_string(),
        auth: auth.trim_end_matches('=').to_string(),
        created_at: now.to_rfc3339(),
    })
}

/// The same endpoint is the same device: subscribing again replaces its keys.
pub fn subscription_id(endpoint: &str) -> String {
    Sha256::digest(endpoint.as_bytes())[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn services() -> PushServices {
        PushServices::parse(
            "https://fcm.googleapis.com, https://*.notify.windows.com,http://127.0.0.1:3000",
        )
        .expect("a list of origins")
    }

    #[test]
    fn only_a_listed_push_services_endpoint_is_taken() {
        let s = services();
        let allows = |u: &str| s.allows(&u.parse().expect("a URI"));
        assert!(allows("https://fcm.googleapis.com/fcm/send/abc"));
        assert!(allows("https://wns2-par02p.notify.windows.com/w/?token=x"));
        assert!(allows("http://127.0.0.1:3000/_push/send/1"));
        for refused in [
            "https://fcm.googleapis.com/",
            "http://fcm.googleapis.com/fcm/send/abc",
            "https://fcm.googleapis.com.evil.example/x",
            "https://evil.example/fcm.googleapis.com/x",
            "https://user@fcm.googleapis.com/x",
            "https://fcm.googleapis.com:8443/x",
            "https://notify.windows.com/x",
            "https://a.b.notify.windows.com/x",
            "http://127.0.0.1:3001/_push/send/1",
            "http://169.254.169.254/latest/meta-data",
            "/relative/path",
        ] {
            assert!(!allows(refused), "{refused} taken");
        }
        assert!(PushServices::parse("fcm.googleapis.com").is_err());
        assert!(PushServices::parse(" , ").is_err());
    }

    #[test]
    fn a_subscription_needs_a_point_and_a_16_byte_secret() {
        let now = chrono::Utc::now();
        let key = p256::SecretKey::from_slice(&[7u8; 32]).expect("a scalar");
        let point = URL_SAFE_NO_PAD.encode(
            p256::elliptic_curve::sec1::ToEncodedPoint::to_encoded_point(&key.public_key(), false)
                .as_bytes(),
        );
        let auth = URL_SAFE_NO_PAD.encode([1u8; 16]);
        let endpoint = "https://fcm.googleapis.com/fcm/send/abc";
        let taken = subscription(endpoint, &point, &auth, &services(), now).expect("taken");
        assert_eq!(taken.subscription_id, subscription_id(endpoint));
        assert_eq!(taken.subscription_id.len(), 32);
        let refused = |e: &str, p: &str, a: &str| subscription(e, p, a, &services(), now).err();
        assert_eq!(
            refused("https://evil.example/x", &point, &auth),
            Some(SubscriptionRefused::NotAPushService)
        );
        let mut off_curve = vec![4u8; 65];
        off_curve[1] = 9;
        assert_eq!(
            refused(endpoint, &URL_SAFE_NO_PAD.encode(off_curve), &auth),
            Some(SubscriptionRefused::InvalidP256dh)
        );
        assert_eq!(
            refused(endpoint, &point, &URL_SAFE_NO_PAD.encode([1u8; 15])),
            Some(SubscriptionRefused::InvalidAuth)
        );
        assert_eq!(
            refused(endpoint, &point, "not base64!"),
            Some(SubscriptionRefused::InvalidAuth)
        );
    }
}
