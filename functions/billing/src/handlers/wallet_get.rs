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

pub async fn handle(billing: Arc<Billing>, req: Request) -> Result<Response<Body>, ApiError> {
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
