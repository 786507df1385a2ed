//! `GET /api/products?q=&page=&category=`: a page of the search, with each card's availability
//! from the stock of now (`flow::catalog`).

use crate::{
    flow::{catalog, CatalogError},
    search::SearchPage,
    Storefront,
};
use lambda_http::{Body, Request, RequestExt, Response};
use std::sync::Arc;
use vitrina_shared::{http::ok, openapi::ErrorBody, ApiError};

#[utoipa::path(
    get,
    path = "/api/products",
    operation_id = "search",
    tag = "store",
    summary = "Поиск товаров",
    security(()),
    params(
        ("q" = Option<String>, Query, description = "The words to look for (at most 200 characters); none lists the category"),
        ("category" = Option<String>, Query, description = "A category's slug (`obuv`)"),
        ("page" = Option<u32>, Query, description = "From 1; 24 cards a page"),
    ),
    responses(
        (status = 200, description = "A page of cards, each with the stores' availability of now", body = SearchPage),
        (status = 400, body = ErrorBody, description = "`query_too_long`, `invalid_page`"),
        (status = 503, body = ErrorBody, description = "`index_not_ready` (no index built yet), `unavailable`"),
    )
)]
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
