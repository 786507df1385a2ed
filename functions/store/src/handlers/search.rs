//! `GET /api/products?q=&page=&category=`: a page of the search, with each card's availability
//! from the stock of now (`flow::catalog`).

use crate::{
    flow::{catalog, CatalogError},
    Storefront,
};
use lambda_http::{Body, Request, RequestExt, Response};
use std::sync::Arc;
use vitrina_shared::{http::ok, ApiError};

pub async fn handle(svc: Arc<Storefront>, req: Request) -> Result<Response<Body>, ApiError> {
    let params = req.query_string_parameters();
    let q = params.first("q").unwrap_or_default().trim().to_string();
    let category = params.first("category").map(str::to_string);
    let page = match params.first("page") {
        None | Some("") => 1,
        Some(p) => p
            .parse::<usize>()
            .map_err(|_| CatalogError::BadPage("page must be a positive number".into()))?,
    };
    let result = catalog::search(&svc, &q, category.as_deref(), page).await?;
    Ok(ok(&result))
}
