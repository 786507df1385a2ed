//! notification's rules: which channels a client has (`account`) and what the letters and
//! texts say (`letters`), which devices web push takes and what a push says (`push`).

pub mod account;
pub mod letters;
pub mod preferences;
pub mod push;

pub use account::{Account, Channel, ChannelKind};
pub use letters::{
    gift_card_letter, order_status_letter, order_status_sms, payment_letter, welcome_letter, Letter,
};
