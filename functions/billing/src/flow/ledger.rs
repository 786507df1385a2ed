//! Money into or out of a client's wallet or activated gift card: each movement a ledger entry
//! keyed by its cause, written in one transaction with the balance. A retried call finds its
//! first entry and moves nothing; concurrent calls take turns on the balance's version, so no
//! debit is lost and none overdraws.

use super::{Account, BillingError};
use crate::{
    domain::{giftcard::GiftCard, MoveError},
    store::Applied,
    Billing,
};
use vitrina_shared::{
    contracts::billing::{GiftCardMove, LedgerEntry, WalletMove},
    keys, table, StoreError,
};

/// Rounds of "read the balance, write if unchanged" before a call gives up as busy: 20
/// concurrent payments of one wallet settle well within it (full-jitter pauses).
const ATTEMPTS: u32 = 40;

/// Takes `req.amount` from the wallet, once per cause.
pub async fn debit_wallet(
    billing: &Billing,
    req: &WalletMove,
) -> Result<LedgerEntry, BillingError> {
    positive(req.amount)?;
    move_wallet(billing, req, -req.amount).await
}

/// Puts `req.amount` into the wallet, once per cause.
pub async fn credit_wallet(
    billing: &Billing,
    req: &WalletMove,
) -> Result<LedgerEntry, BillingError> {
    positive(req.amount)?;
    move_wallet(billing, req, req.amount).await
}

/// Takes money from one of the client's activated cards, once per cause.
pub async fn debit_gift_card(
    billing: &Billing,
    req: &GiftCardMove,
) -> Result<LedgerEntry, BillingError> {
    move_gift_card(billing, req, |card, now| {
        card.debit(&req.cause, req.amount, &req.description, now)
    })
    .await
}

/// Gives money back to the card (payment's refunds), once per cause.
pub async fn credit_gift_card(
    billing: &Billing,
    req: &GiftCardMove,
) -> Result<LedgerEntry, BillingError> {
    move_gift_card(billing, req, |card, now| {
        card.credit(&req.cause, req.amount, &req.description, now)
    })
    .await
}

fn positive(amount: i64) -> Result<(), BillingError> {
    match amount > 0 {
        true => Ok(()),
        false => Err(BillingError::InvalidAmount),
    }
}

async fn move_wallet(
    billing: &Billing,
    req: &WalletMove,
    delta: i64,
) -> Result<LedgerEntry, BillingError> {
    let now = chrono::Utc::now().to_rfc3339();
    for attempt in 1..=ATTEMPTS {
        let wallet = billing
            .store
            .wallet(&req.user_id)
            .await?
            .ok_or(BillingError::WalletNotFound)?;
        let entry = match wallet.entry(&req.cause, delta, &req.description, &now) {
            Ok(entry) => entry,
            Err(MoveError::BadAmount) => return Err(BillingError::InvalidAmount),
            Err(MoveError::Insufficient { .. }) => {
                // A retry of a debit that went through finds the balance already lower.
                let ledger = keys::billing::ledger(&req.user_id, &req.cause);
                return billing
                    .store
                    .entry(ledger)
                    .await?
                    .ok_or(BillingError::InsufficientFunds(Account::Wallet));
            }
        };
        match billing.store.apply(&wallet, &entry).await {
            Ok(Applied::Moved(entry)) => {
                tracing::info!(user_id = %req.user_id, cause = %req.cause, amount = entry.amount, balance = entry.balance_after, "wallet moved");
                return Ok(entry);
            }
            Ok(Applied::AlreadyApplied(first)) => return Ok(first),
            Err(StoreError::Conflict | StoreError::Busy(_)) => table::backoff(attempt).await,
            Err(e) => return Err(e.into()),
        }
    }
    Err(StoreError::Busy(format!("the wallet kept changing for {ATTEMPTS} attempts")).into())
}

/// Moves money on one of the client's activated cards by the entry `make` computes from the card
/// as read; concurrent movements take turns on the balance read.
async fn move_gift_card(
    billing: &Billing,
    req: &GiftCardMove,
    make: impl Fn(&GiftCard, &str) -> Result<LedgerEntry, MoveError>,
) -> Result<LedgerEntry, BillingError> {
    let now = chrono::Utc::now().to_rfc3339();
    for attempt in 1..=ATTEMPTS {
        let (hash, card) = billing
            .store
            .card_of(&req.user_id, &req.card_id)
            .await?
            .ok_or(BillingError::GiftCardNotFound)?;
        let entry = match make(&card, &now) {
            Ok(entry) => entry,
            Err(MoveError::BadAmount) => return Err(BillingError::InvalidAmount),
            Err(MoveError::Insufficient { .. }) => {
                // A retried debit that went through finds the balance already lower.
                let ledger = keys::billing::gift_card_ledger(&hash, &req.cause);
                return billing
                    .store
                    .entry(ledger)
                    .await?
                    .ok_or(BillingError::InsufficientFunds(Account::GiftCard));
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
            Err(e) => return Err(e.into()),
        }
    }
    Err(StoreError::Busy(format!("the card kept changing for {ATTEMPTS} attempts")).into())
}
