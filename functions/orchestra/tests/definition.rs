//! The saga's definition checked against the code it calls, before any execution: every
//! transition lands on a state, every state is reachable, every task's function in
//! `template.yaml` is the contract's handler, and every `ErrorEquals` name is one the contract
//! (or Lambda, or Step Functions) can actually report — a misspelt name would never match and
//! the order would go to an operator instead of being compensated — and every task's
//! `Parameters` are its function's request as its JSON Schema (schemars) describes it.

use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use vitrina_shared::{
    contracts::{
        delivery::{CancelDeliveryCase, OpenDeliveryCase},
        order::ReportOrderStatus,
        payment::{ConfirmPaid, RefundPayment},
        store::{ReleaseStock, ReserveStock},
        Contract, Refusal, UNAVAILABLE,
    },
    envelope::{Envelope, OrderPaid, OrderStatusChanged, ORDER_STATUS},
};

const DEFINITION: &str = include_str!("../../../statemachines/order-saga.asl.json");
const TEMPLATE: &str = include_str!("../../../template.yaml");

/// The errors Lambda itself reports for an invoke that did not get the function's answer.
const LAMBDA_ERRORS: &[&str] = &[
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
    "Sandbox.Timedout",
];

/// What the definition's test knows of a task's function: its contract's handler, the refusals
/// it may report, and its request's JSON Schema.
struct Task {
    handler: &'static str,
    refusals: &'static [&'static str],
    request: Value,
}

fn contract<C: Contract>() -> Task {
    Task {
        handler: C::HANDLER,
        refusals: <C::Refusal as Refusal>::NAMES,
        request: schema_of::<C::Request>(),
    }
}

/// The definition's substitution for each contract's function.
fn tasks() -> HashMap<&'static str, Task> {
    HashMap::from([
        ("${ConfirmPaidArn}", contract::<ConfirmPaid>()),
        ("${ReserveStockArn}", contract::<ReserveStock>()),
        ("${ReleaseStockArn}", contract::<ReleaseStock>()),
        ("${OpenDeliveryCaseArn}", contract::<OpenDeliveryCase>()),
        ("${CancelDeliveryCaseArn}", contract::<CancelDeliveryCase>()),
        ("${ReportStatusArn}", contract::<ReportOrderStatus>()),
        ("${RefundPaymentArn}", contract::<RefundPayment>()),
    ])
}

fn states() -> serde_json::Map<String, Value> {
    let d: Value = serde_json::from_str(DEFINITION).expect("the definition is JSON");
    d["States"].as_object().expect("States").clone()
}

fn targets(state: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for key in ["Next", "Default"] {
        if let Some(n) = state[key].as_str() {
            out.push(n.to_string());
        }
    }
    for list in ["Catch", "Choices"] {
        for c in state[list].as_array().into_iter().flatten() {
            out.extend(c["Next"].as_str().map(str::to_string));
        }
    }
    out
}

#[test]
fn every_transition_lands_on_a_state_and_every_state_is_reachable() {
    let d: Value = serde_json::from_str(DEFINITION).unwrap();
    let states = states();
    let start = d["StartAt"].as_str().expect("StartAt");
    let mut seen = BTreeSet::new();
    let mut todo = vec![start.to_string()];
    while let Some(name) = todo.pop() {
        let state = states
            .get(&name)
            .unwrap_or_else(|| panic!("a transition to {name}, which is not a state"));
        if seen.insert(name.clone()) {
            todo.extend(targets(state));
        }
        let ends =
            state["End"] == true || matches!(state["Type"].as_str(), Some("Fail" | "Succeed"));
        assert!(
            ends || state["Next"].is_string() || state["Type"] == "Choice",
            "{name} neither ends nor goes on"
        );
    }
    let unreachable: Vec<&String> = states.keys().filter(|k| !seen.contains(*k)).collect();
    assert!(unreachable.is_empty(), "unreachable: {unreachable:?}");
}

#[test]
fn every_error_name_is_one_the_task_can_report_and_unavailable_is_retried() {
    let tasks = tasks();
    for (name, state) in states() {
        if state["Type"] != "Task" {
            continue;
        }
        let resource = state["Resource"].as_str().expect("Resource");
        let refusals: &[&str] = match tasks.get(resource) {
            Some(task) => task.refusals,
            None => {
                assert!(
                    resource.starts_with("arn:aws:states:::sqs:"),
                    "{name}: {resource} is no contract of the saga"
                );
                &[]
            }
        };
        let known = |e: &str| {
            e.starts_with("States.")
                || e == UNAVAILABLE
                || LAMBDA_ERRORS.contains(&e)
                || refusals.contains(&e)
        };
        for list in ["Retry", "Catch"] {
            for rule in state[list].as_array().into_iter().flatten() {
                for e in rule["ErrorEquals"].as_array().expect("ErrorEquals") {
                    let e = e.as_str().unwrap();
                    assert!(
                        known(e),
                        "{name}: {list} names {e}, which {resource} never reports"
                    );
                }
            }
        }
        if tasks.contains_key(resource) {
            let retried: Vec<&str> = state["Retry"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|r| r["ErrorEquals"].as_array().into_iter().flatten())
                .filter_map(Value::as_str)
                .collect();
            for transient in std::iter::once(&UNAVAILABLE).chain(LAMBDA_ERRORS) {
                assert!(
                    retried.contains(transient),
                    "{name} does not retry {transient}"
                );
            }
        }
    }
}

/// `Name: value` lines of the indented block under `header` in the template.
fn block<'a>(header: &str) -> Vec<(&'a str, &'a str)> {
    let start = TEMPLATE
        .find(header)
        .unwrap_or_else(|| panic!("{header} in template.yaml"));
    let line = TEMPLATE[start..].trim_start_matches('\n');
    let indent = line.len() - line.trim_start().len()
        + (TEMPLATE[..start].len() - TEMPLATE[..start].trim_end_matches(' ').len());
    TEMPLATE[start + header.len()..]
        .lines()
        .skip(1)
        .take_while(|l| l.len() - l.trim_start().len() > indent)
        .filter_map(|l| l.trim().split_once(": "))
        .collect()
}

#[test]
fn each_substitution_is_the_contracts_function_in_the_template() {
    let subs = block("DefinitionSubstitutions:");
    let placeholders: BTreeSet<String> = DEFINITION
        .match_indices("${")
        .map(|(i, _)| {
            let end = DEFINITION[i..].find('}').unwrap();
            DEFINITION[i + 2..i + end].to_string()
        })
        .collect();
    let given: BTreeSet<String> = subs.iter().map(|(k, _)| k.to_string()).collect();
    assert_eq!(
        placeholders, given,
        "every placeholder substituted, nothing more"
    );
    for (placeholder, Task { handler, .. }) in tasks() {
        let key = &placeholder[2..placeholder.len() - 1];
        let (_, value) = subs.iter().find(|(k, _)| *k == key).unwrap();
        let function = value
            .strip_prefix("!GetAtt ")
            .and_then(|v| v.strip_suffix(".Arn"))
            .unwrap_or_else(|| panic!("{key}: {value} is not a function's Arn"));
        let props = block(&format!("\n  {function}:\n"));
        let declared = props.iter().find(|(k, _)| *k == "Handler").map(|(_, v)| *v);
        assert_eq!(declared, Some(handler), "{function} runs {handler}");
    }
}

fn schema_of<T: schemars::JsonSchema>() -> Value {
    serde_json::to_value(schemars::schema_for!(T)).expect("a schema serialises")
}

/// A schema with its `$ref` followed (into the root's `$defs`).
fn resolved<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => &root["$defs"][r.trim_start_matches("#/$defs/")],
        None => schema,
    }
}

/// What a value must be, without the words: the type (or the named type), items, enum.
fn shape(schema: &Value) -> Value {
    if let Some(r) = schema["$ref"].as_str() {
        return Value::String(r.trim_start_matches("#/$defs/").to_string());
    }
    if let Some(any) = schema["anyOf"].as_array() {
        return Value::Array(any.iter().map(shape).collect());
    }
    let mut out = serde_json::Map::new();
    for key in ["type", "enum", "const"] {
        if let Some(v) = schema.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    if let Some(items) = schema.get("items") {
        out.insert("items".into(), shape(items));
    }
    Value::Object(out)
}

/// Whether a value of shape `from` is always a value of shape `to` (the same shape, or `to`
/// the same with null allowed).
fn fits(from: &Value, to: &Value) -> bool {
    if from == to {
        return true;
    }
    let nullable = |s: &Value| match s {
        Value::Array(any) => any.iter().any(|a| a["type"] == "null"),
        Value::Object(o) => o["type"]
            .as_array()
            .is_some_and(|t| t.contains(&"null".into())),
        _ => false,
    };
    match (from, to) {
        (_, Value::Array(any)) => nullable(to) && any.iter().any(|a| fits(from, a)),
        (Value::Object(f), Value::Object(t)) => {
            let strip = |o: &serde_json::Map<String, Value>| {
                let mut o = o.clone();
                if let Some(Value::Array(types)) = o.get("type").cloned() {
                    let kept: Vec<Value> = types.into_iter().filter(|t| t != "null").collect();
                    o.insert(
                        "type".into(),
                        if kept.len() == 1 {
                            kept[0].clone()
                        } else {
                            Value::Array(kept)
                        },
                    );
                }
                o
            };
            !nullable(from) && strip(f) == strip(t)
        }
        _ => false,
    }
}

/// Where the saga's paths come from: the execution's input (`order.paid`'s payload) and what
/// its states write (`ResultPath`).
struct SagaState {
    input: Value,
    written: BTreeSet<String>,
}

impl SagaState {
    fn read() -> Self {
        let mut written = BTreeSet::new();
        for (_, state) in states() {
            let catches = state["Catch"].as_array().into_iter().flatten();
            for path in
                std::iter::once(&state["ResultPath"]).chain(catches.map(|c| &c["ResultPath"]))
            {
                if let Some(field) = path.as_str().and_then(|p| p.strip_prefix("$.")) {
                    written.insert(field.to_string());
                }
            }
        }
        Self {
            input: schema_of::<OrderPaid>(),
            written,
        }
    }

    /// Checks `params` against the object `schema` (of `root`), naming each mistake.
    fn check(
        &self,
        at: &str,
        params: &Value,
        root: &Value,
        schema: &Value,
        wrong: &mut Vec<String>,
    ) {
        let schema = resolved(root, schema);
        let props = &schema["properties"];
        let params = params.as_object().expect("Parameters are an object");
        for (key, value) in params {
            let field = key.strip_suffix(".$").unwrap_or(key);
            let Some(prop) = props.get(field) else {
                wrong.push(format!("{at}: {field} is no field of the request"));
                continue;
            };
            if key.ends_with(".$") {
                let path = value.as_str().unwrap_or_default();
                // The context object and intrinsic functions are Step Functions' own.
                let Some(source) = path.strip_prefix("$.") else {
                    continue;
                };
                if let Some(from) = self.input["properties"].get(source) {
                    let (from, to) = (shape(from), shape(prop));
                    if !fits(&from, &to) {
                        wrong.push(format!("{at}: {field} is {to}, but {path} is {from}"));
                    }
                } else if !self.written.contains(source) {
                    wrong.push(format!(
                        "{at}: {path} is neither the input's nor written by a state"
                    ));
                }
            } else if value.is_object() {
                self.check(&format!("{at}.{field}"), value, root, prop, wrong);
            } else {
                let prop = resolved(root, prop);
                let allowed = prop["enum"]
                    .as_array()
                    .cloned()
                    .or_else(|| prop.get("const").map(|c| vec![c.clone()]));
                if allowed.is_some_and(|names| !names.contains(value)) {
                    wrong.push(format!("{at}: {field} = {value} is none of its names"));
                }
            }
        }
        for required in schema["required"].as_array().into_iter().flatten() {
            let name = required.as_str().unwrap_or_default();
            if !params.contains_key(name) && !params.contains_key(&format!("{name}.$")) {
                wrong.push(format!("{at}: the request's {name} is not given"));
            }
        }
    }
}

#[test]
fn every_tasks_parameters_are_its_functions_request() {
    let saga = SagaState::read();
    let tasks = tasks();
    let status_message = schema_of::<Envelope<OrderStatusChanged>>();
    let mut wrong = Vec::new();
    let mut checked = 0;
    for (name, state) in states() {
        if state["Type"] != "Task" {
            continue;
        }
        let resource = state["Resource"].as_str().unwrap_or_default();
        if let Some(Task { request, .. }) = tasks.get(resource) {
            saga.check(&name, &state["Parameters"], request, request, &mut wrong);
            checked += 1;
        } else if state["Parameters"]["MessageBody"]["type"] == ORDER_STATUS {
            let body = &state["Parameters"]["MessageBody"];
            saga.check(&name, body, &status_message, &status_message, &mut wrong);
            checked += 1;
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    // The nine Lambda tasks and both order.status messages (the operators' queue takes the state
    // whole).
    assert_eq!(checked, 11, "tasks checked");
}
