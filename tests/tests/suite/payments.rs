//! S6 "Оплата заказа" through the API as the web client drives it: a payment of a placed order
//! by card (the bank sandbox's page walked as a browser would) or from the wallet; "Оплатить"
//! takes the money; one charge per order whatever the double clicks, tabs and webhooks.

use serde_json::{json, Value};
use std::time::Duration;
use vitrina_tests::*;

async fn payment(c: &Shop, id: &str) -> Value {
    let r = c.payment(id).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

async fn order_status(c: &Shop, order_id: &str) -> Value {
    c.order(order_id).await.body
}

async fn wait_order(c: &Shop, order_id: &str, check: impl Fn(&Value) -> bool) -> Value {
    eventually(Duration::from_secs(15), || async {
        let o = order_status(c, order_id).await;
        check(&o).then_some(o)
    })
    .await
    .unwrap_or_else(|| panic!("order {order_id} never got there"))
}

/// Starts a card payment: its id and the bank's page.
async fn start_card_payment(c: &Shop, order_id: &str) -> (String, String) {
    let started = start_payment(
        c,
        &unique("key-"),
        json!({"orderId": order_id, "method": "card", "saveCard": false}),
    )
    .await;
    assert_eq!(started.status, 201, "{}", started.body);
    assert_eq!(started.body["status"], "awaiting_payer");
    let id = started.body["paymentId"].as_str().unwrap().to_string();
    let url = started.body["redirectUrl"]
        .as_str()
        .expect("the bank's page")
        .to_string();
    (id, url)
}

/// Starts a card payment and pays on the bank's page with `number`; answers the payment id.
async fn card_payment(c: &Shop, order_id: &str, number: &str) -> String {
    let (id, url) = start_card_payment(c, order_id).await;
    pay_at_bank(&id, &url, number).await;
    id
}

/// Pays payment `id` on the bank's page `url` with `number` (and the 3-D Secure code).
async fn pay_at_bank(id: &str, url: &str, number: &str) {
    let back = pay_on_bank_page(url, number, Some("123456")).await;
    assert_eq!(
        back,
        format!("{}/payment/{id}", base_url()),
        "the bank sends the payer back to the shop's payment page"
    );
}

#[tokio::test]
async fn a_card_payment_is_authorised_on_the_banks_page_and_taken_by_oplatit() {
    let (c, user, order_id) = placed_order(250_000).await;
    let key = unique("key-");
    let body = json!({"orderId": order_id, "method": "card"});
    let first = start_payment(&c, &key, body.clone()).await;
    assert_eq!(first.status, 201, "{}", first.body);
    assert_eq!(first.body["amount"], 250_000, "the amount is the order's");
    // A double click: the same payment, not a second one.
    let again = start_payment(&c, &key, body).await;
    assert_eq!(again.body["paymentId"], first.body["paymentId"]);
    let id = first.body["paymentId"].as_str().unwrap().to_string();

    let url = first.body["redirectUrl"].as_str().unwrap();
    pay_on_bank_page(url, "5555 5555 5555 4477", Some("123456")).await;
    let authorised = payment(&c, &id).await;
    assert_eq!(authorised["status"], "authorized", "{authorised}");
    assert_eq!(authorised["confirmable"], true, "«Оплатить» is active");
    assert_eq!(
        order_status(&c, &order_id).await["status"],
        "awaiting_payment"
    );

    let paid = c.confirm_payment(&id).await;
    assert_eq!(
        (paid.status, &paid.body["status"]),
        (200, &json!("paid")),
        "{}",
        paid.body
    );
    let twice = c.confirm_payment(&id).await;
    assert_eq!(
        twice.body["status"], "paid",
        "a second press changes nothing"
    );
    let order = wait_order(&c, &order_id, is_paid).await;
    assert_eq!(order["paymentId"], id.as_str());

    // The bank's own record: captured once, the whole amount.
    let at_bank = bank_record_of(&id).await;
    assert_eq!(
        (&at_bank["status"], &at_bank["amount"]["value"]),
        (&json!("succeeded"), &json!("2500.00"))
    );
    // The result e-mail: once, with "Оплачено" and the order's line.
    let letters = result_letters(&user.email, "оплачен").await;
    assert_eq!(letters.len(), 1, "{letters:?}");
    let text = letters[0].to_string();
    assert!(
        text.contains("Оплачено") && text.contains("Кружка тестовая 0"),
        "{text}"
    );
}

/// The payment result letters to `address` whose subject has `subject_part`, once they came.
async fn result_letters(address: &str, subject_part: &str) -> Vec<Value> {
    eventually(Duration::from_secs(15), || async {
        let mail = mailbox().await;
        let found: Vec<Value> = mail_to(&mail, address)
            .into_iter()
            .filter(|m| {
                m["subject"]
                    .as_str()
                    .is_some_and(|s| s.contains(subject_part))
            })
            .cloned()
            .collect();
        (!found.is_empty()).then_some(found)
    })
    .await
    .unwrap_or_default()
}

#[tokio::test]
async fn a_declined_card_fails_with_the_reason_and_the_order_waits_for_another_try() {
    let (c, user, order_id) = placed_order(40_000).await;
    let (id, url) = start_card_payment(&c, &order_id).await;
    // The payer's return page is the first to see the bank's refusal: the bank's webhook is held
    // at its first read (and its retries with it) until the page has settled the payment. The
    // webhook then finds the payment over and tells nobody again: one letter.
    let bank_id = url
        .rsplit('/')
        .find(|part| !part.is_empty())
        .expect("the bank's payment id in its page's address")
        .to_string();
    let webhook = hold_requests(json!({
        "path": "/", "target": "GetItem", "contains": bank_id,
        "principal": "PaymentWebhookFunction", "times": 5,
    }))
    .await;
    pay_at_bank(&id, &url, "5555 5555 5555 4600").await;
    wait_until_held(&webhook).await;
    let failed = payment(&c, &id).await;
    release_held(&webhook).await;
    assert_eq!(
        (&failed["status"], &failed["failure"]),
        (&json!("failed"), &json!("insufficient_funds"))
    );
    wait_until_done(&webhook).await;
    assert_eq!(failed["confirmable"], false);
    let refused = c.confirm_payment(&id).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    let order = wait_order(&c, &order_id, |o| {
        o["lastPaymentFailure"] == "insufficient_funds"
    })
    .await;
    assert_eq!(order["status"], "awaiting_payment");
    let letters = result_letters(&user.email, "не прошла").await;
    assert_eq!(letters.len(), 1, "{letters:?}");
    let text = letters[0].to_string();
    assert!(
        text.contains("недостаточно средств") && text.contains(&format!("/order/{order_id}/pay")),
        "what went wrong and the way to try again: {text}"
    );

    // "Попробовать оплатить еще раз": a new payment, another card, and the order is paid.
    let retry = card_payment(&c, &order_id, "2200 0000 0000 0004").await;
    assert_eq!(payment(&c, &retry).await["status"], "authorized");
    let paid = c.confirm_payment(&retry).await;
    assert_eq!(paid.body["status"], "paid", "{}", paid.body);
    wait_order(&c, &order_id, is_paid).await;
}

#[tokio::test]
async fn the_wallet_pays_when_it_holds_enough_and_refuses_with_409_when_not() {
    let (c, user, order_id) = placed_order(70_000).await;
    credit_wallet(&user, 50_000).await;
    let short = start_payment(
        &c,
        &unique("key-"),
        json!({"orderId": order_id, "method": "wallet"}),
    )
    .await;
    assert_eq!(
        (short.status, &short.body["status"]),
        (201, &json!("ready")),
        "{}",
        short.body
    );
    let id = short.body["paymentId"].as_str().unwrap();
    let refused = c.confirm_payment(id).await;
    assert_eq!(
        (refused.status, &refused.body["error"]["code"]),
        (409, &json!("insufficient_funds")),
        "{}",
        refused.body
    );
    let wallet = c.wallet().await;
    assert_eq!(wallet.body["balance"], 50_000, "nothing was taken");

    credit_wallet(&user, 20_000).await;
    let enough = start_payment(
        &c,
        &unique("key-"),
        json!({"orderId": order_id, "method": "wallet"}),
    )
    .await;
    let id = enough.body["paymentId"].as_str().unwrap();
    let paid = c.confirm_payment(id).await;
    assert_eq!(paid.body["status"], "paid", "{}", paid.body);
    assert_eq!(c.wallet().await.body["balance"], 0);
    wait_order(&c, &order_id, is_paid).await;
}

#[tokio::test]
async fn two_tabs_paying_one_order_charge_it_once() {
    let (c, user, order_id) = placed_order(30_000).await;
    credit_wallet(&user, 30_000).await;
    // Tab 1 authorises a card; tab 2 prepares the wallet.
    let card = card_payment(&c, &order_id, "5555 5555 5555 4444").await;
    assert_eq!(payment(&c, &card).await["status"], "authorized");
    let wallet = start_payment(
        &c,
        &unique("key-"),
        json!({"orderId": order_id, "method": "wallet"}),
    )
    .await;
    let wallet = wallet.body["paymentId"].as_str().unwrap().to_string();

    let (card_path, wallet_path) = (
        format!("/api/payments/{card}/confirm"),
        format!("/api/payments/{wallet}/confirm"),
    );
    let (a, b) = tokio::join!(
        call(&c, "POST", &card_path, None),
        call(&c, "POST", &wallet_path, None),
    );
    let paid = [&a, &b]
        .iter()
        .filter(|r| r.body["status"] == "paid")
        .count();
    let refused = [&a, &b]
        .iter()
        .filter(|r| r.status == 409 && r.body["error"]["code"] == "order_already_paid")
        .count();
    assert_eq!((paid, refused), (1, 1), "{} / {}", a.body, b.body);

    // The loser took nothing: the wallet is whole if the card won, and the card's hold was
    // released if the wallet won.
    let balance = c.wallet().await.body["balance"].clone();
    let card_status = payment(&c, &card).await["status"].clone();
    let at_bank = bank_record_of(&card).await;
    let winner = if card_status == "paid" {
        assert_eq!(balance, 30_000);
        assert_eq!(at_bank["status"], "succeeded", "{at_bank}");
        &card
    } else {
        assert_eq!((balance, card_status), (json!(0), json!("cancelled")));
        assert_eq!(
            (&at_bank["status"], &at_bank["refunded_amount"]["value"]),
            (&json!("canceled"), &json!("0.00")),
            "the card's hold released, nothing captured: {at_bank}"
        );
        &wallet
    };
    let order = wait_order(&c, &order_id, is_paid).await;
    assert_eq!(
        order["paymentId"],
        winner.as_str(),
        "the order is the winner's"
    );
}

#[tokio::test]
async fn the_webhook_alone_settles_a_payment_and_a_forged_one_changes_nothing() {
    let (c, _, order_id) = placed_order(15_000).await;
    // Forged: says succeeded for a payment the bank still has pending.
    let started = start_payment(
        &c,
        &unique("key-"),
        json!({"orderId": order_id, "method": "card"}),
    )
    .await;
    let pending = started.body["paymentId"].as_str().unwrap().to_string();
    let bank_id = table_item(&format!("PAYMENT#{pending}"), "PAYMENT")
        .await
        .unwrap()["bankPaymentId"]
        .as_s()
        .unwrap()
        .clone();
    let forged = json!({"type": "notification", "event": "payment.succeeded",
        "object": {"id": bank_id, "status": "succeeded", "paid": true}});
    let r = reqwest::Client::new()
        .post(format!("{}/api/payments/webhook", base_url()))
        .header("content-type", "application/json")
        .body(forged.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let stored = table_item(&format!("PAYMENT#{pending}"), "PAYMENT")
        .await
        .unwrap();
    assert_eq!(
        stored["status"].as_s().unwrap(),
        "awaiting_payer",
        "the bank says pending"
    );

    // The payer pays and never comes back: the bank's webhook settles it by itself.
    let url = started.body["redirectUrl"].as_str().unwrap();
    pay_on_bank_page(url, "5555 5555 5555 4444", None).await;
    let settled = eventually(Duration::from_secs(15), || async {
        let item = table_item(&format!("PAYMENT#{pending}"), "PAYMENT").await?;
        (item["status"].as_s().ok()? == "authorized").then_some(())
    })
    .await;
    assert!(settled.is_some(), "the webhook moved it to authorized");
}

#[tokio::test]
async fn bad_payment_requests_are_refused_with_clear_codes() {
    let (c, _, order_id) = placed_order(10_000).await;
    let no_key = call(
        &c,
        "POST",
        "/api/payments",
        Some(&json!({"orderId": order_id, "method": "card"}).to_string()),
    )
    .await;
    assert_eq!(
        (no_key.status, &no_key.body["error"]["code"]),
        (400, &json!("missing_idempotency_key"))
    );
    let bad = start_payment(
        &c,
        &unique("key-"),
        json!({"orderId": order_id, "method": "bitcoin"}),
    )
    .await;
    assert_eq!(
        (bad.status, &bad.body["error"]["code"]),
        (400, &json!("invalid_method"))
    );
    let (other, _, _) = placed_order(10_000).await;
    let theirs = start_payment(
        &other,
        &unique("key-"),
        json!({"orderId": order_id, "method": "card"}),
    )
    .await;
    assert_eq!(
        (theirs.status, &theirs.body["error"]["code"]),
        (404, &json!("order_not_found"))
    );
    let mine = start_payment(
        &c,
        &unique("key-"),
        json!({"orderId": order_id, "method": "card"}),
    )
    .await;
    let id = mine.body["paymentId"].as_str().unwrap();
    let peek = other.payment(id).await;
    assert_eq!(peek.status, 404, "another client's payment is not found");
    let not_mine = start_payment(
        &c,
        &unique("key-"),
        json!({"orderId": order_id, "method": "saved_card", "cardId": "somebody-elses"}),
    )
    .await;
    assert_eq!(
        (not_mine.status, &not_mine.body["error"]["code"]),
        (404, &json!("card_not_found"))
    );
    // A gift card that is not the client's: refused at «Оплатить», nothing taken.
    let gift = start_payment(
        &c,
        &unique("key-"),
        json!({"orderId": order_id, "method": "gift_card", "cardId": "somebody-elses"}),
    )
    .await;
    let id = gift.body["paymentId"].as_str().unwrap();
    let refused = c.confirm_payment(id).await;
    assert_eq!(
        (refused.status, &refused.body["error"]["code"]),
        (404, &json!("card_not_found")),
        "{}",
        refused.body
    );
}

#[tokio::test]
async fn sbp_is_paid_in_the_payers_app_then_taken_by_oplatit() {
    let (c, _, order_id) = placed_order(12_345).await;
    let started = start_payment(
        &c,
        &unique("key-"),
        json!({"orderId": order_id, "method": "sbp"}),
    )
    .await;
    assert_eq!(started.status, 201, "{}", started.body);
    let link = started.body["qrLink"].as_str().expect("the QR's link");
    assert!(
        link.contains("type=02") && link.contains("sum=12345"),
        "{link}"
    );
    let id = started.body["paymentId"].as_str().unwrap();
    assert_eq!(
        payment(&c, id).await["confirmable"],
        false,
        "the payer has not paid yet"
    );
    // The payer's app.
    let bank_id = table_item(&format!("PAYMENT#{id}"), "PAYMENT")
        .await
        .unwrap()["bankPaymentId"]
        .as_s()
        .unwrap()
        .clone();
    payer_browser()
        .post(format!("{}/sbp/{bank_id}/pay", bank_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(payment(&c, id).await["status"], "authorized");
    let paid = c.confirm_payment(id).await;
    assert_eq!(paid.body["status"], "paid", "{}", paid.body);
    wait_order(&c, &order_id, is_paid).await;
}

#[tokio::test]
async fn a_gift_card_pays_once_whatever_the_double_click() {
    let (c, _, order_id) = placed_order(30_000).await;
    let code = issue_gift_cards(1_000, 1).remove(0);
    let card = call(
        &c,
        "POST",
        "/api/gift-cards/activate",
        Some(&json!({ "code": code }).to_string()),
    )
    .await;
    assert_eq!(card.status, 200, "{}", card.body);
    let card_id = card.body["cardId"].as_str().unwrap();
    let started = start_payment(
        &c,
        &unique("key-"),
        json!({"orderId": order_id, "method": "gift_card", "cardId": card_id}),
    )
    .await;
    assert_eq!(started.body["status"], "ready", "{}", started.body);
    let id = started.body["paymentId"].as_str().unwrap();
    let path = format!("/api/payments/{id}/confirm");
    let (a, b) = tokio::join!(call(&c, "POST", &path, None), call(&c, "POST", &path, None));
    assert_eq!(
        (&a.body["status"], &b.body["status"]),
        (&json!("paid"), &json!("paid"))
    );
    let cards = c.gift_cards().await;
    assert_eq!(
        cards.body["giftCards"][0]["balance"], 70_000,
        "taken once: {}",
        cards.body
    );
    wait_order(&c, &order_id, is_paid).await;
}

/// A fault of the bank sandbox for the shop's call with `key` (`capture-<payment>`, …).
async fn bank_fault(kind: &str, key: &str, times: u32, delay_ms: u64) {
    let r = reqwest::Client::new()
        .post(format!("{}/_sandbox/faults", bank_url()))
        .json(&json!({"kind": kind, "times": times, "delayMs": delay_ms, "idempotenceKey": key}))
        .send()
        .await
        .expect("the bank sandbox answers");
    assert!(r.status().is_success());
}

/// The payment's timer looks within the hold time (30 s in `make test`) after the payment was
/// started; this leaves it room under load.
const TIMER_PATIENCE: Duration = Duration::from_secs(75);

async fn wait_payment(c: &Shop, id: &str, status: &str) -> Value {
    eventually(TIMER_PATIENCE, || async {
        let p = payment(c, id).await;
        (p["status"] == status).then_some(p)
    })
    .await
    .unwrap_or_else(|| panic!("payment {id} never became {status}"))
}

#[tokio::test]
async fn the_bank_failing_or_slow_at_oplatit_still_captures_once() {
    // One 500, then a capture slower than the adapter's timeout: each retried with the same key.
    for (kind, delay_ms) in [("error500", 0), ("slow", 5_000)] {
        let (c, _user, order_id) = placed_order(31_000).await;
        let id = card_payment(&c, &order_id, "5555 5555 5555 4444").await;
        assert_eq!(payment(&c, &id).await["status"], "authorized");
        bank_fault(kind, &format!("capture-{id}"), 1, delay_ms).await;
        let paid = c.confirm_payment(&id).await;
        assert_eq!(
            (paid.status, &paid.body["status"]),
            (200, &json!("paid")),
            "{kind}: {}",
            paid.body
        );
        let at_bank = bank_record_of(&id).await;
        assert_eq!(
            (&at_bank["status"], &at_bank["amount"]["value"]),
            (&json!("succeeded"), &json!("310.00")),
            "{kind}"
        );
        wait_order(&c, &order_id, is_paid).await;
        // The bank really failed or was slow: the fault was used up by the shop's call.
        let left: Vec<Value> = reqwest::get(format!("{}/_sandbox/faults", bank_url()))
            .await
            .expect("the bank sandbox answers")
            .json()
            .await
            .expect("the faults");
        let key = format!("capture-{id}");
        assert!(
            !left.iter().any(|f| f["idempotenceKey"] == key.as_str()),
            "{kind}: the fault was used: {left:?}"
        );
    }
}

#[tokio::test]
async fn oplatit_broken_off_by_the_bank_is_finished_by_the_timer_once() {
    let (c, user, order_id) = placed_order(32_000).await;
    let id = card_payment(&c, &order_id, "5555 5555 5555 4444").await;
    // The bank fails every attempt of the capture: the client sees "try again" and leaves.
    bank_fault("error500", &format!("capture-{id}"), 3, 0).await;
    let broken = c.confirm_payment(&id).await;
    assert_eq!(
        (broken.status, &broken.body["error"]["code"]),
        (503, &json!("payment_unavailable")),
        "{}",
        broken.body
    );
    assert_eq!(payment(&c, &id).await["status"], "authorized");
    // The client asked for the money to be taken: the timer takes it.
    let paid = wait_payment(&c, &id, "paid").await;
    assert_eq!(paid["failure"], Value::Null);
    assert_eq!(bank_record_of(&id).await["status"], "succeeded");
    wait_order(&c, &order_id, is_paid).await;
    let letters = result_letters(&user.email, "оплачен").await;
    assert_eq!(letters.len(), 1, "one result e-mail: {letters:?}");
}

#[tokio::test]
async fn money_held_and_never_confirmed_is_released_by_the_timer() {
    let (c, user, order_id) = placed_order(33_000).await;
    let id = card_payment(&c, &order_id, "5555 5555 5555 4444").await;
    assert_eq!(payment(&c, &id).await["status"], "authorized");
    // The client never presses «Оплатить».
    let released = wait_payment(&c, &id, "cancelled").await;
    assert_eq!(released["failure"], "not_confirmed_in_time");
    assert_eq!(released["confirmable"], false);
    let at_bank = bank_record_of(&id).await;
    assert_eq!(
        (
            &at_bank["status"],
            &at_bank["cancellation_details"]["reason"]
        ),
        (&json!("canceled"), &json!("canceled_by_merchant")),
        "the bank's hold is released: {at_bank}"
    );
    // Too late to press: refused, nothing taken.
    let late = c.confirm_payment(&id).await;
    assert_eq!(
        (late.status, &late.body["error"]["code"]),
        (409, &json!("payment_not_confirmable")),
        "{}",
        late.body
    );
    assert_eq!(bank_record_of(&id).await["status"], "canceled");
    // The order waits for another try, which works.
    assert_eq!(
        order_status(&c, &order_id).await["status"],
        "awaiting_payment"
    );
    credit_wallet(&user, 33_000).await;
    let wallet = start_payment(
        &c,
        &unique("key-"),
        json!({"orderId": order_id, "method": "wallet"}),
    )
    .await;
    assert_eq!(wallet.status, 201, "{}", wallet.body);
    let wallet_id = wallet.body["paymentId"].as_str().unwrap();
    let paid = call(
        &c,
        "POST",
        &format!("/api/payments/{wallet_id}/confirm"),
        None,
    )
    .await;
    assert_eq!(paid.body["status"], "paid", "{}", paid.body);
    wait_order(&c, &order_id, is_paid).await;
}

/// «Оплатить» pressed twice, the second while the first is taking the wallet's money (billing's
/// debit held by the local AWS) and after the order went back into the cart: the second finds
/// the order no longer payable, but the order's claim is this payment's, so it gives nothing up
/// — giving up would leave money taken on a payment marked cancelled, told to nobody and never
/// refunded. The first finishes; the order in the cart gets the money back, once.
#[tokio::test]
async fn a_second_oplatit_while_the_first_takes_the_money_gives_nothing_up() {
    let (c, user, order_id) = placed_order(41_000).await;
    credit_wallet(&user, 100_000).await;
    let started = start_payment(
        &c,
        &unique("key-"),
        json!({"orderId": order_id, "method": "wallet"}),
    )
    .await;
    assert_eq!(started.body["status"], "ready", "{}", started.body);
    let id = started.body["paymentId"].as_str().unwrap().to_string();
    let confirm = format!("/api/payments/{id}/confirm");
    let debit = hold_dynamodb(
        "TransactWriteItems",
        "BillingWalletDebitFunction",
        &format!("payment:{id}"),
    )
    .await;
    let first = call_in_background(&c, "POST", confirm.clone());
    wait_until_held(&debit).await;
    let back = c.back_to_cart(&order_id).await;
    assert_eq!(back.status, 200, "{}", back.body);
    let second = call(&c, "POST", &confirm, None).await;
    assert_eq!(
        (second.status, &second.body["error"]["code"]),
        (409, &json!("payment_in_progress")),
        "{}",
        second.body
    );
    release_held(&debit).await;
    let first = first.await.expect("the first press");
    assert_eq!(first.body["status"], "paid", "{}", first.body);
    // The success lands on an order back in the cart: order has it refunded, once.
    let refunded = eventually(Duration::from_secs(30), || async {
        let p = payment(&c, &id).await;
        (p["status"] == "refunded").then_some(p)
    })
    .await;
    assert!(
        refunded.is_some(),
        "the money of an order in the cart goes back"
    );
    let wallet = c.wallet().await;
    assert_eq!(wallet.body["balance"], 100_000, "{}", wallet.body);
}

/// A capture the bank did not answer leaves «Оплатить»'s claim on the order; the bank then ends
/// the authorisation (it expired, or was cancelled at the bank). Settling that end frees the
/// order, so the client's next payment is not refused as `order_already_paid` for ever.
#[tokio::test]
async fn a_payment_the_bank_ended_after_a_broken_capture_frees_the_order() {
    let (c, _user, order_id) = placed_order(42_000).await;
    let id = card_payment(&c, &order_id, "5555 5555 5555 4444").await;
    assert_eq!(payment(&c, &id).await["status"], "authorized");
    bank_fault("error500", &format!("capture-{id}"), 3, 0).await;
    let broken = c.confirm_payment(&id).await;
    assert_eq!(broken.status, 503, "{}", broken.body);
    let bank_id = bank_record_of(&id).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let ended = payer_browser()
        .post(format!("{}/v3/payments/{bank_id}/cancel", bank_url()))
        .basic_auth("sandbox-shop", Some("test_sandbox_secret"))
        .header("Idempotence-Key", unique("test-cancel-"))
        .json(&json!({}))
        .send()
        .await
        .expect("the bank sandbox answers");
    assert!(ended.status().is_success(), "{}", ended.status());
    assert_eq!(payment(&c, &id).await["status"], "failed");
    let next = card_payment(&c, &order_id, "5555 5555 5555 4444").await;
    let paid = c.confirm_payment(&next).await;
    assert_eq!(
        (paid.status, &paid.body["status"]),
        (200, &json!("paid")),
        "{}",
        paid.body
    );
    wait_order(&c, &order_id, is_paid).await;
}

/// Ids from a client are shaped before they reach a key: DynamoDB refuses a key over 2048
/// bytes even on a read (the local AWS plays that too), which would be a 500.
#[tokio::test]
async fn ids_no_shop_would_make_are_simply_not_found() {
    let (c, _user, order_id) = placed_order(43_000).await;
    let long = "a".repeat(3000);
    for (method, path, code) in [
        ("GET", format!("/api/orders/{long}"), "order_not_found"),
        (
            "POST",
            format!("/api/orders/{long}/cancel"),
            "order_not_found",
        ),
        (
            "POST",
            format!("/api/orders/{long}/cart"),
            "order_not_found",
        ),
        ("GET", format!("/api/payments/{long}"), "payment_not_found"),
        (
            "POST",
            format!("/api/payments/{long}/confirm"),
            "payment_not_found",
        ),
        (
            "GET",
            format!("/api/orders/{}", order_id.to_uppercase()),
            "order_not_found",
        ),
    ] {
        let r = call(&c, method, &path, None).await;
        assert_eq!(
            (r.status, &r.body["error"]["code"]),
            (404, &json!(code)),
            "{method} {}…: {}",
            &path[..40.min(path.len())],
            r.body
        );
    }
    let own = c.order(&order_id).await;
    assert_eq!(own.status, 200, "the shop's own id still works");
}

/// «Оплатить» and the payment's timer at the same moment, both ways round, driven by holding one
/// side's transaction until the other's has committed: the money is taken or released, never
/// both. (1) The timer's give-up is held while «Оплатить» claims the order and starts taking the
/// money: the give-up finds the claim and writes nothing; the money is taken once. (2)
/// «Оплатить»'s claim is held while the timer's give-up commits: the claim finds the payment
/// over — 409, the wallet untouched.
#[tokio::test]
async fn oplatit_and_the_timer_at_once_take_or_release_never_both() {
    let wallet_payment = |c: Shop, user: NewUser, order_id: String, total: i64| async move {
        credit_wallet(&user, total).await;
        let started = start_payment(
            &c,
            &unique("key-"),
            json!({"orderId": order_id, "method": "wallet"}),
        )
        .await;
        assert_eq!(started.body["status"], "ready", "{}", started.body);
        started.body["paymentId"].as_str().unwrap().to_string()
    };
    let (c1, u1, o1) = placed_order(44_000).await;
    let p1 = wallet_payment(c1.clone(), u1, o1.clone(), 44_000).await;
    let (c2, u2, o2) = placed_order(45_000).await;
    let p2 = wallet_payment(c2.clone(), u2, o2.clone(), 45_000).await;
    // Nobody presses «Оплатить» for the hold time: each timer comes to give its payment up,
    // and is held there.
    let timer_gives_up = |payment: String| async move {
        hold_dynamodb(
            "TransactWriteItems",
            "PaymentTimerFunction",
            &format!("PAYMENT#{payment}"),
        )
        .await
    };
    let give_up1 = timer_gives_up(p1.clone()).await;
    let give_up2 = timer_gives_up(p2.clone()).await;
    // One at a time: the timer may get both in one batch, and handles its records in turn.
    wait_until_held(&give_up1).await;

    // (1) «Оплатить» claims the order while the give-up waits, and is held in turn taking the
    // money (billing's debit); the give-up goes on then — the payment still reads `ready`, only
    // the claim stops it — and writes nothing. The money is taken once.
    let debit = hold_dynamodb(
        "TransactWriteItems",
        "BillingWalletDebitFunction",
        &format!("payment:{p1}"),
    )
    .await;
    let taking = call_in_background(&c1, "POST", format!("/api/payments/{p1}/confirm"));
    wait_until_held(&debit).await;
    release_held(&give_up1).await;
    wait_until_done(&give_up1).await;
    release_held(&debit).await;
    let taken = taking.await.expect("the press");
    assert_eq!(
        (taken.status, &taken.body["status"]),
        (200, &json!("paid")),
        "{}",
        taken.body
    );
    wait_until_held(&give_up2).await;

    // (2) «Оплатить» read the payment as ready; its claim waits until the give-up has committed.
    let claim = hold_dynamodb(
        "TransactWriteItems",
        "PaymentConfirmFunction",
        &format!("ORDERPAY#{o2}"),
    )
    .await;
    let late = call_in_background(&c2, "POST", format!("/api/payments/{p2}/confirm"));
    wait_until_held(&claim).await;
    release_held(&give_up2).await;
    let given_up = wait_payment(&c2, &p2, "cancelled").await;
    assert_eq!(given_up["failure"], "not_confirmed_in_time");
    release_held(&claim).await;
    let late = late.await.expect("the late press");
    assert_eq!(
        (late.status, &late.body["error"]["code"]),
        (409, &json!("payment_not_confirmable")),
        "{}",
        late.body
    );
    let balance = |c: Shop| async move { c.wallet().await.body["balance"].clone() };
    assert_eq!(balance(c1.clone()).await, 0, "taken once");
    assert_eq!(balance(c2.clone()).await, 45_000, "nothing taken");
    assert_eq!(
        payment(&c1, &p1).await["status"],
        "paid",
        "the give-up wrote nothing"
    );
    wait_order(&c1, &o1, is_paid).await;
    let o2_now = order_status(&c2, &o2).await;
    assert_eq!(o2_now["status"], "awaiting_payment", "{o2_now}");
}
