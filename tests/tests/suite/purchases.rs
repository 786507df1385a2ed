//! Paying for something other than goods through "Оплата заказа": a wallet top-up (S9) and a
//! gift card for someone else (S7). Paid exactly once whatever the redeliveries; a failed
//! payment credits and issues nothing; bad input is a 400 naming the field.

use serde_json::{json, Value};
use std::time::Duration;
use vitrina_shared::envelope::{Envelope, PaymentOutcome, PAYMENT_SUCCEEDED};
use vitrina_tests::*;

async fn logged_in_client() -> (Shop, NewUser) {
    let c = Shop::anonymous();
    let (user, _) = client_with_wallet(&c).await;
    assert_eq!(login(&c, &user).await.status, 200);
    (c, user)
}

async fn balance(c: &Shop) -> i64 {
    c.wallet().await.body["balance"]
        .as_i64()
        .expect("a balance")
}

async fn order_of(c: &Shop, path: &str, body: Value) -> Reply {
    call(c, "POST", path, Some(&body.to_string())).await
}

/// Pays the order by a card on the bank's page and presses «Оплатить»; answers the payment id.
async fn pay_by_card(c: &Shop, order_id: &str, number: &str) -> (String, Value) {
    let started = start_payment(
        c,
        &unique("key-"),
        json!({"orderId": order_id, "method": "card"}),
    )
    .await;
    assert_eq!(started.status, 201, "{}", started.body);
    let id = started.body["paymentId"].as_str().unwrap().to_string();
    pay_on_bank_page(started.body["redirectUrl"].as_str().unwrap(), number, None).await;
    let seen = c.payment(&id).await;
    assert_eq!(seen.body["status"], "authorized", "{}", seen.body);
    let done = c.confirm_payment(&id).await;
    (id, done.body)
}

/// Delivers payment's success to billing once more, as SQS may.
async fn redeliver_to_billing(payment_id: &str, c: &Shop, order_id: &str) {
    let payment = c.payment(payment_id).await.body;
    let order = c.order(order_id).await.body;
    let outcome = PaymentOutcome {
        payment_id: payment_id.into(),
        order_id: order_id.into(),
        user_id: table_item(&format!("PAYMENT#{payment_id}"), "PAYMENT")
            .await
            .expect("the payment")["userId"]
            .as_s()
            .unwrap()
            .clone(),
        amount: payment["amount"].as_i64().unwrap(),
        method: payment["method"]
            .as_str()
            .unwrap()
            .parse()
            .expect("a payment method"),
        reason: None,
        lines: Vec::new(),
        delivery: String::new(),
        kind: serde_json::from_value(order["kind"].clone()).unwrap(),
        gift_card: serde_json::from_value(order["giftCard"].clone()).unwrap(),
    };
    let body = serde_json::to_string(&Envelope::new(PAYMENT_SUCCEEDED, "test", outcome)).unwrap();
    send_to_queue(&clients().await.sqs, "BillingPaymentQueue", &body, 1).await;
}

/// A top-up order of `rubles`: its id.
async fn top_up_order(c: &Shop, rubles: i64) -> String {
    let r = order_of(c, "/api/top-up-orders", json!({ "amount": rubles })).await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.body["orderId"].as_str().expect("orderId").to_string()
}

async fn history(c: &Shop) -> Vec<Value> {
    c.wallet_history().await.body["entries"]
        .as_array()
        .expect("entries")
        .clone()
}

#[tokio::test]
async fn a_top_up_by_card_credits_the_wallet_once() {
    let (c, _) = logged_in_client().await;
    let placed = order_of(&c, "/api/top-up-orders", json!({"amount": 1500})).await;
    assert_eq!(placed.status, 201, "{}", placed.body);
    assert_eq!(
        (&placed.body["kind"], &placed.body["total"]),
        (&json!("wallet_top_up"), &json!(150_000))
    );
    let order_id = placed.body["orderId"].as_str().unwrap().to_string();
    // The wallet cannot top itself up.
    let refused = start_payment(
        &c,
        &unique("key-"),
        json!({"orderId": order_id, "method": "wallet"}),
    )
    .await;
    assert_eq!(
        (refused.status, &refused.body["error"]["code"]),
        (409, &json!("method_not_allowed")),
        "{}",
        refused.body
    );
    let (payment, done) = pay_by_card(&c, &order_id, "5555555555554444").await;
    assert_eq!(done["status"], "paid", "{done}");
    let credited = eventually(Duration::from_secs(20), || async {
        (balance(&c).await == 150_000).then_some(())
    })
    .await;
    assert!(credited.is_some(), "the wallet is credited");
    let entries = history(&c).await;
    assert_eq!(entries[0]["description"], "Пополнение кошелька");
    assert_eq!(
        (&entries[0]["amount"], &entries[0]["balanceAfter"]),
        (&json!(150_000), &json!(150_000))
    );
    // The success again (SQS redelivers): nothing more, and a marker shows it was consumed.
    redeliver_to_billing(&payment, &c, &order_id).await;
    redeliver_to_billing(&payment, &c, &order_id).await;
    let (marker_client, _) = logged_in_client().await;
    let marker = top_up_order(&marker_client, 100).await;
    let (_, marked) = pay_by_card(&marker_client, &marker, "5555555555554444").await;
    assert_eq!(marked["status"], "paid");
    assert!(eventually(Duration::from_secs(20), || async {
        (balance(&marker_client).await == 10_000).then_some(())
    })
    .await
    .is_some());
    assert_eq!(balance(&c).await, 150_000, "credited once");
    assert_eq!(history(&c).await.len(), 1);
    // No goods: no saga, and the order is simply paid.
    let o = c.order(&order_id).await;
    assert_eq!(o.body["status"], "paid");
}

#[tokio::test]
async fn a_declined_top_up_credits_nothing() {
    let (c, _) = logged_in_client().await;
    let order_id = top_up_order(&c, 700).await;
    let started = start_payment(
        &c,
        &unique("key-"),
        json!({"orderId": order_id, "method": "card"}),
    )
    .await;
    let id = started.body["paymentId"].as_str().unwrap().to_string();
    pay_on_bank_page(
        started.body["redirectUrl"].as_str().unwrap(),
        "5555555555554600",
        None,
    )
    .await;
    let failed = eventually(Duration::from_secs(10), || async {
        let p = c.payment(&id).await.body;
        (p["status"] == "failed").then_some(p)
    })
    .await
    .expect("the payment fails");
    assert_eq!(failed["failure"], "insufficient_funds");
    // A later success of someone else's top-up is the marker that billing moved past it.
    let (other, _) = logged_in_client().await;
    let marker = top_up_order(&other, 100).await;
    pay_by_card(&other, &marker, "5555555555554444").await;
    assert!(eventually(Duration::from_secs(20), || async {
        (balance(&other).await == 10_000).then_some(())
    })
    .await
    .is_some());
    assert_eq!(balance(&c).await, 0);
    assert!(history(&c).await.is_empty());
}

#[tokio::test]
async fn bad_purchase_forms_are_400_naming_the_field() {
    let (c, _) = logged_in_client().await;
    let good = json!({"recipientName": "Маша", "recipientEmail": "masha@example.ru", "amount": 1000, "design": "flowers"});
    for (field, value, code) in [
        ("recipientName", json!(""), "invalid_recipient_name"),
        ("recipientEmail", json!("masha-at-example"), "invalid_email"),
        ("amount", json!(499), "invalid_amount"),
        ("amount", json!(50_001), "invalid_amount"),
        ("amount", json!("пятьсот"), "invalid_amount"),
        ("amount", json!(1000.5), "invalid_amount"),
        ("design", json!("hearts"), "invalid_design"),
    ] {
        let mut body = good.clone();
        body[field] = value.clone();
        let r = order_of(&c, "/api/gift-card-orders", body).await;
        assert_eq!(
            (
                r.status,
                &r.body["error"]["code"],
                &r.body["error"]["details"]["field"]
            ),
            (400, &json!(code), &json!(field)),
            "{field} = {value}: {}",
            r.body
        );
    }
    for amount in [json!(99), json!(100_001), json!("сто"), json!(null)] {
        let r = order_of(&c, "/api/top-up-orders", json!({ "amount": amount })).await;
        assert_eq!(
            (r.status, &r.body["error"]["code"]),
            (400, &json!("invalid_amount")),
            "{amount}"
        );
    }
    let r = call(&c, "POST", "/api/gift-card-orders", Some("{not json")).await;
    assert_eq!(r.status, 400);
    let anonymous = call(
        &browser(),
        "POST",
        "/api/top-up-orders",
        Some("{\"amount\": 500}"),
    )
    .await;
    assert_eq!(anonymous.status, 403);
}

#[tokio::test]
async fn a_bought_gift_card_reaches_its_recipient_who_activates_it_and_pays_with_it() {
    let (buyer, buyer_user) = logged_in_client().await;
    let (recipient, recipient_user) = logged_in_client().await;
    let placed = order_of(
        &buyer,
        "/api/gift-card-orders",
        json!({"recipientName": "Маша", "recipientEmail": recipient_user.email, "amount": 1000, "design": "flowers"}),
    )
    .await;
    assert_eq!(placed.status, 201, "{}", placed.body);
    let order_id = placed.body["orderId"].as_str().unwrap().to_string();
    // A gift card buys no gift card.
    let refused = start_payment(
        &buyer,
        &unique("key-"),
        json!({"orderId": order_id, "method": "gift_card", "cardId": "any"}),
    )
    .await;
    assert_eq!(refused.body["error"]["code"], "method_not_allowed");
    // Paid from the buyer's wallet.
    credit_wallet(&buyer_user, 100_000).await;
    let started = start_payment(
        &buyer,
        &unique("key-"),
        json!({"orderId": order_id, "method": "wallet"}),
    )
    .await;
    let payment = started.body["paymentId"].as_str().unwrap().to_string();
    let paid = call(
        &buyer,
        "POST",
        &format!("/api/payments/{payment}/confirm"),
        None,
    )
    .await;
    assert_eq!(paid.body["status"], "paid", "{}", paid.body);
    // The recipient's letter: the design's picture, the amount, who it is from, the code.
    let letter = eventually(Duration::from_secs(20), || async {
        mail_to(&mailbox().await, &recipient_user.email)
            .into_iter()
            .find(|m| {
                m["subject"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("дарит вам")
            })
            .cloned()
    })
    .await
    .expect("the recipient's letter");
    let body = letter["body"].as_str().unwrap();
    assert!(body.contains("/gift-cards/flowers.svg"), "{body}");
    assert!(body.contains("1\u{202f}000,00"), "{body}");
    let code = body
        .split("<b data-code>")
        .nth(1)
        .and_then(|rest| rest.split("</b>").next())
        .expect("the code in the letter")
        .to_string();
    // The buyer never sees it: not in the order, not in the buyer's mail.
    let order = buyer.order(&order_id).await;
    assert!(!order.body.to_string().contains(&code));
    for m in mail_to(&mailbox().await, &buyer_user.email) {
        assert!(
            !m.to_string().contains(&code),
            "the buyer's mail holds the code"
        );
    }
    // Redelivered success: one card, one letter.
    redeliver_to_billing(&payment, &buyer, &order_id).await;
    // S8 by the recipient, then S6 with the card.
    let activated = call(
        &recipient,
        "POST",
        "/api/gift-cards/activate",
        Some(&json!({ "code": code }).to_string()),
    )
    .await;
    assert_eq!(activated.status, 200, "{}", activated.body);
    assert_eq!(activated.body["balance"], 100_000);
    let card_id = activated.body["cardId"].as_str().unwrap().to_string();
    let ids = products_in_stock(1, 60_000);
    let add = json!({"productId": ids[0], "quantity": 1}).to_string();
    assert!(
        call(&recipient, "POST", "/api/cart/items", Some(&add))
            .await
            .status
            < 300
    );
    let pickup = json!({"method": "pickup", "pickupPointId": "msk-tverskaya"}).to_string();
    assert_eq!(
        call(&recipient, "PUT", "/api/cart/delivery", Some(&pickup))
            .await
            .status,
        200
    );
    let goods = recipient.place_order().await;
    let goods_id = goods.body["orderId"].as_str().unwrap();
    let by_card = start_payment(
        &recipient,
        &unique("key-"),
        json!({"orderId": goods_id, "method": "gift_card", "cardId": card_id}),
    )
    .await;
    let id = by_card.body["paymentId"].as_str().unwrap();
    let done = call(
        &recipient,
        "POST",
        &format!("/api/payments/{id}/confirm"),
        None,
    )
    .await;
    assert_eq!(done.body["status"], "paid", "{}", done.body);
    let cards = recipient.gift_cards().await;
    assert_eq!(cards.body["giftCards"][0]["balance"], 40_000);
    // Still one letter once the redelivery was consumed: billing's queue and the gift-card
    // letters' queue have nothing left, handled or in flight, so a second letter would be sent.
    assert!(queue_drained("BillingPaymentQueue", Duration::from_secs(30)).await);
    assert!(queue_drained("NotificationGiftCardQueue", Duration::from_secs(30)).await);
    let letters = mail_to(&mailbox().await, &recipient_user.email)
        .into_iter()
        .filter(|m| {
            m["subject"]
                .as_str()
                .unwrap_or_default()
                .contains("дарит вам")
        })
        .count();
    assert_eq!(letters, 1, "one card, one letter");
    let purchase = table_item(&format!("GIFTCARD#BOUGHT#{payment}"), "PURCHASE")
        .await
        .expect("the purchase");
    assert!(
        !purchase.contains_key("code"),
        "the code left the table once mailed"
    );
}

#[tokio::test]
async fn the_same_form_sent_twice_is_one_order_and_a_reused_key_for_another_is_409() {
    let (c, _) = logged_in_client().await;
    let send = |key: &'static str, rubles: i64| {
        let c = c.clone();
        async move {
            let r = c
                .post(format!("{}/api/top-up-orders", base_url()))
                .header("content-type", "application/json")
                .header("idempotency-key", key)
                .body(json!({ "amount": rubles }).to_string())
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap())
        }
    };
    let key: &'static str = Box::leak(unique("double-click-").into_boxed_str());
    let ((s1, first), (s2, second)) = tokio::join!(send(key, 300), send(key, 300));
    assert_eq!((s1, s2), (201, 201), "{first} {second}");
    assert_eq!(first["orderId"], second["orderId"], "one order");
    let (status, reused) = send(key, 400).await;
    assert_eq!(
        (status, &reused["error"]["code"]),
        (409, &json!("idempotency_key_reused"))
    );
    let orders = c.orders().await.body["orders"].as_array().unwrap().len();
    assert_eq!(orders, 1);
}

/// Money goes back only with what it bought (docs/ARCHITECTURE.md §6a): a paid top-up or gift
/// card is delivered on the payment's word, so it is never cancelled (the saga would refund the
/// card while the wallet kept its credit), and a purchase was never in a cart, so «Вернуться к
/// редактированию заказа» has nothing to take it back into (a payment landing on it would be
/// refunded while billing delivers).
#[tokio::test]
async fn a_paid_top_up_is_not_cancelled_and_no_purchase_goes_back_to_a_cart() {
    let (c, _) = logged_in_client().await;
    let gift = order_of(
        &c,
        "/api/gift-card-orders",
        json!({"recipientName": "Оля", "recipientEmail": "olya@example.com", "amount": 600, "design": "flowers"}),
    )
    .await;
    assert_eq!(gift.status, 201, "{}", gift.body);
    let gift_id = gift.body["orderId"].as_str().unwrap();
    let back = c.back_to_cart(gift_id).await;
    assert_eq!(
        (back.status, &back.body["error"]["code"]),
        (409, &json!("order_not_editable")),
        "an unpaid gift card: {}",
        back.body
    );

    let order_id = top_up_order(&c, 700).await;
    let (payment, done) = pay_by_card(&c, &order_id, "5555555555554444").await;
    assert_eq!(done["status"], "paid", "{done}");
    assert!(eventually(Duration::from_secs(20), || async {
        (balance(&c).await == 70_000).then_some(())
    })
    .await
    .is_some());
    let paid = eventually(Duration::from_secs(20), || async {
        let o = c.order(&order_id).await;
        (o.body["status"] == "paid").then_some(o)
    })
    .await;
    assert!(paid.is_some(), "order hears of the payment");
    let cancel = c.cancel_order(&order_id).await;
    assert_eq!(
        (cancel.status, &cancel.body["error"]["code"]),
        (409, &json!("order_not_cancellable")),
        "{}",
        cancel.body
    );
    let back = c.back_to_cart(&order_id).await;
    assert_eq!(
        (back.status, &back.body["error"]["code"]),
        (409, &json!("order_not_editable")),
        "{}",
        back.body
    );
    // Nothing was given back: the bank keeps the capture, the wallet its credit.
    let at_bank = bank_record_of(&payment).await;
    assert_eq!(
        (&at_bank["status"], &at_bank["refunded_amount"]["value"]),
        (&json!("succeeded"), &json!("0.00")),
        "{at_bank}"
    );
    assert_eq!(balance(&c).await, 70_000);
    let p = c.payment(&payment).await;
    assert_eq!(p.body["status"], "paid");
}
