//! Internal functions for payment (Lambda invoke, no route), contracts of
//! `vitrina_shared::contracts::billing`: `gift-card-activate` binds a card to a client by its
//! code; `gift-cards-of` lists a client's cards with their balances.

use crate::{
    domain::giftcard::{self, GiftCard as Card},
    Billing,
};
use std::sync::Arc;
use vitrina_shared::{
    contracts::{
        billing::{ActivateRefusal, ActivateRequest, CardsOfRequest, GiftCard, GiftCards},
        Failure, NoRefusal,
    },
    StoreError,
};

/// What a client may see of a card: never its code.
fn view(card: Card) -> GiftCard {
    GiftCard {
        card_id: card.card_id,
        last4: card.last4,
        amount: card.amount,
        balance: card.balance,
        activated_at: card.activated_at,
    }
}

pub async fn activate(
    billing: Arc<Billing>,
    req: ActivateRequest,
) -> Result<GiftCard, Failure<ActivateRefusal>> {
    let not_found = || ActivateRefusal::GiftCardNotFound("no gift card has this code".into());
    let code = giftcard::normalize(&req.code).ok_or_else(not_found)?;
    let now = chrono::Utc::now().to_rfc3339();
    match billing
        .store
        .activate_card(&giftcard::code_hash(&code), &req.user_id, &now)
        .await
    {
        Ok(card) => {
            tracing::info!(user_id = %req.user_id, card_id = %card.card_id, "gift card activated");
            Ok(view(card))
        }
        Err(StoreError::NotFound) => Err(not_found().into()),
        Err(StoreError::Conflict) => Err(ActivateRefusal::GiftCardTaken(
            "the gift card was activated by another client".into(),
        )
        .into()),
        Err(e) => Err(e.into()),
    }
}

pub async fn cards_of(
    billing: Arc<Billing>,
    req: CardsOfRequest,
) -> Result<GiftCards, Failure<NoRefusal>> {
    let cards = billing.store.cards_of(&req.user_id).await?;
    Ok(GiftCards {
        gift_cards: cards.into_iter().map(view).collect(),
    })
}
