pub mod giftcards;
pub mod ledger;
pub mod payment_events;
pub mod user_registered;
pub mod wallet;
