//! The API's OpenAPI 3.1 document, from the code: each service describes its routes where they
//! are handled (`#[utoipa::path]` on the handler, its types deriving `ToSchema`) and lists them
//! in its `…Api`; this merges them under one `info`, with the session cookie's security scheme.
//! `vitrina-openapi` writes it to `docs/openapi.json` (`make openapi`); the tests hold that
//! file equal to a fresh one and every operation equal to its route in `template.yaml`.

pub mod schemas;

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
        (
            "notification",
            vitrina_notification::NotificationApi::openapi(),
        ),
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
    Links.modify(&mut doc);
    ErrorCodes.modify(&mut doc);
    doc
}

/// Each error answer's codes as an enum of its own: the codes a handler's description names in
/// backticks (`order_not_found`) become `error.code`'s `enum` in that response's schema, so a
/// client (and Schemathesis' schema check, in every `make test`) knows exactly what each
/// operation may answer — a code the document does not name fails the fuzzing.
struct ErrorCodes;

/// The codes a response's description names: every `` `snake_case` `` word.
pub fn codes_named(description: &str) -> Vec<String> {
    description
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
        .map(str::to_string)
        .collect()
}

impl Modify for ErrorCodes {
    fn modify(&self, doc: &mut OpenApi) {
        use utoipa::openapi::{
            schema::{AllOfBuilder, ObjectBuilder, Type},
            RefOr, Schema,
        };
        let error_body = "#/components/schemas/ErrorBody";
        for op in operations_mut(doc) {
            for response in op.responses.responses.values_mut() {
                let RefOr::T(response) = response else {
                    continue;
                };
                let codes = codes_named(&response.description);
                let Some(content) = response.content.get_mut("application/json") else {
                    continue;
                };
                let is_error =
                    matches!(&content.schema, Some(RefOr::Ref(r)) if r.ref_location == error_body);
                if !is_error || codes.is_empty() {
                    continue;
                }
                let code = ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(codes));
                let error = ObjectBuilder::new()
                    .schema_type(Type::Object)
                    .property("code", code)
                    .required("code");
                let narrowed = ObjectBuilder::new()
                    .schema_type(Type::Object)
                    .property("error", error)
                    .required("error");
                content.schema = Some(RefOr::T(Schema::AllOf(
                    AllOfBuilder::new()
                        .item(RefOr::Ref(utoipa::openapi::Ref::new(error_body)))
                        .item(narrowed)
                        .build(),
                )));
            }
        }
    }
}

/// Every operation of the document, whatever its method (the API uses these five).
fn operations_mut(
    doc: &mut OpenApi,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    doc.paths
        .paths
        .values_mut()
        .flat_map(|item| {
            [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
        })
        .flatten()
}

/// Where a client goes next with what an answer gives it (OpenAPI links): a generated client
/// follows them, and Schemathesis' stateful runs walk cart → order → payment along them.
/// `(operation, status, link, target operation, target parameter, value)`.
const LINKS: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "cart-add",
        "201",
        "ChangeQuantity",
        "cart-item-patch",
        "productId",
        "$request.body#/productId",
    ),
    (
        "cart-add",
        "201",
        "RemoveLine",
        "cart-item-delete",
        "productId",
        "$request.body#/productId",
    ),
    (
        "cart-add",
        "200",
        "ChangeQuantity",
        "cart-item-patch",
        "productId",
        "$request.body#/productId",
    ),
    (
        "cart-add",
        "200",
        "RemoveLine",
        "cart-item-delete",
        "productId",
        "$request.body#/productId",
    ),
    (
        "order-place",
        "201",
        "Order",
        "order-get",
        "id",
        "$response.body#/orderId",
    ),
    (
        "order-place",
        "201",
        "BackToCart",
        "order-back-to-cart",
        "id",
        "$response.body#/orderId",
    ),
    (
        "order-place",
        "201",
        "Cancel",
        "order-cancel",
        "id",
        "$response.body#/orderId",
    ),
    (
        "order-place",
        "200",
        "Order",
        "order-get",
        "id",
        "$response.body#/orderId",
    ),
    (
        "gift-card-order",
        "201",
        "Order",
        "order-get",
        "id",
        "$response.body#/orderId",
    ),
    (
        "top-up-order",
        "201",
        "Order",
        "order-get",
        "id",
        "$response.body#/orderId",
    ),
    (
        "payment-create",
        "201",
        "Payment",
        "payment-get",
        "id",
        "$response.body#/paymentId",
    ),
    (
        "payment-create",
        "201",
        "Confirm",
        "payment-confirm",
        "id",
        "$response.body#/paymentId",
    ),
    (
        "payment-create",
        "201",
        "Order",
        "order-get",
        "id",
        "$response.body#/orderId",
    ),
    (
        "payment-confirm",
        "200",
        "Order",
        "order-get",
        "id",
        "$response.body#/orderId",
    ),
];

struct Links;

impl Modify for Links {
    fn modify(&self, doc: &mut OpenApi) {
        use utoipa::openapi::{link::LinkBuilder, RefOr};
        for (from, status, name, to, parameter, value) in LINKS {
            let response = operations_mut(doc)
                .find(|op| op.operation_id.as_deref() == Some(*from))
                .and_then(|op| op.responses.responses.get_mut(*status));
            // The document test names a link whose operation or status is not there.
            if let Some(RefOr::T(response)) = response {
                response.links.insert(
                    (*name).to_string(),
                    RefOr::T(
                        LinkBuilder::new()
                            .operation_id(*to)
                            .parameter(*parameter, *value)
                            .build(),
                    ),
                );
            }
        }
    }
}

/// The document as `docs/openapi.json` holds it: pretty JSON with a final newline.
pub fn json() -> String {
    let text = document()
        .to_pretty_json()
        .expect("the document serialises");
    // utoipa 5.5 writes a link's `operationId` in Rust's spelling; the key occurs nowhere else
    // (an operation's is `operationId` already), and `make validate` lints the result.
    let mut text = text.replace("\"operation_id\": ", "\"operationId\": ");
    text.push('\n');
    text
}
