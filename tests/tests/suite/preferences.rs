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
    let after = c.notification_preferences().await;
    assert_eq!(
        after.body["kinds"], before.body["kinds"],
        "nothing was written"
    );
    assert!(table_item(
        &format!("NOTIFY#{}", user_id_of(&c.user().username).await),
        "PREFERENCES"
    )
    .await
    .is_none());
}
