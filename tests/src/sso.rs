//! Single sign-on as a browser goes through it: the shop's start, the local OpenID provider's own
//! login and consent pages (`local/oidc/provider.mjs`), and the shop's callback — each redirect
//! looked at, cookies kept as a browser keeps them.

use crate::{base_url, call, cookie_value, Reply};

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
    let r = reqwest::Client::new()
        .post(format!("{}/_faults/id-token", provider_url()))
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

/// Whether these `Set-Cookie`s open a session.
pub fn opens_session(set_cookies: &[String]) -> bool {
    cookie_value(set_cookies, "sessionId").is_some_and(|v| !v.is_empty())
}
