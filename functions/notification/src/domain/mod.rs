//! notification's rules: which channels a client has (`account`) and chose (`preferences`),
//! which devices web push takes (`push`), and what every message says by every channel
//! (`templates`), and the one-click unsubscribe's signed token (`unsubscribe`).

pub mod account;
pub mod preferences;
pub mod push;
pub mod templates;
pub mod unsubscribe;

pub use account::{Account, Channel, ChannelKind};
pub use templates::{Letter, Push, Urgency};
