//! The one-click unsubscribe of a letter the client may turn off (RFC 8058): its link carries a
//! token naming the client and the kind of message, signed with the shop's key, so that a mail
//! client's POST — without the client's session — turns off that kind's e-mail for that client
//! only, and nobody can make one for another client.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use vitrina_shared::contracts::notification::NoticeKind;

type HmacSha256 = Hmac<Sha256>;

fn mac(key: &[u8], user_id: &str, kind: NoticeKind) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(format!("unsubscribe\0{user_id}\0{kind}\0email").as_bytes());
    mac
}

/// `<user id>.<kind>.<signature>`: what the letter's links carry.
pub fn token(key: &[u8], user_id: &str, kind: NoticeKind) -> String {
    let signature = mac(key, user_id, kind).finalize().into_bytes();
    format!("{user_id}.{kind}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// The client and the kind of message a token of this key names; `None` for anything else.
pub fn verify(key: &[u8], token: &str) -> Option<(String, NoticeKind)> {
    let mut parts = token.split('.');
    let (user_id, kind, signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || user_id.is_empty() {
        return None;
    }
    let kind: NoticeKind = kind.parse().ok()?;
    let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
    mac(key, user_id, kind).verify_slice(&signature).ok()?;
    Some((user_id.to_string(), kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_token_of_this_key_for_that_client_and_kind_holds() {
        let key = b"the shop's key";
        let t = token(key, "u-1", NoticeKind::Delivery);
        assert_eq!(verify(key, &t), Some(("u-1".into(), NoticeKind::Delivery)));
        assert_eq!(verify(b"another key", &t), None);
        let signature = t.rsplit('.').next().expect("a signature");
        for forged in [
            format!("u-2.delivery.{signature}"),
            format!("u-1.orders.{signature}"),
            format!("u-1.delivery.{signature}.x"),
            "u-1.delivery".to_string(),
            format!("u-1.weather.{signature}"),
            format!(".delivery.{signature}"),
            String::new(),
        ] {
            assert_eq!(verify(key, &forged), None, "{forged}");
        }
    }
}
