//! `POST /api/gift-card-orders` ("Купить подарочную карту": the form's «Оплатить») and
//! `POST /api/top-up-orders` ("Пополнить баланс кошелька"): an order to pay through "Оплата
//! заказа" like any other; billing delivers what it bought once payment succeeds. 201 with the
//! order; 400 naming the field that is wrong.

use crate::{
    domain::{
        placed::PlacedOrder,
        purchase::{GiftCardForm, Invalid, TopUpForm},
    },
    OrderService,
};
use lambda_http::{http::StatusCode, Body, Request, Response};
use serde_json::json;
use std::sync::Arc;
use vitrina_shared::{
    http::{json as respond, parse_json, Caller},
    ApiError,
};

fn refused(e: Invalid) -> ApiError {
    ApiError::bad_request(e.code, e.message).with_details(json!({ "field": e.field }))
}

async fn place(svc: &OrderService, order: PlacedOrder) -> Result<Response<Body>, ApiError> {
    if !svc.store.put_placed(&order).await? {
        return Err(ApiError::internal(format!(
            "order id {} taken: a fresh UUID collided",
            order.order_id
        )));
    }
    tracing::info!(user_id = %order.user_id, order_id = %order.order_id, kind = ?order.kind, total = order.total, "order placed");
    Ok(respond(StatusCode::CREATED, &super::placed::view(&order)))
}

/// A purchase form's order for the caller: 201, or 400 naming the field.
async fn from_form<F: serde::de::DeserializeOwned>(
    svc: &OrderService,
    req: &Request,
    order: impl Fn(&F, &str, &str, &str) -> Result<PlacedOrder, Invalid>,
) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(req)?;
    let form: F = parse_json(req)?;
    let at = chrono::Utc::now().to_rfc3339();
    let placed = order(
        &form,
        &uuid::Uuid::now_v7().to_string(),
        &caller.user_id,
        &at,
    )
    .map_err(refused)?;
    place(svc, placed).await
}

pub async fn gift_card(svc: Arc<OrderService>, req: Request) -> Result<Response<Body>, ApiError> {
    from_form(&svc, &req, GiftCardForm::order).await
}

pub async fn top_up(svc: Arc<OrderService>, req: Request) -> Result<Response<Body>, ApiError> {
    from_form(&svc, &req, TopUpForm::order).await
}
