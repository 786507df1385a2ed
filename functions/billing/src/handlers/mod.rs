pub mod user_registered;
pub mod wallet;
