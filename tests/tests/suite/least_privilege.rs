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

/// Grants no call of the whole suite used, each for a branch the suite does not reach (a race
/// lost at one exact moment, a failure between two writes, a timer message that came early).
/// A grant that becomes unused and is not here fails the check: remove the grant, or add it
/// here with the branch that needs it.
const KNOWN_UNUSED: &[&str] = &[
    "AuthAuthorizerFunction: dynamodb:UpdateItem on SESSION#* (Statement 0)",
    // A session's expiry slides at most hourly; the identity is read on a lost race only.
    "AuthSsoStartFunction: dynamodb:UpdateItem on SESSION#* (Statement 1)",
    "AuthSsoLinkFunction: dynamodb:GetItem on IDENTITY#* (Statement 0)",
    "DeliveryCaseOpenFunction: dynamodb:GetItem on DELIVERYCASE#* (Statement 0)",
    "DeliveryCaseOpenFunction: dynamodb:DeleteItem on SLOTS#* (Statement 1)",
    "NotificationGiftCardEventsFunction: dynamodb:DeleteItem on NOTIFY#* (Statement 0)",
    "NotificationOrderEventsFunction: dynamodb:DeleteItem on NOTIFY#* (Statement 0)",
    "NotificationPaymentEventsFunction: dynamodb:DeleteItem on NOTIFY#* (Statement 0)",
    "OrderGiftCardOrderFunction: dynamodb:GetItem on ORDER#* (Statement 0)",
    "OrderPlaceFunction: lambda:InvokeFunction (LambdaInvokePolicy StoreStockReleaseFunction)",
    "PaymentConfirmFunction: dynamodb:PutItem on CARDS#* (Statement 0)",
    "PaymentCreateFunction: dynamodb:PutItem on CARDS#* (Statement 0)",
    "PaymentCreateFunction: dynamodb:DeleteItem on ORDERPAY#* (Statement 2)",
    "PaymentCreateFunction: sqs:SendMessage* (SQSSendMessagePolicy vitrina-OrderPaymentQueue)",
    "PaymentCreateFunction: sqs:SendMessage* (SQSSendMessagePolicy vitrina-NotificationPaymentQueue)",
    "PaymentCreateFunction: sqs:SendMessage* (SQSSendMessagePolicy vitrina-BillingPaymentQueue)",
    "PaymentGetFunction: dynamodb:PutItem on CARDS#* (Statement 0)",
    // The timer arms itself again only when it looks at a payment still in flight.
    "PaymentTimerFunction: sqs:SendMessage* (SQSSendMessagePolicy vitrina-PaymentTimerQueue)",
    "PaymentTimerFunction: lambda:InvokeFunction (LambdaInvokePolicy BillingWalletDebitFunction)",
    "PaymentTimerFunction: lambda:InvokeFunction (LambdaInvokePolicy BillingGiftCardDebitFunction)",
    "StoreStockHoldLapseFunction: sqs:SendMessage* (SQSSendMessagePolicy vitrina-StockHoldQueue)",
];

#[tokio::test]
#[ignore = "make test runs it after the whole suite, over that suite's traffic"]
async fn every_call_a_function_made_is_one_its_policy_allows() {
    let report: Value = reqwest::get(format!("{}/_local/iam", base_url()))
        .await
        .expect("the local runtime answers")
        .json()
        .await
        .expect("a report");
    // A key the report no longer has is a broken check, never an empty list.
    let list = |name: &str| -> Vec<String> {
        report[name]
            .as_array()
            .unwrap_or_else(|| panic!("the report has no list `{name}`: {report}"))
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
            .collect()
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
    let new_unused: Vec<&String> = unused
        .iter()
        .filter(|g| !KNOWN_UNUSED.contains(&g.as_str()))
        .collect();
    assert!(
        new_unused.is_empty(),
        "grants no call used, beyond the known ones: {new_unused:#?}"
    );
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
