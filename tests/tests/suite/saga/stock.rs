//! The saga and the shelves: the last unit, holds and their lapse, stocktakings meeting orders,
//! and search seeing what orders took.

use super::*;

#[tokio::test]
async fn an_order_whose_stock_vanished_is_cancelled_and_the_money_given_back() {
    let (c, user, order_id, product) = paid_order(25_000).await;
    // "Оплатить заказ" put the unit aside; the client paid only after the hold lapsed, and
    // meanwhile the units were sold elsewhere.
    assert_eq!(units(&product, "msk-tverskaya").await, 49, "put aside");
    lapsed(&order_id).await;
    assert_eq!(
        units(&product, "msk-tverskaya").await,
        50,
        "back on the shelf"
    );
    set_units(&product, "msk-tverskaya", 0).await;
    pay_from_wallet(&c, &user, &order_id, 25_000).await;
    let o = settled(&c, &order_id).await;
    assert_eq!(
        (&o["status"], &o["cancelReason"]),
        (&json!("cancelled"), &json!("товара не оказалось в наличии")),
        "{o}"
    );
    assert_eq!(balance(&c).await, 25_000, "the wallet got its money back");
    assert_eq!(units(&product, "msk-tverskaya").await, 0, "nothing taken");
    // Released after its hold lapsed: the case says the order may take nothing.
    assert_eq!(
        status_of(&format!("PICKING#{order_id}")).await.as_deref(),
        Some("cancelled")
    );
    assert_eq!(status_of(&format!("DELIVERYCASE#{order_id}")).await, None);
    let done = execution(&order_id).await;
    assert_eq!(done.status().as_str(), "SUCCEEDED", "{:?}", done.error());
    let out: Value = serde_json::from_str(done.output().unwrap_or("null")).unwrap();
    assert_eq!(out["status"], "cancelled");
    // What an operator reads at /_local/executions/<order> (the console's history, locally).
    let seen: Value = reqwest::get(format!(
        "{}/_local/executions/{order_id}?format=json",
        base_url()
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let steps: Vec<&str> = seen[0]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter_map(|s| s["state"].as_str())
        .collect();
    for step in [
        "ReserveStock",
        "ReleaseStock",
        "RefundPayment",
        "ReportCancelled",
    ] {
        assert!(steps.contains(&step), "{step} in {steps:?}");
    }
    let reserve = seen[0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["state"] == "ReserveStock")
        .unwrap();
    assert!(
        reserve["errors"][0]
            .as_str()
            .unwrap_or_default()
            .starts_with("OutOfStock"),
        "{reserve}"
    );
    let payment = o["paymentId"].as_str().unwrap();
    assert_eq!(c.payment(payment).await.body["status"], "refunded");
    assert!(
        eventually(Duration::from_secs(20), || async {
            (letters(&user.email, "отменён").await >= 1).then_some(())
        })
        .await
        .is_some(),
        "the client is told why"
    );
    assert!(queue_drained("NotificationOrderQueue", Duration::from_secs(60)).await);
    assert_eq!(letters(&user.email, "отменён").await, 1, "one letter");
}

#[tokio::test]
async fn two_orders_for_the_last_unit_one_is_handed_over_and_the_other_refunded() {
    let (a, user_a, order_a, product) = paid_order(30_000).await;
    // A second client with the same product in the cart, while one unit was left.
    let b = Shop::anonymous();
    let user_b = register(&b).await;
    assert_eq!(login(&b, &user_b).await.status, 200);
    let add = json!({"productId": product, "quantity": 1}).to_string();
    let r = call(&b, "POST", "/api/cart/items", Some(&add)).await;
    assert!(r.status == 200 || r.status == 201, "{}", r.body);
    let pickup = json!({"method": "pickup", "pickupPointId": "msk-tverskaya"}).to_string();
    let r = call(&b, "PUT", "/api/cart/delivery", Some(&pickup)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let placed = b.place_order().await;
    assert_eq!(placed.status, 201, "{}", placed.body);
    let order_b = placed.body["orderId"].as_str().unwrap().to_string();
    // Both paid after their holds lapsed, when one unit was left. A's reservation reads the
    // one unit and is held at its write until B's has taken it: both saw it, one gets it.
    tokio::join!(lapsed(&order_a), lapsed(&order_b));
    set_units(&product, "msk-tverskaya", 1).await;
    let held = hold_dynamodb(
        "TransactWriteItems",
        "StoreStockReserveFunction",
        &format!("PICKING#{order_a}"),
    )
    .await;
    pay_from_wallet(&a, &user_a, &order_a, 30_000).await;
    wait_until_held(&held).await;
    pay_from_wallet(&b, &user_b, &order_b, 30_000).await;
    let ob = settled(&b, &order_b).await;
    assert_eq!(ob["status"], "handed_to_delivery", "{ob}");
    release_held(&held).await;
    let oa = settled(&a, &order_a).await;
    assert_eq!(
        (&oa["status"], &oa["cancelReason"]),
        (&json!("cancelled"), &json!("товара не оказалось в наличии")),
        "{oa}"
    );
    assert_eq!(
        units(&product, "msk-tverskaya").await,
        0,
        "never below zero"
    );
    // The loser holds no unit and has its money back; the winner keeps both.
    assert_eq!(
        status_of(&format!("PICKING#{order_a}")).await.as_deref(),
        Some("cancelled"),
        "the loser's case holds nothing"
    );
    assert_eq!(
        status_of(&format!("PICKING#{order_b}")).await.as_deref(),
        Some("created")
    );
    let payment_a = oa["paymentId"].as_str().expect("A's payment");
    assert_eq!(a.payment(payment_a).await.body["status"], "refunded");
    assert_eq!(balance(&b).await, 0);
    let refunded = eventually(SAGA, || async {
        (balance(&a).await == 30_000).then_some(())
    })
    .await;
    assert!(refunded.is_some(), "the loser is refunded");
}

#[tokio::test]
async fn the_last_unit_is_put_aside_at_placing_and_the_payment_takes_it_as_held() {
    let ids = products_in_stock(1, 26_000);
    let product = ids[0].clone();
    // Two clients with it in the cart while it is in stock; then one unit is left at the
    // pickup point on Tverskaya (and some in St Petersburg, so the product is still for sale).
    let (a, user_a) = client_with_cart(&ids).await;
    let (b, _) = client_with_cart(&ids).await;
    set_units(&product, "msk-tverskaya", 1).await;
    set_units(&product, "spb-nevsky", 5).await;
    let placed = a.place_order().await;
    assert_eq!(placed.status, 201, "{}", placed.body);
    let order_id = placed.body["orderId"].as_str().unwrap().to_string();
    assert_eq!(units(&product, "msk-tverskaya").await, 0, "put aside");
    let hold = table_item(&format!("PICKING#{order_id}"), "CASE")
        .await
        .expect("the hold");
    assert_eq!(hold["status"].as_s().unwrap(), "held");
    assert!(hold.contains_key("heldUntil"), "{hold:?}");
    // The other client cannot order what is put aside for the first, and is told which.
    let refused = b.place_order().await;
    assert_eq!(
        (refused.status, &refused.body["error"]["code"]),
        (409, &json!("out_of_stock")),
        "{}",
        refused.body
    );
    let cart = b.cart().await;
    assert_eq!(
        refused.body["error"]["details"]["products"], cart.body["lines"][0]["name"],
        "{}",
        refused.body
    );
    assert_eq!(
        cart.body["lines"].as_array().map(Vec::len),
        Some(1),
        "the cart stays"
    );

    pay_from_wallet(&a, &user_a, &order_id, 26_000).await;
    assert_eq!(settled(&a, &order_id).await["status"], "handed_to_delivery");
    assert_eq!(units(&product, "msk-tverskaya").await, 0, "taken once");
    let case = table_item(&format!("PICKING#{order_id}"), "CASE")
        .await
        .expect("the picking case");
    assert_eq!(case["status"].as_s().unwrap(), "created");
    assert_eq!(
        case["createdAt"], hold["createdAt"],
        "the hold itself became the reservation"
    );
    assert!(!case.contains_key("heldUntil"));
}

#[tokio::test]
async fn a_hold_asked_twice_and_its_lapse_delivered_twice_move_the_units_once() {
    let product = products_in_stock(1, 1_000)[0].clone();
    let order_id = uuid::Uuid::now_v7().to_string();
    let request = json!({
        "orderId": order_id, "pickupStoreId": "msk-tverskaya",
        "lines": [{"productId": product, "quantity": 2}],
    });
    // Every read of the order's case by the hold's timer is counted (a 1 ms delay fault).
    let reads = hold_requests(json!({
        "path": "/", "target": "GetItem", "contains": format!("PICKING#{order_id}"),
        "principal": "StoreStockHoldLapseFunction", "times": 100,
    }))
    .await;
    release_held(&reads).await;
    // order's call made again after a lost answer: the same hold, and a second timer armed.
    for _ in 0..2 {
        let (status, error, held) = invoke_lambda("StoreStockHoldFunction", &request).await;
        assert_eq!((status, error), (200, None), "{held}");
        assert_eq!(held["status"], "held", "{held}");
    }
    assert_eq!(units(&product, "msk-tverskaya").await, 48, "taken once");
    lapsed(&order_id).await;
    // Both timers' messages reached the timer (two reads of the case at least, each after the
    // hold's end) and were handled: the second found the hold lapsed and gave nothing back.
    wait_until_counted(&reads, "done", 2).await;
    // And SQS delivering the timer's message once more, later: a third look, nothing moved.
    let sqs = clients().await.sqs;
    let again = vitrina_shared::envelope::Envelope::new(
        vitrina_store::flow::stock::HOLD_CHECK,
        "test",
        vitrina_store::flow::stock::HoldCheck {
            order_id: order_id.clone(),
        },
    );
    // The timer's message sent again.
    send_to_queue(
        &sqs,
        "StockHoldQueue",
        &serde_json::to_string(&again).unwrap(),
        1,
    )
    .await;
    wait_until_counted(&reads, "done", 3).await;
    assert!(queue_drained("StockHoldQueue", Duration::from_secs(60)).await);
    disarm_faults(&format!("PICKING#{order_id}")).await;
    assert_eq!(
        units(&product, "msk-tverskaya").await,
        50,
        "given back once"
    );
}

/// A stocktaking (a stock row imported) whose write meets «Оплатить заказ»: it read 50 units on
/// the shelf, the order puts one aside before the count is written. The write is conditional on
/// the level it read, so it reads again: the shelf gets the count, and the unit in the order's
/// hold stays accounted for (`counted` = shelf + holds, what `make audit` checks).
#[tokio::test]
async fn a_stocktaking_that_meets_an_order_keeps_the_orders_unit_counted() {
    let (c, _user, ids) = client_ready_to_order(1, 11_000).await;
    let product = ids[0].clone();
    let held = hold_requests(json!({
        "path": "/", "target": "UpdateItem", "contains": format!("PRODUCT#{product}"),
    }))
    .await;
    let counting = {
        let product = product.clone();
        tokio::task::spawn_blocking(move || {
            import("stocktaking", &[stock_row(&product, "msk-tverskaya", 60)])
        })
    };
    wait_until_held(&held).await;
    let placed = c.place_order().await;
    assert_eq!(placed.status, 201, "{}", placed.body);
    assert_eq!(units(&product, "msk-tverskaya").await, 49, "one unit held");
    release_held(&held).await;
    counting.await.expect("the stocktaking ran");
    assert_eq!(units(&product, "msk-tverskaya").await, 60, "the count");
    let item = table_item(&format!("PRODUCT#{product}"), "PRODUCT")
        .await
        .expect("the product");
    assert_eq!(
        item["counted"].as_m().expect("counted")["msk-tverskaya"]
            .as_n()
            .expect("units"),
        "61",
        "60 on the shelf and 1 in the order's hold"
    );
    // The same count loaded again (an operator's re-run): nothing moves.
    import("stocktaking", &[stock_row(&product, "msk-tverskaya", 60)]);
    let again = table_item(&format!("PRODUCT#{product}"), "PRODUCT")
        .await
        .expect("the product");
    assert_eq!(again, item, "a replayed stocktaking changes nothing");
}

#[tokio::test]
async fn an_order_taken_back_into_the_cart_puts_its_units_back_at_once() {
    let (c, _user, order_id, product) = paid_order(27_000).await;
    assert_eq!(units(&product, "msk-tverskaya").await, 49, "put aside");
    let r = c.back_to_cart(&order_id).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(units(&product, "msk-tverskaya").await, 50, "back at once");
    assert_eq!(
        status_of(&format!("PICKING#{order_id}")).await.as_deref(),
        Some("cancelled")
    );
    // Placed again: a new order, its unit put aside anew.
    let again = c.place_order().await;
    assert_eq!(again.status, 201, "{}", again.body);
    assert_ne!(again.body["orderId"], json!(order_id));
    assert_eq!(units(&product, "msk-tverskaya").await, 49);
}

#[tokio::test]
async fn search_shows_the_last_unit_gone_as_soon_as_an_order_takes_it() {
    let word = unique_word(4);
    let name = format!("Фляга Полярис{word}");
    let id = unique("t-last-");
    import(
        "last-unit",
        &[
            product_row(&id, &name, 24_000),
            stock_row(&id, "msk-tverskaya", 1),
        ],
    );
    // The level the search page shows for the store on Tverskaya.
    let shown = || async {
        let r = search(&format!("Полярис{word}")).await;
        r.body["items"]
            .as_array()?
            .iter()
            .find(|card| card["id"] == id.as_str())?["availability"]
            .as_array()?
            .iter()
            .find(|a| a["storeId"] == "msk-tverskaya")
            .map(|a| a["level"].as_str().unwrap_or_default().to_string())
    };
    // The import's index build makes it searchable.
    let before = eventually(Duration::from_secs(60), || async { shown().await }).await;
    assert_eq!(before.as_deref(), Some("few"), "indexed with its one unit");

    let (c, user) = client_with_cart(std::slice::from_ref(&id)).await;
    let placed = c.place_order().await;
    assert_eq!(placed.status, 201, "{}", placed.body);
    let order_id = placed.body["orderId"].as_str().unwrap().to_string();
    pay_from_wallet(&c, &user, &order_id, 24_000).await;
    assert_eq!(settled(&c, &order_id).await["status"], "handed_to_delivery");
    // No catalog import, no index build: the page reads the stock of now.
    let after = eventually(Duration::from_secs(5), || async {
        shown().await.filter(|level| level == "none")
    })
    .await;
    assert_eq!(after.as_deref(), Some("none"), "the unit is reserved");
}

#[tokio::test]
async fn search_ranks_a_product_put_aside_to_its_last_unit_below_one_still_for_sale() {
    let word = unique_word(5);
    let name = format!("Котелок Ранжир{word}");
    let (a, b) = (unique("t-rank-a-"), unique("t-rank-b-"));
    import(
        "rank",
        &[
            product_row(&a, &name, 21_000),
            stock_row(&a, "msk-tverskaya", 1),
            stock_row(&a, "spb-nevsky", 1),
            stock_row(&a, "kzn-baumana", 1),
            product_row(&b, &name, 21_000),
            stock_row(&b, "ekb-vainera", 5),
            stock_row(&b, "msk-aviapark", 5),
        ],
    );
    // The two as search ranks them: the same words, so what can be bought where decides.
    let ranked = || async {
        let r = search(&format!("Ранжир{word}")).await;
        let ids: Vec<String> = r.body["items"]
            .as_array()?
            .iter()
            .filter_map(|card| card["id"].as_str().map(str::to_string))
            .collect();
        (ids.len() == 2).then_some(ids)
    };
    let before = eventually(Duration::from_secs(60), ranked).await;
    assert_eq!(
        before,
        Some(vec![a.clone(), b.clone()]),
        "in three stores before two"
    );

    // A client puts every unit of the first aside: a courier order takes one from each store.
    let c = Shop::anonymous();
    let user = register(&c).await;
    assert_eq!(login(&c, &user).await.status, 200);
    let add = json!({"productId": a, "quantity": 3}).to_string();
    assert_eq!(
        call(&c, "POST", "/api/cart/items", Some(&add)).await.status,
        201
    );
    choose_courier(&c, "cdek", "Москва, ул. Ленина, д. 9").await;
    let placed = c.place_order().await;
    assert_eq!(placed.status, 201, "{}", placed.body);

    // No import: the table's stream asked for a new index, which ranks it after the other.
    let after = eventually(Duration::from_secs(60), || async {
        ranked().await.filter(|ids| ids[0] == b)
    })
    .await;
    assert_eq!(after, Some(vec![b, a]), "for sale nowhere now, so last");
}
