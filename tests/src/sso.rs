//! Single sign-on as a browser goes through it: the shop's start, the local OpenID provider's own
//! login and consent pages (`local/oidc/provider.mjs`), and the shop's callback — each redirect
//! looked at, cookies kept as a browser keeps them.

use crate::{base_url, call, cookie_value, unique, Reply};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The local provider's one client (the shop's), and its secret.
pub const CLIENT: &str = "vitrina-local";
pub const SECRET: &str = "sandbox-oidc-secret";

/// The local OpenID provider's issuer (`VITRINA_OIDC_URL`, set by `make test`).
pub fn provider_url() -> String {
    std::env::var("VITRINA_OIDC_URL")
        .ok()
        .filter(|v| !v.is_empty())
        .expect(
            "VITRINA_OIDC_URL is not set: the local OpenID provider's address (make test sets it)",
        )
}

/// The shop's callback for the local provider, as registered there.
pub fn callback_url() -> String {
    format!("{}/api/sso/local/callback", base_url())
}

/// A browser that keeps cookies and shows each redirect instead of following it.
pub fn browser_without_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// Where a redirect points, made absolute against `origin` when it is a path.
pub fn location_from(r: &reqwest::Response, origin: &str) -> String {
    let to = r.headers()["location"]
        .to_str()
        .expect("Location")
        .to_string();
    if to.starts_with('/') {
        format!("{origin}{to}")
    } else {
        to
    }
}

/// The query parameters of a URL, decoded.
pub fn query_of(url: &str) -> std::collections::HashMap<String, String> {
    reqwest::Url::parse(url)
        .expect("a URL")
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// Signs `login` in on the provider's pages (any password) and consents: the URL the provider
/// sends the browser back to.
pub async fn sign_in_at_provider(b: &reqwest::Client, authorize: &str, login: &str) -> String {
    let origin = provider_url();
    let mut url = authorize.to_string();
    for _ in 0..10 {
        if !url.starts_with(&origin) {
            return url;
        }
        let r = b.get(&url).send().await.expect("GET");
        if r.status().is_redirection() {
            url = location_from(&r, &origin);
            continue;
        }
        let page = r.text().await.expect("page");
        let action = page
            .split("action=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("a form on the provider's page: {page}"));
        let form: Vec<(&str, &str)> = if page.contains("name=\"login\"") {
            vec![("prompt", "login"), ("login", login), ("password", "any")]
        } else {
            vec![("prompt", "consent")]
        };
        let r = b
            .post(if action.starts_with('/') {
                format!("{origin}{action}")
            } else {
                action.to_string()
            })
            .form(&form)
            .send()
            .await
            .expect("POST");
        assert!(
            r.status().is_redirection(),
            "the form moves on: {}",
            r.status()
        );
        url = location_from(&r, &origin);
    }
    panic!("the provider never sent the browser back: {url}");
}

/// `GET /api/sso/local/start?…`: the shop's answer (a redirect to the provider, or a refusal).
pub async fn start(b: &reqwest::Client, query: &str) -> reqwest::Response {
    b.get(format!("{}/api/sso/local/start{query}", base_url()))
        .send()
        .await
        .expect("start")
}

/// Start → the provider's pages as `login` → the URL of the shop's callback (not yet visited).
pub async fn to_callback(b: &reqwest::Client, login: &str, query: &str) -> String {
    let r = start(b, query).await;
    assert_eq!(
        r.status().as_u16(),
        302,
        "start sends the browser to the provider"
    );
    let authorize = location_from(&r, &base_url());
    assert!(authorize.starts_with(&provider_url()), "{authorize}");
    let back = sign_in_at_provider(b, &authorize, login).await;
    assert!(back.starts_with(&callback_url()), "{back}");
    back
}

/// The shop's callback visited: where it sends the browser (the path and query) and the
/// cookies it sets.
pub async fn visit_callback(b: &reqwest::Client, url: &str) -> (String, Vec<String>) {
    let r = b.get(url).send().await.expect("callback");
    assert_eq!(r.status().as_u16(), 303, "the callback redirects");
    let cookies = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_string))
        .collect();
    let to = r.headers()["location"]
        .to_str()
        .expect("Location")
        .to_string();
    (to, cookies)
}

/// The whole way, from the shop's start to where its callback sends the browser.
pub async fn through_provider(
    b: &reqwest::Client,
    login: &str,
    query: &str,
) -> (String, Vec<String>) {
    let back = to_callback(b, login, query).await;
    visit_callback(b, &back).await
}

/// Arms a fault of the provider for `login`'s next ID token: `aud`, `iss`, `expired`, `nonce`
/// or `foreign_key`.
pub async fn spoil_next_id_token(login: &str, fault: &str) {
    spoil_next("id-token", login, fault).await
}

/// Arms a fault of the provider for `login`'s next access token for the shop's API: `aud`,
/// `iss`, `expired`, `foreign_key` or `scope`.
pub async fn spoil_next_access_token(login: &str, fault: &str) {
    spoil_next("access-token", login, fault).await
}

async fn spoil_next(token: &str, login: &str, fault: &str) {
    let r = reqwest::Client::new()
        .post(format!("{}/_faults/{token}", provider_url()))
        .body(serde_json::json!({"sub": login, "fault": fault}).to_string())
        .send()
        .await
        .expect("fault");
    assert_eq!(r.status().as_u16(), 204, "the provider took the fault");
}

/// `POST /api/sso/register` with the pending cookie the callback set.
pub async fn finish_registration(b: &reqwest::Client, body: serde_json::Value) -> Reply {
    call(b, "POST", "/api/sso/register", Some(&body.to_string())).await
}

/// `POST /api/sso/link` with the pending cookie the callback set: «Связать с существующей
/// учётной записью» with this password.
pub async fn link_with_password(b: &reqwest::Client, password: &str) -> Reply {
    let body = serde_json::json!({ "password": password }).to_string();
    call(b, "POST", "/api/sso/link", Some(&body)).await
}

/// Whether these `Set-Cookie`s open a session.
pub fn opens_session(set_cookies: &[String]) -> bool {
    cookie_value(set_cookies, "sessionId").is_some_and(|v| !v.is_empty())
}

/// A PKCE verifier and its S256 challenge.
pub fn pkce() -> (String, String) {
    let verifier = format!("{}{}", unique("v"), unique("erifier-long-enough-for-pkce"));
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

/// The provider's authorization URL for the local client.
pub fn authorize_url(challenge: Option<&str>, state: &str, nonce: &str, redirect: &str) -> String {
    let mut url = reqwest::Url::parse(&format!("{}/auth", provider_url())).expect("a URL");
    url.query_pairs_mut()
        .append_pair("client_id", CLIENT)
        .append_pair("response_type", "code")
        .append_pair("scope", "openid email profile phone")
        .append_pair("redirect_uri", redirect)
        .append_pair("state", state)
        .append_pair("nonce", nonce);
    if let Some(c) = challenge {
        url.query_pairs_mut()
            .append_pair("code_challenge", c)
            .append_pair("code_challenge_method", "S256");
    }
    url.to_string()
}

/// The code redeemed at the provider's token endpoint: its status and the tokens.
pub async fn token(code: &str, verifier: &str) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!("{}/token", provider_url()))
        .basic_auth(CLIENT, Some(SECRET))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", &callback_url()),
            ("code_verifier", verifier),
        ])
        .send()
        .await
        .expect("token");
    (r.status().as_u16(), r.json().await.unwrap_or_default())
}

/// What an app holding the local client would do on its own: the authorization code flow as
/// `login`, redeemed for tokens (the ID token, and an access token for the shop's API).
pub async fn provider_tokens(login: &str) -> Value {
    let (verifier, challenge) = pkce();
    let b = browser_without_redirects();
    let back = sign_in_at_provider(
        &b,
        &authorize_url(
            Some(&challenge),
            &unique("state"),
            &unique("nonce"),
            &callback_url(),
        ),
        login,
    )
    .await;
    let code = query_of(&back).get("code").expect("code").clone();
    let (status, tokens) = token(&code, &verifier).await;
    assert_eq!(status, 200, "{tokens}");
    tokens
}

/// A call of the shop's API as an app makes it: `Authorization: Bearer <token>`, no cookie.
pub async fn call_with_bearer(method: &str, path: &str, token: &str) -> Reply {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let resp = reqwest::Client::new()
        .request(method, format!("{}{path}", base_url()))
        .bearer_auth(token)
        .send()
        .await
        .expect("request");
    crate::reply(resp).await
}
