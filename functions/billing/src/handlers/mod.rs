pub mod gift_card_activate;
pub mod gift_card_credit;
pub mod gift_card_debit;
pub mod gift_cards_of;
pub mod payment_events;
pub mod user_registered;
pub mod wallet_credit;
pub mod wallet_debit;
pub mod wallet_get;
pub mod wallet_history;

use crate::domain::giftcard::GiftCard as Card;
use vitrina_shared::contracts::billing::GiftCard;

/// What a client may see of a card: never its code.
fn card_view(card: Card) -> GiftCard {
    GiftCard {
        card_id: card.card_id,
        last4: card.last4,
        amount: card.amount,
        balance: card.balance,
        activated_at: card.activated_at,
    }
}
