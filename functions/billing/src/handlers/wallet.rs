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
