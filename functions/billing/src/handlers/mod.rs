pub mod giftcards;
pub mod ledger;
pub mod user_registered;
pub mod wallet;
