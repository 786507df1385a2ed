//! order's cart over HTTP (S2, S3, S4): the first "add to cart" creates the order with one item,
//! the next adds to it; the cart shows lines and totals; quantities are bounded; removing works;
//! concurrent adds lose nothing; nobody sees another client's order.

use serde_json::json;
use vitrina_tests::*;

#[tokio::test]
async fn first_add_creates_the_order_then_items_are_added() {
    let c = Shop::registered().await;
    assert_eq!(c.cart().await.body["lines"], json!([]));
    let first = c.add_to_cart("p-000002", 1).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let order_id = first.body["orderId"].as_str().unwrap().to_string();
    assert_eq!(first.body["lines"].as_array().unwrap().len(), 1);

    let second = c.add_to_cart("p-000003", 2).await;
    assert_eq!(second.status, 200, "{}", second.body);
    assert_eq!(second.body["orderId"], order_id.as_str(), "the same order");
    // The add answers the whole cart as a read would: both lines priced and counted.
    let lines = second.body["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    assert!(
        lines.iter().all(|l| l["available"] == true),
        "{}",
        second.body
    );
    let sum: i64 = lines.iter().map(|l| l["lineTotal"].as_i64().unwrap()).sum();
    assert_eq!(second.body["total"].as_i64().unwrap(), sum);
    let again = c.add_to_cart("p-000002", 3).await;
    assert_eq!(again.status, 200);

    let cart = c.cart().await;
    assert_eq!(cart.status, 200);
    let lines = cart.body["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    let first_line = lines.iter().find(|l| l["productId"] == "p-000002").unwrap();
    assert_eq!(first_line["quantity"], 4);
    assert_eq!(
        first_line["lineTotal"].as_i64().unwrap(),
        first_line["unitPrice"].as_i64().unwrap() * 4
    );
    assert!(first_line["description"].as_str().unwrap().len() > 5);
    let sum: i64 = lines.iter().map(|l| l["lineTotal"].as_i64().unwrap()).sum();
    assert_eq!(cart.body["total"].as_i64().unwrap(), sum);
    assert_eq!(cart.body["itemCount"], 6);

    let orders = c.orders().await;
    assert_eq!(orders.body["orders"][0]["orderId"], order_id.as_str());
    assert_eq!(orders.body["orders"][0]["status"], "draft");
    let one = c.order(&order_id).await;
    assert_eq!(one.status, 200);
    assert_eq!(one.body["orderId"], order_id.as_str());
    assert_eq!(one.body["status"], "draft");
    assert_eq!(
        one.body["lines"], cart.body["lines"],
        "the order is the cart"
    );
    assert_eq!(one.body["total"], cart.body["total"]);

    // Another client never sees it.
    let other = Shop::registered().await;
    let r = other.order(&order_id).await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn quantities_and_removal() {
    let c = Shop::registered().await;
    assert_eq!(c.add_to_cart("p-000004", 1).await.status, 201);
    for bad in [json!(0), json!(100), json!(-3), json!("two"), json!(1.5)] {
        let body = json!({"quantity": bad}).to_string();
        let r = call(&c, "PATCH", "/api/cart/items/p-000004", Some(&body)).await;
        assert_eq!(r.status, 400, "{bad}: {}", r.body);
    }
    for bad in [json!(0), json!(100)] {
        let r = c.add_to_cart("p-000004", bad.as_i64().unwrap()).await;
        assert_eq!(r.status, 400);
        assert_eq!(r.body["error"]["code"], "invalid_quantity");
    }
    let r = call(
        &c,
        "PATCH",
        "/api/cart/items/p-000004",
        Some(r#"{"quantity": 7}"#),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["lines"][0]["quantity"], 7);
    assert_eq!(
        c.add_to_cart("p-000004", 93).await.body["error"]["code"],
        "quantity_too_high"
    );
    let r = c.remove_from_cart("p-000004").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["lines"], json!([]));
    assert_eq!(c.remove_from_cart("p-000004").await.status, 404);
    assert_eq!(c.add_to_cart("p-999999", 1).await.status, 404);
    assert_eq!(c.add_to_cart("../etc", 1).await.status, 400);
}

#[tokio::test]
async fn concurrent_adds_from_two_tabs_lose_nothing() {
    let c = Shop::registered().await;
    let mut products = products_in_stock(8, 19_900);
    let adds = products.iter().map(|p| {
        let c = c.clone();
        async move { c.add_to_cart(p, 1).await }
    });
    let replies = futures::future::join_all(adds).await;
    for r in &replies {
        assert!([200, 201].contains(&r.status), "{} {}", r.status, r.body);
    }
    let created = replies.iter().filter(|r| r.status == 201).count();
    assert_eq!(created, 1, "exactly one add creates the order");
    let mut order_ids: Vec<&str> = replies
        .iter()
        .map(|r| r.body["orderId"].as_str().unwrap())
        .collect();
    order_ids.dedup();
    assert_eq!(order_ids.len(), 1, "one order: {order_ids:?}");
    let cart = c.cart().await;
    assert_eq!(cart.body["orderId"], order_ids[0]);
    let mut ids: Vec<String> = cart.body["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["productId"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    products.sort();
    assert_eq!(ids, products, "every add is in the cart");
}

#[tokio::test]
async fn a_price_change_after_adding_shows_the_new_price_and_the_old_one() {
    let c = Shop::registered().await;
    let id = products_in_stock(1, 250_000).remove(0);
    assert_eq!(c.add_to_cart(&id, 2).await.status, 201);
    // The shop discounts it: 2 500 ₽ → 2 000 ₽, the old price shown crossed out.
    let mut row: serde_json::Value =
        serde_json::from_str(&product_row(&id, "Кружка тестовая 0", 200_000)).unwrap();
    row["oldPrice"] = json!(250_000);
    import("discount", &[row.to_string()]);
    let cart = c.cart().await;
    assert_eq!(cart.status, 200);
    let line = &cart.body["lines"][0];
    assert_eq!(line["unitPrice"], 200_000, "the price now");
    assert_eq!(line["priceWhenAdded"], 250_000, "what the client saw");
    assert_eq!(line["oldPrice"], 250_000);
    assert_eq!(line["discountPercent"], 20);
    assert_eq!(line["lineTotal"], 400_000);
    assert_eq!(cart.body["total"], 400_000);
    assert_eq!(cart.body["discountTotal"], 100_000);
    // Back at the price it was added at: nothing to point out.
    import(
        "undiscount",
        &[product_row(&id, "Кружка тестовая 0", 250_000)],
    );
    let cart = c.cart().await;
    assert_eq!(
        cart.body["lines"][0]["priceWhenAdded"],
        serde_json::Value::Null
    );
    assert_eq!(cart.body["discountTotal"], 0);
    assert_eq!(cart.body["total"], 500_000);
}

#[tokio::test]
async fn a_cart_holds_fifty_products_and_refuses_the_fifty_first() {
    let c = Shop::registered().await;
    let products = products_in_stock(51, 10_000);
    for (i, p) in products[..50].iter().enumerate() {
        let r = c.add_to_cart(p, 1).await;
        assert_eq!(r.status, if i == 0 { 201 } else { 200 }, "{i}: {}", r.body);
    }
    let r = c.add_to_cart(&products[50], 1).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(r.body["error"]["code"], "cart_full");
    // More of a product already there still fits.
    assert_eq!(c.add_to_cart(&products[0], 1).await.status, 200);
    let cart = c.cart().await;
    assert_eq!(cart.body["lines"].as_array().unwrap().len(), 50);
    assert_eq!(cart.body["itemCount"], 51);
}

#[tokio::test]
async fn the_cart_needs_a_session() {
    let anon = Shop::anonymous();
    assert_eq!(anon.cart().await.status, 403);
    assert_eq!(anon.add_to_cart("p-000001", 1).await.status, 403);
}
