//! `GET /api/categories`: the catalog's sections with how many products each holds, from the
//! search index (the search handler's cache of it).

use super::search::current_index;
use crate::Storefront;
use lambda_http::{Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{http::ok, ApiError};

pub async fn handle(svc: Arc<Storefront>, _req: Request) -> Result<Response<Body>, ApiError> {
    let index = current_index(&svc).await?;
    Ok(ok(&Categories {
        categories: &index.categories,
    }))
}

/// The catalog's sections with how many products each holds.
#[derive(serde::Serialize)]
struct Categories<'a> {
    categories: &'a [crate::search::CategoryCount],
}
