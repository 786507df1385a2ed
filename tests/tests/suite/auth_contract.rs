//! The spec's auth contract (POST /register, POST /login, GET /logout, GET /auth), over HTTP
//! through the HTTP API, status code by status code.

use serde_json::json;
use vitrina_auth::domain::session::{token_hash, ABSOLUTE_SECONDS, IDLE_SECONDS};
use vitrina_tests::*;

/// A session cookie nobody may use: `/api/auth` says 401, the authorizer refuses `/api/me`.
async fn assert_dead(cookie: &str) {
    assert_eq!(
        call_with_cookie("GET", "/api/auth", cookie).await.status,
        401
    );
    assert_eq!(call_with_cookie("GET", "/api/me", cookie).await.status, 403);
}

/// A logged-in user and the raw `sessionId` cookie the login handed out.
async fn session() -> (reqwest::Client, NewUser, String) {
    let c = browser();
    let user = register(&c).await;
    let r = login(&c, &user).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let token = cookie_value(&r.set_cookies, "sessionId").expect("session cookie");
    (c, user, token)
}

/// The session's item in the table: (key, createdAt, expiresAt).
async fn session_item(token: &str) -> ((String, String), i64, i64) {
    let hash = token_hash(token).expect("a token we issued");
    let key = (format!("SESSION#{hash}"), "SESSION".to_string());
    let item = table_item(&key.0, &key.1).await.expect("session item");
    let n = |a: &str| item[a].as_n().unwrap().parse::<i64>().unwrap();
    let (created, expires) = (n("createdAt"), n("expiresAt"));
    (key, created, expires)
}

#[tokio::test]
async fn register_returns_the_user_model() {
    let c = browser();
    let username = unique("reg");
    let body = json!({
        "username": username, "password": "Parol-2026", "email": format!("{username}@example.ru"),
        "firstName": "Анна", "lastName": "Смирнова", "phone": "8 (912) 000-11-22",
    });
    let r = call(&c, "POST", "/api/register", Some(&body.to_string())).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.body,
        json!({"username": username, "firstName": "Анна", "lastName": "Смирнова",
               "email": format!("{username}@example.ru"), "phone": "+79120001122"})
    );
    assert!(r.set_cookies.is_empty(), "register does not log in");
}

#[tokio::test]
async fn register_requires_username_password_email() {
    let c = browser();
    for body in [
        json!({"password": "Parol-2026", "email": "a@example.ru"}),
        json!({"username": unique("x"), "email": "a@example.ru"}),
        json!({"username": unique("x"), "password": "Parol-2026"}),
        json!({"username": "", "password": "Parol-2026", "email": "a@example.ru"}),
    ] {
        let r = call(&c, "POST", "/api/register", Some(&body.to_string())).await;
        assert_eq!(r.status, 400, "{body}");
        assert_eq!(r.body["error"]["code"], "missing_fields");
        assert_eq!(
            r.body["error"]["message"],
            "Username, password, email should be provided"
        );
    }
}

#[tokio::test]
async fn register_rejects_malformed_fields_with_named_errors() {
    let c = browser();
    let base = |k: &str, v: &str| {
        let u = unique("m");
        let mut b = json!({"username": u, "password": "Parol-2026", "email": format!("{u}@example.ru"), "phone": "+79990001122"});
        b[k] = json!(v);
        b.to_string()
    };
    for (field, value, code) in [
        ("email", "not-an-email", "invalid_email"),
        ("phone", "call me", "invalid_phone"),
        ("password", "short1", "weak_password"),
        ("password", "nodigitsatall", "weak_password"),
        ("username", "имя пользователя", "invalid_username"),
    ] {
        let r = call(&c, "POST", "/api/register", Some(&base(field, value))).await;
        assert_eq!(r.status, 400, "{field}={value}: {}", r.body);
        assert_eq!(r.body["error"]["code"], code, "{field}={value}");
    }
}

#[tokio::test]
async fn register_conflicts_on_taken_username_or_email() {
    let c = browser();
    let user = register(&c).await;
    let same_name = json!({"username": user.username.to_uppercase(), "password": "Parol-2026", "email": format!("{}@example.ru", unique("o"))});
    let r = call(&c, "POST", "/api/register", Some(&same_name.to_string())).await;
    assert_eq!(r.status, 409);
    assert_eq!(r.body["error"]["message"], "User already exists");
    let same_email = json!({"username": unique("o"), "password": "Parol-2026", "email": user.email.to_uppercase()});
    let r = call(&c, "POST", "/api/register", Some(&same_email.to_string())).await;
    assert_eq!(r.status, 409);
}

#[tokio::test]
async fn concurrent_registrations_of_one_username_create_one_user() {
    let username = unique("race");
    let attempts = (0..8).map(|i| {
        let username = username.clone();
        async move {
            let body = json!({"username": username, "password": "Parol-2026", "email": format!("{username}.{i}@example.ru")});
            call(&browser(), "POST", "/api/register", Some(&body.to_string()))
                .await
                .status
        }
    });
    let mut statuses = futures::future::join_all(attempts).await;
    statuses.sort();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 409),
        "{statuses:?}"
    );
}

#[tokio::test]
async fn login_sets_a_secure_session_cookie_and_auth_accepts_it() {
    let c = browser();
    let user = register(&c).await;
    let r = login(&c, &user).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["username"], user.username.as_str());
    assert_eq!(r.body["email"], user.email.as_str());
    let cookie = r
        .set_cookies
        .iter()
        .find(|c| c.starts_with("sessionId="))
        .expect("sessionId cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/")
    );
    assert!(!cookie.contains("Secure"), "local stage serves plain HTTP");
    let token = cookie_value(&r.set_cookies, "sessionId").unwrap();
    assert!(token.len() >= 43, "256 bits, base64url");

    let me = call(&c, "GET", "/api/auth", None).await;
    assert_eq!(me.status, 200);
    assert_eq!(
        me.body,
        json!({"username": user.username, "firstName": "Иван", "lastName": "Петров",
               "email": user.email, "phone": "+79991234567"})
    );
}

#[tokio::test]
async fn login_statuses_follow_the_spec() {
    let c = browser();
    let user = register(&c).await;
    let r = call(
        &c,
        "POST",
        "/api/login",
        Some(&json!({"username": user.username}).to_string()),
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.body["error"]["message"],
        "Username and password should be provided"
    );
    let r = call(
        &c,
        "POST",
        "/api/login",
        Some(&json!({"username": user.username, "password": "Wrong-123"}).to_string()),
    )
    .await;
    assert_eq!(r.status, 401);
    assert_eq!(r.body["error"]["message"], "Invalid login/password");
    let r = call(
        &c,
        "POST",
        "/api/login",
        Some(&json!({"username": unique("nobody"), "password": "Wrong-123"}).to_string()),
    )
    .await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn login_replaces_the_old_session() {
    let c = browser();
    let user = register(&c).await;
    let first = cookie_value(&login(&c, &user).await.set_cookies, "sessionId").unwrap();
    let second = cookie_value(&login(&c, &user).await.set_cookies, "sessionId").unwrap();
    assert_ne!(first, second);
    // The first session was ended by the second login.
    let old = reqwest::Client::new();
    let r = old
        .get(format!("{}/api/auth", base_url()))
        .header("cookie", format!("sessionId={first}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(call(&c, "GET", "/api/auth", None).await.status, 200);
}

#[tokio::test]
async fn repeated_wrong_passwords_are_rate_limited() {
    let c = browser();
    let user = register(&c).await;
    let wrong = json!({"username": user.username, "password": "Wrong-123"}).to_string();
    // Failures count per fixed 15-minute window: all seven calls must land in one.
    clear_of_window_edge(vitrina_auth::flow::sessions::WINDOW_SECONDS, 60).await;
    for _ in 0..5 {
        assert_eq!(
            call(&c, "POST", "/api/login", Some(&wrong)).await.status,
            401
        );
    }
    let r = call(&c, "POST", "/api/login", Some(&wrong)).await;
    assert_eq!(r.status, 429);
    assert_eq!(r.body["error"]["code"], "too_many_attempts");
    // Even the right password waits out the window.
    assert_eq!(login(&c, &user).await.status, 429);
}

#[tokio::test]
async fn logout_ends_the_session_and_clears_the_cookie() {
    let c = browser();
    let user = register(&c).await;
    login(&c, &user).await;
    let r = call(&c, "GET", "/api/logout", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        cookie_value(&r.set_cookies, "sessionId").as_deref(),
        Some("")
    );
    assert_eq!(call(&c, "GET", "/api/auth", None).await.status, 401);
    // Again, without a session: 401, and the cookie is still cleared.
    let r = call(&c, "GET", "/api/logout", None).await;
    assert_eq!(r.status, 401);
    assert_eq!(
        cookie_value(&r.set_cookies, "sessionId").as_deref(),
        Some("")
    );
}

#[tokio::test]
async fn auth_without_a_valid_session_is_401() {
    let anon = browser();
    assert_eq!(call(&anon, "GET", "/api/auth", None).await.status, 401);
    for cookie in [
        "sessionId=",
        "sessionId=garbage",
        "sessionId=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ] {
        let r = reqwest::Client::new()
            .get(format!("{}/api/auth", base_url()))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "{cookie}");
    }
}

#[tokio::test]
async fn personal_account_reads_and_edits_the_profile() {
    let c = browser();
    let user = register(&c).await;
    login(&c, &user).await;
    let r = call(&c, "GET", "/api/me", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["firstName"], "Иван");
    let new_email = format!("{}@example.ru", unique("new"));
    // A new e-mail needs the current password (a session alone must not move the account).
    for (password, status, code) in [
        (None, 400, "current_password_required"),
        (Some("Wrong-2026"), 400, "wrong_password"),
    ] {
        let mut body = json!({"firstName": "Пётр", "email": new_email});
        if let Some(p) = password {
            body["currentPassword"] = json!(p);
        }
        let r = call(&c, "PUT", "/api/me", Some(&body.to_string())).await;
        assert_eq!(
            (r.status, &r.body["error"]["code"]),
            (status, &json!(code)),
            "{}",
            r.body
        );
    }
    assert_eq!(
        call(&c, "GET", "/api/me", None).await.body["firstName"],
        "Иван",
        "a refused change changes nothing"
    );
    let r = call(
        &c,
        "PUT",
        "/api/me",
        Some(
            &json!({"firstName": "Пётр", "email": new_email, "currentPassword": user.password})
                .to_string(),
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["firstName"], "Пётр");
    assert_eq!(r.body["lastName"], "Петров");
    assert_eq!(r.body["email"], new_email.as_str());
    // What was stored, not the echo: read it back.
    let back = call(&c, "GET", "/api/me", None).await;
    assert_eq!(back.status, 200);
    assert_eq!(back.body["firstName"], "Пётр");
    assert_eq!(back.body["lastName"], "Петров");
    assert_eq!(back.body["email"], new_email.as_str());
    assert_eq!(back.body["username"], user.username.as_str());
    // The old e-mail is free again, the new one is taken.
    let other = json!({"username": unique("o"), "password": "Parol-2026", "email": user.email});
    assert_eq!(
        call(
            &browser(),
            "POST",
            "/api/register",
            Some(&other.to_string())
        )
        .await
        .status,
        200
    );
    let clash = json!({"username": unique("o"), "password": "Parol-2026", "email": new_email});
    assert_eq!(
        call(
            &browser(),
            "POST",
            "/api/register",
            Some(&clash.to_string())
        )
        .await
        .status,
        409
    );
    let r = call(
        &c,
        "PUT",
        "/api/me",
        Some(&json!({"phone": "12"}).to_string()),
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.body["error"]["code"], "invalid_phone");
}

#[tokio::test]
async fn protected_routes_need_a_session() {
    let anon = browser();
    // No credential at all: the authorizer refuses (every request reaches it, as an access
    // token may come instead of a cookie), and API Gateway answers 403.
    assert_eq!(call(&anon, "GET", "/api/me", None).await.status, 403);
    assert_eq!(call(&anon, "GET", "/api/wallet", None).await.status, 403);
    // A cookie that is no session: the authorizer refuses, 403.
    let r = reqwest::Client::new()
        .get(format!("{}/api/me", base_url()))
        .header("cookie", "sessionId=forged")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn bad_bodies_get_4xx_json_never_500() {
    let c = browser();
    let huge = format!(
        r#"{{"username": "{}", "password": "x", "email": "a@b.ru"}}"#,
        "a".repeat(20_000)
    );
    let wrong_types = r#"{"username": 5, "password": [], "email": {}}"#.to_string();
    let field_too_long = json!({"username": unique("u"), "password": "Parol-2026", "email": "a@example.ru", "firstName": "я".repeat(500)}).to_string();
    let bodies = [
        "".to_string(),
        "{".to_string(),
        "[]".to_string(),
        "null".to_string(),
        "\"string\"".to_string(),
        wrong_types,
        huge,
        field_too_long,
        "\u{0}\u{1}binary".to_string(),
    ];
    for path in ["/api/register", "/api/login"] {
        for body in &bodies {
            let r = call(&c, "POST", path, Some(body)).await;
            assert!(
                (400..500).contains(&r.status),
                "{path} with {:?}: {} {}",
                &body.chars().take(40).collect::<String>(),
                r.status,
                r.body
            );
            assert!(r.body["error"]["code"].is_string(), "{path}: {}", r.body);
        }
    }
}

#[tokio::test]
async fn a_logged_out_sessions_cookie_sent_again_is_refused() {
    let (c, _, token) = session().await;
    let cookie = format!("sessionId={token}");
    assert_eq!(
        call_with_cookie("GET", "/api/auth", &cookie).await.status,
        200
    );
    assert_eq!(
        call_with_cookie("GET", "/api/me", &cookie).await.status,
        200
    );
    assert_eq!(call(&c, "GET", "/api/logout", None).await.status, 200);
    // The browser forgot it; an attacker who kept the raw value has nothing.
    assert_dead(&cookie).await;
}

#[tokio::test]
async fn a_session_past_its_expiry_is_refused() {
    let (_, _, token) = session().await;
    let cookie = format!("sessionId={token}");
    let (key, _, _) = session_item(&token).await;
    // The table's TTL deletes lazily: the item is still there, its expiry is what counts.
    set_numbers(&key.0, &key.1, &[("expiresAt", epoch_seconds() - 1)]).await;
    assert_dead(&cookie).await;
}

#[tokio::test]
async fn using_a_session_slides_its_expiry_up_to_thirty_days_after_login() {
    let (_, _, token) = session().await;
    let cookie = format!("sessionId={token}");
    let (key, created, expires) = session_item(&token).await;
    assert!(
        (expires - (created + IDLE_SECONDS)).abs() <= 5,
        "a new session lives a week idle: created {created}, expires {expires}"
    );
    // Two hours of the week left: a use pushes it back to a week from now.
    set_numbers(&key.0, &key.1, &[("expiresAt", epoch_seconds() + 7200)]).await;
    assert_eq!(
        call_with_cookie("GET", "/api/auth", &cookie).await.status,
        200
    );
    let (_, _, slid) = session_item(&token).await;
    let before = epoch_seconds();
    assert!(
        slid >= before - 60 + IDLE_SECONDS && slid <= before + IDLE_SECONDS,
        "slid to a week from now: {slid} (now {before})"
    );
    // Logged in 29 days ago: a use can push it no further than 30 days after login.
    let old_login = epoch_seconds() - 29 * 24 * 3600;
    set_numbers(
        &key.0,
        &key.1,
        &[
            ("createdAt", old_login),
            ("expiresAt", epoch_seconds() + 7200),
        ],
    )
    .await;
    assert_eq!(
        call_with_cookie("GET", "/api/auth", &cookie).await.status,
        200
    );
    let (_, _, capped) = session_item(&token).await;
    assert_eq!(capped, old_login + ABSOLUTE_SECONDS, "capped at 30 days");
}

#[tokio::test]
async fn login_with_the_specs_old_session_id_cookie_ends_that_session() {
    let (_, user, old) = session().await;
    // A client that keeps its cookie under the spec's name: no `sessionId`, only `oldSessionId`.
    let body = json!({"username": user.username, "password": user.password}).to_string();
    let r = reqwest::Client::new()
        .post(format!("{}/api/login", base_url()))
        .header("content-type", "application/json")
        .header("cookie", format!("oldSessionId={old}"))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let set: Vec<String> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_string))
        .collect();
    let new = cookie_value(&set, "sessionId").expect("a new session");
    assert_ne!(new, old);
    let old_cookie = format!("sessionId={old}");
    assert_eq!(
        call_with_cookie("GET", "/api/auth", &old_cookie)
            .await
            .status,
        401
    );
    let new_cookie = format!("sessionId={new}");
    assert_eq!(
        call_with_cookie("GET", "/api/auth", &new_cookie)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn changing_the_email_to_another_users_is_409_and_changes_no_claim() {
    let (a, alice, _) = session().await;
    let (_, bob, _) = session().await;
    let r = call(
        &a,
        "PUT",
        "/api/me",
        Some(
            &json!({"email": bob.email.to_uppercase(), "currentPassword": alice.password})
                .to_string(),
        ),
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(r.body["error"]["code"], "email_taken");
    // Alice keeps her address, Bob's claim still names Bob.
    assert_eq!(
        call(&a, "GET", "/api/me", None).await.body["email"],
        alice.email.as_str()
    );
    let claim = |email: &str| format!("EMAIL#{}", email.to_lowercase());
    let bobs = table_item(&claim(&bob.email), "EMAIL")
        .await
        .expect("bob's claim");
    let alices = table_item(&claim(&alice.email), "EMAIL")
        .await
        .expect("alice's claim");
    assert_ne!(bobs, alices);
    let user_id = |item: &std::collections::HashMap<
        String,
        aws_sdk_dynamodb::types::AttributeValue,
    >| { item.get("userId").and_then(|v| v.as_s().ok()).cloned() };
    assert!(user_id(&bobs).is_some(), "a claim names its user: {bobs:?}");
    assert_ne!(user_id(&bobs), user_id(&alices));
    // Bob still logs in and still has his address.
    let b = browser();
    assert_eq!(login(&b, &bob).await.status, 200);
    assert_eq!(
        call(&b, "GET", "/api/me", None).await.body["email"],
        bob.email.as_str()
    );
}
