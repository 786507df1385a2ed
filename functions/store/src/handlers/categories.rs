//! `GET /api/categories`: the catalog's sections with how many products each holds, from the
//! search index (`flow::catalog`'s cache of it).

use crate::{flow::catalog::current_index, Storefront};
use lambda_http::{Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{http::ok, openapi::ErrorBody, ApiError};

#[utoipa::path(
    get,
    path = "/api/categories",
    operation_id = "categories",
    tag = "store",
    summary = "Разделы каталога",
    security(()),
    responses(
        (status = 200, description = "The catalog's sections with how many products each holds", body = Categories),
        (status = 503, body = ErrorBody, description = "`index_not_ready`, `unavailable`"),
    )
)]
pub async fn handle(svc: Arc<Storefront>, _req: Request) -> Result<Response<Body>, ApiError> {
    let index = current_index(&svc).await?;
    Ok(ok(&Categories {
        categories: &index.categories,
    }))
}

/// The catalog's sections with how many products each holds.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct Categories<'a> {
    categories: &'a [crate::search::CategoryCount],
}
