//! `GET /api/categories`: the catalog's sections with how many products each holds, from the
//! search index (`flow::catalog`'s cache of it).

use crate::{flow::catalog::current_index, Storefront};
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
