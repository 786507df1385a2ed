//! payment's bank adapter (YooKassa's API v3) against the local platform's bank sandbox, the
//! way the shop will use it: the payer's pages walked as a browser would (form posts, the
//! redirect back to the shop), then the adapter reading, capturing and refunding.

use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::Duration;
use vitrina_payment::bank::{
    BankError, BankSettings, Credentials, Method, NewPayment, Status, YooKassa,
};
use vitrina_tests::{bank_url, pay_on_bank_page, payer_browser as browser};

fn credentials() -> (String, String) {
    (
        std::env::var("VITRINA_BANK_SHOP_ID").unwrap_or_else(|_| "sandbox-shop".into()),
        std::env::var("VITRINA_BANK_SECRET_KEY").unwrap_or_else(|_| "test_sandbox_secret".into()),
    )
}

fn bank_with(timeout: Duration) -> YooKassa {
    let (shop_id, secret_key) = credentials();
    YooKassa::new(BankSettings {
        api_url: format!("{}/v3", bank_url()),
        credentials: Credentials::Given {
            shop_id,
            secret_key,
        },
        timeout,
    })
    .expect("client")
}

fn bank() -> YooKassa {
    bank_with(Duration::from_secs(10))
}

fn key() -> String {
    uuid::Uuid::now_v7().to_string()
}

const RETURN_URL: &str = "http://127.0.0.1:9/payment/return";

fn card_payment(kopecks: i64, save: bool) -> NewPayment {
    NewPayment {
        kopecks,
        method: Method::NewCard {
            return_url: RETURN_URL.into(),
            save,
        },
        description: "Тестовый заказ".into(),
        metadata: json!({"orderId": key()}),
    }
}

#[tokio::test]
async fn a_card_with_3ds_is_authorised_captured_refunded_and_saved_for_next_time() {
    let bank = bank();
    let k = key();
    let new = card_payment(150_050, true);
    let created = bank.create_payment(&k, &new).await.unwrap();
    assert_eq!(created.status, Status::Pending);
    assert_eq!(created.amount.kopecks(), Some(150_050));
    // The same key and body: the first answer again, not a second payment.
    let again = bank.create_payment(&k, &new).await.unwrap();
    assert_eq!(again.id, created.id);

    let url = created
        .confirmation
        .as_ref()
        .and_then(|c| c.confirmation_url.clone())
        .expect("a card payment sends the payer to the bank's page");
    let back = pay_on_bank_page(&url, "5555 5555 5555 4477", Some("123456")).await;
    assert_eq!(back, RETURN_URL, "the payer comes back to the shop");

    let held = bank.payment(&created.id).await.unwrap();
    assert_eq!(held.status, Status::WaitingForCapture);
    assert!(held.paid);
    let method = held.payment_method.clone().unwrap();
    assert!(method.saved);
    assert_eq!(method.card.as_ref().unwrap().last4, "4477");

    let capture_key = key();
    let paid = bank.capture(&capture_key, &held.id, None).await.unwrap();
    assert_eq!(paid.status, Status::Succeeded);
    // A retried capture finds it captured; nothing is taken twice.
    let paid_again = bank.capture(&capture_key, &held.id, None).await.unwrap();
    assert_eq!(paid_again, paid);

    let refund_key = key();
    let refund = bank.refund(&refund_key, &paid.id, 50_050).await.unwrap();
    assert_eq!(refund.status, Status::Succeeded);
    assert_eq!(refund.amount.kopecks(), Some(50_050));
    let same = bank.refund(&refund_key, &paid.id, 50_050).await.unwrap();
    assert_eq!(same.id, refund.id, "a retried refund is the same refund");
    assert_eq!(bank.get_refund(&refund.id).await.unwrap(), refund);
    match bank.refund(&key(), &paid.id, 100_001).await {
        Err(BankError::Refused { code, .. }) => assert_eq!(code, "invalid_request"),
        other => panic!("refunds beyond the payment: {other:?}"),
    }

    // The saved card pays the next order with no page at all.
    let next = bank
        .create_payment(
            &key(),
            &NewPayment {
                method: Method::SavedCard {
                    payment_method_id: method.id.clone(),
                },
                ..card_payment(20_000, false)
            },
        )
        .await
        .unwrap();
    assert_eq!(next.status, Status::WaitingForCapture);
    assert!(next.confirmation.is_none());
}

#[tokio::test]
async fn declined_cards_cancel_the_payment_with_the_banks_reason() {
    let bank = bank();
    for (number, code, reason) in [
        ("5555555555554600", None, "insufficient_funds"),
        ("5555555555554543", None, "card_expired"),
        ("5555555555554568", None, "fraud_suspected"),
        ("5555555555554592", Some("123456"), "3d_secure_failed"),
    ] {
        let created = bank
            .create_payment(&key(), &card_payment(10_000, true))
            .await
            .unwrap();
        let url = created.confirmation.unwrap().confirmation_url.unwrap();
        let back = pay_on_bank_page(&url, number, code).await;
        assert_eq!(back, RETURN_URL);
        let p = bank.payment(&created.id).await.unwrap();
        assert_eq!(p.status, Status::Canceled, "{number}");
        assert!(!p.paid);
        assert_eq!(p.cancellation_details.unwrap().reason, reason, "{number}");
        assert!(
            !p.payment_method.unwrap().saved,
            "a declined card is not saved"
        );
    }
}

#[tokio::test]
async fn a_mistyped_card_stays_on_the_page_with_a_message_and_nothing_happens() {
    let bank = bank();
    let created = bank
        .create_payment(&key(), &card_payment(10_000, false))
        .await
        .unwrap();
    let url = created.confirmation.unwrap().confirmation_url.unwrap();
    let r = browser()
        .post(&url)
        .form(&[
            ("number", "5555 5555 5555 4478"),
            ("expiry", "12/30"),
            ("cvc", "123"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("Проверьте номер карты"));
    assert_eq!(
        bank.payment(&created.id).await.unwrap().status,
        Status::Pending
    );
}

#[tokio::test]
async fn a_key_used_for_another_request_is_refused() {
    let bank = bank();
    let k = key();
    bank.create_payment(&k, &card_payment(10_000, false))
        .await
        .unwrap();
    match bank.create_payment(&k, &card_payment(20_000, false)).await {
        Err(BankError::Refused { status, code, .. }) => {
            assert_eq!((status, code.as_str()), (400, "invalid_request"))
        }
        other => panic!("same key, another body: {other:?}"),
    }
}

#[tokio::test]
async fn wrong_credentials_are_refused() {
    let bank = YooKassa::new(BankSettings {
        api_url: format!("{}/v3", bank_url()),
        credentials: Credentials::Given {
            shop_id: "sandbox-shop".into(),
            secret_key: "wrong".into(),
        },
        timeout: Duration::from_secs(5),
    })
    .unwrap();
    match bank.payment("anything").await {
        Err(BankError::Refused { status, code, .. }) => {
            assert_eq!((status, code.as_str()), (401, "invalid_credentials"))
        }
        other => panic!("{other:?}"),
    }
}

async fn fault(body: Value) {
    let r = reqwest::Client::new()
        .post(format!("{}/_sandbox/faults", bank_url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
}

#[tokio::test]
async fn a_failed_or_slow_bank_is_retried_with_the_same_key_and_charges_once() {
    // A 500 first: the adapter's retry, same key, creates the payment once.
    let refunds_path = "/v3/refunds";
    let bank = bank();
    let paid = {
        let created = bank
            .create_payment(&key(), &card_payment(30_000, false))
            .await
            .unwrap();
        let url = created.confirmation.unwrap().confirmation_url.unwrap();
        pay_on_bank_page(&url, "5555555555554444", None).await;
        bank.capture(&key(), &created.id, None).await.unwrap()
    };
    let k = key();
    fault(
        json!({"kind": "error500", "times": 1, "pathContains": refunds_path, "idempotenceKey": k}),
    )
    .await;
    let refund = bank.refund(&k, &paid.id, 30_000).await.unwrap();
    assert_eq!(refund.amount.kopecks(), Some(30_000));
    assert!(
        faults_left(&k).await.is_empty(),
        "the 500 was answered and retried"
    );

    // Slow past the adapter's timeout: the bank did the work; the retry gets that work back.
    let impatient = bank_with(Duration::from_millis(400));
    let k = key();
    fault(json!({"kind": "slow", "times": 1, "delayMs": 1500, "idempotenceKey": k})).await;
    let new = card_payment(40_000, false);
    let first = impatient.create_payment(&k, &new).await.unwrap();
    assert!(faults_left(&k).await.is_empty(), "the slow answer was met");
    let again = bank.create_payment(&k, &new).await.unwrap();
    assert_eq!(first.id, again.id, "one payment for one key");
}

async fn faults_left(key: &str) -> Vec<Value> {
    let all: Vec<Value> = reqwest::get(format!("{}/_sandbox/faults", bank_url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    all.into_iter()
        .filter(|f| f["idempotenceKey"] == key)
        .collect()
}

#[tokio::test]
async fn sbp_shows_a_type_02_qr_and_the_payers_app_pays_or_declines() {
    let bank = bank();
    let sbp = |kopecks| NewPayment {
        kopecks,
        method: Method::Sbp {
            return_url: RETURN_URL.into(),
        },
        description: "СБП".into(),
        metadata: json!({}),
    };
    let created = bank.create_payment(&key(), &sbp(123_450)).await.unwrap();
    let link = created
        .confirmation
        .as_ref()
        .and_then(|c| c.confirmation_data.clone())
        .expect("an SBP payment carries the QR's link");
    assert!(
        link.contains("type=02") && link.contains("sum=123450"),
        "{link}"
    );
    let b = browser();
    let page = b.get(&link).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("<svg"), "the payer's page shows the QR code");
    assert!(page.contains("Оплатить в приложении банка") && page.contains("Отклонить"));
    let r = b
        .post(format!("{}/sbp/{}/pay", bank_url(), created.id))
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("Оплачено"));
    assert_eq!(
        bank.payment(&created.id).await.unwrap().status,
        Status::WaitingForCapture
    );

    let declined = bank.create_payment(&key(), &sbp(10_000)).await.unwrap();
    b.post(format!("{}/sbp/{}/decline", bank_url(), declined.id))
        .send()
        .await
        .unwrap();
    let p = bank.payment(&declined.id).await.unwrap();
    assert_eq!(p.status, Status::Canceled);
}

#[tokio::test]
async fn an_unpaid_sbp_payment_expires_on_confirmation() {
    // make test gives the sandbox a 20 s confirmation lifetime (1 h as YooKassa's otherwise).
    let bank = bank();
    let created = bank
        .create_payment(
            &key(),
            &NewPayment {
                kopecks: 5_000,
                method: Method::Sbp {
                    return_url: RETURN_URL.into(),
                },
                description: "never paid".into(),
                metadata: json!({}),
            },
        )
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let p = bank.payment(&created.id).await.unwrap();
        if p.status == Status::Canceled {
            assert_eq!(
                p.cancellation_details.unwrap().reason,
                "expired_on_confirmation"
            );
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still {:?} after 60 s",
            p.status
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

#[tokio::test]
async fn every_status_change_is_notified_and_redelivered_until_answered() {
    let bank = bank();
    let created = bank
        .create_payment(&key(), &card_payment(7_000, false))
        .await
        .unwrap();
    let url = created.confirmation.unwrap().confirmation_url.unwrap();
    pay_on_bank_page(&url, "2200000000000004", None).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let log: Vec<Value> = reqwest::get(format!("{}/_sandbox/webhooks", bank_url()))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let mine: Vec<&Value> = log
            .iter()
            .filter(|a| a["objectId"] == created.id.as_str())
            .collect();
        let first = mine.iter().find(|a| a["attempt"] == 1);
        if let Some(first) = first {
            assert_eq!(first["event"], "payment.waiting_for_capture");
            // Answered 200: done; otherwise the bank must come back with a second attempt.
            if first["status"] == 200 || mine.iter().any(|a| a["attempt"] == 2) {
                break;
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "webhook attempts for {}: {mine:?}",
            created.id
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
