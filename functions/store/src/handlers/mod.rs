pub mod picking;
pub mod product;
pub mod rebuild;
pub mod search;
pub mod snapshot;
pub mod stock;
pub mod stock_events;
