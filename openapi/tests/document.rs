//! The document is the code's and the template's: `docs/openapi.json` is what the code writes
//! now, every operation is a route of `template.yaml` with the same method, the same handler
//! (its `operationId`) and the same authorisation, and every route is in the document.

use serde_yaml::Value as Yaml;
use std::collections::BTreeSet;

/// `(method, path, handler, behind the authorizer)`.
type Route = (String, String, String, bool);

/// The HTTP routes of `template.yaml` whose function's code is one of `services`
/// (`functions/<service>`), with the function's `Handler`.
fn template_routes(services: &[&str]) -> BTreeSet<Route> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../template.yaml"))
        .expect("template.yaml");
    let template: Yaml = serde_yaml::from_str(&text).expect("the template parses");
    let mut routes = BTreeSet::new();
    let resources = template["Resources"].as_mapping().expect("Resources");
    for (_, resource) in resources {
        if resource["Type"].as_str() != Some("AWS::Serverless::Function") {
            continue;
        }
        let props = &resource["Properties"];
        let code = props["CodeUri"].as_str().unwrap_or_default();
        if !services
            .iter()
            .any(|s| code == format!("functions/{s}").as_str())
        {
            continue;
        }
        let handler = props["Handler"].as_str().expect("Handler").to_string();
        let Some(events) = props["Events"].as_mapping() else {
            continue;
        };
        for (_, event) in events {
            if event["Type"].as_str() != Some("HttpApi") {
                continue;
            }
            let p = &event["Properties"];
            let open = p["Auth"]["Authorizer"].as_str() == Some("NONE");
            routes.insert((
                p["Method"].as_str().expect("Method").to_uppercase(),
                p["Path"].as_str().expect("Path").to_string(),
                handler.clone(),
                !open,
            ));
        }
    }
    routes
}

/// The document as the code writes it, parsed.
fn document() -> serde_json::Value {
    serde_json::from_str(&vitrina_openapi::json()).expect("the document is JSON")
}

/// Every operation of `doc` as `(method, path, operation)`.
fn operations(doc: &serde_json::Value) -> Vec<(&String, &String, &serde_json::Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("a path item") {
            out.push((method, path, op));
        }
    }
    out
}

/// An operation that asks for the `sessionId` scheme is behind the authorizer.
fn guarded(op: &serde_json::Value) -> bool {
    op["security"]
        .as_array()
        .is_some_and(|s| s.iter().any(|r| r.get("sessionId").is_some()))
}

/// The document's operations as routes: the `operationId` is the handler.
fn document_routes() -> BTreeSet<Route> {
    let doc = document();
    operations(&doc)
        .into_iter()
        .map(|(method, path, op)| {
            (
                method.to_uppercase(),
                path.clone(),
                op["operationId"].as_str().expect("operationId").to_string(),
                guarded(op),
            )
        })
        .collect()
}

#[test]
fn every_operation_is_a_route_of_the_template_and_every_route_is_an_operation() {
    let all = [
        "auth",
        "billing",
        "delivery",
        "notification",
        "orchestra",
        "order",
        "payment",
        "store",
    ];
    let in_template = template_routes(&all);
    let documented = document_routes();
    let unknown: Vec<_> = documented.difference(&in_template).collect();
    assert!(
        unknown.is_empty(),
        "operations that are no route of template.yaml as written (method, path, handler, \
         authorizer): {unknown:#?}"
    );
    let missing: Vec<_> = in_template.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "routes of template.yaml the document lacks: {missing:#?}"
    );
}

/// API Gateway answers 403 itself on a guarded route when the authorizer refuses (every request
/// reaches it: no identity source is required), in its own `{"message"}` shape; a route the
/// authorizer does not guard never hears it from it.
#[test]
fn the_authorizers_refusals_are_described_on_every_guarded_route_and_only_there() {
    let doc = document();
    let gateway = "#/components/schemas/GatewayMessage";
    let mut wrong = Vec::new();
    for (method, path, op) in operations(&doc) {
        let guarded = guarded(op);
        let refusals = ["401", "403"]
            .iter()
            .filter(|status| {
                op["responses"][**status]["content"]["application/json"]["schema"]["$ref"]
                    == gateway
            })
            .count();
        if (guarded && refusals != 1) || (!guarded && refusals != 0) {
            wrong.push(format!("{method} {path} (guarded: {guarded})"));
        }
    }
    assert!(
        wrong.is_empty(),
        "add `Guarded` to the responses of a guarded route, and only there: {wrong:#?}"
    );
}

/// Every error answer names its codes, and the schema holds them as `error.code`'s enum.
#[test]
fn every_error_answer_has_its_codes_as_an_enum() {
    let doc = document();
    let mut wrong = Vec::new();
    for (method, path, op) in operations(&doc) {
        for (status, response) in op["responses"].as_object().expect("responses") {
            if !status.starts_with('4') && !status.starts_with('5') {
                continue;
            }
            let schema = &response["content"]["application/json"]["schema"];
            if schema["$ref"] == "#/components/schemas/GatewayMessage" {
                continue;
            }
            let described =
                vitrina_openapi::codes_named(response["description"].as_str().unwrap_or_default());
            let listed = &schema["allOf"][1]["properties"]["error"]["properties"]["code"]["enum"];
            if described.is_empty() || *listed != serde_json::json!(described) {
                wrong.push(format!("{method} {path} {status}: {listed}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "error answers without their codes: {wrong:#?}"
    );
}

#[test]
fn the_committed_document_is_the_one_the_code_writes() {
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/openapi.json"))
            .unwrap_or_default();
    assert!(
        committed == vitrina_openapi::json(),
        "docs/openapi.json differs from what the code describes: run `make openapi` and commit it"
    );
}

#[test]
fn the_spec_auth_contract_is_described_as_the_spec_gives_it() {
    let doc = document();
    let statuses = |path: &str, method: &str| -> Vec<String> {
        doc["paths"][path][method]["responses"]
            .as_object()
            .unwrap_or_else(|| panic!("{method} {path}"))
            .keys()
            .cloned()
            .collect()
    };
    // docs/SPEC.md, the auth contract: the statuses each route answers.
    for (path, method, wanted) in [
        ("/api/register", "post", &["200", "400", "409"][..]),
        ("/api/login", "post", &["200", "400", "401", "404"][..]),
        ("/api/auth", "get", &["200", "401"][..]),
        ("/api/logout", "get", &["200", "401"][..]),
    ] {
        let got = statuses(path, method);
        for status in wanted {
            assert!(
                got.iter().any(|s| s == status),
                "{method} {path}: {status} ({got:?})"
            );
        }
    }
    let profile = &doc["components"]["schemas"]["Profile"]["properties"];
    for field in ["username", "firstName", "lastName", "email", "phone"] {
        assert!(profile.get(field).is_some(), "the user model's {field}");
    }
    let form = &doc["components"]["schemas"]["RegistrationForm"]["properties"];
    for field in [
        "username",
        "password",
        "firstName",
        "lastName",
        "email",
        "phone",
    ] {
        assert!(form.get(field).is_some(), "the registration's {field}");
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["sessionId"]["in"],
        "cookie"
    );
}

#[test]
fn no_two_services_give_one_schema_name_to_two_shapes() {
    // Merging keeps the first schema of a name: a second service's type of that name would be
    // described by the first's shape.
    let merged = serde_json::to_value(vitrina_openapi::document()).expect("JSON");
    for (service, part) in vitrina_openapi::parts() {
        let part = serde_json::to_value(part).expect("JSON");
        let Some(schemas) = part["components"]["schemas"].as_object() else {
            continue;
        };
        for (name, schema) in schemas {
            assert_eq!(
                &merged["components"]["schemas"][name], schema,
                "{service}'s {name} is another shape in the document"
            );
        }
    }
}
