//! The API's OpenAPI document (`docs/openapi.json`, written from the code by `make openapi`) is
//! served beside the app at `/api/openapi.json`, as CloudFront serves it from the web bucket.

use vitrina_tests::*;

#[tokio::test]
async fn the_openapi_document_is_served_beside_the_app() {
    let r = reqwest::get(format!("{}/api/openapi.json", base_url()))
        .await
        .expect("the shop answers");
    assert_eq!(r.status(), 200);
    let content_type = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let served: serde_json::Value = r.json().await.expect("JSON");
    let committed: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/openapi.json"))
            .expect("docs/openapi.json"),
    )
    .expect("the committed document is JSON");
    assert_eq!(served, committed);
    // The spec's own route, as its readers look for it.
    assert_eq!(
        served["paths"]["/api/login"]["post"]["operationId"],
        "login"
    );
}
