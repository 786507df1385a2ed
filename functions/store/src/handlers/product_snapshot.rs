//! `product-snapshot` (contract `vitrina_shared::contracts::store::SnapshotProducts`): current
//! name, description, price, discount and whether any store has stock, for up to 100 products.
//! Invoked directly (Lambda Invoke), never over HTTP. Unknown ids are left out. One BatchGetItem:
//! stock sits on the product's item.

use crate::{domain::Product, store::available_anywhere, Storefront};
use std::sync::Arc;
use vitrina_shared::contracts::{
    store::{ProductSnapshot, SnapshotRefusal, SnapshotRequest, Snapshots, MAX_PRODUCTS},
    Failure,
};

pub async fn handle(
    svc: Arc<Storefront>,
    req: SnapshotRequest,
) -> Result<Snapshots, Failure<SnapshotRefusal>> {
    if req.product_ids.len() > MAX_PRODUCTS {
        return Err(SnapshotRefusal::TooManyProducts(format!(
            "at most {MAX_PRODUCTS} products at once"
        ))
        .into());
    }
    let products = svc
        .catalog
        .products(&req.product_ids)
        .await
        .map_err(Failure::unavailable)?
        .iter()
        .map(|(p, stock)| snapshot(p, available_anywhere(stock)))
        .collect();
    Ok(Snapshots { products })
}

fn snapshot(p: &Product, available: bool) -> ProductSnapshot {
    ProductSnapshot {
        id: p.id.clone(),
        name: p.name.clone(),
        description: p.description.clone(),
        price: p.price,
        old_price: p.old_price,
        discount_percent: p.discount_percent(),
        available,
    }
}
