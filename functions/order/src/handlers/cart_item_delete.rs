//! `DELETE /api/cart/items/{productId}`: a line out of the cart (the web client asks the
//! client to confirm first).

use super::product_in_path;
use crate::{flow::cart, Orders};
use lambda_http::{Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, Caller},
    ApiError,
};

pub async fn handle(orders: Arc<Orders>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let product_id = product_in_path(&req)?;
    let order = cart::update(&orders, &caller.user_id, false, |o| o.remove(&product_id)).await?;
    Ok(ok(&cart::view(&orders, &order).await?))
}
