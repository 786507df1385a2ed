//! IAM, played locally (`local/src/iam.rs`): each function the local runtime hosts calls AWS
//! with its own identity, the local AWS records every call, and this checks each one against
//! that function's `Policies` in `template.yaml` — actions, resources, `dynamodb:LeadingKeys`,
//! `ses:FromAddress`, invoke permissions — as IAM would in AWS. moto enforces no IAM, so
//! without this a policy too narrow fails only in AWS.
//!
//! `make test` runs it last, over the traffic of the whole suite (integration and browser);
//! alone, it checks whatever ran since the stack started.

use serde_json::Value;
use vitrina_tests::base_url;

#[tokio::test]
#[ignore = "make test runs it after the whole suite, over that suite's traffic"]
async fn every_call_a_function_made_is_one_its_policy_allows() {
    let report: Value = reqwest::get(format!("{}/_local/iam", base_url()))
        .await
        .expect("the local runtime answers")
        .json()
        .await
        .expect("a report");
    let list = |name: &str| -> Vec<String> {
        report[name]
            .as_array()
            .map(|a| a.iter().map(|v| v.to_string()).collect())
            .unwrap_or_default()
    };
    let unused = list("unused");
    println!(
        "checked {} distinct calls of hosted functions ({} by others, not checked)",
        report["checked"], report["unattributed"]
    );
    println!("grants no call used ({}):", unused.len());
    for grant in &unused {
        println!("  {grant}");
    }
    assert!(
        report["checked"].as_u64().unwrap_or(0) > 0,
        "no call was recorded: is the local AWS the project's launcher?"
    );
    assert_eq!(
        list("unreadable"),
        Vec::<String>::new(),
        "policies the check cannot read"
    );
    let refused = list("refused");
    assert!(
        refused.is_empty(),
        "calls IAM would refuse ({}):\n{}",
        refused.len(),
        refused.join("\n")
    );
}
