pub mod payment_events;
pub mod user_registered;
