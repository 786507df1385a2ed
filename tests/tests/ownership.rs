//! Every item in the single table carries a key prefix owned by exactly one service
//! (`vitrina_shared::keys::OWNERS`); nothing writes outside the map.

use vitrina_shared::keys::owner_of;
use vitrina_tests::*;

#[tokio::test]
async fn every_item_belongs_to_a_known_owner() {
    let c = browser();
    let user = register(&c).await;
    login(&c, &user).await;
    let db = clients().await.dynamodb;
    let table = resource_name("Table");
    let mut start = None;
    let mut seen = 0;
    loop {
        let out = db
            .scan()
            .table_name(&table)
            .set_exclusive_start_key(start)
            .send()
            .await
            .expect("scan");
        for item in out.items() {
            let pk = item.get("PK").and_then(|v| v.as_s().ok()).expect("PK");
            assert!(owner_of(pk).is_some(), "no service owns {pk}");
            seen += 1;
        }
        start = out.last_evaluated_key;
        if start.is_none() {
            break;
        }
    }
    assert!(seen >= 4, "user, username, email, session at least");
}
