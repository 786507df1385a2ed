//! `gift-card-debit` (internal, for payment): money from one of the client's activated cards, once per cause.

use crate::{flow::ledger, Billing};
use std::sync::Arc;
use vitrina_shared::contracts::{
    billing::{GiftCardDebitRefusal, GiftCardMove, LedgerEntry},
    Failure,
};

pub async fn handle(
    billing: Arc<Billing>,
    req: GiftCardMove,
) -> Result<LedgerEntry, Failure<GiftCardDebitRefusal>> {
    Ok(ledger::debit_gift_card(&billing, &req).await?)
}
