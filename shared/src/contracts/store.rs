//! store's `product-snapshot`: what other services (order) may know of products now.

use super::Contract;
use serde::{Deserialize, Serialize};

/// At most this many products in one request (one BatchGetItem).
pub const MAX_PRODUCTS: usize = 100;

/// Current name, description, price, discount and whether any store has stock; unknown ids
/// are left out of the answer.
pub struct SnapshotProducts;

impl Contract for SnapshotProducts {
    const HANDLER: &'static str = "product-snapshot";
    type Request = SnapshotRequest;
    type Response = Snapshots;
    type Refusal = SnapshotRefusal;
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotRequest {
    pub product_ids: Vec<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Snapshots {
    pub products: Vec<ProductSnapshot>,
}

/// One product as store shows it now.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ProductSnapshot {
    pub id: String,
    pub name: String,
    pub description: String,
    /// Kopecks.
    pub price: i64,
    /// The price before the discount, kopecks; present only when discounted.
    #[serde(default)]
    pub old_price: Option<i64>,
    #[serde(default)]
    pub discount_percent: Option<i64>,
    /// Some store has it in stock.
    pub available: bool,
}

crate::refusals! {
    pub enum SnapshotRefusal {
        /// More than `MAX_PRODUCTS` ids in one request.
        TooManyProducts,
    }
}
