pub mod activate;
pub mod confirm_paid;
pub mod list;
pub mod of_order;
pub mod payments;
pub mod refund;
pub mod timer;

use vitrina_shared::{contracts::billing::GiftCard, money::format_rub};

/// A card as the client sees it: billing's view and its balance formatted in rubles.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CardView {
    #[serde(flatten)]
    pub card: GiftCard,
    pub formatted: String,
}

impl From<GiftCard> for CardView {
    fn from(card: GiftCard) -> Self {
        let formatted = format_rub(card.balance);
        Self { card, formatted }
    }
}
