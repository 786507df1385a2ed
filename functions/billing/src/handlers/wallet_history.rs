//! `GET /api/wallet/history` — the wallet's movements, newest first: when, what, how much, and
//! the balance after (the personal account's history).

use crate::Billing;
use lambda_http::{Body, Request, Response};
use serde::Serialize;
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, Caller},
    openapi::{Guarded, Unavailable},
    ApiError,
};

#[derive(Serialize, utoipa::ToSchema)]
struct History {
    entries: Vec<HistoryEntry>,
}

/// One movement of the wallet, as the personal account lists it.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct HistoryEntry {
    at: String,
    description: String,
    /// Kopecks: negative for a debit.
    amount: i64,
    balance_after: i64,
}

#[utoipa::path(
    get,
    path = "/api/wallet/history",
    operation_id = "wallet-history",
    tag = "billing",
    summary = "Кошелёк: история движения средств",
    security(("sessionId" = [])),
    responses(
        (status = 200, description = "The wallet's movements, newest first", body = History),
        Guarded, Unavailable,
    )
)]
pub async fn handle(billing: Arc<Billing>, req: Request) -> Result<Response<Body>, ApiError> {
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
