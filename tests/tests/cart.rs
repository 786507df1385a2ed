//! order's cart over HTTP (S2, S3, S4): the first "add to cart" creates the order with one item,
//! the next adds to it; the cart shows lines and totals; quantities are bounded; removing works;
//! concurrent adds lose nothing; nobody sees another client's order.

use serde_json::json;
use vitrina_tests::*;

async fn logged_in() -> reqwest::Client {
    let c = browser();
    let user = register(&c).await;
    assert_eq!(login(&c, &user).await.status, 200);
    c
}

async fn add(c: &reqwest::Client, product: &str, quantity: i64) -> Reply {
    let body = json!({"productId": product, "quantity": quantity}).to_string();
    call(c, "POST", "/api/cart/items", Some(&body)).await
}

#[tokio::test]
async fn first_add_creates_the_order_then_items_are_added() {
    let c = logged_in().await;
    assert_eq!(
        call(&c, "GET", "/api/cart", None).await.body["lines"],
        json!([])
    );
    let first = add(&c, "p-000002", 1).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let order_id = first.body["orderId"].as_str().unwrap().to_string();
    assert_eq!(first.body["lines"].as_array().unwrap().len(), 1);

    let second = add(&c, "p-000003", 2).await;
    assert_eq!(second.status, 200, "{}", second.body);
    assert_eq!(second.body["orderId"], order_id.as_str(), "the same order");
    let again = add(&c, "p-000002", 3).await;
    assert_eq!(again.status, 200);

    let cart = call(&c, "GET", "/api/cart", None).await;
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

    let orders = call(&c, "GET", "/api/orders", None).await;
    assert_eq!(orders.body["orders"][0]["orderId"], order_id.as_str());
    assert_eq!(orders.body["orders"][0]["status"], "draft");
    let one = call(&c, "GET", &format!("/api/orders/{order_id}"), None).await;
    assert_eq!(one.status, 200);

    // Another client never sees it.
    let other = logged_in().await;
    let r = call(&other, "GET", &format!("/api/orders/{order_id}"), None).await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn quantities_and_removal() {
    let c = logged_in().await;
    assert_eq!(add(&c, "p-000004", 1).await.status, 201);
    for bad in [json!(0), json!(100), json!(-3), json!("two"), json!(1.5)] {
        let body = json!({"quantity": bad}).to_string();
        let r = call(&c, "PATCH", "/api/cart/items/p-000004", Some(&body)).await;
        assert_eq!(r.status, 400, "{bad}: {}", r.body);
    }
    for bad in [json!(0), json!(100)] {
        let r = add(&c, "p-000004", bad.as_i64().unwrap()).await;
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
        add(&c, "p-000004", 93).await.body["error"]["code"],
        "quantity_too_high"
    );
    let r = call(&c, "DELETE", "/api/cart/items/p-000004", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["lines"], json!([]));
    assert_eq!(
        call(&c, "DELETE", "/api/cart/items/p-000004", None)
            .await
            .status,
        404
    );
    assert_eq!(add(&c, "p-999999", 1).await.status, 404);
    assert_eq!(add(&c, "../etc", 1).await.status, 400);
}

#[tokio::test]
async fn concurrent_adds_from_two_tabs_lose_nothing() {
    let c = logged_in().await;
    let products: Vec<String> = (10..18).map(|i| format!("p-{i:06}")).collect();
    let adds = products.iter().map(|p| {
        let c = c.clone();
        async move { add(&c, p, 1).await.status }
    });
    let statuses = futures::future::join_all(adds).await;
    assert!(
        statuses.iter().all(|s| [200, 201, 409].contains(s)),
        "{statuses:?}"
    );
    let cart = call(&c, "GET", "/api/cart", None).await;
    let mut ids: Vec<String> = cart.body["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["productId"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    // Products sold out everywhere cannot be added; every other add must be there.
    let added = statuses.iter().filter(|s| **s == 200 || **s == 201).count();
    assert_eq!(ids.len(), added, "{ids:?}");
}

#[tokio::test]
async fn the_cart_needs_a_session() {
    let anon = browser();
    assert_eq!(call(&anon, "GET", "/api/cart", None).await.status, 401);
    assert_eq!(add(&anon, "p-000001", 1).await.status, 401);
}
