//! `product-snapshot` — store's internal function for other services (order, today): current
//! name, description, price, discount and whether any store has stock, for up to 100 products.
//! Invoked directly (Lambda Invoke), never over HTTP. Unknown ids are left out. One BatchGetItem:
//! stock sits on the product's item.

use crate::{domain::Product, store::available_anywhere, StoreService};
use lambda_runtime::Diagnostic;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;
use vitrina_shared::runtime::error;

pub const MAX_PRODUCTS: usize = 100;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotRequest {
    pub product_ids: Vec<String>,
}

pub async fn handle(svc: Arc<StoreService>, req: SnapshotRequest) -> Result<Value, Diagnostic> {
    if req.product_ids.len() > MAX_PRODUCTS {
        return Err(error(
            "TooManyProducts",
            format!("at most {MAX_PRODUCTS} products at once"),
        ));
    }
    let products: Vec<Value> = svc
        .catalog
        .products(&req.product_ids)
        .await
        .map_err(|e| error("CatalogUnavailable", e))?
        .iter()
        .map(|(p, stock)| snapshot(p, available_anywhere(stock)))
        .collect();
    Ok(json!({ "products": products }))
}

fn snapshot(p: &Product, available: bool) -> Value {
    json!({
        "id": p.id, "name": p.name, "description": p.description, "price": p.price,
        "oldPrice": p.old_price, "discountPercent": p.discount_percent(), "available": available,
    })
}
