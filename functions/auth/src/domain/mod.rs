//! auth's business rules: what a valid registration is, how passwords and sessions are kept.
//! Plain Rust: no AWS, no HTTP.

pub mod password;
pub mod registration;
pub mod session;
pub mod sso;

pub use registration::{NewUser, Profile, ProfileUpdate, RegistrationError};
