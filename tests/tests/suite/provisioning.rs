//! Registration provisioning: a committed user's profile item, read from the table's stream by
//! auth, becomes `user.registered` over SQS; billing opens a wallet and notification an account
//! and sends the welcome e-mail — once, whatever duplicates arrive; a refused registration
//! announces nothing; a poison message ends in the DLQ.

use serde_json::json;
use std::time::Duration;
use vitrina_shared::envelope::{Envelope, UserRegistered, USER_REGISTERED};
use vitrina_tests::*;

#[tokio::test]
async fn registration_opens_an_empty_wallet_and_sends_a_welcome() {
    let c = Shop::anonymous();
    let user = register(&c).await;
    assert_eq!(login(&c, &user).await.status, 200);
    let wallet = eventually(STREAM_PATIENCE, || async {
        let r = c.wallet().await;
        (r.status == 200).then_some(r.body)
    })
    .await
    .expect("wallet opened");
    assert_eq!(wallet["balance"], 0);
    assert_eq!(wallet["currency"], "RUB");

    let letters = eventually(STREAM_PATIENCE, || async {
        let mail = mailbox().await;
        let to_user: Vec<_> = mail_to(&mail, &user.email).into_iter().cloned().collect();
        (!to_user.is_empty()).then_some(to_user)
    })
    .await
    .expect("welcome e-mail");
    assert_eq!(letters.len(), 1);
    assert_eq!(letters[0]["subject"], "Добро пожаловать в Витрину");
    assert!(letters[0]["body"]
        .as_str()
        .unwrap()
        .contains(&user.username));
}

/// How long an announcement may wait behind the poison record another test puts on the stream.
const STREAM_PATIENCE: Duration = Duration::from_secs(45);
/// A bound on waiting for a message sent straight to a queue: the same file's poison and
/// SES-refusal tests keep the notification consumer's batches busy with retries meanwhile
/// (seen: a marker's welcome 15 s late under the whole suite's load).
const QUEUE_PATIENCE: Duration = Duration::from_secs(45);

#[tokio::test]
async fn a_refused_registration_announces_nothing() {
    let c = Shop::anonymous();
    let first = register(&c).await;
    // Same e-mail, new username: the transaction is cancelled at the e-mail claim, after the
    // profile item was already part of it. Nothing of it may reach the stream.
    let refused = unique("again");
    let body = json!({"username": refused, "password": "Parol-2026", "email": first.email});
    let r = call(&c, "POST", "/api/register", Some(&body.to_string())).await;
    assert_eq!(r.status, 409, "{}", r.body);
    // The stream is ordered: once a later registration is announced, the refused one would
    // have been too.
    let later = register(&c).await;
    // The stream is one shard shared with the poison-record test of this file, which holds it
    // while its record is retried and bisected (seconds; more under load): wait past that.
    let announced = eventually(STREAM_PATIENCE, || async {
        let mail = mailbox().await;
        (!mail_to(&mail, &later.email).is_empty()).then_some(())
    })
    .await;
    assert!(announced.is_some(), "the later user is welcomed");
    // The table's stream is the source of every announcement, and it is ordered: once the later
    // user's record is read, a record of the refused registration would have been read before.
    let usernames = inserted_usernames_until(&later.username).await;
    assert!(
        !usernames.contains(&refused),
        "the refused registration reached the stream"
    );
    assert!(usernames.contains(&first.username));
    // And end to end: the e-mail's one user gets one welcome.
    let welcomes = eventually(STREAM_PATIENCE, || async {
        let n = mail_to(&mailbox().await, &first.email).len();
        (n > 0).then_some(n)
    })
    .await;
    assert_eq!(welcomes, Some(1), "one welcome for the e-mail's one user");
}

/// The usernames of the user profiles inserted into the table, in the stream's order, up to and
/// including `last`'s.
async fn inserted_usernames_until(last: &str) -> Vec<String> {
    use aws_sdk_dynamodbstreams::types::ShardIteratorType;
    let config = vitrina_shared::aws::sdk_config().await;
    let table = resource_name("Table");
    let arn = clients()
        .await
        .dynamodb
        .describe_table()
        .table_name(&table)
        .send()
        .await
        .unwrap()
        .table
        .and_then(|t| t.latest_stream_arn)
        .expect("the table has a stream");
    let streams = aws_sdk_dynamodbstreams::Client::new(&config);
    let shard = streams
        .describe_stream()
        .stream_arn(&arn)
        .send()
        .await
        .unwrap()
        .stream_description
        .and_then(|d| d.shards)
        .and_then(|s| s.into_iter().next())
        .and_then(|s| s.shard_id)
        .expect("a shard");
    let mut iterator = streams
        .get_shard_iterator()
        .stream_arn(&arn)
        .shard_id(shard)
        .shard_iterator_type(ShardIteratorType::TrimHorizon)
        .send()
        .await
        .unwrap()
        .shard_iterator;
    let mut usernames = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while let Some(it) = iterator {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{last} not in the stream"
        );
        let out = streams
            .get_records()
            .shard_iterator(it)
            .limit(1000)
            .send()
            .await
            .unwrap();
        for record in out.records() {
            let Some(image) = record.dynamodb().and_then(|d| d.new_image()) else {
                continue;
            };
            let is_profile = image
                .get("SK")
                .and_then(|v| v.as_s().ok())
                .map(String::as_str)
                == Some("PROFILE");
            if let (true, Some(name)) = (
                is_profile,
                image.get("username").and_then(|v| v.as_s().ok()),
            ) {
                usernames.push(name.clone());
                if name == last {
                    return usernames;
                }
            }
        }
        iterator = out.next_shard_iterator;
    }
    panic!("the stream ended before {last}");
}

fn registered(user_id: &str, email: &str) -> String {
    let message = Envelope::new(
        USER_REGISTERED,
        format!("dup-test-{user_id}"),
        UserRegistered {
            user_id: user_id.to_string(),
            username: unique("dup"),
            first_name: "Дубль".into(),
            last_name: String::new(),
            email: email.to_string(),
            phone: String::new(),
            version: 1,
        },
    );
    serde_json::to_string(&message).unwrap()
}

async fn wallet_balance(user_id: &str) -> Option<String> {
    let item = table_item(&format!("WALLET#{user_id}"), "WALLET").await?;
    Some(item["balance"].as_n().unwrap().to_string())
}

#[tokio::test]
async fn duplicate_messages_create_nothing_twice() {
    let aws = clients().await;
    let user_id = uuid::Uuid::now_v7().to_string();
    let email = format!("{}@example.ru", unique("dup"));
    let body = registered(&user_id, &email);
    send_to_queue(&aws.sqs, "BillingQueue", &body, 1).await;
    send_to_queue(&aws.sqs, "NotificationQueue", &body, 3).await;
    let opened = eventually(QUEUE_PATIENCE, || wallet_balance(&user_id)).await;
    assert_eq!(opened.as_deref(), Some("0"));
    // Money on the wallet first: a replay that re-opened it would now show as a lost balance.
    // (Through billing's own credit, so the wallet's ledger still adds up: `make audit`.)
    remote::<vitrina_shared::contracts::billing::CreditWallet>("BillingWalletCreditFunction")
        .await
        .call(&vitrina_shared::contracts::billing::WalletMove {
            user_id: user_id.clone(),
            amount: 123_456,
            cause: unique("test-topup:"),
            description: "test".into(),
        })
        .await
        .expect("the wallet is credited");
    send_to_queue(&aws.sqs, "BillingQueue", &body, 3).await;
    // Markers sent after the duplicates: once they are through, so are the duplicates
    // (the local queues hand messages out in the order sent).
    let marker_id = uuid::Uuid::now_v7().to_string();
    let marker_email = format!("{}@example.ru", unique("marker"));
    let marker = registered(&marker_id, &marker_email);
    send_to_queue(&aws.sqs, "BillingQueue", &marker, 1).await;
    send_to_queue(&aws.sqs, "NotificationQueue", &marker, 1).await;
    assert!(
        eventually(QUEUE_PATIENCE, || wallet_balance(&marker_id))
            .await
            .is_some(),
        "the marker's wallet"
    );
    assert!(
        eventually(QUEUE_PATIENCE, || async {
            (!mail_to(&mailbox().await, &marker_email).is_empty()).then_some(())
        })
        .await
        .is_some(),
        "the marker's welcome"
    );
    assert_eq!(
        wallet_balance(&user_id).await.as_deref(),
        Some("123456"),
        "a replay never resets a balance"
    );
    assert_eq!(
        mail_to(&mailbox().await, &email).len(),
        1,
        "one welcome only"
    );
    // Duplicates are consumed, not failed: none of them reached a DLQ. Peeked with visibility
    // 0, so other tests still see it all.
    for dlq in ["BillingDLQ", "NotificationDLQ"] {
        let url = queue_url(&aws.sqs, dlq).await;
        let out = aws
            .sqs
            .receive_message()
            .queue_url(&url)
            .max_number_of_messages(10)
            .visibility_timeout(0)
            .wait_time_seconds(1)
            .send()
            .await
            .unwrap();
        for m in out.messages.unwrap_or_default() {
            assert!(
                !m.body().unwrap_or_default().contains(&user_id),
                "a duplicate failed into {dlq}"
            );
        }
    }
}

/// Waits for a message containing `marker` in `dlq`; answers how often it had been received,
/// and takes it out (the audit after the suite finds every DLQ empty unless a consumer failed).
async fn in_dlq(sqs: &aws_sdk_sqs::Client, dlq: &str, marker: &str) -> Option<u32> {
    let url = queue_url(sqs, dlq).await;
    let (count, receipt) = eventually(Duration::from_secs(60), || async {
        let out = sqs
            .receive_message()
            .queue_url(&url)
            .max_number_of_messages(10)
            .visibility_timeout(0)
            .message_system_attribute_names(
                aws_sdk_sqs::types::MessageSystemAttributeName::ApproximateReceiveCount,
            )
            .send()
            .await
            .ok()?;
        let m = out
            .messages
            .unwrap_or_default()
            .into_iter()
            .find(|m| m.body().unwrap_or_default().contains(marker))?;
        let count = m
            .attributes()
            .and_then(|a| {
                a.get(&aws_sdk_sqs::types::MessageSystemAttributeName::ApproximateReceiveCount)
            })
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        Some((count, m.receipt_handle()?.to_string()))
    })
    .await?;
    sqs.delete_message()
        .queue_url(&url)
        .receipt_handle(receipt)
        .send()
        .await
        .expect("the poison message taken out of its DLQ");
    Some(count)
}

/// `maxReceiveCount` of a queue's redrive policy in `template.yaml`.
fn max_receive_count(queue: &str) -> u32 {
    template()["Resources"][queue]["Properties"]["RedrivePolicy"]["maxReceiveCount"]
        .as_u64()
        .unwrap_or_else(|| panic!("{queue} has a redrive policy")) as u32
}

#[tokio::test]
async fn a_poison_message_on_every_queue_ends_in_its_dlq_after_the_configured_receives() {
    let aws = clients().await;
    for (queue, dlq) in [
        ("BillingQueue", "BillingDLQ"),
        ("NotificationQueue", "NotificationDLQ"),
        ("CatalogQueue", "CatalogDLQ"),
    ] {
        let marker = unique("poison");
        let url = queue_url(&aws.sqs, queue).await;
        aws.sqs
            .send_message()
            .queue_url(&url)
            .message_body(
                json!({"type": "user.registered", "version": 1, "garbage": marker}).to_string(),
            )
            .send()
            .await
            .unwrap();
        let received = in_dlq(&aws.sqs, dlq, &marker)
            .await
            .unwrap_or_else(|| panic!("{queue}: the poison message is not in {dlq}"));
        // Moved after the configured receives; looking at it in the DLQ counts as one more
        // (and the duplicates test's peek at the same DLQ may add another).
        let max = max_receive_count(queue);
        assert!(
            (max + 1..=max + 2).contains(&received),
            "{queue}: received {received} times, configured {max}"
        );
    }
}

#[tokio::test]
async fn a_stream_record_that_keeps_failing_ends_in_the_on_failure_queue() {
    let aws = clients().await;
    let url = queue_url(&aws.sqs, "UserEventsDLQ").await;
    // Lambda's on-failure record names the stream batch by sequence numbers, not by content, and
    // no other test makes a record fail: the new one is this test's.
    let exhausted = || async {
        let out = aws
            .sqs
            .receive_message()
            .queue_url(&url)
            .max_number_of_messages(10)
            .visibility_timeout(0)
            .send()
            .await
            .ok()?;
        let found: Vec<(serde_json::Value, String)> = out
            .messages
            .unwrap_or_default()
            .into_iter()
            .filter_map(|m| {
                let body: serde_json::Value = serde_json::from_str(m.body()?).ok()?;
                Some((body, m.receipt_handle()?.to_string()))
            })
            .filter(|(b, _)| b["requestContext"]["condition"] == "RetryAttemptsExhausted")
            .collect();
        Some(found)
    };
    let before: Vec<serde_json::Value> = exhausted()
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|(b, _)| b)
        .collect();
    // A profile item no code wrote: it cannot become `user.registered`, so every attempt fails.
    let marker = uuid::Uuid::now_v7().to_string();
    aws.dynamodb
        .put_item()
        .table_name(resource_name("Table"))
        .item("PK", s(format!("USER#{marker}")))
        .item("SK", s("PROFILE"))
        .item("garbage", s("not a user"))
        .send()
        .await
        .unwrap();
    let (record, receipt) = eventually(Duration::from_secs(60), || async {
        exhausted()
            .await?
            .into_iter()
            .find(|(b, _)| !before.contains(b))
    })
    .await
    .expect("the failed record's position in UserEventsDLQ");
    // Seen: taken out, so the audit after the suite finds the DLQ empty.
    aws.sqs
        .delete_message()
        .queue_url(&url)
        .receipt_handle(receipt)
        .send()
        .await
        .expect("the record taken out of UserEventsDLQ");
    assert_eq!(
        record["requestContext"]["approximateInvokeCount"], 21,
        "20 retries after the first attempt: {record}"
    );
    // The shard moved on: a user registered after it is still welcomed.
    let c = Shop::anonymous();
    let later = register(&c).await;
    assert!(
        eventually(Duration::from_secs(30), || async {
            (!mail_to(&mailbox().await, &later.email).is_empty()).then_some(())
        })
        .await
        .is_some(),
        "registrations after the failed record go on"
    );
}

#[tokio::test]
async fn a_welcome_that_ses_refuses_is_retried_and_sent_once() {
    let c = Shop::anonymous();
    let email = format!("{}@example.ru", unique("ses"));
    // SES refuses the first two attempts to write to this address (SendEmail of SES v2).
    inject_fault("/v2/email/outbound-emails", &email, 2).await;
    let body = json!({"username": unique("ses"), "password": "Parol-2026", "email": email});
    let r = call(&c, "POST", "/api/register", Some(&body.to_string())).await;
    assert_eq!(r.status, 200, "{}", r.body);
    // The registration reaches notification through the table's stream (see STREAM_PATIENCE),
    // then each refusal costs one retry delay of the queue.
    let letters = eventually(STREAM_PATIENCE + Duration::from_secs(15), || async {
        let n = mail_to(&mailbox().await, &email).len();
        (n > 0).then_some(n)
    })
    .await;
    assert_eq!(letters, Some(1), "the welcome arrives after the refusals");
    assert_eq!(faults_left(&email).await, 0, "both refusals happened first");
    // The message that finally sent it was deleted, not redelivered: still one letter once
    // the queue has moved past it (a second registration's welcome is the marker).
    let marker = register(&c).await;
    assert!(eventually(STREAM_PATIENCE, || async {
        (!mail_to(&mailbox().await, &marker.email).is_empty()).then_some(())
    })
    .await
    .is_some());
    assert_eq!(mail_to(&mailbox().await, &email).len(), 1, "sent once");
}

#[tokio::test]
async fn a_welcome_claim_whose_holder_was_stopped_is_taken_over_and_never_before() {
    let aws = clients().await;
    let now = chrono::Utc::now();
    // Three users whose welcome a delivery claimed and then died before sending: an old-style
    // claim from long ago, a claim whose holder was stopped at its deadline a minute ago, and a
    // claim whose holder has two more seconds (it may still be sending).
    let put_claim = |user_id: String, epoch: i64, until_ms: Option<i64>| {
        let aws = aws.clone();
        async move {
            let mut put = aws
                .dynamodb
                .put_item()
                .table_name(resource_name("Table"))
                .item("PK", s(format!("NOTIFY#{user_id}")))
                .item("SK", s("SENT#welcome"))
                .item("kind", s("welcome"))
                .item("status", s("sending"))
                .item("claimedEpoch", n(epoch));
            if let Some(until) = until_ms {
                put = put.item("claimedUntilMs", n(until));
            }
            put.send().await.unwrap();
        }
    };
    let user = |name: &str| {
        (
            uuid::Uuid::now_v7().to_string(),
            format!("{}@example.ru", unique(name)),
        )
    };
    let (old, stopped, fresh) = (user("old"), user("stopped"), user("fresh"));
    put_claim(
        old.0.clone(),
        now.timestamp() - vitrina_notification::store::ABANDONED_CLAIM_SECONDS - 60,
        None,
    )
    .await;
    put_claim(
        stopped.0.clone(),
        now.timestamp() - 70,
        Some(now.timestamp_millis() - 60_000),
    )
    .await;
    let fresh_until = now.timestamp_millis() + 2_000;
    put_claim(fresh.0.clone(), now.timestamp(), Some(fresh_until)).await;
    for (id, email) in [&fresh, &stopped, &old] {
        send_to_queue(&aws.sqs, "NotificationQueue", &registered(id, email), 1).await;
    }
    for (_, email) in [&old, &stopped, &fresh] {
        assert!(
            eventually(Duration::from_secs(30), || async {
                (!mail_to(&mailbox().await, email).is_empty()).then_some(())
            })
            .await
            .is_some(),
            "the welcome to {email} is sent, not lost with its claim"
        );
    }
    // The fresh claim was respected while its holder could still send: its message came back
    // until then (not acked as sent), and the letter went after the holder's deadline.
    let sent = aws
        .dynamodb
        .get_item()
        .table_name(resource_name("Table"))
        .key("PK", s(format!("NOTIFY#{}", fresh.0)))
        .key("SK", s("SENT#welcome"))
        .send()
        .await
        .unwrap()
        .item
        .expect("the claim");
    let sent_at = sent["sentAt"].as_s().unwrap();
    let sent_at = chrono::DateTime::parse_from_rfc3339(sent_at).unwrap();
    assert!(
        sent_at.timestamp_millis() > fresh_until,
        "sent at {sent_at}, before the holder's deadline {fresh_until}"
    );
    for (_, email) in [&old, &stopped, &fresh] {
        assert_eq!(
            mail_to(&mailbox().await, email).len(),
            1,
            "one welcome to {email}"
        );
    }
}
