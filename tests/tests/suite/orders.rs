//! "Оплатить заказ" turns the cart into an order awaiting payment; payment's outcome makes it
//! paid; "Вернуться к редактированию заказа" takes an unpaid one back into the cart.

use serde_json::json;
use vitrina_shared::{
    contracts::{
        order::{PayableOrder, PayableRefusal, PayableRequest},
        CallError,
    },
    envelope::{Envelope, PaymentOutcome, PAYMENT_SUCCEEDED},
};
use vitrina_tests::*;

#[tokio::test]
async fn placing_freezes_the_cart_into_an_order_and_empties_the_cart() {
    let (c, user, ids) = client_ready_to_order(2, 150_000).await;
    let placed = c.place_order().await;
    assert_eq!(placed.status, 201, "{}", placed.body);
    let order_id = placed.body["orderId"].as_str().unwrap().to_string();
    assert_eq!(placed.body["status"], "awaiting_payment");
    assert_eq!(placed.body["total"], 300_000, "two lines, pickup is free");
    assert_eq!(placed.body["lines"].as_array().unwrap().len(), 2);

    // A second press answers the same order: nothing is placed twice.
    let again = c.place_order().await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.body["orderId"], order_id.as_str());

    let cart = c.cart().await;
    assert!(
        cart.status == 404 || cart.body["lines"].as_array().is_some_and(|l| l.is_empty()),
        "the cart starts empty again: {}",
        cart.body
    );
    let list = c.orders().await;
    assert!(list.body["orders"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["orderId"] == order_id.as_str() && o["status"] == "awaiting_payment"));
    let one = c.order(&order_id).await;
    assert_eq!((one.status, &one.body["total"]), (200, &json!(300_000)));

    // What payment will charge comes from the order.
    let user_id = user_id_of(&user.username).await;
    let payable = remote::<PayableOrder>("OrderPayableFunction")
        .await
        .call(&PayableRequest {
            user_id: user_id.clone(),
            order_id: order_id.clone(),
        })
        .await
        .unwrap();
    assert_eq!(payable.total, 300_000);

    // Another client sees nothing of it.
    let (other, _, _) = client_ready_to_order(1, 100).await;
    let theirs = other.order(&order_id).await;
    assert_eq!(theirs.status, 404);
    let _ = ids;
}

#[tokio::test]
async fn an_unpaid_order_goes_back_into_the_cart_and_can_no_longer_be_paid() {
    let (c, user, ids) = client_ready_to_order(1, 99_000).await;
    let order_id = c.place_order().await.body["orderId"]
        .as_str()
        .unwrap()
        .to_string();
    let back = c.back_to_cart(&order_id).await;
    assert_eq!(back.status, 200, "{}", back.body);
    assert_eq!(back.body["lines"][0]["productId"], ids[0].as_str());
    assert_eq!(
        back.body["delivery"]["method"], "pickup",
        "the delivery comes back too"
    );
    let order = c.order(&order_id).await;
    assert_eq!(order.body["status"], "returned_to_cart");
    let twice = c.back_to_cart(&order_id).await;
    assert_eq!(twice.status, 409);
    let user_id = user_id_of(&user.username).await;
    match remote::<PayableOrder>("OrderPayableFunction")
        .await
        .call(&PayableRequest { user_id, order_id })
        .await
    {
        Err(CallError::Refused(PayableRefusal::OrderNotPayable(_))) => {}
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn placing_needs_a_delivery_and_a_cart() {
    let c = Shop::anonymous();
    let user = register(&c).await;
    login(&c, &user).await;
    let empty = c.place_order().await;
    assert_eq!(
        (empty.status, &empty.body["error"]["code"]),
        (409, &json!("cart_empty"))
    );
    let id = &products_in_stock(1, 1_000)[0];
    let body = json!({"productId": id}).to_string();
    call(&c, "POST", "/api/cart/items", Some(&body)).await;
    let r = c.place_order().await;
    assert_eq!(
        (r.status, &r.body["error"]["code"]),
        (409, &json!("delivery_not_chosen")),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn a_payment_success_makes_the_order_paid_once_whatever_the_redeliveries() {
    let (c, user, _) = client_ready_to_order(1, 10_000).await;
    let order_id = c.place_order().await.body["orderId"]
        .as_str()
        .unwrap()
        .to_string();
    let user_id = user_id_of(&user.username).await;
    // A real payment from the wallet: its own `payment.succeeded` goes out at «Оплатить», and
    // the test sends three more copies of it, as SQS may deliver one message several times.
    credit_wallet(&user, 10_000).await;
    let started = start_payment(
        &c,
        &unique("key-"),
        json!({"orderId": order_id, "method": "wallet"}),
    )
    .await;
    let payment_id = started.body["paymentId"]
        .as_str()
        .expect("payment")
        .to_string();
    let aws = clients().await;
    let message = Envelope::new(
        PAYMENT_SUCCEEDED,
        "test",
        PaymentOutcome {
            payment_id: payment_id.clone(),
            order_id: order_id.clone(),
            user_id,
            amount: 10_000,
            method: vitrina_shared::contracts::payment::PaymentMethod::Wallet,
            reason: None,
            lines: Vec::new(),
            delivery: String::new(),
            kind: Default::default(),
            gift_card: None,
        },
    );
    let body = serde_json::to_string(&message).unwrap();
    let paid = call(
        &c,
        "POST",
        &format!("/api/payments/{payment_id}/confirm"),
        None,
    )
    .await;
    assert_eq!(paid.body["status"], "paid", "{}", paid.body);
    send_to_queue(&aws.sqs, "OrderPaymentQueue", &body, 3).await;
    let paid = eventually(std::time::Duration::from_secs(15), || async {
        let r = c.order(&order_id).await;
        is_paid(&r.body).then_some(r.body)
    })
    .await
    .expect("the order becomes paid");
    assert_eq!(paid["paymentId"], payment_id.as_str());
    let back = c.back_to_cart(&order_id).await;
    assert_eq!(back.status, 409, "a paid order stays an order");
    // The copies were consumed, not failed: a copy whose handling failed stays in flight for
    // the queue's visibility timeout (60 s) before each redelivery, so the queue is seen empty
    // within 30 s only if every copy was handled (`make audit` finds any that reached the DLQ).
    let drained = queue_drained("OrderPaymentQueue", std::time::Duration::from_secs(30)).await;
    assert!(drained, "a copy of the outcome was not consumed");
    // One saga, which hands the order over: the copies started no second one.
    let settled = eventually(std::time::Duration::from_secs(60), || async {
        let r = c.order(&order_id).await;
        (r.body["status"] == "handed_to_delivery").then_some(())
    })
    .await;
    assert!(settled.is_some(), "the order is handed to delivery");
}

/// Two «Оплатить заказ» at once (two tabs, a double click that beats the first answer): both
/// read the same cart and both ask store for the hold, which answers the second with the first's
/// case. The local AWS holds the first press's write until the second has placed the order, so
/// the first loses the write — and must not give back the hold that is now the placed order's.
#[tokio::test]
async fn two_placings_at_once_keep_the_placed_orders_hold() {
    let (c, _user, ids) = client_ready_to_order(1, 120_000).await;
    let cart = c.cart().await;
    let order_id = cart.body["orderId"].as_str().unwrap().to_string();
    let write = hold_dynamodb(
        "TransactWriteItems",
        "OrderPlaceFunction",
        &format!("ORDER#{order_id}"),
    )
    .await;
    let first = call_in_background(&c, "POST", "/api/orders".into());
    wait_until_held(&write).await;
    let second = c.place_order().await;
    assert_eq!(second.status, 201, "{}", second.body);
    release_held(&write).await;
    let first = first.await.expect("the first press");
    assert_eq!(
        (first.status, &first.body["orderId"]),
        (200, &json!(order_id)),
        "the press that lost answers the placed order: {}",
        first.body
    );
    let case = table_item(&format!("PICKING#{order_id}"), "CASE")
        .await
        .expect("the order's hold");
    assert_eq!(case["status"].as_s().unwrap(), "held", "{case:?}");
    assert_eq!(
        units(&ids[0], "msk-tverskaya").await,
        49,
        "one unit put aside, still"
    );
}
