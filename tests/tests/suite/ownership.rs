//! Every item in the single table carries a key prefix owned by exactly one service
//! (`vitrina_shared::keys::OWNERS`); nothing writes outside the map.

use std::collections::HashSet;
use vitrina_shared::keys::owner_of;
use vitrina_tests::*;

#[tokio::test]
async fn every_item_belongs_to_a_known_owner() {
    let c = Shop::anonymous();
    let user = register(&c).await;
    let r = login(&c, &user).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let token = cookie_value(&r.set_cookies, "sessionId").expect("session cookie");
    let hash = vitrina_auth::domain::session::token_hash(&token).expect("our token");
    let db = clients().await.dynamodb;
    let table = resource_name("Table");
    let mut start = None;
    let mut keys = HashSet::new();
    loop {
        let out = db
            .scan()
            .table_name(&table)
            .consistent_read(true)
            .set_exclusive_start_key(start)
            .send()
            .await
            .expect("scan");
        for item in out.items() {
            let pk = item.get("PK").and_then(|v| v.as_s().ok()).expect("PK");
            assert!(owner_of(pk).is_some(), "no service owns {pk}");
            keys.insert(pk.clone());
        }
        start = out.last_evaluated_key;
        if start.is_none() {
            break;
        }
    }
    // The scan really saw what this test's user wrote, under auth's prefixes.
    let mine = [
        format!("USERNAME#{}", user.username.to_lowercase()),
        format!("EMAIL#{}", user.email.to_lowercase()),
        format!("SESSION#{hash}"),
    ];
    for pk in &mine {
        assert!(keys.contains(pk), "the scan missed {pk}");
        assert_eq!(owner_of(pk), Some("auth"), "{pk}");
    }
}
