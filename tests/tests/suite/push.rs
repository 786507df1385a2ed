//! Web push through the local platform's push service, as a browser's vendor would take it: the
//! client's device kept from «Личный кабинет», the payment's result pushed to it with a VAPID
//! token for the push service's origin and a payload the device opens; a device its push
//! service calls gone is forgotten; an endpoint that is not a push service's is refused.

use serde_json::{json, Value};
use std::time::Duration;
use vitrina_shared::envelope::{Envelope, OrderStatusChanged, ORDER_STATUS};
use vitrina_tests::*;

const PATIENCE: Duration = Duration::from_secs(45);

fn endpoint(subscription: &Value) -> &str {
    subscription["endpoint"].as_str().expect("endpoint")
}

async fn devices(c: &Shop) -> Vec<Value> {
    let r = c.push_devices().await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["subscriptions"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[tokio::test]
async fn the_paid_order_reaches_the_device_signed_for_its_push_service_and_opened_by_it() {
    let (c, user, order_id) = placed_order(30_000).await;
    credit_wallet(&user, 30_000).await;
    let r = c.push_devices().await;
    assert_eq!(r.status, 200, "{}", r.body);
    let public_key = r.body["publicKey"].as_str().expect("publicKey").to_string();
    assert_eq!(
        public_key.len(),
        87,
        "an uncompressed P-256 point, base64url"
    );

    let subscription = push_service_subscription().await;
    for _ in 0..2 {
        let r = c.push_subscribe(&subscription).await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let kept = devices(&c).await;
    assert_eq!(
        kept.len(),
        1,
        "the same endpoint twice is one device: {kept:?}"
    );
    assert_eq!(kept[0]["endpoint"], endpoint(&subscription));

    let paid = pay_from_wallet(&c, &order_id).await;
    assert_eq!(paid.body["status"], "paid", "{}", paid.body);

    let push = eventually(PATIENCE, || async {
        pushes_to(endpoint(&subscription))
            .await
            .into_iter()
            .find(|p| {
                p["payload"]["title"]
                    .as_str()
                    .is_some_and(|t| t.contains("Оплачено"))
            })
    })
    .await
    .expect("the payment's result was pushed to the device");
    assert_eq!(push["payload"]["url"], format!("/orders#order-{order_id}"));
    assert_eq!(push["payload"]["tag"], format!("order-{order_id}"));
    assert_eq!(push["urgency"], "high");
    assert_eq!(push["ttl"], 86_400);
    assert_eq!(
        push["vapid"]["aud"],
        base_url(),
        "aud is the push service's origin"
    );
    assert!(
        push["vapid"]["sub"]
            .as_str()
            .is_some_and(|s| s.starts_with("mailto:")),
        "{push}"
    );
    // Once per device and payment, whatever the redeliveries.
    assert!(queue_drained("NotificationPaymentQueue", PATIENCE).await);
    let results: Vec<Value> = pushes_to(endpoint(&subscription))
        .await
        .into_iter()
        .filter(|p| {
            p["payload"]["title"]
                .as_str()
                .is_some_and(|t| t.contains("Оплачено"))
        })
        .collect();
    assert_eq!(results.len(), 1, "{results:?}");
}

#[tokio::test]
async fn a_device_its_push_service_calls_gone_is_forgotten() {
    let c = Shop::registered().await;
    let user_id = user_id_of(&c.user().username).await;
    let (kept, dropped) = (
        push_service_subscription().await,
        push_service_subscription().await,
    );
    for s in [&kept, &dropped] {
        let r = c.push_subscribe(s).await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let dropped_id = endpoint(&dropped)
        .rsplit('/')
        .next()
        .expect("id")
        .to_string();
    let r = call(
        &browser(),
        "POST",
        &format!("/_push/subscriptions/{dropped_id}/gone"),
        None,
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.body);

    let order_id = uuid::Uuid::now_v7().to_string();
    let message = Envelope::new(
        ORDER_STATUS,
        order_id.clone(),
        OrderStatusChanged {
            order_id: order_id.clone(),
            user_id: user_id.clone(),
            status: vitrina_shared::contracts::order::OrderStatus::HandedToDelivery,
            reason: None,
            place: None,
        },
    );
    let body = serde_json::to_string(&message).expect("serialises");
    send_to_queue(&clients().await.sqs, "NotificationOrderQueue", &body, 2).await;

    let left = eventually(PATIENCE, || async {
        let left = devices(&c).await;
        (left.len() == 1).then_some(left)
    })
    .await
    .expect("the gone device is forgotten");
    assert_eq!(left[0]["endpoint"], endpoint(&kept));
    assert!(queue_drained("NotificationOrderQueue", PATIENCE).await);
    let news = pushes_to(endpoint(&kept)).await;
    assert_eq!(
        news.len(),
        1,
        "the other device has the news once: {news:?}"
    );
    assert_eq!(news[0]["payload"]["body"], "Передан в доставку");
    assert!(pushes_to(endpoint(&dropped)).await.is_empty());
}

#[tokio::test]
async fn only_a_push_services_endpoint_with_real_keys_is_taken_and_only_by_its_owner_forgotten() {
    let c = Shop::registered().await;
    let good = push_service_subscription().await;
    let with = |endpoint: &str, p256dh: &Value, auth: &Value| json!({"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}});
    let (p256dh, auth) = (&good["keys"]["p256dh"], &good["keys"]["auth"]);
    let lambda_api = format!("{}/2015-03-31/functions", lambda_url());
    for (body, code) in [
        (
            with("https://evil.example/push/1", p256dh, auth),
            "not_a_push_service",
        ),
        (with(&lambda_api, p256dh, auth), "not_a_push_service"),
        (
            with("http://169.254.169.254/latest/meta-data/", p256dh, auth),
            "not_a_push_service",
        ),
        (with("not a url", p256dh, auth), "not_a_push_service"),
        (
            with(endpoint(&good), &json!("AAAA"), auth),
            "invalid_push_keys",
        ),
        (
            with(endpoint(&good), p256dh, &json!("c2hvcnQ")),
            "invalid_push_keys",
        ),
        (json!({"endpoint": endpoint(&good)}), "missing_fields"),
    ] {
        let r = c.push_subscribe(&body).await;
        assert_eq!(
            (r.status, r.body["error"]["code"].as_str()),
            (400, Some(code)),
            "{body}: {}",
            r.body
        );
    }
    assert!(devices(&c).await.is_empty(), "nothing refused was kept");

    let r = c.push_subscribe(&good).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.body["subscriptionId"]
        .as_str()
        .expect("subscriptionId")
        .to_string();
    // Another client naming the id forgets nothing of this one's.
    let other = Shop::registered().await;
    assert_eq!(other.push_unsubscribe(&id).await.status, 204);
    assert_eq!(devices(&c).await.len(), 1);
    for _ in 0..2 {
        assert_eq!(c.push_unsubscribe(&id).await.status, 204);
    }
    assert!(devices(&c).await.is_empty());
    assert_eq!(c.push_unsubscribe("ACCOUNT").await.status, 204);
}
