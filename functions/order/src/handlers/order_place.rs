//! `POST /api/orders` — "Оплатить заказ": the cart becomes an order awaiting payment (201); a
//! second press finds the order the first one placed (200).

use super::PlacedView;
use crate::{flow::placing, Placing};
use lambda_http::{http::StatusCode, Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::{json, Caller},
    ApiError,
};

pub async fn handle(placing: Arc<Placing>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let (order, placed_now) = placing::place(&placing, &caller.user_id).await?;
    let status = match placed_now {
        true => StatusCode::CREATED,
        false => StatusCode::OK,
    };
    Ok(json(status, &PlacedView::from(&order)))
}
