//! `GET /api/cart`: the cart re-checked against the catalog now (an empty one when there is
//! none).

use crate::{flow::cart, Orders};
use lambda_http::{Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, Caller},
    ApiError,
};

pub async fn handle(orders: Arc<Orders>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    Ok(ok(&cart::current(&orders, &caller.user_id).await?))
}
