//! The saga's definition checked against the code it calls, before any execution: every
//! transition lands on a state, every state is reachable, every task's function in
//! `template.yaml` is the contract's handler, and every `ErrorEquals` name is one the contract
//! (or Lambda, or Step Functions) can actually report — a misspelt name would never match and
//! the order would go to an operator instead of being compensated.

use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use vitrina_shared::contracts::{
    delivery::{CancelDeliveryCase, OpenDeliveryCase},
    order::ReportOrderStatus,
    payment::{ConfirmPaid, RefundPayment},
    store::{ReleaseStock, ReserveStock},
    Contract, Refusal, UNAVAILABLE,
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

fn contract<C: Contract>() -> (&'static str, &'static [&'static str]) {
    (C::HANDLER, <C::Refusal as Refusal>::NAMES)
}

/// The definition's substitution for each contract's function.
fn tasks() -> HashMap<&'static str, (&'static str, &'static [&'static str])> {
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
            Some((_, refusals)) => refusals,
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
    for (placeholder, (handler, _)) in tasks() {
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
