//! The local platform's OpenID provider (`local/oidc/provider.mjs`, npm `oidc-provider` 8.8.1),
//! which the shop's single sign-on signs in against as it would against a real one: the
//! authorization code flow through the provider's own login and consent pages, PKCE S256
//! required and checked, `iss` in the authorization response (RFC 9207), the test users' claims
//! in the ID token, and an access token for the shop's API as a JWT (RFC 9068).

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use serde_json::Value;
use vitrina_tests::{sso::*, *};

fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).expect("a JWT");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url")).expect("JSON")
}

fn header(jwt: &str) -> Value {
    let head = jwt.split('.').next().expect("a JWT");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(head).expect("base64url")).expect("JSON")
}

#[tokio::test]
async fn the_local_provider_signs_a_test_user_in_with_pkce_and_names_the_users_claims() {
    let discovery: Value = reqwest::get(format!(
        "{}/.well-known/openid-configuration",
        provider_url()
    ))
    .await
    .expect("discovery")
    .json()
    .await
    .expect("JSON");
    assert_eq!(discovery["issuer"], provider_url());
    assert_eq!(
        discovery["code_challenge_methods_supported"],
        serde_json::json!(["S256"])
    );
    assert_eq!(
        discovery["authorization_response_iss_parameter_supported"],
        true
    );

    let (_, challenge) = pkce();
    let (state, nonce) = (unique("state"), unique("nonce"));
    let b = browser_without_redirects();
    let back = sign_in_at_provider(
        &b,
        &authorize_url(Some(&challenge), &state, &nonce, &callback_url()),
        "maria",
    )
    .await;
    let params = query_of(&back);
    assert_eq!(params.get("state"), Some(&state));
    assert_eq!(params.get("iss"), Some(&provider_url()), "RFC 9207: {back}");
    let code = params.get("code").expect("code").clone();

    // The code answers only with its verifier, and only once.
    let (status, refused) = token(&code, "another-verifier-of-enough-length-1234567890").await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (400, Some("invalid_grant")),
        "{refused}"
    );
    let (verifier2, challenge2) = pkce();
    let b2 = browser_without_redirects();
    let back2 = sign_in_at_provider(
        &b2,
        &authorize_url(Some(&challenge2), &state, &nonce, &callback_url()),
        "maria",
    )
    .await;
    let code2 = query_of(&back2).get("code").expect("code").clone();
    let (status, tokens) = token(&code2, &verifier2).await;
    assert_eq!(status, 200, "{tokens}");
    let (status, _) = token(&code2, &verifier2).await;
    assert_eq!(status, 400, "a code is used once");

    let id = claims(tokens["id_token"].as_str().expect("id_token"));
    assert_eq!(
        (&id["iss"], &id["aud"], &id["sub"], &id["nonce"]),
        (
            &Value::from(provider_url()),
            &Value::from(CLIENT),
            &Value::from("maria"),
            &Value::from(nonce.clone())
        )
    );
    assert_eq!(
        (&id["email"], &id["email_verified"]),
        (&Value::from("maria@sso.example"), &Value::from(true))
    );
    assert_eq!(id["given_name"], "Мария");
    // An access token for the shop's API, as a resource server reads it (RFC 9068).
    let access = tokens["access_token"].as_str().expect("access_token");
    assert_eq!(header(access)["typ"], "at+jwt");
    let at = claims(access);
    assert_eq!(
        (&at["aud"], &at["sub"], &at["iss"]),
        (
            &Value::from(format!("{}/api", base_url())),
            &Value::from("maria"),
            &Value::from(provider_url())
        )
    );

    // The other users: an unverified e-mail, and none said at all.
    for (login, verified) in [("pavel", Value::from(false)), ("anna", Value::Null)] {
        let (v, c) = pkce();
        let b = browser_without_redirects();
        let back = sign_in_at_provider(
            &b,
            &authorize_url(Some(&c), &state, &nonce, &callback_url()),
            login,
        )
        .await;
        let code = query_of(&back).get("code").expect("code").clone();
        let (status, tokens) = token(&code, &v).await;
        assert_eq!(status, 200, "{tokens}");
        let id = claims(tokens["id_token"].as_str().expect("id_token"));
        assert_eq!(
            (id["sub"].as_str(), &id["email_verified"]),
            (Some(login), &verified)
        );
    }
}

#[tokio::test]
async fn the_local_provider_refuses_a_request_without_pkce_or_with_another_redirect() {
    let b = browser_without_redirects();
    let r = b
        .get(authorize_url(None, "s", "n", &callback_url()))
        .send()
        .await
        .expect("auth");
    assert!(r.status().is_redirection(), "{}", r.status());
    let back = location_from(&r, &provider_url());
    assert!(back.starts_with(&callback_url()), "{back}");
    let params = query_of(&back);
    assert_eq!(
        params.get("error").map(String::as_str),
        Some("invalid_request"),
        "{back}"
    );
    assert!(
        params
            .get("error_description")
            .is_some_and(|d| d.contains("PKCE")),
        "{back}"
    );

    let (_, challenge) = pkce();
    let elsewhere = authorize_url(Some(&challenge), "s", "n", &format!("{}2", callback_url()));
    let r = b.get(elsewhere).send().await.expect("auth");
    assert_eq!(
        r.status().as_u16(),
        400,
        "an unregistered redirect URI gets the provider's error page, no redirect"
    );
}
