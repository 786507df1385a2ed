//! billing's gift cards, for payment: `gift-card-activate` binds a card to a client by its
//! code; `gift-cards-of` lists a client's cards with their balances. A card's code is never in
//! an answer.

use super::{Contract, NoRefusal};
use serde::{Deserialize, Serialize};

pub struct ActivateGiftCard;

impl Contract for ActivateGiftCard {
    const HANDLER: &'static str = "gift-card-activate";
    type Request = ActivateRequest;
    type Response = GiftCard;
    type Refusal = ActivateRefusal;
}

pub struct GiftCardsOf;

impl Contract for GiftCardsOf {
    const HANDLER: &'static str = "gift-cards-of";
    type Request = CardsOfRequest;
    type Response = GiftCards;
    type Refusal = NoRefusal;
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ActivateRequest {
    pub user_id: String,
    /// As the client typed it: billing normalises case, blanks and dashes.
    pub code: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CardsOfRequest {
    pub user_id: String,
}

/// What a client may see of a card.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct GiftCard {
    pub card_id: String,
    pub last4: String,
    /// Kopecks, as issued.
    pub amount: i64,
    /// Kopecks left.
    pub balance: i64,
    pub activated_at: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct GiftCards {
    pub gift_cards: Vec<GiftCard>,
}

crate::refusals! {
    pub enum ActivateRefusal {
        /// No card has this code (or it cannot be a code).
        GiftCardNotFound,
        /// Another client activated the card.
        GiftCardTaken,
    }
}
