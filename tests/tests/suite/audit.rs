//! `make audit`: the whole table (and the bank sandbox's record of every card payment) read
//! once, and the invariants that must hold after *any* sequence of events checked across
//! services — no test looks at one path alone here. `make test` runs it after the whole suite,
//! so a test that leaves the shop inconsistent fails CI; it runs the same against `make run`
//! (`make audit`) or a deployed stack (the tests' environment variables name it).
//!
//! What it checks (docs/ARCHITECTURE.md §3a says why each holds):
//! - every wallet: balance = the sum of its ledger, never negative;
//! - every gift card: 0 ≤ balance ≤ amount, balance = amount + the sum of its ledger;
//! - every product's stock in every store: never negative, and conserved — the units on the
//!   shelf plus those in open picking cases equal what stocktakings brought in (`counted`);
//! - every payment: the money taken (captured at the bank, or debited from the wallet / gift
//!   card under its cause) minus the money given back equals the payment's amount when it is
//!   `paid`, and nothing when it is anything else (a `refunded` one gave back all it took; a
//!   `failed` or `cancelled` one took nothing);
//! - every `paid` payment delivered what it bought — its goods order goes on under it, the
//!   wallet has its top-up, the gift card was issued — and a `refunded` one delivered nothing:
//!   never both;
//! - no dead-letter queue holds a message (a consumer that failed for good);
//! - every web push device belongs to a notification account, under its own id, at an endpoint
//!   notification may call, with keys of the right sizes; every choice of channels keeps the
//!   e-mail of payment results and gift-card codes on;
//! - every order claim (`ORDERPAY#`) names a payment that has the money or is taking it;
//! - every goods order past «собирается» has its picking case (and past «передан в доставку»
//!   its delivery case) open; a cancelled one has neither open; goods on the road (a delivery
//!   case past `created`) are still `handed_over` in their picking case, never back on sale,
//!   and an order whose timeline reached «В пути» is never cancelled.
//!
//! Sagas and refunds still running when the suite ends settle within seconds: the table is read
//! again every 5 s until it adds up or `SETTLE` has passed, and the last look is reported.

use aws_sdk_dynamodb::types::AttributeValue;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};
use vitrina_tests::*;

/// How long violations may take to go away (a saga compensating, a refund on its way).
const SETTLE: Duration = Duration::from_secs(90);

type Item = HashMap<String, AttributeValue>;

/// Every item of the table, as JSON (camelCase fields, as the services write them).
async fn whole_table() -> Vec<(String, String, Value)> {
    let db = clients().await.dynamodb;
    let pages: Vec<_> = db
        .scan()
        .table_name(resource_name("Table"))
        .consistent_read(true)
        .into_paginator()
        .items()
        .send()
        .collect()
        .await;
    pages
        .into_iter()
        .map(|item| {
            let item: Item = item.expect("the table is read");
            let key = |k: &str| item.get(k).and_then(|v| v.as_s().ok()).cloned();
            let (pk, sk) = (key("PK").unwrap_or_default(), key("SK").unwrap_or_default());
            let value: Value = serde_dynamo::from_item(item).expect("an item as JSON");
            (pk, sk, value)
        })
        .collect()
}

fn int(v: &Value, field: &str) -> i64 {
    v[field].as_i64().unwrap_or(0)
}

fn text<'a>(v: &'a Value, field: &str) -> &'a str {
    v[field].as_str().unwrap_or_default()
}

/// Kopecks of a bank amount (`{"value": "123.45"}`).
fn kopecks(amount: &Value) -> i64 {
    let value = amount["value"].as_str().unwrap_or("0");
    let (rub, kop) = value.split_once('.').unwrap_or((value, "0"));
    rub.parse::<i64>().unwrap_or(0) * 100 + format!("{kop:0<2}")[..2].parse::<i64>().unwrap_or(0)
}

async fn bank_payment(bank_id: &str) -> Option<Value> {
    let (shop, secret) = bank_credentials();
    let r = payer_browser()
        .get(format!("{}/v3/payments/{bank_id}", bank_url()))
        .basic_auth(shop, Some(secret))
        .send()
        .await
        .ok()?;
    r.status().is_success().then_some(())?;
    r.json().await.ok()
}

/// Whether a picking case in `status` (as the table writes it) has its units out of the shelves:
/// store's own rule (`holds_units`), not a copy of it.
fn holding(status: &str) -> bool {
    status
        .parse()
        .is_ok_and(vitrina_store::domain::picking::case::holds_units)
}

/// One pass over everything: the violations found, each with the items behind it.
async fn violations() -> BTreeMap<String, String> {
    let items = whole_table().await;
    let mut found = BTreeMap::new();
    let mut by_key: HashMap<(String, String), &Value> = HashMap::new();
    // The ledger entries of every wallet and gift card, by their partition and by their cause.
    let mut ledgers: HashMap<&str, i64> = HashMap::new();
    let mut by_cause: HashMap<(String, String), i64> = HashMap::new();
    for (pk, sk, v) in &items {
        by_key.insert((pk.clone(), sk.clone()), v);
        if let Some(cause) = sk.strip_prefix("LEDGER#") {
            *ledgers.entry(pk).or_default() += int(v, "amount");
            let owner = if pk.starts_with("WALLET#") {
                pk.clone()
            } else {
                "GIFTCARD".into()
            };
            *by_cause.entry((owner, cause.to_string())).or_default() += int(v, "amount");
        }
    }
    // The units every picking case holds out of its stores, by (product, store): a case holds
    // them from its hold until it is cancelled, lapsed or returned (handed-over goods stay
    // counted: they left through the case).
    let mut in_cases: HashMap<(String, String), i64> = HashMap::new();
    for (_, _, case) in items
        .iter()
        .filter(|(pk, sk, _)| pk.starts_with("PICKING#") && sk == "CASE")
    {
        if holding(text(case, "status")) {
            for line in case["lines"].as_array().into_iter().flatten() {
                *in_cases
                    .entry((
                        format!("PRODUCT#{}", text(line, "productId")),
                        text(line, "storeId").to_string(),
                    ))
                    .or_default() += int(line, "quantity");
            }
        }
    }
    // The clients with a provider to sign in with.
    let linked_users: std::collections::HashSet<&str> = items
        .iter()
        .filter(|(pk, sk, _)| pk.starts_with("USER#") && sk.starts_with("IDENTITY#"))
        .map(|(pk, _, _)| pk.as_str())
        .collect();
    let get = |pk: String, sk: &str| by_key.get(&(pk, sk.to_string())).copied();
    let mut flag = |what: String, items: String| {
        found.insert(what, items);
    };

    for (pk, sk, v) in &items {
        match (pk.split('#').next().unwrap_or_default(), sk.as_str()) {
            ("WALLET", "WALLET") => {
                let balance = int(v, "balance");
                let ledger = ledgers.get(pk.as_str()).copied().unwrap_or(0);
                if balance != ledger || balance < 0 {
                    flag(
                        format!("wallet {pk}: balance {balance}, ledger sums to {ledger}"),
                        v.to_string(),
                    );
                }
            }
            ("GIFTCARD", "CARD") => {
                let (amount, balance) = (int(v, "amount"), int(v, "balance"));
                let ledger = ledgers.get(pk.as_str()).copied().unwrap_or(0);
                if !(0..=amount).contains(&balance) || balance != amount + ledger {
                    flag(
                        format!(
                            "gift card {pk}: amount {amount}, balance {balance}, ledger sums to {ledger}"
                        ),
                        v.to_string(),
                    );
                }
            }
            // A device web push reaches: kept under its own id, for a client notification knows,
            // at an endpoint notification may call (the local push service here; HTTPS at a
            // browser vendor's deployed), with keys a push can be encrypted for.
            ("NOTIFY", sk) if sk.starts_with("PUSH#") => {
                let endpoint = text(v, "endpoint");
                let well_formed = sk == format!("PUSH#{}", text(v, "subscriptionId"))
                    && (endpoint.starts_with("https://")
                        || endpoint.starts_with(&format!("{}/_push/send/", base_url())))
                    && text(v, "p256dh").len() == 87
                    && text(v, "auth").len() == 22;
                if !well_formed || !by_key.contains_key(&(pk.clone(), "ACCOUNT".to_string())) {
                    flag(
                        format!("{pk} {sk}: a device of no account, or not one a push can reach"),
                        v.to_string(),
                    );
                }
            }
            // The client's choice of channels: what must go by e-mail (a payment's result, a gift
            // card's code) was never turned off, and the item was written by a change (version ≥ 1).
            ("NOTIFY", "PREFERENCES") => {
                let kept = v["orders"]["email"] != false && v["giftCards"]["email"] != false;
                if !kept || int(v, "version") < 1 {
                    flag(
                        format!("{pk} PREFERENCES: a required e-mail turned off, or no version"),
                        v.to_string(),
                    );
                }
            }
            // Single sign-on: an identity names one client, whose link names it back; a
            // client without a password has a provider to sign in with; a flow or an identity
            // waiting to be registered lives minutes (TTL), not forever.
            ("IDENTITY", "OWNER") => {
                let user = text(v, "userId");
                let link = get(
                    format!("USER#{user}"),
                    &format!("IDENTITY#{}", text(v, "provider")),
                );
                let twin = link.is_some_and(|l| {
                    *pk == format!("IDENTITY#{}#{}", text(l, "issuer"), text(l, "subject"))
                        && text(l, "userId") == user
                });
                if !twin || get(format!("USER#{user}"), "PROFILE").is_none() {
                    flag(
                        format!("{pk}: an identity whose client or link is missing"),
                        v.to_string(),
                    );
                }
            }
            ("USER", sk) if sk.starts_with("IDENTITY#") => {
                let owner = get(
                    format!("IDENTITY#{}#{}", text(v, "issuer"), text(v, "subject")),
                    "OWNER",
                );
                if owner.map(|o| text(o, "userId")) != Some(text(v, "userId"))
                    || *pk != format!("USER#{}", text(v, "userId"))
                {
                    flag(
                        format!("{pk} {sk}: a link to an identity that names another client"),
                        v.to_string(),
                    );
                }
            }
            // (A profile with no `passwordHash` at all is not a user: a test's poison record.)
            ("USER", "PROFILE")
                if v["passwordHash"].as_str() == Some("")
                    && !linked_users.contains(pk.as_str()) =>
            {
                flag(
                    format!("{pk}: no password and no provider — no way in"),
                    v.to_string(),
                );
            }
            ("SSOFLOW", "FLOW") | ("SSOPENDING", "PENDING") => {
                let expires = v["expiresAt"].as_i64().unwrap_or(i64::MAX);
                if expires > epoch_seconds() + 660 {
                    flag(
                        format!("{pk}: a sign-in that does not expire within ten minutes"),
                        v.to_string(),
                    );
                }
            }
            ("PRODUCT", "PRODUCT") => {
                for (store, units) in v["stock"].as_object().into_iter().flatten() {
                    if units.as_i64().unwrap_or(0) < 0 {
                        flag(format!("{pk}: {units} units in {store}"), v.to_string());
                    }
                }
                // Every unit a stocktaking brought in is on the shelf or in an order's case.
                let counted = v["counted"].as_object();
                let stores: std::collections::BTreeSet<&String> = counted
                    .into_iter()
                    .flatten()
                    .map(|(s, _)| s)
                    .chain(v["stock"].as_object().into_iter().flatten().map(|(s, _)| s))
                    .collect();
                for store in stores {
                    let shelf = v["stock"][store.as_str()].as_i64().unwrap_or(0);
                    let cased = in_cases
                        .get(&(pk.clone(), store.clone()))
                        .copied()
                        .unwrap_or(0);
                    let came = counted
                        .and_then(|c| c.get(store))
                        .and_then(Value::as_i64)
                        .unwrap_or(0);
                    if shelf + cased != came {
                        flag(
                            format!(
                                "{pk} in {store}: {shelf} on the shelf + {cased} in cases, but {came} counted in"
                            ),
                            v.to_string(),
                        );
                    }
                }
            }
            ("ORDERPAY", "CLAIM") => {
                let payment_id = text(v, "paymentId");
                let payment = get(format!("PAYMENT#{payment_id}"), "PAYMENT");
                let status = payment.map(|p| text(p, "status")).unwrap_or("missing");
                if !["authorized", "ready", "paid", "refunded"].contains(&status) {
                    flag(
                        format!("{pk} is claimed by payment {payment_id}, which is {status}"),
                        v.to_string(),
                    );
                }
            }
            _ => {}
        }
    }

    for (pk, _, p) in items
        .iter()
        .filter(|(pk, sk, _)| pk.starts_with("PAYMENT#") && sk == "PAYMENT")
    {
        let id = text(p, "paymentId");
        let (status, amount) = (text(p, "status"), int(p, "amount"));
        let wallet = format!("WALLET#{}", text(p, "userId"));
        // Money taken and given back, as the party that holds it says.
        let (taken, returned) = match text(p, "method") {
            "wallet" => (
                -by_cause
                    .get(&(wallet.clone(), format!("payment:{id}")))
                    .copied()
                    .unwrap_or(0),
                by_cause
                    .get(&(wallet.clone(), format!("refund:{id}")))
                    .copied()
                    .unwrap_or(0),
            ),
            "gift_card" => (
                -by_cause
                    .get(&("GIFTCARD".into(), format!("payment:{id}")))
                    .copied()
                    .unwrap_or(0),
                by_cause
                    .get(&("GIFTCARD".into(), format!("refund:{id}")))
                    .copied()
                    .unwrap_or(0),
            ),
            _ => match p["bankPaymentId"].as_str() {
                None => (0, 0),
                Some(bank_id) => match bank_payment(bank_id).await {
                    Some(b) => (
                        if b["status"] == "succeeded" {
                            kopecks(&b["amount"])
                        } else {
                            0
                        },
                        kopecks(&b["refunded_amount"]),
                    ),
                    None => {
                        flag(
                            format!("{pk}: the bank does not know {bank_id}"),
                            p.to_string(),
                        );
                        continue;
                    }
                },
            },
        };
        let kept = taken - returned;
        let should_keep = if status == "paid" { amount } else { 0 };
        if kept != should_keep && !(["authorized", "ready"].contains(&status) && kept == 0) {
            flag(
                format!("{pk} is {status} ({amount}): {taken} taken, {returned} given back"),
                p.to_string(),
            );
        }
        // What the money bought, delivered for a paid payment, and never for a refunded one.
        let delivered = match text(p, "kind") {
            "wallet_top_up" => {
                by_cause
                    .get(&(wallet.clone(), format!("topup:{id}")))
                    .copied()
                    .unwrap_or(0)
                    == amount
            }
            "gift_card" => get(format!("GIFTCARD#BOUGHT#{id}"), "PURCHASE").is_some(),
            _ => get(format!("ORDER#{}", text(p, "orderId")), "ORDER")
                .is_some_and(|o| text(o, "paymentId") == id && is_paid_status(text(o, "status"))),
        };
        let giving_back = ["refunded", "refunding"].contains(&status);
        if (status == "paid" && !delivered) || (giving_back && delivered) {
            flag(
                format!(
                    "{pk} is {status}, and what it bought is {}delivered",
                    if delivered { "" } else { "not " }
                ),
                p.to_string(),
            );
        }
    }

    for (pk, _, o) in items
        .iter()
        .filter(|(pk, sk, _)| pk.starts_with("ORDER#") && sk == "ORDER")
    {
        if o["kind"].as_str().unwrap_or("goods") != "goods" {
            continue;
        }
        let order_id = text(o, "orderId");
        let status = text(o, "status");
        let case = |prefix: &str| {
            get(format!("{prefix}#{order_id}"), "CASE").map(|c| text(c, "status").to_string())
        };
        let (picking, delivery) = (case("PICKING"), case("DELIVERYCASE"));
        // A case is open while it holds the order's goods for it; `returning` ones are the
        // warehouse's again (a cancel after the hand-over), on their way back to the shelves.
        let open = |c: &Option<String>| {
            c.as_deref()
                .is_some_and(|s| !["cancelled", "lapsed", "returning", "returned"].contains(&s))
        };
        let wrong = match status {
            "assembling" => !open(&picking),
            "handed_to_delivery" | "in_transit" | "at_pickup_point" | "out_for_delivery"
            | "delivered" => !open(&picking) || !open(&delivery),
            "cancelled" => open(&picking) || open(&delivery),
            _ => false,
        };
        if wrong {
            flag(
                format!("{pk} is {status}: picking case {picking:?}, delivery case {delivery:?}"),
                o.to_string(),
            );
        }
        // Once the order's timeline has «В пути», the goods are the courier's: it is never
        // cancelled (nothing undone, no money back) whatever came after.
        if status == "cancelled" && o["stages"]["in_transit"].is_string() {
            flag(
                format!("{pk} is cancelled after its goods left («В пути»)"),
                o.to_string(),
            );
        }
        // Goods on their way or delivered left the warehouse in their picking case: it stays
        // `handed_over`, its units off the shelves, whatever happened to the order since.
        let on_the_road = delivery
            .as_deref()
            .is_some_and(|s| !["created", "cancelled"].contains(&s));
        if on_the_road && picking.as_deref() != Some("handed_over") {
            flag(
                format!(
                    "{pk}: delivery case {delivery:?} has the goods, but picking case {picking:?} does not hold them"
                ),
                o.to_string(),
            );
        }
    }
    found
}

/// Every dead-letter queue of the template (its SQS queues named `…DLQ`).
fn dead_letter_queues() -> Vec<String> {
    let template = template();
    let resources = template["Resources"]
        .as_mapping()
        .expect("the template's resources");
    let queues: Vec<String> = resources
        .iter()
        .filter(|(_, r)| r["Type"] == "AWS::SQS::Queue")
        .filter_map(|(id, _)| {
            id.as_str()
                .filter(|id| id.ends_with("DLQ"))
                .map(String::from)
        })
        .collect();
    assert!(!queues.is_empty(), "the template's DLQs are found");
    queues
}

/// Messages that no consumer could handle: none is left when the suite ends. The tests that
/// send a poison message on purpose take it out of its DLQ once they have seen it there.
async fn dead_letters() -> BTreeMap<String, String> {
    let sqs = clients().await.sqs;
    let mut found = BTreeMap::new();
    for dlq in dead_letter_queues() {
        let url = queue_url(&sqs, &dlq).await;
        let waiting = messages_in(&sqs, &url).await.expect("the DLQ's attributes");
        if waiting > 0 {
            // Peeked (visibility 0), so the operators still find them.
            let bodies: Vec<String> = sqs
                .receive_message()
                .queue_url(&url)
                .max_number_of_messages(10)
                .visibility_timeout(0)
                .send()
                .await
                .map(|out| {
                    out.messages()
                        .iter()
                        .filter_map(|m| m.body().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            found.insert(
                format!("{dlq}: {waiting} messages no consumer could handle"),
                bodies.join("\n    "),
            );
        }
    }
    found
}

#[tokio::test]
#[ignore = "reads the whole table: `make audit`, after the suite"]
async fn the_whole_table_adds_up() {
    let started = Instant::now();
    let look = || async {
        let mut seen = violations().await;
        seen.extend(dead_letters().await);
        seen
    };
    let mut seen = look().await;
    // What is still settling goes away; what is wrong is there at the last look.
    while !seen.is_empty() && started.elapsed() < SETTLE {
        tokio::time::sleep(Duration::from_secs(5)).await;
        seen = look().await;
    }
    let report: Vec<String> = seen
        .iter()
        .map(|(what, items)| format!("- {what}\n    {items}"))
        .collect();
    println!("audit: {} violations", seen.len());
    assert!(
        seen.is_empty(),
        "the table does not add up:\n{}",
        report.join("\n")
    );
}
