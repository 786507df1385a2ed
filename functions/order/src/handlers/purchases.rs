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
use sha2::Digest;
use std::sync::Arc;
use vitrina_shared::{
    http::{json as respond, parse_json, Caller},
    ApiError,
};

fn refused(e: Invalid) -> ApiError {
    ApiError::bad_request(e.code, e.message).with_details(json!({ "field": e.field }))
}

/// The order's id: from the client's `Idempotency-Key` when it sends one (the same form sent
/// twice — a double click, a retry after a lost answer — is the same order), else fresh.
fn order_id(user_id: &str, req: &Request) -> Result<String, ApiError> {
    let Some(key) = req.headers().get("idempotency-key") else {
        return Ok(uuid::Uuid::now_v7().to_string());
    };
    let key = key
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|k| (8..=64).contains(&k.len()))
        .ok_or_else(|| {
            ApiError::bad_request(
                "invalid_idempotency_key",
                "The Idempotency-Key header is 8 to 64 characters",
            )
        })?;
    let digest = sha2::Sha256::digest(format!("purchase:{user_id}:{key}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    Ok(uuid::Builder::from_custom_bytes(bytes)
        .into_uuid()
        .to_string())
}

async fn place(svc: &OrderService, order: PlacedOrder) -> Result<Response<Body>, ApiError> {
    if !svc.store.put_placed(&order).await? {
        // This key placed an order before: the same form answers it; another is a misuse.
        let first = svc
            .store
            .placed(&order.order_id)
            .await?
            .filter(|o| o.user_id == order.user_id)
            .ok_or_else(|| ApiError::internal("an order id taken by another client"))?;
        let same = first.kind == order.kind
            && first.total == order.total
            && first.gift_card == order.gift_card;
        if !same {
            return Err(ApiError::conflict(
                "idempotency_key_reused",
                "This Idempotency-Key was used for another order",
            ));
        }
        return Ok(respond(
            StatusCode::CREATED,
            &super::PlacedView::from(&first),
        ));
    }
    tracing::info!(user_id = %order.user_id, order_id = %order.order_id, kind = ?order.kind, total = order.total, "order placed");
    Ok(respond(
        StatusCode::CREATED,
        &super::PlacedView::from(&order),
    ))
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
        &order_id(&caller.user_id, req)?,
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
