//! `wallet-debit` and `wallet-credit` (internal, for payment): money into or out of a client's
//! wallet, each movement a ledger entry keyed by its cause, written in one transaction with
//! the balance. A retried call finds its first entry and moves nothing; concurrent calls take
//! turns on the wallet's version, so no debit is lost and none overdraws.

use crate::{domain::MoveError, store::Applied, Billing};
use std::sync::Arc;
use vitrina_shared::{
    contracts::{
        billing::{CreditRefusal, DebitRefusal, LedgerEntry, WalletMove},
        Failure,
    },
    keys, table, StoreError,
};

/// Rounds of "read the wallet, write if unchanged" before a call gives up as busy: 20
/// concurrent payments of one wallet settle well within it (full-jitter pauses).
const ATTEMPTS: u32 = 40;

enum Refused {
    Insufficient,
    NoWallet,
    BadAmount,
}

async fn apply(
    billing: &Billing,
    req: &WalletMove,
    delta: i64,
) -> Result<LedgerEntry, Result<Refused, StoreError>> {
    let now = chrono::Utc::now().to_rfc3339();
    for attempt in 1..=ATTEMPTS {
        let wallet = billing
            .store
            .wallet(&req.user_id)
            .await
            .map_err(Err)?
            .ok_or(Ok(Refused::NoWallet))?;
        let entry = match wallet.entry(&req.cause, delta, &req.description, &now) {
            Ok(entry) => entry,
            Err(MoveError::BadAmount) => return Err(Ok(Refused::BadAmount)),
            Err(MoveError::Insufficient { .. }) => {
                // A retry of a debit that went through finds the balance already lower.
                return match first_entry(billing, req).await.map_err(Err)? {
                    Some(first) => Ok(first),
                    None => Err(Ok(Refused::Insufficient)),
                };
            }
        };
        match billing.store.apply(&wallet, &entry).await {
            Ok(Applied::Moved(entry)) => {
                tracing::info!(user_id = %req.user_id, cause = %req.cause, amount = entry.amount, balance = entry.balance_after, "wallet moved");
                return Ok(entry);
            }
            Ok(Applied::AlreadyApplied(first)) => return Ok(first),
            Err(StoreError::Conflict | StoreError::Busy(_)) => table::backoff(attempt).await,
            Err(e) => return Err(Err(e)),
        }
    }
    Err(Err(StoreError::Busy(format!(
        "the wallet kept changing for {ATTEMPTS} attempts"
    ))))
}

async fn first_entry(
    billing: &Billing,
    req: &WalletMove,
) -> Result<Option<LedgerEntry>, StoreError> {
    billing
        .store
        .entry(keys::billing::ledger(&req.user_id, &req.cause))
        .await
}

pub async fn debit(
    billing: Arc<Billing>,
    req: WalletMove,
) -> Result<LedgerEntry, Failure<DebitRefusal>> {
    if req.amount <= 0 {
        return Err(DebitRefusal::InvalidAmount("the amount must be positive".into()).into());
    }
    apply(&billing, &req, -req.amount)
        .await
        .map_err(|e| match e {
            Ok(Refused::Insufficient) => {
                DebitRefusal::InsufficientFunds("the wallet holds less than the amount".into())
                    .into()
            }
            Ok(Refused::NoWallet) => {
                DebitRefusal::WalletNotFound("no wallet for this client".into()).into()
            }
            Ok(Refused::BadAmount) => {
                DebitRefusal::InvalidAmount("the amount is out of range".into()).into()
            }
            Err(e) => e.into(),
        })
}

pub async fn credit(
    billing: Arc<Billing>,
    req: WalletMove,
) -> Result<LedgerEntry, Failure<CreditRefusal>> {
    if req.amount <= 0 {
        return Err(CreditRefusal::InvalidAmount("the amount must be positive".into()).into());
    }
    apply(&billing, &req, req.amount)
        .await
        .map_err(|e| match e {
            Ok(Refused::NoWallet) => {
                CreditRefusal::WalletNotFound("no wallet for this client".into()).into()
            }
            Ok(Refused::Insufficient | Refused::BadAmount) => {
                CreditRefusal::InvalidAmount("the amount is out of range".into()).into()
            }
            Err(e) => e.into(),
        })
}
