//! Checkout (S5) over HTTP: delivery's pickup points and couriers, a courier price for an
//! address, and the cart settling its delivery through delivery — pickup or courier, with the
//! cost added to the total. Bad input gets a clear 4xx; another client's price is not found.

use serde_json::{json, Value};
use vitrina_tests::*;

async fn quote(c: &Shop, courier: &str, address: &str) -> Reply {
    let body = json!({"courierId": courier, "address": address}).to_string();
    call(c, "POST", "/api/delivery/quote", Some(&body)).await
}

async fn set_delivery(c: &Shop, choice: Value) -> Reply {
    call(c, "PUT", "/api/cart/delivery", Some(&choice.to_string())).await
}

#[tokio::test]
async fn delivery_options_list_pickup_points_and_couriers() {
    assert_eq!(Shop::anonymous().delivery_options().await.status, 403);
    let c = Shop::registered().await;
    let r = c.delivery_options().await;
    assert_eq!(r.status, 200);
    let points = r.body["pickupPoints"].as_array().unwrap();
    assert!(points.len() >= 3);
    assert!(points.iter().all(|p| p["address"].as_str().is_some()));
    let couriers = r.body["couriers"].as_array().unwrap();
    assert!(couriers.iter().any(|c| c["id"] == "cdek"));
}

#[tokio::test]
async fn a_courier_price_needs_a_served_address_and_a_known_courier() {
    let c = Shop::registered().await;
    for (courier, address, code) in [
        ("cdek", "Москва", "invalid_address"),
        ("cdek", "Москва, улица без номера", "invalid_address"),
        ("cdek", "Тверь, ул. Советская, 3", "city_not_served"),
        ("nobody", "Москва, ул. Ленина, 5", "unknown_courier"),
        ("vitrina", "Казань, ул. Баумана, 1", "courier_not_in_city"),
    ] {
        let r = quote(&c, courier, address).await;
        assert_eq!(r.status, 400, "{courier} {address}: {}", r.body);
        assert_eq!(r.body["error"]["code"], code, "{courier} {address}");
        assert!(r.body["error"]["message"].as_str().unwrap().len() > 10);
        if code == "city_not_served" {
            // The web client words the message with the city itself.
            assert_eq!(r.body["error"]["details"]["city"], "Тверь", "{}", r.body);
        }
        if code == "courier_not_in_city" {
            assert_eq!(r.body["error"]["details"]["city"], "Казань", "{}", r.body);
            assert!(r.body["error"]["details"]["courier"].as_str().is_some());
        }
    }
    let r = quote(&c, "cdek", "Москва, ул. Ленина, д. 5, кв. 12").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["cost"], 39_000);
    assert_eq!(r.body["city"], "Москва");
    assert!(r.body["quoteId"].as_str().is_some());
}

#[tokio::test]
async fn the_cart_settles_pickup_or_courier_and_adds_the_cost() {
    let c = Shop::registered().await;
    let empty = set_delivery(
        &c,
        json!({"method": "pickup", "pickupPointId": "msk-tverskaya"}),
    )
    .await;
    assert_eq!(empty.status, 409, "{}", empty.body);
    assert_eq!(empty.body["error"]["code"], "cart_empty");

    let body = json!({"productId": "p-000002", "quantity": 2}).to_string();
    assert_eq!(
        call(&c, "POST", "/api/cart/items", Some(&body))
            .await
            .status,
        201
    );
    let bad = set_delivery(&c, json!({"method": "pickup", "pickupPointId": "nowhere"})).await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert_eq!(bad.body["error"]["code"], "invalid_delivery");
    // Only the two a client chooses: a gift card's e-mail and a top-up's wallet are not ways
    // for goods.
    for method in ["teleport", "email", "wallet", "none", ""] {
        let bad = set_delivery(&c, json!({ "method": method })).await;
        assert_eq!(bad.status, 400, "{method}: {}", bad.body);
        assert_eq!(bad.body["error"]["code"], "invalid_delivery", "{method}");
    }

    let pickup = set_delivery(
        &c,
        json!({"method": "pickup", "pickupPointId": "spb-nevsky"}),
    )
    .await;
    assert_eq!(pickup.status, 200, "{}", pickup.body);
    assert_eq!(pickup.body["delivery"]["method"], "pickup");
    assert_eq!(pickup.body["delivery"]["cost"], 0);
    assert_eq!(pickup.body["grandTotal"], pickup.body["total"]);

    let q = quote(&c, "pochta", "Екатеринбург, ул. Малышева, 10").await;
    assert_eq!(q.status, 200, "{}", q.body);
    let courier = set_delivery(
        &c,
        json!({"method": "courier", "quoteId": q.body["quoteId"]}),
    )
    .await;
    assert_eq!(courier.status, 200, "{}", courier.body);
    assert_eq!(courier.body["delivery"]["method"], "courier");
    assert_eq!(
        courier.body["delivery"]["address"],
        "Екатеринбург, ул. Малышева, 10"
    );
    let total = courier.body["total"].as_i64().unwrap();
    assert_eq!(courier.body["grandTotal"], total + 45_000);

    // The choice stays with the cart.
    let cart = c.cart().await;
    assert_eq!(cart.body["delivery"]["cost"], 45_000);

    // Another client's price is nobody's here.
    let other = Shop::registered().await;
    assert_eq!(
        call(&other, "POST", "/api/cart/items", Some(&body))
            .await
            .status,
        201
    );
    let stolen = set_delivery(
        &other,
        json!({"method": "courier", "quoteId": q.body["quoteId"]}),
    )
    .await;
    assert_eq!(stolen.status, 409, "{}", stolen.body);
    assert_eq!(stolen.body["error"]["code"], "quote_not_found");
    // An id that cannot be a quote (here 2 000 characters, over DynamoDB's key limit) is not
    // found either — never a 500.
    for bogus in ["x".repeat(2_000), "not-a-uuid".to_string()] {
        let r = set_delivery(&other, json!({"method": "courier", "quoteId": bogus})).await;
        assert_eq!(
            (r.status, &r.body["error"]["code"]),
            (409, &json!("quote_not_found")),
            "{}",
            r.body
        );
    }
    // And a cart whose last line goes takes its delivery with it.
    let cart = c.cart().await;
    for line in cart.body["lines"].as_array().unwrap() {
        let id = line["productId"].as_str().unwrap();
        let r = c.remove_from_cart(id).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let empty = c.cart().await;
    assert_eq!(
        (&empty.body["delivery"], &empty.body["grandTotal"]),
        (&json!(null), &json!(0)),
        "{}",
        empty.body
    );
}

#[tokio::test]
async fn an_expired_courier_price_is_409_quote_expired() {
    let c = Shop::registered().await;
    let user = c.user().clone();
    let body = json!({"productId": "p-000005", "quantity": 1}).to_string();
    assert_eq!(
        call(&c, "POST", "/api/cart/items", Some(&body))
            .await
            .status,
        201
    );
    let q = quote(&c, "cdek", "Москва, ул. Ленина, д. 5").await;
    assert_eq!(q.status, 200, "{}", q.body);
    let quote_id = q.body["quoteId"].as_str().unwrap();
    // Half an hour later, as far as the quote knows (the table's TTL deletes lazily).
    let user_id = user_id_of(&user.username).await;
    let past = epoch_seconds() - 1;
    set_numbers(
        &format!("DELIVERY#{user_id}"),
        &format!("QUOTE#{quote_id}"),
        &[("expiresAt", past)],
    )
    .await;
    let r = set_delivery(&c, json!({"method": "courier", "quoteId": quote_id})).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(r.body["error"]["code"], "quote_expired");
    // Nothing half-written: the cart still has no delivery.
    let cart = c.cart().await;
    assert_eq!(cart.body["delivery"], Value::Null);
    // A fresh price works.
    let fresh = quote(&c, "cdek", "Москва, ул. Ленина, д. 5").await;
    let r = set_delivery(
        &c,
        json!({"method": "courier", "quoteId": fresh.body["quoteId"]}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

/// The hold of `order_id` in window `window` of Moscow, as delivery keeps it.
async fn window_hold(window: &str, order_id: &str) -> Option<Value> {
    let item = table_item("SLOTS#0", &format!("{window}#{order_id}")).await?;
    Some(json!({
        "confirmed": item["confirmed"].as_bool().ok().copied(),
        "expiresAt": item["expiresAt"].as_n().ok().and_then(|n| n.parse::<i64>().ok()),
    }))
}

#[tokio::test]
async fn the_own_courier_comes_in_a_window_the_client_holds_and_a_full_window_is_refused() {
    let c = Shop::registered().await;
    let body = json!({"productId": "p-000007", "quantity": 1}).to_string();
    let added = call(&c, "POST", "/api/cart/items", Some(&body)).await;
    assert_eq!(added.status, 201, "{}", added.body);
    let order_id = added.body["orderId"].as_str().unwrap().to_string();

    let q = quote(&c, "vitrina", "Москва, ул. Ленина, д. 5").await;
    assert_eq!(q.status, 200, "{}", q.body);
    let windows = q.body["windows"].as_array().expect("windows").clone();
    assert_eq!(windows.len(), 18, "six two-hour windows a day, three days");
    let id = |i: usize| windows[i]["id"].as_str().unwrap().to_string();
    assert!(windows[0]["label"]
        .as_str()
        .unwrap()
        .ends_with(", 10:00–12:00"));
    // Another company's price has no windows.
    let cdek = quote(&c, "cdek", "Москва, ул. Ленина, д. 5").await;
    assert_eq!(cdek.body["windows"], Value::Null);

    let courier = |slot: Option<String>| {
        let mut choice = json!({"method": "courier", "quoteId": q.body["quoteId"]});
        if let Some(slot) = slot {
            choice["slotId"] = json!(slot);
        }
        choice
    };
    for bad in [
        None,
        Some("2020-01-01T10".to_string()),
        Some("завтра".into()),
    ] {
        let r = set_delivery(&c, courier(bad.clone())).await;
        assert_eq!(
            (r.status, &r.body["error"]["code"]),
            (400, &json!("invalid_delivery")),
            "{bad:?}: {}",
            r.body
        );
    }

    let r = set_delivery(&c, courier(Some(id(0)))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["delivery"]["slot"]["id"], id(0));
    assert!(r.body["delivery"]["label"]
        .as_str()
        .unwrap()
        .contains(windows[0]["label"].as_str().unwrap()));
    let held = window_hold(&id(0), &order_id).await.expect("held");
    assert_eq!(held["confirmed"], false, "not paid yet: {held}");
    assert!(held["expiresAt"].as_i64().unwrap() > epoch_seconds());

    // Another window: the first one's place is given back.
    let r = set_delivery(&c, courier(Some(id(1)))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(window_hold(&id(0), &order_id).await, None);
    assert!(window_hold(&id(1), &order_id).await.is_some());
    // The same window again (a double click, a retry): the one place, the count as it was.
    let count = || async {
        table_item("SLOTS#0", &id(1))
            .await
            .expect("the window's count")["held"]
            .as_n()
            .expect("held")
            .clone()
    };
    let before = count().await;
    let r = set_delivery(&c, courier(Some(id(1)))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(count().await, before, "no second place taken");
    assert!(window_hold(&id(1), &order_id).await.is_some());

    // The last window is full: other orders hold every place.
    let last = id(17);
    let mut others = Vec::new();
    for _ in 0..20 {
        others.push(window_taken_by_another(&last, false).await);
    }
    set_window_count(&last, 20).await;
    let fresh = quote(&c, "vitrina", "Москва, ул. Ленина, д. 5").await;
    assert_eq!(fresh.body["windows"][17]["free"], 0, "{}", fresh.body);
    let courier =
        |slot: &str| json!({"method": "courier", "quoteId": fresh.body["quoteId"], "slotId": slot});
    let r = set_delivery(&c, courier(&last)).await;
    assert_eq!(
        (r.status, &r.body["error"]["code"]),
        (409, &json!("slot_taken")),
        "{}",
        r.body
    );
    // Nothing half-written: the cart keeps the window it had, and its place.
    let cart = c.cart().await;
    assert_eq!(cart.body["delivery"]["slot"]["id"], id(1));
    assert!(window_hold(&id(1), &order_id).await.is_some());

    // One of those orders was never paid for in time: its place goes to this client.
    set_numbers(
        "SLOTS#0",
        &format!("{last}#{}", others[0]),
        &[("expiresAt", epoch_seconds() - 1)],
    )
    .await;
    let r = set_delivery(&c, courier(&last)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(window_hold(&last, &order_id).await.is_some());
    assert_eq!(
        window_hold(&last, &others[0]).await,
        None,
        "the lapsed hold is gone"
    );
    assert_eq!(window_hold(&id(1), &order_id).await, None);
}

#[tokio::test]
async fn another_companys_courier_is_pre_booked_on_choice_and_a_changed_choice_cancels_it() {
    let c = Shop::registered().await;
    let body = json!({"productId": "p-000002", "quantity": 1}).to_string();
    assert_eq!(
        call(&c, "POST", "/api/cart/items", Some(&body))
            .await
            .status,
        201
    );
    let q = quote(&c, "cdek", "Москва, ул. Ленина, д. 5").await;
    assert_eq!(q.status, 200, "{}", q.body);
    let chosen = json!({"method": "courier", "quoteId": q.body["quoteId"]});
    let r = set_delivery(&c, chosen.clone()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let order_id = r.body["orderId"].as_str().unwrap().to_string();
    let booked = courier_bookings(&order_id).await;
    assert_eq!(booked.len(), 1, "{booked:?}");
    assert_eq!(
        (
            &booked[0]["carrier"],
            &booked[0]["status"],
            &booked[0]["address"]
        ),
        (
            &json!("cdek"),
            &json!("pending"),
            &json!("Москва, ул. Ленина, д. 5")
        )
    );
    // The same choice again (a retried request) books nothing more.
    assert_eq!(set_delivery(&c, chosen).await.status, 200);
    assert_eq!(courier_bookings(&order_id).await.len(), 1);
    // Another choice: the company is told at once.
    let pickup = json!({"method": "pickup", "pickupPointId": "msk-tverskaya"});
    assert_eq!(set_delivery(&c, pickup).await.status, 200);
    assert_eq!(courier_bookings(&order_id).await[0]["status"], "cancelled");
    // An address the courier does not go to: refused with the company's no, the choice as it was.
    let q = quote(&c, "pochta", "Москва, ул. Закрытая, д. 7").await;
    assert_eq!(q.status, 200, "{}", q.body);
    let r = set_delivery(
        &c,
        json!({"method": "courier", "quoteId": q.body["quoteId"]}),
    )
    .await;
    assert_eq!(
        (r.status, &r.body["error"]["code"]),
        (409, &json!("courier_refused")),
        "{}",
        r.body
    );
    let cart = c.cart().await;
    assert_eq!(cart.body["delivery"]["method"], "pickup");
    assert_eq!(courier_bookings(&order_id).await.len(), 1, "nothing booked");
}
