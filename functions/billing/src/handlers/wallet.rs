//! `GET /api/wallet` — the caller's wallet balance.

use crate::Billing;
use lambda_http::{Body, Request, Response};
use serde_json::json;
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
    Ok(ok(&json!({
        "balance": wallet.balance,
        "currency": wallet.currency,
        "formatted": format_rub(wallet.balance),
    })))
}

/// `GET /api/wallet/history` — the wallet's movements, newest first: when, what, how much, and
/// the balance after (the personal account's history).
pub async fn history(billing: Arc<Billing>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let mut entries = billing.store.ledger(&caller.user_id).await?;
    entries.reverse();
    let rows: Vec<_> = entries
        .iter()
        .map(|e| {
            json!({
                "at": e.at,
                "description": e.description,
                "amount": e.amount,
                "balanceAfter": e.balance_after,
            })
        })
        .collect();
    Ok(ok(&json!({ "entries": rows })))
}
