//! `GET /api/delivery/options`: the pickup points and the courier companies.

use crate::{
    domain::{Courier, PickupPoint, COURIERS, PICKUP_POINTS},
    Delivery,
};
use lambda_http::{Body, Request, Response};
use serde::Serialize;
use std::sync::Arc;
use vitrina_shared::{http::ok, openapi::Guarded, ApiError};

#[utoipa::path(
    get,
    path = "/api/delivery/options",
    operation_id = "options",
    tag = "delivery",
    summary = "Способы доставки: пункты выдачи и курьерские службы",
    security(("sessionId" = [])),
    responses(
        (status = 200, description = "The shop's pickup points and the courier companies", body = Options),
        Guarded,
    )
)]
pub async fn handle(_: Arc<Delivery>, _req: Request) -> Result<Response<Body>, ApiError> {
    Ok(ok(&Options {
        pickup_points: PICKUP_POINTS,
        couriers: COURIERS,
    }))
}

/// Where an order can go: the shop's pickup points and the courier companies.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct Options {
    pickup_points: &'static [PickupPoint],
    couriers: &'static [Courier],
}
