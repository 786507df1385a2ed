//! `POST /api/orders/{id}/cancel`: the client cancels a paid order before its goods leave;
//! orchestra's saga undoes it. 202 with the order as it is now (200 when cancelled before).

use super::{order_id_in_path, PlacedView};
use crate::{flow::cancelling, Cancellations};
use lambda_http::{http::StatusCode, Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::{json, Caller},
    openapi::{ErrorBody, Guarded, Unavailable},
    ApiError,
};

#[utoipa::path(
    post,
    path = "/api/orders/{id}/cancel",
    operation_id = "order-cancel",
    tag = "order",
    summary = "Отменить заказ",
    security(("sessionId" = [])),
    params(("id" = String, Path, description = "The order's id (a UUID)")),
    responses(
        (status = 200, description = "Cancelled before: the order as it is", body = PlacedView),
        (status = 202, description = "Asked: the saga gives the money back and the units back on the shelves", body = PlacedView),
        (status = 404, body = ErrorBody, description = "`order_not_found`"),
        (status = 409, body = ErrorBody, description = "`order_not_cancellable` (its goods have left, or it is not paid), `payment_in_progress`"),
        Guarded, Unavailable,
    )
)]
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
