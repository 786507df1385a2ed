//! Sessions: 256 random bits handed to the browser once; the table keeps only their SHA-256,
//! so a leaked table or log line cannot be replayed as a cookie.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use sha2::{Digest, Sha256};

pub const COOKIE: &str = "sessionId";
/// The spec names the cookie sent to /login `oldSessionId`; browsers send `sessionId`.
pub const OLD_COOKIE: &str = "oldSessionId";
/// Idle timeout: each use pushes expiry this far ahead...
pub const IDLE_SECONDS: i64 = 7 * 24 * 3600;
/// ...but no further than this after login.
pub const ABSOLUTE_SECONDS: i64 = 30 * 24 * 3600;
/// Expiry is refreshed at most this often, to keep reads free of writes.
pub const REFRESH_EVERY_SECONDS: i64 = 3600;

pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// `None` for anything that cannot be a token we issued: no table read for garbage.
pub fn token_hash(token: &str) -> Option<String> {
    let decoded = URL_SAFE_NO_PAD.decode(token).ok()?;
    if decoded.len() != 32 {
        return None;
    }
    let digest = Sha256::digest(&decoded);
    Some(digest.iter().map(|b| format!("{b:02x}")).collect())
}

/// The new expiry if this use should push it, given when the session was created.
pub fn refreshed_expiry(now: i64, expires_at: i64, created_at: i64) -> Option<i64> {
    let target = (now + IDLE_SECONDS).min(created_at + ABSOLUTE_SECONDS);
    (target - expires_at >= REFRESH_EVERY_SECONDS).then_some(target)
}

pub fn set_cookie(token: &str, secure: bool) -> String {
    format!(
        "{COOKIE}={token}; Path=/; Max-Age={ABSOLUTE_SECONDS}; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    )
}

pub fn clear_cookie(secure: bool) -> String {
    format!(
        "{COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bits_and_hash_stably() {
        let t = new_token();
        assert_eq!(URL_SAFE_NO_PAD.decode(&t).unwrap().len(), 32);
        assert_ne!(t, new_token());
        assert_eq!(token_hash(&t), token_hash(&t));
        assert_eq!(token_hash(&t).unwrap().len(), 64);
        assert_eq!(token_hash("short"), None);
        assert_eq!(token_hash("!!!"), None);
    }

    #[test]
    fn expiry_slides_but_is_capped() {
        let created = 1_000_000;
        // Just created: nothing to push.
        assert_eq!(
            refreshed_expiry(created, created + IDLE_SECONDS, created),
            None
        );
        // Two hours later: pushed.
        let now = created + 7200;
        assert_eq!(
            refreshed_expiry(now, created + IDLE_SECONDS, created),
            Some(now + IDLE_SECONDS)
        );
        // Near the absolute cap: never beyond it.
        let now = created + ABSOLUTE_SECONDS - 100;
        assert_eq!(
            refreshed_expiry(now, created + ABSOLUTE_SECONDS - 8 * 24 * 3600, created),
            Some(created + ABSOLUTE_SECONDS)
        );
    }

    #[test]
    fn cookies_have_the_right_attributes() {
        assert_eq!(
            set_cookie("t", true),
            "sessionId=t; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax; Secure"
        );
        assert!(clear_cookie(false).starts_with("sessionId=; Path=/; Max-Age=0"));
        assert!(!clear_cookie(false).contains("Secure"));
    }
}
