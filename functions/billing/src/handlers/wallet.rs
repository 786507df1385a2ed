//! `GET /api/wallet` — the caller's wallet balance.

use crate::Billing;
use lambda_http::{Body, Request, Response};
use serde::Serialize;
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, Caller},
    money::format_rub,
    ApiError,
};

pub async fn get(billing: Arc<Billing>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let wallet = billing
        .store
        .wallet(&caller.user_id)
        .await?
        // Opened asynchronously after registration: briefly absent, never someone else's.
        .ok_or_else(|| ApiError::not_found("wallet_not_found", "Wallet is not open yet"))?;
    Ok(ok(&WalletView {
        formatted: format_rub(wallet.balance),
        balance: wallet.balance,
        currency: wallet.currency,
    }))
}

/// The wallet as its client sees it.
#[derive(Serialize)]
struct WalletView {
    /// Kopecks.
    balance: i64,
    currency: String,
    /// «1 234,50 ₽».
    formatted: String,
}

#[derive(Serialize)]
struct History {
    entries: Vec<HistoryEntry>,
}

/// One movement of the wallet, as the personal account lists it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HistoryEntry {
    at: String,
    description: String,
    /// Kopecks: negative for a debit.
    amount: i64,
    balance_after: i64,
}

/// `GET /api/wallet/history` — the wallet's movements, newest first: when, what, how much, and
/// the balance after (the personal account's history).
pub async fn history(billing: Arc<Billing>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let mut entries = billing.store.ledger(&caller.user_id).await?;
    entries.reverse();
    let entries = entries
        .into_iter()
        .map(|e| HistoryEntry {
            at: e.at,
            description: e.description,
            amount: e.amount,
            balance_after: e.balance_after,
        })
        .collect();
    Ok(ok(&History { entries }))
}
