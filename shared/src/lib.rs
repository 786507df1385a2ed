//! `vitrina-shared`: what every vitrina service needs and no service owns.
//!
//! Services depend on this crate; this crate depends on no service.

pub mod aws;
pub mod cli;
pub mod config;
pub mod contracts;
pub mod email;
pub mod envelope;
pub mod error;
pub mod http;
pub mod keys;
pub mod money;
pub mod openapi;
pub mod runtime;
pub mod secrets;
pub mod sqs;
pub mod stream;
pub mod table;
pub mod telemetry;
pub mod timer;

pub use config::Config;
pub use error::{ApiError, ConsumeError, StoreError, Unavailable};
