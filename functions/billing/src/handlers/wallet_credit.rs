//! `wallet-credit` (internal, for payment's refunds and billing's top-ups): money into a client's wallet, once per cause.

use crate::{flow::ledger, Billing};
use std::sync::Arc;
use vitrina_shared::contracts::{
    billing::{CreditRefusal, LedgerEntry, WalletMove},
    Failure,
};

pub async fn handle(
    billing: Arc<Billing>,
    req: WalletMove,
) -> Result<LedgerEntry, Failure<CreditRefusal>> {
    Ok(ledger::credit_wallet(&billing, &req).await?)
}
