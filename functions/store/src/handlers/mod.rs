//! One file per function, named as its handler: each parses its request, calls the workflow
//! (`crate::flow` for stock, the store and the search index for reads) and maps the answer.

pub mod categories;
pub mod index_rebuild;
pub mod picking_case_get;
pub mod picking_case_move;
pub mod product_get;
pub mod product_snapshot;
pub mod search;
pub mod stock_events;
pub mod stock_hold;
pub mod stock_hold_lapse;
pub mod stock_release;
pub mod stock_reserve;
