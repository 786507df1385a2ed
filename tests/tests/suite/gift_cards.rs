//! Gift cards (S8 "Активация подарочной карты") over HTTP: operators issue cards with
//! `vitrina-giftcards`; a client activates one by its code (any case, with or without dashes)
//! and sees its balance; activating it again is harmless; another client cannot take it; wrong
//! codes are 404 and, five times in a window, 429.

use serde_json::json;
use vitrina_tests::*;

#[tokio::test]
async fn a_client_activates_a_card_by_its_code_and_sees_its_balance() {
    let codes = issue_gift_cards(1500, 2);
    let c = Shop::registered().await;
    assert_eq!(c.gift_cards().await.body["giftCards"], json!([]));
    // Typed in lower case with spaces instead of dashes: still the code.
    let typed = codes[0].to_lowercase().replace('-', " ");
    let r = c.activate_gift_card(&typed).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["balance"], 150_000);
    assert_eq!(r.body["formatted"], "1\u{202f}500,00\u{a0}₽");
    assert_eq!(r.body["last4"], &codes[0][15..]);
    assert!(r.body.get("code").is_none(), "the code is never shown back");

    let again = c.activate_gift_card(&codes[0]).await;
    assert_eq!(
        again.status, 200,
        "activating one's own card again is harmless"
    );
    assert_eq!(again.body["cardId"], r.body["cardId"]);

    assert_eq!(c.activate_gift_card(&codes[1]).await.status, 200);
    let list = c.gift_cards().await;
    assert_eq!(list.status, 200);
    assert_eq!(list.body["giftCards"].as_array().unwrap().len(), 2);

    let other = Shop::registered().await;
    let taken = other.activate_gift_card(&codes[0]).await;
    assert_eq!(taken.status, 409, "{}", taken.body);
    assert_eq!(taken.body["error"]["code"], "gift_card_taken");
    assert_eq!(other.gift_cards().await.body["giftCards"], json!([]));
}

#[tokio::test]
async fn wrong_codes_are_404_and_guessing_stops_at_five() {
    let c = Shop::registered().await;
    assert_eq!(c.activate_gift_card("").await.status, 400);
    // Wrong codes count per fixed 15-minute window: every call below must land in one.
    clear_of_window_edge(vitrina_payment::domain::guessing::WINDOW_SECONDS, 60).await;
    for _ in 0..5 {
        let r = c.activate_gift_card("AAAA-BBBB-CCCC-DDDD").await;
        assert_eq!(r.status, 404, "{}", r.body);
        assert_eq!(r.body["error"]["code"], "gift_card_not_found");
    }
    // Even a good code waits now: the limit is on the client, not on the code.
    let good = issue_gift_cards(500, 1);
    let r = c.activate_gift_card(&good[0]).await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert_eq!(r.body["error"]["code"], "too_many_codes");
    assert_eq!(
        call(&browser(), "POST", "/api/gift-cards/activate", Some("{}"))
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn two_clients_activating_one_card_at_once_one_wins() {
    let code = issue_gift_cards(700, 1).remove(0);
    let (a, b) = (Shop::registered().await, Shop::registered().await);
    let (ra, rb) = tokio::join!(a.activate_gift_card(&code), b.activate_gift_card(&code));
    let mut statuses = [ra.status, rb.status];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{} / {}", ra.body, rb.body);
    let (winner, loser, lost) = if ra.status == 200 {
        (&a, &b, &rb)
    } else {
        (&b, &a, &ra)
    };
    assert_eq!(lost.body["error"]["code"], "gift_card_taken");
    let cards = |c: &Shop| {
        let c = c.clone();
        async move { c.gift_cards().await.body["giftCards"].clone() }
    };
    let won = cards(winner).await;
    assert_eq!(won.as_array().map(Vec::len), Some(1), "{won}");
    assert_eq!(won[0]["balance"], 70_000);
    assert_eq!(cards(loser).await, json!([]));
}

#[tokio::test]
async fn a_card_no_longer_active_does_not_come_back_by_activating_it_again() {
    let codes = issue_gift_cards(700, 1);
    let c = Shop::registered().await;
    assert_eq!(c.activate_gift_card(&codes[0]).await.status, 200);
    // An operator blocks the card (a state a later issue may add): the owner's second
    // activation must not make it active again.
    let normalized = vitrina_billing::domain::giftcard::normalize(&codes[0]).unwrap();
    let pk = format!(
        "GIFTCARD#{}",
        vitrina_billing::domain::giftcard::code_hash(&normalized)
    );
    clients()
        .await
        .dynamodb
        .update_item()
        .table_name(resource_name("Table"))
        .key("PK", s(pk.clone()))
        .key("SK", s("CARD"))
        .update_expression("SET #status = :blocked")
        .expression_attribute_names("#status", "status")
        .expression_attribute_values(":blocked", s("blocked"))
        .send()
        .await
        .unwrap();
    let again = c.activate_gift_card(&codes[0]).await;
    assert_eq!(again.status, 409, "{}", again.body);
    let card = table_item(&pk, "CARD").await.expect("the card");
    assert_eq!(card["status"].as_s().unwrap(), "blocked");
}
