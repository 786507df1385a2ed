//! `PUT /api/cart/delivery` {method: "pickup", pickupPointId} | {method: "courier", quoteId,
//! slotId (the own courier's window)}: delivery settles the choice (and its cost) for this
//! order; the cart keeps it.

use crate::{delivery::DeliveryForm, flow::cart, Checkout};
use lambda_http::{Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, parse_json, Caller},
    ApiError,
};

pub async fn handle(checkout: Arc<Checkout>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let form = DeliveryForm::parse(&parse_json(&req)?)?;
    let view =
        cart::choose_delivery(&checkout.order, &checkout.delivery, &caller.user_id, &form).await?;
    Ok(ok(&view))
}
