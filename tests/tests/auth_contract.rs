//! The spec's auth contract (POST /register, POST /login, GET /logout, GET /auth), over HTTP
//! through the HTTP API, status code by status code.

use serde_json::json;
use vitrina_tests::*;

fn cookie_value(set_cookies: &[String], name: &str) -> Option<String> {
    set_cookies
        .iter()
        .filter_map(|c| c.split(';').next())
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
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
    let r = call(
        &c,
        "PUT",
        "/api/me",
        Some(&json!({"firstName": "Пётр", "email": new_email}).to_string()),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["firstName"], "Пётр");
    assert_eq!(r.body["lastName"], "Петров");
    assert_eq!(r.body["email"], new_email.as_str());
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
    // No cookie at all: API Gateway answers 401 before any function runs.
    assert_eq!(call(&anon, "GET", "/api/me", None).await.status, 401);
    assert_eq!(call(&anon, "GET", "/api/wallet", None).await.status, 401);
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
