//! `gift-card-activate` (internal, for payment): binds a card to a client by its code.

use crate::{flow::gift_cards, Billing};
use std::sync::Arc;
use vitrina_shared::contracts::{
    billing::{ActivateRefusal, ActivateRequest, GiftCard},
    Failure,
};

pub async fn handle(
    billing: Arc<Billing>,
    req: ActivateRequest,
) -> Result<GiftCard, Failure<ActivateRefusal>> {
    let card = gift_cards::activate(&billing, &req.user_id, &req.code).await?;
    Ok(super::card_view(card))
}
