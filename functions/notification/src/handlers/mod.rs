pub mod gift_card_events;
pub mod order_events;
pub mod payment_events;
pub mod push_devices;
pub mod push_subscribe;
pub mod push_unsubscribe;
pub mod user_registered;
pub mod user_updated;
