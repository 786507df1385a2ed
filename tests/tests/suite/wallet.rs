//! billing's wallet ledger: every movement is one entry keyed by its cause, written with the
//! balance in one transaction; the balance always equals the sum of its entries.

use futures::future::join_all;
use vitrina_shared::contracts::{
    billing::{CreditWallet, DebitRefusal, DebitWallet, WalletMove},
    CallError,
};
use vitrina_tests::*;

fn movement(user_id: &str, amount: i64, cause: &str) -> WalletMove {
    WalletMove {
        user_id: user_id.into(),
        amount,
        cause: cause.into(),
        description: "test".into(),
    }
}

async fn ledger_of(user_id: &str) -> (i64, Vec<vitrina_shared::contracts::billing::LedgerEntry>) {
    let store =
        vitrina_billing::store::BillingStore::new(clients().await.dynamodb, resource_name("Table"));
    let wallet = store.wallet(user_id).await.unwrap().expect("wallet");
    (wallet.balance, store.ledger(user_id).await.unwrap())
}

#[tokio::test]
async fn twenty_concurrent_debits_of_a_wallet_that_affords_ten_take_exactly_ten() {
    let (_, user_id) = client_with_wallet(&browser()).await;
    let credit = remote::<CreditWallet>("BillingWalletCreditFunction").await;
    let debit = remote::<DebitWallet>("BillingWalletDebitFunction").await;
    let run = unique("r");
    credit
        .call(&movement(&user_id, 10_000, &format!("test-credit:{run}")))
        .await
        .unwrap();

    let causes: Vec<String> = (0..20).map(|i| format!("payment:{run}-{i}")).collect();
    let moves: Vec<WalletMove> = causes
        .iter()
        .map(|cause| movement(&user_id, 1_000, cause))
        .collect();
    // Every debit's write held 400 ms by the local AWS: all twenty read the wallet before the
    // first writes, so they really race (without it the read and the write are too close
    // locally for a missing version condition to show).
    let marker = format!("WALLET#{user_id}");
    inject(serde_json::json!({
        "path": "/", "target": "TransactWriteItems", "contains": marker,
        "principal": "BillingWalletDebitFunction", "delayMs": 400, "times": 20,
    }))
    .await;
    let results = join_all(moves.iter().map(|m| debit.call(m))).await;
    assert_eq!(faults_left(&marker).await, 0, "every first write was held");
    let taken = results.iter().filter(|r| r.is_ok()).count();
    let refused = results
        .iter()
        .filter(|r| {
            matches!(
                r,
                Err(CallError::Refused(DebitRefusal::InsufficientFunds(_)))
            )
        })
        .count();
    assert_eq!((taken, refused), (10, 10), "{results:?}");

    let (balance, entries) = ledger_of(&user_id).await;
    assert_eq!(balance, 0);
    assert_eq!(entries.iter().map(|e| e.amount).sum::<i64>(), balance);
    assert_eq!(entries.len(), 11, "one credit and ten debits");
    // In order, each entry's balance follows from the one before.
    let mut running = 0;
    for (i, e) in entries.iter().enumerate() {
        running += e.amount;
        assert_eq!(e.balance_after, running, "entry {i}: {e:?}");
        assert_eq!(e.seq, i as u64 + 1);
    }

    // A debit retried after it went through finds its entry and moves nothing, even though
    // the wallet could no longer afford it.
    let done = results
        .iter()
        .zip(&causes)
        .find_map(|(r, cause)| r.as_ref().ok().map(|e| (e.clone(), cause.clone())))
        .unwrap();
    let again = debit
        .call(&movement(&user_id, 1_000, &done.1))
        .await
        .unwrap();
    assert_eq!(again, done.0);
    assert_eq!(ledger_of(&user_id).await.0, 0);
}

/// What keeps concurrent debits from losing each other, shown without relying on timing: a
/// movement computed from a wallet read before another movement is refused, and moves nothing.
#[tokio::test]
async fn a_movement_from_a_stale_read_of_the_wallet_is_refused_as_a_conflict() {
    use vitrina_billing::store::BillingStore;
    let (_, user_id) = client_with_wallet(&browser()).await;
    let store = BillingStore::new(clients().await.dynamodb, resource_name("Table"));
    let stale = store.wallet(&user_id).await.unwrap().expect("wallet");
    let credit = remote::<CreditWallet>("BillingWalletCreditFunction").await;
    credit
        .call(&movement(&user_id, 5_000, &unique("first")))
        .await
        .unwrap();
    let late = stale.entry(&unique("late"), 7_000, "late", "now").unwrap();
    match store.apply(&stale, &late).await {
        Err(vitrina_shared::StoreError::Conflict) => {}
        other => panic!("a write from a stale read: {other:?}"),
    }
    let (balance, entries) = ledger_of(&user_id).await;
    assert_eq!((balance, entries.len()), (5_000, 1), "{entries:?}");
}

#[tokio::test]
async fn a_credit_is_applied_once_per_cause_and_bad_amounts_are_refused() {
    let (_, user_id) = client_with_wallet(&browser()).await;
    let credit = remote::<CreditWallet>("BillingWalletCreditFunction").await;
    let debit = remote::<DebitWallet>("BillingWalletDebitFunction").await;
    let cause = format!("refund:{}", unique("r"));
    let first = credit
        .call(&movement(&user_id, 2_500, &cause))
        .await
        .unwrap();
    let second = credit
        .call(&movement(&user_id, 2_500, &cause))
        .await
        .unwrap();
    assert_eq!(first, second);
    assert_eq!(ledger_of(&user_id).await.0, 2_500);
    for amount in [0, -5] {
        match debit
            .call(&movement(&user_id, amount, &unique("bad")))
            .await
        {
            Err(CallError::Refused(DebitRefusal::InvalidAmount(_))) => {}
            other => panic!("{amount}: {other:?}"),
        }
    }
    match debit
        .call(&movement("no-such-client", 100, &unique("x")))
        .await
    {
        Err(CallError::Refused(DebitRefusal::WalletNotFound(_))) => {}
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_operator_credits_a_wallet_once_per_cause_and_sees_the_balance() {
    let (_, user_id) = client_with_wallet(&browser()).await;
    let target = std::env::var("CARGO_TARGET_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../target").to_string());
    let cause = unique("desk");
    let run = || {
        let out = std::process::Command::new(format!("{target}/debug/vitrina-wallet"))
            .args([
                "credit", "--user", &user_id, "--amount", "1500", "--cause", &cause,
            ])
            .args(["--table", &resource_name("Table")])
            .output()
            .expect("vitrina-wallet (make build builds it)");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    assert!(run().contains("1\u{202f}500,00"), "prints the new balance");
    run();
    assert_eq!(
        ledger_of(&user_id).await.0,
        150_000,
        "the same cause credits once"
    );
}
