//! `GET /api/delivery/options`: the pickup points and the courier companies.

use crate::{
    domain::{COURIERS, PICKUP_POINTS},
    Delivery,
};
use lambda_http::{Body, Request, Response};
use serde_json::json;
use std::sync::Arc;
use vitrina_shared::{http::ok, ApiError};

pub async fn handle(_: Arc<Delivery>, _req: Request) -> Result<Response<Body>, ApiError> {
    Ok(ok(&json!({
        "pickupPoints": PICKUP_POINTS,
        "couriers": COURIERS,
    })))
}
