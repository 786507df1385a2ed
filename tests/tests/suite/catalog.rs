//! store over HTTP: search with Russian morphology, typos and prefixes; the spec's card; the
//! product page; images; bad input; and the operators' catalog import, refused whole on a bad
//! row and idempotent on a good file.

use serde_json::Value;
use std::time::Duration;
use vitrina_tests::*;

fn names(r: &Reply) -> Vec<String> {
    r.body["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| c["name"].as_str().unwrap_or_default().to_lowercase())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn search_understands_word_forms_typos_and_prefixes() {
    for q in ["кроссовки", "кроссовок", "Кроссовкам", "кросовки", "кросс"]
    {
        let r = search(q).await;
        assert_eq!(r.status, 200, "{q}: {}", r.body);
        let found = names(&r);
        assert!(!found.is_empty(), "{q}: nothing found");
        assert!(
            found.iter().all(|n| n.contains("кроссовки")),
            "{q}: {found:?}"
        );
    }
    let r = search("ыщклмнпр").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["total"], 0);
}

#[tokio::test]
async fn a_search_card_has_the_specs_five_elements() {
    let r = call(&browser(), "GET", "/api/products?category=obuv", None).await;
    assert_eq!(r.status, 200);
    let items = r.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 24);
    assert_eq!(r.body["total"], 50);
    let mut discounted = 0;
    for card in items {
        assert!(card["name"].is_string() && card["price"].as_i64().unwrap() > 0);
        assert!(card["image"].as_str().unwrap().starts_with("/images/"));
        assert_eq!(card["availability"].as_array().unwrap().len(), 6);
        if let Some(old) = card["oldPrice"].as_i64() {
            let price = card["price"].as_i64().unwrap();
            assert!(old > price);
            let percent = card["discountPercent"].as_i64().unwrap();
            assert_eq!(percent, (old - price) * 100 / old, "{card}");
            discounted += 1;
        } else {
            assert_eq!(card["discountPercent"], Value::Null, "{card}");
        }
    }
    // The seed catalog discounts some shoes: the discount check above really ran.
    assert!(discounted > 0, "no discounted card among {}", items.len());
    let everything = call(&browser(), "GET", "/api/products?q=", None).await;
    assert_eq!(everything.status, 200);
    assert!(everything.body["total"].as_u64().unwrap() >= 500);
}

#[tokio::test]
async fn odd_queries_get_results_or_a_clear_400() {
    let long = "я".repeat(5_000);
    let r = search(&long).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.body["error"]["code"], "query_too_long");
    for q in [
        "'; DROP TABLE products; --",
        ".*[a-z]+(",
        "\u{202e}🙂\u{200b}",
        "%%%",
        "AND OR NOT",
        "\"unclosed",
    ] {
        let r = search(q).await;
        assert_eq!(r.status, 200, "{q:?}: {}", r.body);
    }
    for page in ["0", "-1", "abc", "100000"] {
        let r = call(
            &browser(),
            "GET",
            &format!("/api/products?q=чай&page={page}"),
            None,
        )
        .await;
        assert_eq!(r.status, 400, "page={page}");
    }
}

#[tokio::test]
async fn product_page_has_description_price_and_stores_with_addresses() {
    let r = call(&browser(), "GET", "/api/products/p-000001", None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body["description"].as_str().unwrap().len() > 10);
    let stores = r.body["availability"].as_array().unwrap();
    assert_eq!(stores.len(), 6);
    assert!(stores
        .iter()
        .all(|s| s["address"].as_str().is_some_and(|a| !a.is_empty())));
    for bad in ["p-999999", "..%2F..%2Fetc", "x".repeat(200).as_str()] {
        let r = call(&browser(), "GET", &format!("/api/products/{bad}"), None).await;
        assert_eq!(r.status, 404, "{bad}");
    }
    let img = reqwest::get(format!("{}/images/p-000001.svg", base_url()))
        .await
        .unwrap();
    assert_eq!(img.status(), 200);
    assert_eq!(img.headers()["content-type"], "image/svg+xml");
    assert!(img.text().await.unwrap().starts_with("<svg"));
}

#[tokio::test]
async fn a_bad_catalog_file_is_refused_whole_with_line_numbers() {
    let id = unique("t-bad-");
    let path = write_file(
        "bad",
        &[
            product_row(&id, "Годный товар", 10_000),
            product_row(&unique("t-"), "", 10_000),
            r#"{"type":"stock","productId":"nope","storeId":"msk-tverskaya","quantity":1}"#
                .to_string(),
        ],
    );
    let out = catalog_tool()
        .arg(&path)
        .output()
        .expect("run vitrina-catalog");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("nothing was loaded"), "{stderr}");
    assert!(stderr.contains(":line 2: name is empty"), "{stderr}");
    assert!(
        stderr.contains(":line 3: stock names unknown product nope"),
        "{stderr}"
    );
    let r = call(&browser(), "GET", &format!("/api/products/{id}"), None).await;
    assert_eq!(
        r.status, 404,
        "the good row of a refused file is not loaded"
    );
}

#[tokio::test]
async fn a_good_catalog_file_loads_once_and_becomes_searchable() {
    let word = unique_word(3);
    let brand_word = format!("Квазар{word}");
    let ids = [unique("t-"), unique("t-")];
    let rows = vec![
        product_row(
            &ids[0],
            &format!("Термокружка {brand_word} стальная"),
            129_000,
        ),
        product_row(&ids[1], &format!("Термос {brand_word} походный"), 259_000),
        format!(
            r#"{{"type":"stock","productId":"{}","storeId":"msk-tverskaya","quantity":7}}"#,
            ids[0]
        ),
    ];
    let path = write_file("good", &rows);
    let first = catalog_tool().arg(&path).output().unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        stdout.contains("created 3, updated 0, unchanged 0"),
        "{stdout}"
    );
    let second = catalog_tool().arg(&path).output().unwrap();
    let stdout = String::from_utf8_lossy(&second.stdout);
    assert!(
        stdout.contains("created 0, updated 0, unchanged 3"),
        "{stdout}"
    );

    let r = call(
        &browser(),
        "GET",
        &format!("/api/products/{}", ids[0]),
        None,
    )
    .await;
    assert_eq!(r.status, 200);
    let found: Option<Value> = eventually(Duration::from_secs(60), || async {
        let r = search(&brand_word.to_lowercase()).await;
        (r.status == 200 && r.body["total"] == 2).then_some(r.body)
    })
    .await;
    let found = found.expect("the new products become searchable");
    // The one in stock comes first.
    assert_eq!(found["items"][0]["id"], ids[0].as_str());
}

fn level_at(product: &Value, store: &str) -> String {
    product["availability"]
        .as_array()
        .and_then(|a| a.iter().find(|s| s["storeId"] == store))
        .map(|s| s["level"].as_str().unwrap_or_default().to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_stock_only_file_changes_the_stock_of_products_loaded_before() {
    let id = unique("t-stock-");
    let stock = |store: &str, quantity: i64| {
        format!(
            r#"{{"type":"stock","productId":"{id}","storeId":"{store}","quantity":{quantity}}}"#
        )
    };
    let first = write_file(
        "stock-a",
        &[
            product_row(&id, "Плед шерстяной", 349_000),
            stock("msk-tverskaya", 7),
        ],
    );
    assert!(catalog_tool().arg(&first).status().unwrap().success());

    // The product row is not in this file: its stock rows still land on it, and the stock the
    // file does not mention stays.
    let second = write_file(
        "stock-b",
        &[stock("msk-tverskaya", 0), stock("spb-nevsky", 2)],
    );
    let out = catalog_tool().arg(&second).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("created 1, updated 1, unchanged 0"),
        "{stdout}"
    );
    let r = call(&browser(), "GET", &format!("/api/products/{id}"), None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["name"], "Плед шерстяной");
    assert_eq!(level_at(&r.body, "msk-tverskaya"), "none");
    assert_eq!(level_at(&r.body, "spb-nevsky"), "few");
}

#[tokio::test]
async fn a_product_out_of_stock_everywhere_cannot_go_to_the_cart_until_stocked() {
    let id = unique("t-empty-");
    let stock = |quantity: i64| {
        format!(
            r#"{{"type":"stock","productId":"{id}","storeId":"kzn-baumana","quantity":{quantity}}}"#
        )
    };
    let file = write_file(
        "empty",
        &[product_row(&id, "Фонарь налобный", 89_000), stock(0)],
    );
    assert!(catalog_tool().arg(&file).status().unwrap().success());
    let c = Shop::anonymous();
    let user = register(&c).await;
    assert_eq!(login(&c, &user).await.status, 200);
    let body = format!(r#"{{"productId":"{id}","quantity":1}}"#);
    let refused = call(&c, "POST", "/api/cart/items", Some(&body)).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert_eq!(refused.body["error"]["code"], "product_unavailable");

    let restock = write_file("restock", &[stock(5)]);
    assert!(catalog_tool().arg(&restock).status().unwrap().success());
    let added = call(&c, "POST", "/api/cart/items", Some(&body)).await;
    assert_eq!(added.status, 201, "{}", added.body);
    assert_eq!(added.body["lines"][0]["available"], true);
}

#[tokio::test]
async fn search_results_come_24_a_page_without_overlap_and_the_last_page_short() {
    let page = |n: u32| async move {
        let r = call(
            &browser(),
            "GET",
            &format!("/api/products?category=obuv&page={n}"),
            None,
        )
        .await;
        assert_eq!(r.status, 200, "page {n}: {}", r.body);
        assert_eq!(r.body["total"], 50);
        r.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let (first, second, third) = (page(1).await, page(2).await, page(3).await);
    assert_eq!((first.len(), second.len(), third.len()), (24, 24, 2));
    let mut all: Vec<&String> = first.iter().chain(&second).chain(&third).collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 50, "no product on two pages, none missing");
    // Past the last page: an empty page, not an error.
    assert!(page(4).await.is_empty());
}

#[tokio::test]
async fn an_index_build_that_finishes_late_never_replaces_a_newer_one() {
    let aws = clients().await;
    let store =
        vitrina_store::store::CatalogStore::new(aws.dynamodb.clone(), resource_name("Table"));
    let current = eventually(Duration::from_secs(60), || async {
        store.index_meta().await.ok().flatten()
    })
    .await
    .expect("the seed catalog's index");
    // A build that started before the current one and records itself only now.
    let late = vitrina_store::store::IndexMeta {
        version: current.version - 1,
        key: "search/index-late.tar".into(),
        products: 1,
    };
    assert!(!store.set_index_meta(&late).await.unwrap(), "refused");
    let now = store.index_meta().await.unwrap().expect("meta");
    assert!(now.version >= current.version, "never older: {now:?}");
    assert_ne!(now.key, late.key);
}
