//! `wallet-debit` and `wallet-credit` (internal, for payment): money into or out of a client's
//! wallet, each movement a ledger entry keyed by its cause, written in one transaction with
//! the balance. A retried call finds its first entry and moves nothing; concurrent calls take
//! turns on the wallet's version, so no debit is lost and none overdraws.

use crate::{
    domain::{giftcard::GiftCard, MoveError},
    store::Applied,
    Billing,
};
use std::sync::Arc;
use vitrina_shared::{
    contracts::{
        billing::{
            CreditRefusal, DebitRefusal, GiftCardCreditRefusal, GiftCardDebitRefusal, GiftCardMove,
            LedgerEntry, WalletMove,
        },
        Failure,
    },
    keys, table, StoreError,
};

/// Rounds of "read the wallet, write if unchanged" before a call gives up as busy: 20
/// concurrent payments of one wallet settle well within it (full-jitter pauses).
const ATTEMPTS: u32 = 40;

enum Refused {
    Insufficient,
    /// No such wallet, or no such card of the client.
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

/// Moves money on one of the client's activated cards by the entry `make` computes from the card
/// as read; concurrent movements take turns on the balance read.
async fn move_gift_card(
    billing: &Billing,
    req: &GiftCardMove,
    make: impl Fn(&GiftCard, &str) -> Result<LedgerEntry, MoveError>,
) -> Result<LedgerEntry, Result<Refused, StoreError>> {
    let now = chrono::Utc::now().to_rfc3339();
    for attempt in 1..=ATTEMPTS {
        let (hash, card) = billing
            .store
            .card_of(&req.user_id, &req.card_id)
            .await
            .map_err(Err)?
            .ok_or(Ok(Refused::NoWallet))?;
        let ledger = keys::billing::gift_card_ledger(&hash, &req.cause);
        let entry = match make(&card, &now) {
            Ok(entry) => entry,
            Err(MoveError::BadAmount) => return Err(Ok(Refused::BadAmount)),
            Err(MoveError::Insufficient { .. }) => {
                // A retried debit that went through finds the balance already lower.
                return match billing.store.entry(ledger).await.map_err(Err)? {
                    Some(first) => Ok(first),
                    None => Err(Ok(Refused::Insufficient)),
                };
            }
        };
        match billing
            .store
            .apply_to_card(&hash, &req.user_id, card.balance, &entry)
            .await
        {
            Ok(Applied::Moved(entry)) => {
                tracing::info!(user_id = %req.user_id, card_id = %req.card_id, cause = %req.cause, amount = entry.amount, "gift card moved");
                return Ok(entry);
            }
            Ok(Applied::AlreadyApplied(first)) => return Ok(first),
            Err(StoreError::Conflict | StoreError::Busy(_)) => table::backoff(attempt).await,
            Err(e) => return Err(Err(e)),
        }
    }
    Err(Err(StoreError::Busy(format!(
        "the card kept changing for {ATTEMPTS} attempts"
    ))))
}

/// `gift-card-debit` (internal, for payment): takes money from one of the client's activated
/// cards, once per cause.
pub async fn debit_gift_card(
    billing: Arc<Billing>,
    req: GiftCardMove,
) -> Result<LedgerEntry, Failure<GiftCardDebitRefusal>> {
    move_gift_card(&billing, &req, |card, now| {
        card.debit(&req.cause, req.amount, &req.description, now)
    })
    .await
    .map_err(|e| match e {
        Ok(Refused::Insufficient) => {
            GiftCardDebitRefusal::InsufficientFunds("the card holds less than the amount".into())
                .into()
        }
        Ok(Refused::NoWallet) => {
            GiftCardDebitRefusal::GiftCardNotFound("no such card of this client".into()).into()
        }
        Ok(Refused::BadAmount) => {
            GiftCardDebitRefusal::InvalidAmount("the amount must be positive".into()).into()
        }
        Err(e) => e.into(),
    })
}

/// `gift-card-credit` (internal, for payment's refunds): gives money back to the card, once per
/// cause.
pub async fn credit_gift_card(
    billing: Arc<Billing>,
    req: GiftCardMove,
) -> Result<LedgerEntry, Failure<GiftCardCreditRefusal>> {
    move_gift_card(&billing, &req, |card, now| {
        card.credit(&req.cause, req.amount, &req.description, now)
    })
    .await
    .map_err(|e| match e {
        Ok(Refused::NoWallet) => {
            GiftCardCreditRefusal::GiftCardNotFound("no such card of this client".into()).into()
        }
        Ok(Refused::Insufficient | Refused::BadAmount) => {
            GiftCardCreditRefusal::InvalidAmount("the amount is out of range".into()).into()
        }
        Err(e) => e.into(),
    })
}
