//! `POST /api/orders/{id}/cancel`: the client cancels a paid order before its goods leave;
//! orchestra's saga undoes it. 202 with the order as it is now (200 when cancelled before).

use super::{order_id_in_path, PlacedView};
use crate::{flow::cancelling, Cancellations};
use lambda_http::{http::StatusCode, Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::{json, Caller},
    ApiError,
};

pub async fn handle(svc: Arc<Cancellations>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let order_id = order_id_in_path(&req)?;
    let (order, asked) = cancelling::cancel(&svc, &caller.user_id, &order_id).await?;
    let status = match asked {
        true => StatusCode::ACCEPTED,
        false => StatusCode::OK,
    };
    Ok(json(status, &PlacedView::from(&order)))
}
