//! `GET /api/products/{id}`: the product page — description, image, price and discount, and
//! availability in each store with its address. Read live from the table, not the index.

use crate::{domain::Availability, Storefront};
use lambda_http::{Body, Request, RequestExt, Response};
use serde::Serialize;
use std::{collections::BTreeMap, sync::Arc};
use vitrina_shared::{
    http::ok,
    openapi::{ErrorBody, Unavailable},
    ApiError,
};

#[utoipa::path(
    get,
    path = "/api/products/{id}",
    operation_id = "product-get",
    tag = "store",
    summary = "Карточка товара",
    security(()),
    params(("id" = String, Path, description = "The product's id (`p-000123`)")),
    responses(
        (status = 200, description = "The product page: description, image, price and discount, each store's availability in words", body = ProductPage),
        (status = 404, body = ErrorBody, description = "`product_not_found`"),
        Unavailable,
    )
)]
pub async fn handle(svc: Arc<Storefront>, req: Request) -> Result<Response<Body>, ApiError> {
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
        .await?
        .ok_or_else(|| ApiError::not_found("product_not_found", "Product not found"))?;
    let stores = svc.catalog.stores().await?;
    let availability = stores
        .into_iter()
        .map(|s| {
            let quantity = stock.get(&s.id).copied().unwrap_or(0);
            StoreWithStock {
                store_id: s.id,
                store_name: s.name,
                address: s.address,
                hours: s.hours,
                pickup: s.pickup,
                level: Availability::of(quantity),
            }
        })
        .collect();
    Ok(ok(&ProductPage {
        category_slug: crate::domain::category_slug(&product.category),
        discount_percent: product.discount_percent(),
        image: product.image_path(),
        id: product.id,
        name: product.name,
        description: product.description,
        category: product.category,
        brand: product.brand,
        price: product.price,
        old_price: product.old_price,
        attributes: product.attributes,
        availability,
    }))
}

/// The product page's data.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct ProductPage {
    id: String,
    name: String,
    description: String,
    category: String,
    category_slug: String,
    brand: String,
    /// Kopecks.
    price: i64,
    old_price: Option<i64>,
    discount_percent: Option<i64>,
    image: String,
    attributes: BTreeMap<String, String>,
    availability: Vec<StoreWithStock>,
}

/// How much of the product a store has, in words (never the count).
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct StoreWithStock {
    store_id: String,
    store_name: String,
    address: String,
    hours: String,
    pickup: bool,
    level: Availability,
}
