//! The services' registries and `template.yaml` describe the same functions: every function,
//! route (and whether the authorizer guards it), queue and stream subscription and the authorizer itself,
//! on both sides; and every function starts with exactly the settings its template entry gives
//! it. No emulator needed.

use std::collections::{BTreeSet, HashMap};
use vitrina_local::{host::registries, template::Template};
use vitrina_shared::{
    aws::Aws,
    runtime::{Env, Trigger},
    Config,
};

fn template() -> Template {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../template.yaml");
    Template::load(path, &Default::default()).expect("template")
}

/// A function's environment as Lambda would give it: the template's globals and its own
/// variables, with placeholders where the template references a resource.
async fn env_of(vars: impl IntoIterator<Item = (String, String)>) -> Env {
    let sdk = aws_config_for_tests().await;
    let mut all: HashMap<String, String> = [("TABLE_NAME".to_string(), "t".to_string())].into();
    all.extend(vars);
    Env {
        config: Config::from_vars(all).unwrap(),
        aws: Aws::new(sdk),
    }
}

async fn aws_config_for_tests() -> aws_config::SdkConfig {
    aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .build()
}

type Entry = (String, String, String);

#[tokio::test]
async fn registries_and_template_agree() {
    let t = template();
    let authorizer_fn = t
        .authorizers()
        .first()
        .expect("an authorizer")
        .function
        .clone();
    let mut from_template: BTreeSet<Entry> = BTreeSet::new();
    for f in t.functions().unwrap() {
        let mut triggers = Vec::new();
        for r in &f.routes {
            triggers.push(format!(
                "http {} {} authorized={}",
                r.method,
                r.path,
                r.authorizer.is_some()
            ));
        }
        for q in &f.sqs {
            triggers.push(format!("sqs {}", q.queue));
            assert!(
                q.report_item_failures,
                "{}: ReportBatchItemFailures",
                f.logical_id
            );
        }
        for m in &f.streams {
            triggers.push(format!("stream {}", m.table));
            assert!(
                m.report_item_failures,
                "{}: ReportBatchItemFailures",
                f.logical_id
            );
            assert!(
                m.on_failure.is_some(),
                "{}: records given up go to a queue",
                f.logical_id
            );
        }
        if f.logical_id == authorizer_fn {
            triggers.push("authorizer".into());
        }
        if triggers.is_empty() {
            // No event: invoked by another service or a state machine.
            triggers.push("invoke".into());
        }
        assert_eq!(
            triggers.len(),
            1,
            "{}: one trigger per function",
            f.logical_id
        );
        from_template.insert((f.binary.clone(), f.handler.clone(), triggers.remove(0)));
    }
    let mut from_code: BTreeSet<Entry> = BTreeSet::new();
    for (binary, registry) in registries() {
        if binary == "fixture" {
            continue;
        }
        for f in registry() {
            let trigger = match f.trigger {
                Trigger::Http {
                    method,
                    path,
                    authorized,
                } => {
                    format!("http {method} {path} authorized={authorized}")
                }
                Trigger::Sqs { queue } => format!("sqs {queue}"),
                Trigger::Stream { table } => format!("stream {table}"),
                Trigger::Authorizer => "authorizer".into(),
                Trigger::Invoke => "invoke".into(),
            };
            from_code.insert((binary.to_string(), f.handler.to_string(), trigger));
        }
    }
    assert_eq!(from_template, from_code);
}

#[test]
fn every_function_has_a_sample_event() {
    for f in template().functions().unwrap() {
        let path = format!(
            "{}/../events/{}.json",
            env!("CARGO_MANIFEST_DIR"),
            f.logical_id
        );
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        serde_json::from_str::<serde_json::Value>(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
}

/// The local runtime hosts every function in one process with the union of all their variables,
/// so it cannot show a function that needs a setting its own template entry lacks; this does.
#[tokio::test]
async fn every_function_starts_with_the_settings_its_template_entry_gives_it() {
    let registries = registries();
    let template = template();
    for spec in template.functions().unwrap() {
        let vars = spec.env.iter().map(|(k, v)| {
            // Literal values as written (a number must parse), a parameter's default; other
            // references become placeholders.
            let value = match v {
                serde_yaml::Value::String(s) => s.clone(),
                serde_yaml::Value::Number(n) => n.to_string(),
                serde_yaml::Value::Tagged(t) if t.tag == "!Ref" => t
                    .value
                    .as_str()
                    .and_then(|name| template.parameters.get(name))
                    .cloned()
                    .unwrap_or_else(|| format!("placeholder-{k}")),
                _ => format!("placeholder-{k}"),
            };
            (k.clone(), value)
        });
        let env = env_of(vars).await;
        let function = registries[spec.binary.as_str()]()
            .into_iter()
            .find(|f| f.handler == spec.handler)
            .unwrap_or_else(|| panic!("{}: no handler {}", spec.logical_id, spec.handler));
        if let Err(e) = function.build(&env) {
            panic!(
                "{} does not start with its template settings: {e}",
                spec.logical_id
            );
        }
    }
}

#[tokio::test]
async fn a_function_without_a_setting_it_needs_refuses_to_start_naming_it() {
    let cart_delivery = vitrina_order::functions()
        .into_iter()
        .find(|f| f.handler == "cart-delivery-put")
        .unwrap();
    let env = env_of([("STORE_SNAPSHOT_FUNCTION".to_string(), "s".to_string())]).await;
    let refused = cart_delivery.build(&env).err().expect("refused");
    assert_eq!(refused.to_string(), "DELIVERY_CHOOSE_FUNCTION is not set");
}
