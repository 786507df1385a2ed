//! Contacts that follow the client: a new e-mail in «Личный кабинет» reaches notification
//! (`user.updated`, read from the table's stream as `user.registered` is), and the next letter
//! goes to it — never to the old one; a duplicate or an older change arriving late moves nothing.

use serde_json::{json, Value};
use std::time::Duration;
use vitrina_shared::envelope::{Envelope, UserUpdated, USER_UPDATED};
use vitrina_tests::*;

/// How long a change may take through the stream and the queue (the stream is one shard shared
/// with provisioning's poison record, which holds it while it is retried).
const PATIENCE: Duration = Duration::from_secs(45);

/// The e-mail notification writes to for the client now, once it is `email`.
async fn account_email_becomes(user_id: &str, email: &str) -> Option<u64> {
    eventually(PATIENCE, || async {
        let item = table_item(&format!("NOTIFY#{user_id}"), "ACCOUNT").await?;
        let account: Value = serde_dynamo::from_item(item).ok()?;
        let now = account["channels"]
            .as_array()?
            .iter()
            .find(|c| c["kind"] == "email")?["address"]
            .as_str()?
            .to_string();
        (now == email).then(|| account["profileVersion"].as_u64().unwrap_or_default())
    })
    .await
}

fn letters_about_payment(address: &str, mail: &[Value]) -> usize {
    mail_to(mail, address)
        .into_iter()
        .filter(|m| m["subject"].as_str().is_some_and(|s| s.contains("оплачен")))
        .count()
}

#[tokio::test]
async fn a_new_email_gets_the_next_letter_and_the_old_one_none() {
    let (c, user, order_id) = placed_order(30_000).await;
    let user_id = user_id_of(&user.username).await;
    credit_wallet(&user, 30_000).await;
    account_email_becomes(&user_id, &user.email)
        .await
        .expect("the account opened with the registration's e-mail");

    let moved = format!("{}@example.ru", unique("moved"));
    let r = c
        .update_me(&json!({"email": moved, "currentPassword": user.password}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let version = account_email_becomes(&user_id, &moved)
        .await
        .expect("notification follows the new e-mail");
    assert_eq!(version, 2, "the profile's version after one change");

    let paid = pay_from_wallet(&c, &order_id).await;
    assert_eq!(paid.body["status"], "paid", "{}", paid.body);
    let letters = eventually(PATIENCE, || async {
        let n = letters_about_payment(&moved, &mailbox().await);
        (n > 0).then_some(n)
    })
    .await;
    assert_eq!(letters, Some(1), "the result letter went to the new e-mail");
    assert_eq!(
        letters_about_payment(&user.email, &mailbox().await),
        0,
        "nothing about the payment to the old e-mail"
    );
}

#[tokio::test]
async fn a_late_or_repeated_change_never_takes_the_account_back() {
    let c = Shop::registered().await;
    let user = c.user();
    let user_id = user_id_of(&user.username).await;
    let moved = format!("{}@example.ru", unique("moved"));
    let r = c
        .update_me(&json!({"email": moved, "currentPassword": user.password}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(account_email_becomes(&user_id, &moved).await, Some(2));

    // The registration's own contacts as a change of version 1 (a retry that arrived late), and
    // the change of version 2 again (a duplicate) with another address: neither moves it.
    let sqs = clients().await.sqs;
    for (email, version) in [(user.email.clone(), 1), (unique("dup") + "@example.ru", 2)] {
        let message = Envelope::new(
            USER_UPDATED,
            user_id.clone(),
            UserUpdated {
                user_id: user_id.clone(),
                first_name: "Иван".into(),
                last_name: String::new(),
                email,
                phone: String::new(),
                version,
            },
        );
        let body = serde_json::to_string(&message).expect("serialises");
        send_to_queue(&sqs, "NotificationUserUpdateQueue", &body, 1).await;
    }
    assert!(
        queue_drained("NotificationUserUpdateQueue", PATIENCE).await,
        "both were taken"
    );
    assert_eq!(
        account_email_becomes(&user_id, &moved).await,
        Some(2),
        "still the newest profile's e-mail"
    );
}
