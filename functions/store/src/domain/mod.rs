//! store's rules: what a product, a store and a stock line are, what makes a catalog row valid,
//! how availability and discounts are shown. No AWS, no HTTP.

pub mod catalog;
pub mod generator;
pub mod image;
pub mod index;
pub mod picking;

pub use catalog::*;
