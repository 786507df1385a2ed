//! `PUT /api/cart/delivery` {method: "pickup", pickupPointId} | {method: "courier", quoteId,
//! slotId (the own courier's window)}: delivery settles the choice (and its cost) for this
//! order; the cart keeps it.

use crate::{
    delivery::{ChosenDelivery, DeliveryForm},
    domain::cart::CartView,
    flow::cart,
    Checkout,
};
use lambda_http::{Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, parse_json, Caller},
    openapi::{BodyRefused, ErrorBody, Guarded},
    ApiError,
};

#[utoipa::path(
    put,
    path = "/api/cart/delivery",
    operation_id = "cart-delivery-put",
    tag = "order",
    summary = "Выбрать доставку",
    security(("sessionId" = [])),
    request_body = ChosenDelivery,
    responses(
        (status = 200, description = "The cart with the delivery settled and its cost in the total", body = CartView),
        (status = 400, body = ErrorBody, description = "`invalid_delivery` (not pickup or courier, no such pickup point or window, a field missing); `body_required`, `invalid_json`"),
        (status = 404, body = ErrorBody, description = "`not_in_cart`: there is no cart"),
        (status = 409, body = ErrorBody, description = "`cart_empty`, `quote_not_found`, `quote_expired`, `slot_taken`, `courier_refused`, `cart_busy` (changed at the same moment: send it again)"),
        (status = 503, body = ErrorBody, description = "`courier_unavailable` (the courier company's API did not answer), `unavailable`"),
        BodyRefused, Guarded,
    )
)]
pub async fn handle(checkout: Arc<Checkout>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let form = DeliveryForm::parse(&parse_json(&req)?)?;
    let view =
        cart::choose_delivery(&checkout.order, &checkout.delivery, &caller.user_id, &form).await?;
    Ok(ok(&view))
}
