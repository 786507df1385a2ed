pub mod user_registered;
