//! `wallet-debit` (internal, for payment): money out of a client's wallet, once per cause.

use crate::{flow::ledger, Billing};
use std::sync::Arc;
use vitrina_shared::contracts::{
    billing::{DebitRefusal, LedgerEntry, WalletMove},
    Failure,
};

pub async fn handle(
    billing: Arc<Billing>,
    req: WalletMove,
) -> Result<LedgerEntry, Failure<DebitRefusal>> {
    Ok(ledger::debit_wallet(&billing, &req).await?)
}
