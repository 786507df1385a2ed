//! Registration provisioning: a committed user's profile item, read from the table's stream by
//! auth, becomes `user.registered` over SQS; billing opens a wallet and notification an account
//! and sends the welcome e-mail — once, whatever duplicates arrive; a refused registration
//! announces nothing; a poison message ends in the DLQ.

use serde_json::json;
use std::time::Duration;
use vitrina_shared::envelope::{Envelope, UserRegistered, USER_REGISTERED};
use vitrina_tests::*;

async fn queue_url(sqs: &aws_sdk_sqs::Client, logical_id: &str) -> String {
    sqs.get_queue_url()
        .queue_name(resource_name(logical_id))
        .send()
        .await
        .expect("queue")
        .queue_url
        .expect("queue url")
}

#[tokio::test]
async fn registration_opens_an_empty_wallet_and_sends_a_welcome() {
    let c = browser();
    let user = register(&c).await;
    assert_eq!(login(&c, &user).await.status, 200);
    let wallet = eventually(Duration::from_secs(15), || async {
        let r = call(&c, "GET", "/api/wallet", None).await;
        (r.status == 200).then_some(r.body)
    })
    .await
    .expect("wallet opened");
    assert_eq!(wallet["balance"], 0);
    assert_eq!(wallet["currency"], "RUB");

    let letters = eventually(Duration::from_secs(15), || async {
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

#[tokio::test]
async fn a_refused_registration_announces_nothing() {
    let c = browser();
    let first = register(&c).await;
    // Same e-mail, new username: the transaction is cancelled at the e-mail claim, after the
    // profile item was already part of it. Nothing of it may reach the stream.
    let body = json!({"username": unique("again"), "password": "Parol-2026", "email": first.email});
    let r = call(&c, "POST", "/api/register", Some(&body.to_string())).await;
    assert_eq!(r.status, 409, "{}", r.body);
    // The stream is ordered: once a later registration is announced, the refused one would
    // have been too.
    let later = register(&c).await;
    let announced = eventually(Duration::from_secs(15), || async {
        let mail = mailbox().await;
        (!mail_to(&mail, &later.email).is_empty()).then_some(())
    })
    .await;
    assert!(announced.is_some(), "the later user is welcomed");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        mail_to(&mailbox().await, &first.email).len(),
        1,
        "one welcome for the e-mail's one user"
    );
}

#[tokio::test]
async fn duplicate_messages_create_nothing_twice() {
    let aws = clients().await;
    let user_id = uuid::Uuid::now_v7().to_string();
    let email = format!("{}@example.ru", unique("dup"));
    let message = Envelope::new(
        USER_REGISTERED,
        "dup-test",
        UserRegistered {
            user_id: user_id.clone(),
            username: unique("dup"),
            first_name: "Дубль".into(),
            last_name: String::new(),
            email: email.clone(),
            phone: String::new(),
        },
    );
    let body = serde_json::to_string(&message).unwrap();
    for queue in ["BillingQueue", "NotificationQueue"] {
        let url = queue_url(&aws.sqs, queue).await;
        for _ in 0..3 {
            aws.sqs
                .send_message()
                .queue_url(&url)
                .message_body(&body)
                .send()
                .await
                .unwrap();
        }
    }
    let table = resource_name("Table");
    let wallet = eventually(Duration::from_secs(15), || async {
        aws.dynamodb
            .get_item()
            .table_name(&table)
            .key(
                "PK",
                aws_sdk_dynamodb::types::AttributeValue::S(format!("WALLET#{user_id}")),
            )
            .key(
                "SK",
                aws_sdk_dynamodb::types::AttributeValue::S("WALLET".into()),
            )
            .send()
            .await
            .ok()?
            .item
    })
    .await
    .expect("wallet");
    assert_eq!(wallet["balance"].as_n().unwrap(), "0");
    // Give the duplicates time to be consumed, then count what they produced.
    let delivered = eventually(Duration::from_secs(15), || async {
        let n = mail_to(&mailbox().await, &email).len();
        (n >= 1).then_some(n)
    })
    .await;
    assert_eq!(delivered, Some(1));
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        mail_to(&mailbox().await, &email).len(),
        1,
        "one welcome only"
    );
    // Duplicates are consumed, not failed: none of them reached a DLQ (three failed receives
    // would have put it there by now). Peeked with visibility 0, so other tests still see it all.
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

#[tokio::test]
async fn poison_messages_end_in_the_dlq() {
    let aws = clients().await;
    let marker = unique("poison");
    let queue = queue_url(&aws.sqs, "BillingQueue").await;
    let dlq = queue_url(&aws.sqs, "BillingDLQ").await;
    aws.sqs
        .send_message()
        .queue_url(&queue)
        .message_body(
            json!({"type": "user.registered", "version": 1, "garbage": marker}).to_string(),
        )
        .send()
        .await
        .unwrap();
    let found = eventually(Duration::from_secs(30), || async {
        let out = aws
            .sqs
            .receive_message()
            .queue_url(&dlq)
            .max_number_of_messages(10)
            .visibility_timeout(0)
            .send()
            .await
            .ok()?;
        out.messages
            .unwrap_or_default()
            .into_iter()
            .find(|m| m.body().unwrap_or_default().contains(&marker))
    })
    .await;
    assert!(found.is_some(), "poison message not in the DLQ");
}
