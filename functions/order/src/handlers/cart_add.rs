//! `POST /api/cart/items`: a product into the cart (201 when this made the cart). The answer
//! is the whole cart re-checked, as `GET /api/cart` shows it.

use crate::{flow::cart, Orders};
use lambda_http::{http::StatusCode, Body, Request, Response};
use serde::Deserialize;
use std::sync::Arc;
use vitrina_shared::{
    http::{json, parse_json, Caller},
    ApiError,
};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AddItem {
    product_id: Option<String>,
    quantity: Option<i64>,
}

pub async fn handle(orders: Arc<Orders>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let body: AddItem = parse_json(&req)?;
    let quantity = body.quantity.unwrap_or(1);
    let (view, created) = cart::add(
        &orders,
        &caller.user_id,
        body.product_id.as_deref(),
        quantity,
    )
    .await?;
    let status = match created {
        true => StatusCode::CREATED,
        false => StatusCode::OK,
    };
    Ok(json(status, &view))
}
