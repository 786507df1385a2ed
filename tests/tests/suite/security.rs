//! Guessing limits that hold under parallel attempts, state-changing requests that another
//! site's page cannot make the browser send (CSRF), sessions ended everywhere at once, and the
//! operators' tools on a machine without AWS credentials.

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
async fn twenty_parallel_wrong_logins_reach_the_password_check_exactly_five_times() {
    let c = browser();
    let user = register(&c).await;
    clear_of_window_edge(vitrina_auth::flow::sessions::WINDOW_SECONDS, 60).await;
    let body = json!({"username": user.username, "password": "Wrong-password-1"}).to_string();
    let attempts = (0..20).map(|_| {
        let (c, body) = (browser(), body.clone());
        async move { post_raw(&c, "/api/login", "application/json", None, body).await }
    });
    let statuses = futures::future::join_all(attempts).await;
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(checked + refused, 20, "{statuses:?}");
    // Exactly the five tries of the window: more is the limit broken by the race, fewer (all
    // refused) a limit that counts what it should not.
    assert_eq!(
        checked, 5,
        "{checked} wrong passwords were checked: {statuses:?}"
    );
    // The right password waits out the window too: the limit is on the username.
    assert_eq!(login(&c, &user).await.status, 429);
}

#[tokio::test]
async fn right_passwords_do_not_use_up_the_attempts() {
    let c = browser();
    let user = register(&c).await;
    clear_of_window_edge(vitrina_auth::flow::sessions::WINDOW_SECONDS, 60).await;
    for _ in 0..7 {
        assert_eq!(login(&c, &user).await.status, 200);
    }
}

#[tokio::test]
async fn twenty_parallel_wrong_gift_codes_are_checked_exactly_five_times() {
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
    assert_eq!(checked, 5, "{checked} codes were checked: {statuses:?}");
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
    assert_eq!(call(&c, "GET", "/api/me", None).await.status, 403);
}

/// `vitrina-giftcards` run as a newcomer would: no AWS credentials, no region, no profile.
fn giftcards_without_credentials(endpoint: &str) -> std::process::Output {
    let target = std::env::var("CARGO_TARGET_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../target").to_string());
    let home = std::env::temp_dir().join(unique("home-"));
    std::fs::create_dir_all(&home).expect("a home without ~/.aws");
    let mut command = std::process::Command::new(format!("{target}/debug/vitrina-giftcards"));
    for name in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
    ] {
        command.env_remove(name);
    }
    command
        .env("HOME", &home)
        .env("AWS_ENDPOINT_URL", endpoint)
        .args(["issue", "--amount", "500"])
        .output()
        .expect("run vitrina-giftcards")
}

#[tokio::test]
async fn operator_tools_need_no_credentials_locally_and_fail_in_one_line() {
    let endpoint = std::env::var("AWS_ENDPOINT_URL").expect("AWS_ENDPOINT_URL: the local AWS");
    let issued = giftcards_without_credentials(&endpoint);
    assert!(
        issued.status.success(),
        "{}",
        String::from_utf8_lossy(&issued.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&issued.stdout).lines().count(),
        1,
        "one code"
    );

    // Nothing listening: one line that says so, not the SDK's report.
    let unreachable = giftcards_without_credentials("http://127.0.0.1:9");
    assert!(!unreachable.status.success());
    let stderr = String::from_utf8_lossy(&unreachable.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("cannot reach AWS at http://127.0.0.1:9: "),
        "{stderr}"
    );
}

#[tokio::test]
async fn logging_out_everywhere_ends_every_session_of_the_client_and_no_one_elses() {
    let phone = browser();
    let user = register(&phone).await;
    assert_eq!(login(&phone, &user).await.status, 200);
    let laptop = browser();
    assert_eq!(login(&laptop, &user).await.status, 200);
    let stranger = browser();
    let other = register(&stranger).await;
    assert_eq!(login(&stranger, &other).await.status, 200);

    let r = call(&laptop, "POST", "/api/logout/all", None).await;
    assert_eq!((r.status, &r.body["ended"]), (200, &json!(2)), "{}", r.body);
    for (who, client) in [("the laptop", &laptop), ("the phone", &phone)] {
        assert_eq!(
            call(client, "GET", "/api/auth", None).await.status,
            401,
            "{who} is logged out"
        );
    }
    assert_eq!(
        call(&stranger, "GET", "/api/auth", None).await.status,
        200,
        "another client's session stays"
    );
    // Logged in again, the client is in as before.
    assert_eq!(login(&phone, &user).await.status, 200);
    assert_eq!(call(&phone, "GET", "/api/auth", None).await.status, 200);
}
