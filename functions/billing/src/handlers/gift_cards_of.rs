//! `gift-cards-of` (internal, for payment): a client's cards with their balances.

use crate::Billing;
use std::sync::Arc;
use vitrina_shared::contracts::{
    billing::{CardsOfRequest, GiftCards},
    Failure, NoRefusal,
};

pub async fn handle(
    billing: Arc<Billing>,
    req: CardsOfRequest,
) -> Result<GiftCards, Failure<NoRefusal>> {
    let cards = billing.store.cards_of(&req.user_id).await?;
    Ok(GiftCards {
        gift_cards: cards.into_iter().map(super::card_view).collect(),
    })
}
