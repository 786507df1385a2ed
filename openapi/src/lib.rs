//! The API's OpenAPI 3.1 document, from the code: each service describes its routes where they
//! are handled (`#[utoipa::path]` on the handler, its types deriving `ToSchema`) and lists them
//! in its `…Api`; this merges them under one `info`, with the session cookie's security scheme.
//! `vitrina-openapi` writes it to `docs/openapi.json` (`make openapi`); the tests hold that
//! file equal to a fresh one and every operation equal to its route in `template.yaml`.

use utoipa::{openapi::OpenApi, Modify};

/// Each service's part of the document, by the service's name (notification and orchestra have
/// no HTTP route).
/// Open operations say so (`security(())`, an empty requirement): a linter tells a forgotten
/// scheme from none.
pub fn parts() -> Vec<(&'static str, OpenApi)> {
    use utoipa::OpenApi as _;
    vec![
        ("auth", vitrina_auth::AuthApi::openapi()),
        ("billing", vitrina_billing::BillingApi::openapi()),
        ("delivery", vitrina_delivery::DeliveryApi::openapi()),
        ("order", vitrina_order::OrderApi::openapi()),
        ("payment", vitrina_payment::PaymentApi::openapi()),
        ("store", vitrina_store::StoreApi::openapi()),
    ]
}

pub fn document() -> OpenApi {
    let mut doc = OpenApi::default();
    for (_, part) in parts() {
        doc.merge(part);
    }
    doc.info = utoipa::openapi::InfoBuilder::new()
        .title("vitrina")
        .version("1")
        .description(Some(
            "The shop's HTTP API (API Gateway HTTP API). Errors answer \
             `{\"error\": {\"code\", \"message\", \"details\"}}`; the session is the `sessionId` \
             cookie a login sets.",
        ))
        .license(Some(
            utoipa::openapi::LicenseBuilder::new()
                .name("MIT")
                .identifier(Some("MIT"))
                .build(),
        ))
        .build();
    // The web client and the API share one origin (CloudFront in AWS, the local runtime here).
    doc.servers = Some(vec![utoipa::openapi::server::ServerBuilder::new()
        .url("/")
        .description(Some("the shop's own origin"))
        .build()]);
    vitrina_shared::openapi::Shared.modify(&mut doc);
    doc
}

/// The document as `docs/openapi.json` holds it: pretty JSON with a final newline.
pub fn json() -> String {
    let mut text = document()
        .to_pretty_json()
        .expect("the document serialises");
    text.push('\n');
    text
}
