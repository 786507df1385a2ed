//! What payment asks billing about gift cards, through billing's functions (contracts
//! `ActivateGiftCard`, `GiftCardsOf`): billing owns the cards and their balances.

use vitrina_shared::contracts::{
    billing::{ActivateGiftCard, GiftCardsOf},
    Remote,
};

#[derive(Clone, Debug)]
pub struct BillingGiftCards {
    pub activate: Remote<ActivateGiftCard>,
    pub cards_of: Remote<GiftCardsOf>,
}
