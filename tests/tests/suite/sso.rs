//! Single sign-on through the local OpenID provider, as a browser goes: the shop's start, the
//! provider's own pages, the shop's callback. The local account, always: an identity linked
//! signs in; a new one registers with the form pre-filled; an e-mail a local account has is
//! linked only with that account's password (and an unverified one is not even offered);
//! linking and unlinking in «Личный кабинет»; and every refusal writes nothing. And the
//! resource-server role: an app's access token from the provider, for a linked identity, is a
//! caller of the API as a session is.

use serde_json::{json, Value};
use std::time::Duration;
use vitrina_tests::{sso::*, *};

/// A person at the local provider that no other test signs in as (`maria-<suffix>` has the
/// e-mail `maria-<suffix>@sso.example`, verified; `pavel-…` unverified; `anna-…` unsaid).
fn person(base: &str) -> (String, String) {
    let login = format!("{base}-{}", unique("").to_lowercase());
    let email = format!("{login}@sso.example");
    (login, email)
}

/// The identity's two items: who `(issuer, login)` is, and the client's link.
async fn linked_to(login: &str) -> Option<String> {
    table_item(&format!("IDENTITY#{}#{login}", provider_url()), "OWNER")
        .await
        .map(|item| item["userId"].as_s().expect("userId").clone())
}

/// A local account registered by password with this e-mail: its username and password.
async fn local_account_with(email: &str) -> NewUser {
    let username = unique("u");
    let body = json!({"username": username, "password": "Secret-123", "email": email});
    let r = call(&browser(), "POST", "/api/register", Some(&body.to_string())).await;
    assert_eq!(r.status, 200, "{}", r.body);
    NewUser {
        username,
        password: "Secret-123".into(),
        email: email.into(),
    }
}

#[tokio::test]
async fn a_new_client_registers_through_the_provider_then_signs_in_with_it() {
    let (login, email) = person("maria");
    // A browser left signed in by someone else (a shared computer): that session ends.
    let b = browser_without_redirects();
    let before = register(&b).await;
    assert_eq!(login_with(&b, &before).await, 200);
    let (to, cookies) = through_provider(&b, &login, "?returnTo=/cart").await;
    assert_eq!(
        to, "/register?sso=local",
        "a new identity goes on to the registration"
    );
    assert!(!opens_session(&cookies), "not signed in before registering");
    assert!(cookie_value(&cookies, "ssoPending").is_some());

    // The registration form's pre-filled values come from the provider.
    let pending = call(&b, "GET", "/api/sso/pending", None).await;
    assert_eq!(pending.status, 200, "{}", pending.body);
    assert_eq!(
        (
            &pending.body["next"],
            &pending.body["email"],
            &pending.body["firstName"],
            &pending.body["lastName"],
            &pending.body["phone"],
            &pending.body["providerName"],
            &pending.body["username"],
        ),
        (
            &json!("register"),
            &json!(email),
            &json!("Мария"),
            &json!("Соколова"),
            &json!("+79990001122"),
            &json!("Sandbox ID"),
            &json!(login),
        )
    );
    // Without a password: the provider is the way in.
    let username = unique("sso");
    let done = finish_registration(
        &b,
        json!({"username": username, "email": email, "firstName": "Мария", "lastName": "Соколова"}),
    )
    .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(done.body["returnTo"], "/cart");
    assert!(opens_session(&done.set_cookies));
    let me = call(&b, "GET", "/api/auth", None).await;
    assert_eq!((me.status, &me.body["username"]), (200, &json!(username)));
    // The pending identity is used up: a second registration with it is refused.
    let again = finish_registration(
        &b,
        json!({"username": unique("sso"), "email": "x@example.ru"}),
    )
    .await;
    assert_eq!(
        (again.status, &again.body["error"]["code"]),
        (400, &json!("sso_expired"))
    );

    // user.registered opened the wallet, as for a sign-up with a password.
    let user_id = user_id_of(&username).await;
    assert_eq!(linked_to(&login).await.as_deref(), Some(user_id.as_str()));
    eventually(Duration::from_secs(15), || async {
        table_item(&format!("WALLET#{user_id}"), "WALLET").await
    })
    .await
    .expect("the wallet opens");

    // The spec's contract for that session: /auth names the client, /logout ends it.
    let out = call(&b, "GET", "/api/logout", None).await;
    assert_eq!(out.status, 200, "{}", out.body);
    assert_eq!(call(&b, "GET", "/api/auth", None).await.status, 401);
    // No password: a login by password is refused, whatever is typed.
    let guess = vitrina_tests::login(
        &browser(),
        &NewUser {
            username: username.clone(),
            password: "".into(),
            email: email.clone(),
        },
    )
    .await;
    assert_eq!(guess.status, 400);
    let guess = vitrina_tests::login(
        &browser(),
        &NewUser {
            username: username.clone(),
            password: "dummy-password-0".into(),
            email: email.clone(),
        },
    )
    .await;
    assert_eq!(
        guess.status, 401,
        "no password matches an account without one"
    );

    // The next time, the provider signs the client in.
    let b2 = browser_without_redirects();
    let (to, cookies) = through_provider(&b2, &login, "?returnTo=/orders").await;
    assert_eq!(to, "/orders");
    assert!(opens_session(&cookies));
    let me = call(&b2, "GET", "/api/auth", None).await;
    assert_eq!((me.status, &me.body["username"]), (200, &json!(username)));

    // «Личный кабинет»: the provider is linked, and it is the only way in — it stays.
    let ways = call(&b2, "GET", "/api/me/identities", None).await;
    assert_eq!(ways.status, 200, "{}", ways.body);
    assert_eq!(ways.body["hasPassword"], false);
    assert_eq!(ways.body["providers"][0]["email"], json!(email));
    let unlink = call(&b2, "DELETE", "/api/me/identities/local", None).await;
    assert_eq!(
        (unlink.status, &unlink.body["error"]["code"]),
        (409, &json!("last_way_in"))
    );
    assert_eq!(linked_to(&login).await.as_deref(), Some(user_id.as_str()));
}

#[tokio::test]
async fn an_email_a_local_account_has_is_linked_only_with_its_password() {
    let (login, email) = person("maria");
    let owner = local_account_with(&email).await;
    // The owner, signed in by password, tries the provider: the link asks for the password all
    // the same, and the session the browser had is replaced by a fresh one.
    let b = browser_without_redirects();
    let by_password = vitrina_tests::login(&b, &owner).await;
    assert_eq!(by_password.status, 200);
    let old_session = cookie_value(&by_password.set_cookies, "sessionId").expect("a session");
    let (to, cookies) = through_provider(&b, &login, "?returnTo=/account").await;
    assert_eq!(to, "/sso/link", "never signed in by the e-mail alone");
    assert!(!opens_session(&cookies));
    let pending = call(&b, "GET", "/api/sso/pending", None).await;
    assert_eq!(pending.body["next"], "link", "{}", pending.body);

    let wrong = link_with_password(&b, "Wrong-123").await;
    assert_eq!(
        (wrong.status, &wrong.body["error"]["code"]),
        (400, &json!("wrong_password"))
    );
    assert!(!opens_session(&wrong.set_cookies));
    assert_eq!(
        linked_to(&login).await,
        None,
        "nothing linked by a wrong password"
    );
    // A registration with the identity cannot take the e-mail either.
    let taken = finish_registration(&b, json!({"username": unique("sso"), "email": email})).await;
    assert_eq!(
        (taken.status, &taken.body["error"]["code"]),
        (409, &json!("user_exists"))
    );

    let linked = link_with_password(&b, "Secret-123").await;
    assert_eq!(linked.status, 200, "{}", linked.body);
    assert_eq!(
        (&linked.body["username"], &linked.body["returnTo"]),
        (&json!(owner.username), &json!("/account"))
    );
    assert!(opens_session(&linked.set_cookies));
    let ended = call_with_cookie("GET", "/api/auth", &format!("sessionId={old_session}")).await;
    assert_eq!(ended.status, 401, "the session the browser came with ended");
    let owner_id = user_id_of(&owner.username).await;
    assert_eq!(linked_to(&login).await.as_deref(), Some(owner_id.as_str()));

    // From now on the provider signs the owner in (a fresh session id again); the password
    // still works too.
    let b2 = browser_without_redirects();
    let by_password = vitrina_tests::login(&b2, &owner).await;
    let old_session = cookie_value(&by_password.set_cookies, "sessionId").expect("a session");
    let (to, cookies) = through_provider(&b2, &login, "").await;
    assert_eq!(to, "/");
    assert!(opens_session(&cookies));
    assert_ne!(
        cookie_value(&cookies, "sessionId"),
        Some(old_session.clone())
    );
    let ended = call_with_cookie("GET", "/api/auth", &format!("sessionId={old_session}")).await;
    assert_eq!(ended.status, 401, "the session the browser came with ended");
    assert_eq!(login_ok(&owner).await, 200);

    // Unlinked (the password is another way in): the identity is no one's again.
    let unlink = call(&b2, "DELETE", "/api/me/identities/local", None).await;
    assert_eq!(unlink.status, 204, "{}", unlink.body);
    assert_eq!(linked_to(&login).await, None);
    assert_eq!(
        table_item(&format!("USER#{owner_id}"), "IDENTITY#local").await,
        None
    );
    let again = call(&b2, "DELETE", "/api/me/identities/local", None).await;
    assert_eq!(
        (again.status, &again.body["error"]["code"]),
        (404, &json!("identity_not_linked"))
    );
    let (to, _) = through_provider(&browser_without_redirects(), &login, "").await;
    assert_eq!(to, "/sso/link");
}

async fn login_ok(user: &NewUser) -> u16 {
    login(&browser(), user).await.status
}

#[tokio::test]
async fn an_unverified_email_a_local_account_has_is_not_even_offered() {
    // `pavel-…`: `email_verified: false`; `anna-…`: no claim at all, which counts as false.
    for base in ["pavel", "anna"] {
        let (login, email) = person(base);
        local_account_with(&email).await;
        let b = browser_without_redirects();
        let (to, cookies) = through_provider(&b, &login, "").await;
        assert_eq!(to, "/login?sso=email_unverified", "{base}");
        assert!(!opens_session(&cookies) && cookie_value(&cookies, "ssoPending").is_none());
        let link = link_with_password(&b, "Secret-123").await;
        assert_eq!(
            (link.status, &link.body["error"]["code"]),
            (400, &json!("sso_expired"))
        );
        assert_eq!(linked_to(&login).await, None, "{base}");
    }
}

#[tokio::test]
async fn a_signed_in_client_links_a_provider_in_the_personal_account() {
    let (login, _) = person("anna");
    let b = browser_without_redirects();
    let owner = register(&b).await;
    assert_eq!(login_with(&b, &owner).await, 200);
    let (to, _) = through_provider(&b, &login, "?link=true&returnTo=/account").await;
    assert_eq!(to, "/account?sso=linked");
    let owner_id = user_id_of(&owner.username).await;
    assert_eq!(linked_to(&login).await.as_deref(), Some(owner_id.as_str()));
    let ways = call(&b, "GET", "/api/me/identities", None).await;
    assert_eq!(ways.body["hasPassword"], true);
    assert_eq!(ways.body["providers"][0]["provider"], "local");
    assert!(
        ways.body["providers"][0]["linkedAt"].is_string(),
        "{}",
        ways.body
    );

    // Another client cannot link it to themselves.
    let other = browser_without_redirects();
    let someone = register(&other).await;
    assert_eq!(login_with(&other, &someone).await, 200);
    let (to, _) = through_provider(&other, &login, "?link=true").await;
    assert_eq!(to, "/account?sso=linked_to_another");
    assert_eq!(linked_to(&login).await.as_deref(), Some(owner_id.as_str()));

    // Linking asks for a session.
    let r = start(&browser_without_redirects(), "?link=true").await;
    assert_eq!(r.status().as_u16(), 401);
}

pub(crate) async fn login_with(b: &reqwest::Client, user: &NewUser) -> u16 {
    login(b, user).await.status
}

/// What a refused callback must leave: no session, no identity waiting, nothing linked.
fn refused(to: &str, cookies: &[String], why: &str) {
    assert_eq!(to, format!("/login?sso={why}"));
    assert!(!opens_session(cookies), "{why}: no session");
    assert!(
        cookie_value(cookies, "ssoPending").is_none(),
        "{why}: nothing pending"
    );
}

#[tokio::test]
async fn every_spoiled_id_token_is_refused_and_nothing_is_written() {
    for fault in ["aud", "iss", "expired", "nonce", "foreign_key"] {
        let (login, email) = person("maria");
        spoil_next_id_token(&login, fault).await;
        let b = browser_without_redirects();
        let (to, cookies) = through_provider(&b, &login, "").await;
        refused(&to, &cookies, "sso_failed");
        assert_eq!(linked_to(&login).await, None, "{fault}");
        assert_eq!(table_item(&format!("EMAIL#{email}"), "EMAIL").await, None);
        // The same person, the token right: the flow works (so only the fault was refused).
        let (to, _) = through_provider(&b, &login, "").await;
        assert_eq!(to, "/register?sso=local", "{fault}");
    }
}

#[tokio::test]
async fn a_callback_without_its_flow_or_with_a_used_code_is_refused() {
    let (login, _) = person("maria");
    // No state at all.
    let b = browser_without_redirects();
    let (to, cookies) = visit_callback(&b, &format!("{}?code=x", callback_url())).await;
    refused(&to, &cookies, "state_expired");

    // The callback of another browser (the flow cookie is this browser's).
    let back = to_callback(&b, &login, "").await;
    let (to, cookies) = visit_callback(&browser_without_redirects(), &back).await;
    refused(&to, &cookies, "state_expired");
    // …which used the flow up: the right browser is refused too, the state is single-use.
    let (to, cookies) = visit_callback(&b, &back).await;
    refused(&to, &cookies, "state_expired");

    // A code replayed into another flow: the provider refuses it (used, and not for this
    // verifier).
    let first = to_callback(&b, &login, "").await;
    let (to, _) = visit_callback(&b, &first).await;
    assert_eq!(to, "/register?sso=local");
    let second = to_callback(&b, &login, "").await;
    let used_code = &query_of(&first)["code"];
    let state = &query_of(&second)["state"];
    let iss = &query_of(&second)["iss"];
    let mut replay = reqwest::Url::parse(&callback_url()).expect("URL");
    replay
        .query_pairs_mut()
        .append_pair("code", used_code)
        .append_pair("state", state)
        .append_pair("iss", iss);
    let (to, cookies) = visit_callback(&b, replay.as_str()).await;
    refused(&to, &cookies, "sso_failed");

    // A wrong verifier: the flow's own, changed in the table before the callback.
    let back = to_callback(&b, &login, "").await;
    let state = &query_of(&back)["state"];
    clients()
        .await
        .dynamodb
        .update_item()
        .table_name(resource_name("Table"))
        .key("PK", s(format!("SSOFLOW#{state}")))
        .key("SK", s("FLOW"))
        .update_expression("SET pkceVerifier = :v")
        .expression_attribute_values(":v", s("x".repeat(43)))
        .send()
        .await
        .expect("the flow's verifier changed");
    let (to, cookies) = visit_callback(&b, &back).await;
    refused(&to, &cookies, "sso_failed");

    // Another issuer in the authorization response (RFC 9207: a mix-up).
    let back = to_callback(&b, &login, "").await;
    let mixed = back.replace(
        &format!("iss={}", urlencode(&provider_url())),
        "iss=https%3A%2F%2Fevil.example",
    );
    assert_ne!(mixed, back);
    let (to, cookies) = visit_callback(&b, &mixed).await;
    refused(&to, &cookies, "sso_failed");

    // The provider's refusal (the client declined).
    let r = start(&b, "").await;
    let state = query_of(r.headers()["location"].to_str().expect("Location"))["state"].clone();
    let (to, cookies) = visit_callback(
        &b,
        &format!("{}?error=access_denied&state={state}", callback_url()),
    )
    .await;
    refused(&to, &cookies, "provider_refused");
    assert_eq!(linked_to(&login).await, None);
}

fn urlencode(v: &str) -> String {
    reqwest::Url::parse_with_params("http://x/", &[("v", v)])
        .expect("URL")
        .query()
        .expect("query")
        .trim_start_matches("v=")
        .to_string()
}

#[tokio::test]
async fn start_refuses_a_return_off_the_shop_and_an_unknown_provider() {
    let b = browser_without_redirects();
    for bad in [
        "https://evil.example/",
        "//evil.example",
        "/%5Cevil.example",
    ] {
        let r = start(&b, &format!("?returnTo={bad}")).await;
        assert_eq!(r.status().as_u16(), 400, "{bad}");
        let body: Value = r.json().await.expect("JSON");
        assert_eq!(body["error"]["code"], "invalid_return_to");
    }
    let r = b
        .get(format!("{}/api/sso/elsewhere/start", base_url()))
        .send()
        .await
        .expect("start");
    assert_eq!(r.status().as_u16(), 404);
    let providers = call(&b, "GET", "/api/sso/providers", None).await;
    assert_eq!(
        providers.body,
        json!([{"id": "local", "name": "Sandbox ID"}])
    );
}

#[tokio::test]
async fn an_apps_access_token_from_the_provider_calls_the_api_for_the_linked_client() {
    let (login, email) = person("maria");
    let tokens = provider_tokens(&login).await;
    let access = tokens["access_token"].as_str().expect("an access token");
    // Nobody here is this identity yet.
    assert_eq!(call_with_bearer("GET", "/api/me", access).await.status, 403);

    // Registered through the provider: now the token speaks for that client, at any service.
    let b = browser_without_redirects();
    let (to, _) = through_provider(&b, &login, "").await;
    assert_eq!(to, "/register?sso=local");
    let username = unique("app");
    let done = finish_registration(&b, json!({"username": username, "email": email})).await;
    assert_eq!(done.status, 200, "{}", done.body);
    let me = call_with_bearer("GET", "/api/me", access).await;
    assert_eq!(
        (me.status, &me.body["username"]),
        (200, &json!(username)),
        "{}",
        me.body
    );
    let orders = call_with_bearer("GET", "/api/orders", access).await;
    assert_eq!(orders.status, 200, "{}", orders.body);
    // The spec's /auth stays a session's: a token is no session.
    assert_eq!(
        call_with_bearer("GET", "/api/auth", access).await.status,
        401
    );

    // Not an access token for this API: the ID token (another audience and type), garbage.
    let id_token = tokens["id_token"].as_str().expect("an ID token");
    assert_eq!(
        call_with_bearer("GET", "/api/me", id_token).await.status,
        403
    );
    assert_eq!(
        call_with_bearer("GET", "/api/me", "a.b.c").await.status,
        403
    );
    // Each spoiled in one way by the provider: refused, while a sound one of the same person
    // passes (so only the fault was refused).
    for fault in ["aud", "iss", "expired", "foreign_key", "scope"] {
        spoil_next_access_token(&login, fault).await;
        let spoiled = provider_tokens(&login).await;
        let token = spoiled["access_token"].as_str().expect("an access token");
        assert_eq!(
            call_with_bearer("GET", "/api/me", token).await.status,
            403,
            "{fault}"
        );
    }
    let sound = provider_tokens(&login).await;
    let token = sound["access_token"].as_str().expect("an access token");
    assert_eq!(call_with_bearer("GET", "/api/me", token).await.status, 200);
}
