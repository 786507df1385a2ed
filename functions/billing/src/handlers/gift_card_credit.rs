//! `gift-card-credit` (internal, for payment's refunds): money back to the card, once per cause.

use crate::{flow::ledger, Billing};
use std::sync::Arc;
use vitrina_shared::contracts::{
    billing::{GiftCardCreditRefusal, GiftCardMove, LedgerEntry},
    Failure,
};

pub async fn handle(
    billing: Arc<Billing>,
    req: GiftCardMove,
) -> Result<LedgerEntry, Failure<GiftCardCreditRefusal>> {
    Ok(ledger::credit_gift_card(&billing, &req).await?)
}
