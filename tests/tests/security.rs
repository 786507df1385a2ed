//! Guessing limits that hold under parallel attempts, and state-changing requests that another
//! site's page cannot make the browser send (CSRF).

use serde_json::json;
use vitrina_tests::*;

async fn post_raw(
    client: &reqwest::Client,
    path: &str,
    content_type: &str,
    extra: Option<(&str, &str)>,
    body: String,
) -> u16 {
    let mut req = client
        .post(format!("{}{path}", base_url()))
        .header("content-type", content_type)
        .body(body);
    if let Some((k, v)) = extra {
        req = req.header(k, v);
    }
    req.send().await.expect("request").status().as_u16()
}

#[tokio::test]
async fn twenty_parallel_wrong_logins_reach_the_password_check_at_most_five_times() {
    let c = browser();
    let user = register(&c).await;
    clear_of_window_edge(vitrina_auth::handlers::login::WINDOW_SECONDS, 60).await;
    let body = json!({"username": user.username, "password": "Wrong-password-1"}).to_string();
    let attempts = (0..20).map(|_| {
        let (c, body) = (browser(), body.clone());
        async move { post_raw(&c, "/api/login", "application/json", None, body).await }
    });
    let statuses = futures::future::join_all(attempts).await;
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(checked + refused, 20, "{statuses:?}");
    assert!(
        checked <= 5,
        "{checked} wrong passwords were checked: {statuses:?}"
    );
    // The right password waits out the window too: the limit is on the username.
    assert_eq!(login(&c, &user).await.status, 429);
}

#[tokio::test]
async fn right_passwords_do_not_use_up_the_attempts() {
    let c = browser();
    let user = register(&c).await;
    clear_of_window_edge(vitrina_auth::handlers::login::WINDOW_SECONDS, 60).await;
    for _ in 0..7 {
        assert_eq!(login(&c, &user).await.status, 200);
    }
}

#[tokio::test]
async fn twenty_parallel_wrong_gift_codes_are_checked_at_most_five_times() {
    let c = browser();
    let user = register(&c).await;
    assert_eq!(login(&c, &user).await.status, 200);
    clear_of_window_edge(vitrina_payment::domain::guessing::WINDOW_SECONDS, 60).await;
    let attempts = (0..20).map(|i| {
        let c = c.clone();
        async move {
            let code = format!("AAAA-BBBB-CCCC-{:04}", 2000 + i);
            post_raw(
                &c,
                "/api/gift-cards/activate",
                "application/json",
                None,
                json!({ "code": code }).to_string(),
            )
            .await
        }
    });
    let statuses = futures::future::join_all(attempts).await;
    let checked = statuses.iter().filter(|s| **s == 404).count();
    assert!(checked <= 5, "{checked} codes were checked: {statuses:?}");
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        20 - checked,
        "{statuses:?}"
    );
}

#[tokio::test]
async fn a_form_on_another_site_cannot_post_json_or_act_for_the_browser() {
    let c = browser();
    let user = register(&c).await;
    let credentials = json!({"username": user.username, "password": user.password}).to_string();
    // `<form enctype="text/plain">` can send a JSON-looking body, but not as application/json.
    assert_eq!(
        post_raw(&c, "/api/login", "text/plain", None, credentials.clone()).await,
        415
    );
    assert_eq!(
        post_raw(
            &c,
            "/api/login",
            "application/x-www-form-urlencoded",
            None,
            credentials.clone()
        )
        .await,
        415
    );
    // The browser marks what another site's page sends.
    assert_eq!(
        post_raw(
            &c,
            "/api/login",
            "application/json",
            Some(("sec-fetch-site", "cross-site")),
            credentials.clone()
        )
        .await,
        403
    );
    assert_eq!(login(&c, &user).await.status, 200);
    let cart = json!({"productId": "p-000002", "quantity": 1}).to_string();
    assert_eq!(
        post_raw(
            &c,
            "/api/cart/items",
            "application/json",
            Some(("sec-fetch-site", "cross-site")),
            cart.clone()
        )
        .await,
        403
    );
    assert_eq!(
        post_raw(
            &c,
            "/api/cart/items",
            "application/json",
            Some(("sec-fetch-site", "same-origin")),
            cart
        )
        .await,
        201
    );
    // The web client logs out with a POST (GET stays, as the spec gives it).
    let out = c
        .post(format!("{}/api/logout", base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(out.status().as_u16(), 200);
    assert_eq!(call(&c, "GET", "/api/me", None).await.status, 401);
}
