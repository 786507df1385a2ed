//! `payment-refund`, the order saga's compensation: a paid order's money goes back the way it
//! came — to the card through the bank, to the wallet, to the gift card — once, however many
//! times the compensation runs.

use serde_json::{json, Value};
use vitrina_shared::contracts::{
    payment::{RefundPayment, RefundRefusal, RefundRequest},
    CallError,
};
use vitrina_tests::*;

async fn confirm(c: &Shop, id: &str) {
    let r = c.confirm_payment(id).await;
    assert_eq!(r.body["status"], "paid", "{}", r.body);
}

async fn refund_twice(payment_id: &str, amount: i64) {
    let refund = remote::<RefundPayment>("PaymentRefundFunction").await;
    let request = RefundRequest {
        payment_id: payment_id.into(),
        reason: "нет в наличии".into(),
    };
    let first = refund.call(&request).await.unwrap();
    let again = refund.call(&request).await.unwrap();
    assert_eq!(first, again);
    assert_eq!(first.amount, amount);
}

/// The order the test refunded, cancelled by its client: the saga's compensations release its
/// goods and its own refund answers the one made here, so the shop ends as it must — money
/// back and nothing delivered, never both (`make audit` checks the whole table after the suite).
async fn cancel_order(c: &Shop, order_id: &str) {
    let path = format!("/api/orders/{order_id}");
    let status = |o: &serde_json::Value| o["status"].as_str().unwrap_or_default().to_string();
    let heard = eventually(std::time::Duration::from_secs(20), || async {
        let o = call(c, "GET", &path, None).await.body;
        ["paid", "assembling", "handed_to_delivery"]
            .contains(&status(&o).as_str())
            .then_some(())
    })
    .await;
    assert!(heard.is_some(), "order {order_id} hears of its payment");
    let cancel = call(c, "POST", &format!("{path}/cancel"), None).await;
    assert!([200, 202].contains(&cancel.status), "{}", cancel.body);
    let cancelled = eventually(std::time::Duration::from_secs(60), || async {
        (status(&call(c, "GET", &path, None).await.body) == "cancelled").then_some(())
    })
    .await;
    assert!(cancelled.is_some(), "order {order_id} is cancelled");
}

#[tokio::test]
async fn a_card_payment_is_refunded_through_the_bank_once() {
    let (c, order_id, id) = card_order(45_000).await;
    refund_twice(&id, 45_000).await;
    let at_bank = bank_record_of(&id).await;
    assert_eq!(
        at_bank["refunded_amount"]["value"], "450.00",
        "refunded once: {at_bank}"
    );
    let p = c.payment(&id).await;
    assert_eq!(p.body["status"], "refunded");
    cancel_order(&c, &order_id).await;
    let at_bank = bank_record_of(&id).await;
    assert_eq!(
        at_bank["refunded_amount"]["value"], "450.00",
        "the saga's refund is the same one: {at_bank}"
    );
}

#[tokio::test]
async fn wallet_and_gift_card_payments_are_credited_back_once() {
    // The wallet.
    let (c, user, order_id) = placed_order(30_000).await;
    credit_wallet(&user, 50_000).await;
    let started = start_payment(
        &c,
        &unique("key-"),
        json!({"orderId": order_id, "method": "wallet"}),
    )
    .await
    .body;
    let id = started["paymentId"].as_str().unwrap().to_string();
    confirm(&c, &id).await;
    assert_eq!(c.wallet().await.body["balance"], 20_000);
    refund_twice(&id, 30_000).await;
    assert_eq!(c.wallet().await.body["balance"], 50_000);
    cancel_order(&c, &order_id).await;
    assert_eq!(
        c.wallet().await.body["balance"],
        50_000,
        "credited back once, by the test and the saga together"
    );

    // A gift card, on another order of the same client.
    let code = issue_gift_cards(1_000, 1).remove(0);
    let card = call(
        &c,
        "POST",
        "/api/gift-cards/activate",
        Some(&json!({ "code": code }).to_string()),
    )
    .await;
    let card_id = card.body["cardId"].as_str().unwrap().to_string();
    let (order2, id2) = {
        let ids = products_in_stock(1, 25_000);
        let body = json!({"productId": ids[0]}).to_string();
        call(&c, "POST", "/api/cart/items", Some(&body)).await;
        let pickup = json!({"method": "pickup", "pickupPointId": "msk-tverskaya"}).to_string();
        call(&c, "PUT", "/api/cart/delivery", Some(&pickup)).await;
        let order = c.place_order().await;
        let order_id = order.body["orderId"].as_str().unwrap();
        let started = start_payment(
            &c,
            &unique("key-"),
            json!({"orderId": order_id, "method": "gift_card", "cardId": card_id}),
        )
        .await
        .body;
        (
            order_id.to_string(),
            started["paymentId"].as_str().unwrap().to_string(),
        )
    };
    let card_balance = || async {
        let cards = c.gift_cards().await.body;
        cards["giftCards"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|g| g["cardId"] == card_id.as_str())
            .and_then(|g| g["balance"].as_i64())
            .unwrap_or_else(|| panic!("the card {card_id} among {cards}"))
    };
    confirm(&c, &id2).await;
    assert_eq!(card_balance().await, 75_000, "the order's 250 ₽ taken");
    refund_twice(&id2, 25_000).await;
    assert_eq!(
        card_balance().await,
        100_000,
        "given back once, asked twice"
    );
    cancel_order(&c, &order2).await;
    assert_eq!(
        card_balance().await,
        100_000,
        "credited back once, by the test and the saga together"
    );
}

#[tokio::test]
async fn a_payment_that_took_no_money_is_not_refundable() {
    let (c, _, order_id) = placed_order(10_000).await;
    let started = start_payment(
        &c,
        &unique("key-"),
        json!({"orderId": order_id, "method": "card"}),
    )
    .await
    .body;
    let id = started["paymentId"].as_str().unwrap();
    match remote::<RefundPayment>("PaymentRefundFunction")
        .await
        .call(&RefundRequest {
            payment_id: id.into(),
            reason: "test".into(),
        })
        .await
    {
        Err(CallError::Refused(RefundRefusal::PaymentNotRefundable(_))) => {}
        other => panic!("{other:?}"),
    }
}

/// A card order, paid through the bank's page and «Оплатить»: the client, the order, the payment.
async fn card_order(price: i64) -> (Shop, String, String) {
    let (c, _, order_id) = placed_order(price).await;
    let started = start_payment(
        &c,
        &unique("key-"),
        json!({"orderId": order_id, "method": "card"}),
    )
    .await
    .body;
    let id = started["paymentId"].as_str().unwrap().to_string();
    pay_on_bank_page(
        started["redirectUrl"].as_str().unwrap(),
        "5555555555554444",
        None,
    )
    .await;
    c.payment(&id).await;
    confirm(&c, &id).await;
    (c, order_id, id)
}

/// The bank's next refund of `payment_id` stays `pending` until the test ends it.
async fn refunds_pend(payment_id: &str) {
    let r = reqwest::Client::new()
        .post(format!("{}/_sandbox/faults", bank_url()))
        .json(&json!({"kind": "refund_pending", "idempotenceKey": format!("refund-{payment_id}")}))
        .send()
        .await
        .expect("the bank sandbox answers");
    assert!(r.status().is_success());
}

/// The bank ends the payment's pending refund (`succeed` or `cancel`) and notifies the shop.
async fn bank_ends_refund(payment_id: &str, outcome: &str) {
    let item = table_item(&format!("PAYMENT#{payment_id}"), "PAYMENT")
        .await
        .expect("the payment");
    let refund_id = item["refundId"]
        .as_s()
        .expect("the refund followed")
        .clone();
    let r = reqwest::Client::new()
        .post(format!(
            "{}/_sandbox/refunds/{refund_id}/{outcome}",
            bank_url()
        ))
        .send()
        .await
        .expect("the bank sandbox answers");
    assert!(r.status().is_success(), "{}", r.status());
}

async fn payment_becomes(c: &Shop, id: &str, status: &str, patience: u64) -> Value {
    eventually(std::time::Duration::from_secs(patience), || async {
        let p = c.payment(id).await.body;
        (p["status"] == status).then_some(p)
    })
    .await
    .unwrap_or_else(|| panic!("payment {id} never became {status}"))
}

/// YooKassa's refund may stay `pending`: the shop does not take the request for the money. The
/// payment is `refunding` (the bank has given nothing back yet) until the bank's word, read
/// from the bank at its webhook, makes it `refunded`.
#[tokio::test]
async fn a_refund_the_bank_keeps_pending_is_followed_to_its_end() {
    let (c, order_id, id) = card_order(46_000).await;
    refunds_pend(&id).await;
    cancel_order(&c, &order_id).await;
    payment_becomes(&c, &id, "refunding", 5).await;
    assert_eq!(
        bank_record_of(&id).await["refunded_amount"]["value"],
        "0.00"
    );
    bank_ends_refund(&id, "succeed").await;
    payment_becomes(&c, &id, "refunded", 20).await;
    assert_eq!(
        bank_record_of(&id).await["refunded_amount"]["value"],
        "460.00"
    );
}

/// A refund the bank refuses (`canceled`) leaves the money with the shop: the payment says so
/// (`refund_failed`), the payment's timer tells the operators (their queue is alarmed), and the
/// refund run again — as the operator is told to — is a new one, which goes through.
#[tokio::test]
async fn a_refund_the_bank_refuses_reaches_an_operator_and_is_asked_anew() {
    let (c, order_id, id) = card_order(47_000).await;
    refunds_pend(&id).await;
    cancel_order(&c, &order_id).await;
    payment_becomes(&c, &id, "refunding", 5).await;
    bank_ends_refund(&id, "cancel").await;
    let failed = payment_becomes(&c, &id, "refund_failed", 20).await;
    assert_eq!(failed["failure"], "refund_declined", "{failed}");
    // The timer looks within the hold time (30 s in `make test`).
    let told = take_operator_message(std::time::Duration::from_secs(75), |b| {
        b.to_string().contains(&id)
    })
    .await
    .expect("the operators are told");
    assert_eq!(told["type"], "refund.failed", "{told}");
    // The bank's own reason goes to the operators, not to the client.
    assert_eq!(told["bankReason"], "rejected_by_payee", "{told}");
    assert_eq!(
        bank_record_of(&id).await["refunded_amount"]["value"],
        "0.00"
    );
    refund_twice(&id, 47_000).await;
    payment_becomes(&c, &id, "refunded", 5).await;
    assert_eq!(
        bank_record_of(&id).await["refunded_amount"]["value"],
        "470.00"
    );
}
