//! «Личный кабинет» → «Уведомления»: the client's channels per kind of message, honoured by
//! every message notification sends — SMS off for delivery sends the arrival's letter and no
//! text, push off for orders keeps a cancellation off the devices while delivery's news reach
//! them; what must go by e-mail cannot be turned off, and a refused change writes nothing.

use serde_json::{json, Value};
use std::time::Duration;
use vitrina_shared::{
    contracts::order::OrderStatus,
    envelope::{Envelope, OrderStatusChanged, ORDER_STATUS},
};
use vitrina_tests::*;

const PATIENCE: Duration = Duration::from_secs(45);

/// `on` of one channel of one kind, as «Уведомления» shows it.
fn shown(view: &Value, kind: &str, channel: &str) -> Value {
    let kinds = view["kinds"].as_array().cloned().unwrap_or_default();
    let kind = kinds
        .iter()
        .find(|k| k["kind"] == kind)
        .cloned()
        .unwrap_or_default();
    let channels = kind["channels"].as_array().cloned().unwrap_or_default();
    channels
        .into_iter()
        .find(|c| c["channel"] == channel)
        .unwrap_or_default()
}

async fn order_news(user_id: &str, order_id: &str, status: OrderStatus, place: Option<&str>) {
    let message = Envelope::new(
        ORDER_STATUS,
        order_id.to_string(),
        OrderStatusChanged {
            order_id: order_id.to_string(),
            user_id: user_id.to_string(),
            status,
            reason: Some("тест".into()),
            place: place.map(str::to_string),
        },
    );
    let body = serde_json::to_string(&message).expect("serialises");
    send_to_queue(&clients().await.sqs, "NotificationOrderQueue", &body, 1).await;
}

#[tokio::test]
async fn every_message_goes_only_by_the_channels_the_client_chose() {
    let c = Shop::registered().await;
    let user = c.user().clone();
    let user_id = user_id_of(&user.username).await;
    // The account is open (with the registration's phone) before the news come.
    let view = eventually(PATIENCE, || async {
        let r = c.notification_preferences().await;
        r.body["phone"].is_string().then_some(r.body)
    })
    .await
    .expect("notification knows the client's phone");
    assert_eq!(view["email"], user.email.as_str());
    assert_eq!(
        shown(&view, "delivery", "sms"),
        json!({"channel": "sms", "on": true, "required": false, "available": true})
    );
    assert_eq!(
        shown(&view, "delivery", "push")["available"],
        false,
        "no device yet"
    );
    assert_eq!(shown(&view, "orders", "email")["required"], true);
    assert!(
        shown(&view, "gift_cards", "sms").is_null(),
        "a gift card's code never goes by SMS"
    );

    let device = push_service_subscription().await;
    assert_eq!(c.push_subscribe(&device).await.status, 201);
    let r = c
        .choose_channels(&[("delivery", "sms", false), ("orders", "push", false)])
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(shown(&r.body, "delivery", "sms")["on"], false);
    assert_eq!(shown(&r.body, "orders", "push")["on"], false);
    assert_eq!(shown(&r.body, "delivery", "push")["available"], true);

    let order_id = uuid::Uuid::now_v7().to_string();
    let number = &order_id[order_id.len() - 8..];
    order_news(
        &user_id,
        &order_id,
        OrderStatus::AtPickupPoint,
        Some("Витрина на Тверской"),
    )
    .await;
    let cancelled = uuid::Uuid::now_v7().to_string();
    order_news(&user_id, &cancelled, OrderStatus::Cancelled, None).await;
    assert!(queue_drained("NotificationOrderQueue", PATIENCE).await);

    let letters = eventually(PATIENCE, || async {
        let mail = mailbox().await;
        let mine: Vec<String> = mail_to(&mail, &user.email)
            .into_iter()
            .filter_map(|m| m["subject"].as_str().map(str::to_string))
            .collect();
        (mine.len() >= 3).then_some(mine)
    })
    .await
    .expect("the welcome, the arrival's and the cancellation's letters");
    assert!(
        letters
            .iter()
            .any(|s| s.contains(number) && s.contains("пункте выдачи")),
        "{letters:?}"
    );
    let texts = texts().await;
    assert!(
        !texts
            .iter()
            .any(|t| t["message"].as_str().is_some_and(|m| m.contains(number))),
        "no text about the order: SMS is off for delivery"
    );
    let pushes = pushes_to(device["endpoint"].as_str().expect("endpoint")).await;
    let bodies: Vec<&str> = pushes
        .iter()
        .filter_map(|p| p["payload"]["body"].as_str())
        .collect();
    assert_eq!(
        bodies,
        ["Ждёт вас в пункте выдачи"],
        "delivery's news pushed, the cancellation not"
    );
}

#[tokio::test]
async fn what_must_go_by_email_stays_and_a_refused_change_writes_nothing() {
    let c = Shop::registered().await;
    let before = c.notification_preferences().await;
    assert_eq!(before.status, 200, "{}", before.body);
    for (changes, code) in [
        (vec![("orders", "email", false)], "channel_required"),
        (vec![("gift_cards", "email", false)], "channel_required"),
        (vec![("gift_cards", "sms", true)], "channel_not_offered"),
        // A good change beside a refused one: neither is made.
        (
            vec![("delivery", "email", false), ("orders", "email", false)],
            "channel_required",
        ),
        (vec![], "missing_fields"),
    ] {
        let r = c.choose_channels(&changes).await;
        assert_eq!(
            (r.status, r.body["error"]["code"].as_str()),
            (400, Some(code)),
            "{changes:?}: {}",
            r.body
        );
    }
    let r = c.choose_channels(&[("weather", "email", false)]).await;
    assert_eq!(r.status, 400, "{}", r.body);
    // What the client chose, not what the client has (the account may open meanwhile).
    let choices = |view: &Value| -> Vec<(Value, Value, Value)> {
        let kinds = view["kinds"].as_array().cloned().unwrap_or_default();
        kinds
            .iter()
            .flat_map(|k| {
                let channels = k["channels"].as_array().cloned().unwrap_or_default();
                channels
                    .into_iter()
                    .map(|c| (k["kind"].clone(), c["channel"].clone(), c["on"].clone()))
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let after = c.notification_preferences().await;
    assert_eq!(
        choices(&after.body),
        choices(&before.body),
        "nothing was written"
    );
    assert_eq!(choices(&after.body).len(), 6);
    assert!(table_item(
        &format!("NOTIFY#{}", user_id_of(&c.user().username).await),
        "PREFERENCES"
    )
    .await
    .is_none());
}

/// The letters about `order_id` to `address`.
async fn letters_about(address: &str, order_id: &str) -> Vec<Value> {
    let number = &order_id[order_id.len() - 8..];
    mail_to(&mailbox().await, address)
        .into_iter()
        .filter(|m| m["subject"].as_str().is_some_and(|s| s.contains(number)))
        .cloned()
        .collect()
}

#[tokio::test]
async fn a_delivery_letter_unsubscribes_its_client_in_one_click_and_no_one_else() {
    let c = Shop::registered().await;
    let user = c.user().clone();
    let user_id = user_id_of(&user.username).await;
    eventually(PATIENCE, || async {
        c.notification_preferences().await.body["email"]
            .is_string()
            .then_some(())
    })
    .await
    .expect("the account is open");

    let handed = uuid::Uuid::now_v7().to_string();
    order_news(&user_id, &handed, OrderStatus::HandedToDelivery, None).await;
    let letter = eventually(PATIENCE, || async {
        letters_about(&user.email, &handed).await.into_iter().next()
    })
    .await
    .expect("the letter about the order handed to delivery");
    assert_eq!(
        letter["headers"]["List-Unsubscribe-Post"],
        "List-Unsubscribe=One-Click"
    );
    let one_click = letter["headers"]["List-Unsubscribe"]
        .as_str()
        .and_then(|h| h.strip_prefix('<')?.strip_suffix('>'))
        .expect("List-Unsubscribe: <https://…>")
        .to_string();
    assert!(
        one_click.starts_with(&format!(
            "{}/api/notifications/unsubscribe?token=",
            base_url()
        )),
        "{one_click}"
    );
    assert!(
        letter["text"]
            .as_str()
            .is_some_and(|t| t.contains("Отписаться: ")),
        "a plain-text part with the link: {letter}"
    );

    let delivery_letters_on = || async {
        shown(
            &c.notification_preferences().await.body,
            "delivery",
            "email",
        )["on"]
            .clone()
    };

    // Someone else's token made from this one: refused, nothing changed.
    let token = one_click.split("token=").nth(1).expect("token");
    let forged = token.replacen(
        &user_id,
        &user_id_of(&Shop::registered().await.user().username).await,
        1,
    );
    let mail_client = reqwest::Client::new();
    let post = |url: String| {
        let mail_client = mail_client.clone();
        async move {
            let r = mail_client
                .post(url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body("List-Unsubscribe=One-Click")
                .send()
                .await
                .expect("POST");
            (
                r.status().as_u16(),
                r.json::<Value>().await.unwrap_or_default(),
            )
        }
    };
    let (status, body) = post(format!(
        "{}/api/notifications/unsubscribe?token={forged}",
        base_url()
    ))
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("invalid_unsubscribe_token")),
        "{body}"
    );
    assert_eq!(delivery_letters_on().await, true);

    // The mail client's one click, without the client's session; again changes nothing more.
    for _ in 0..2 {
        let (status, body) = post(one_click.clone()).await;
        assert_eq!(
            (status, &body),
            (
                200,
                &json!({"kind": "delivery", "channel": "email", "on": false})
            )
        );
    }
    assert_eq!(delivery_letters_on().await, false);

    // The next delivery news: a text, no letter; a cancellation (always by e-mail) carries no
    // unsubscribe.
    let out = uuid::Uuid::now_v7().to_string();
    order_news(&user_id, &out, OrderStatus::OutForDelivery, None).await;
    let cancelled = uuid::Uuid::now_v7().to_string();
    order_news(&user_id, &cancelled, OrderStatus::Cancelled, None).await;
    let cancel_letter = eventually(PATIENCE, || async {
        letters_about(&user.email, &cancelled)
            .await
            .into_iter()
            .next()
    })
    .await
    .expect("the cancellation's letter");
    assert!(
        cancel_letter["headers"].get("List-Unsubscribe").is_none(),
        "{cancel_letter}"
    );
    let number = out[out.len() - 8..].to_string();
    eventually(PATIENCE, || async {
        texts()
            .await
            .iter()
            .any(|t| t["message"].as_str().is_some_and(|m| m.contains(&number)))
            .then_some(())
    })
    .await
    .expect("the text about the courier");
    assert!(queue_drained("NotificationOrderQueue", PATIENCE).await);
    assert_eq!(
        letters_about(&user.email, &out).await,
        Vec::<Value>::new(),
        "no letter: unsubscribed"
    );
}
