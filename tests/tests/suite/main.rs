//! The integration suite: one test binary, one module per area of the shop. One binary links
//! the local runtime and every service once (twenty binaries linked them twenty times), and its
//! tests share four threads across areas, so a long file no longer holds the others back.
//!
//! `make test` runs it against its own stack (`cargo test -p vitrina-tests --test suite`); the
//! three `#[ignore]`d modules run after the suite, each on its own: `least_privilege::` and
//! `audit::` over the traffic the suite made, `load::` on a stack of its own (`make load`).

mod api_document;
mod audit;
mod auth_contract;
mod bank;
mod cart;
mod catalog;
mod checkout;
mod contacts;
mod gift_cards;
mod least_privilege;
mod load;
mod openid_provider;
mod orders;
mod ownership;
mod payments;
mod platform;
mod preferences;
mod provisioning;
mod purchases;
mod push;
mod refunds;
mod registry;
mod saga;
mod security;
mod sso;
mod wallet;
