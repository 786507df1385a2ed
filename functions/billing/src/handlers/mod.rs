pub mod giftcards;
pub mod user_registered;
pub mod wallet;
