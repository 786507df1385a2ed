//! `GET /api/wallet` — the caller's wallet balance.

use crate::Billing;
use lambda_http::{Body, Request, Response};
use serde::Serialize;
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, Caller},
    money::format_rub,
    openapi::{ErrorBody, Guarded, Unavailable},
    ApiError,
};

#[utoipa::path(
    get,
    path = "/api/wallet",
    operation_id = "wallet-get",
    tag = "billing",
    summary = "Кошелёк: баланс",
    security(("sessionId" = [])),
    responses(
        (status = 200, description = "The balance, kopecks and worded", body = WalletView),
        (status = 404, body = ErrorBody, description = "`wallet_not_found`: it opens moments after registration"),
        Guarded, Unavailable,
    )
)]
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
#[derive(Serialize, utoipa::ToSchema)]
struct WalletView {
    /// Kopecks.
    balance: i64,
    currency: String,
    /// «1 234,50 ₽».
    formatted: String,
}
