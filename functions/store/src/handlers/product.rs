//! `GET /api/products/{id}`: the product page — description, image, price and discount, and
//! availability in each store with its address. Read live from the table, not the index.

use crate::{domain::Availability, StoreService};
use lambda_http::{Body, Request, RequestExt, Response};
use serde_json::json;
use std::sync::Arc;
use vitrina_shared::{http::ok, ApiError};

pub async fn handle(svc: Arc<StoreService>, req: Request) -> Result<Response<Body>, ApiError> {
    let id = req
        .path_parameters()
        .first("id")
        .unwrap_or_default()
        .to_string();
    if id.is_empty()
        || id.len() > 64
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(ApiError::not_found(
            "product_not_found",
            "Product not found",
        ));
    }
    let (product, stock) = svc
        .catalog
        .product(&id)
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(|| ApiError::not_found("product_not_found", "Product not found"))?;
    let stores = svc.catalog.stores().await.map_err(ApiError::internal)?;
    let availability: Vec<_> = stores
        .iter()
        .map(|s| {
            let quantity = stock.get(&s.id).copied().unwrap_or(0);
            json!({
                "storeId": s.id, "storeName": s.name, "address": s.address, "hours": s.hours,
                "pickup": s.pickup, "level": Availability::of(quantity),
            })
        })
        .collect();
    Ok(ok(&json!({
        "id": product.id,
        "name": product.name,
        "description": product.description,
        "category": product.category,
        "categorySlug": crate::domain::category_slug(&product.category),
        "brand": product.brand,
        "price": product.price,
        "oldPrice": product.old_price,
        "discountPercent": product.discount_percent(),
        "image": product.image_path(),
        "attributes": product.attributes,
        "availability": availability,
    })))
}
