//! The cart: `POST /api/cart/items` (creates the draft order with its first line, or adds to
//! it), `GET /api/cart`, `PATCH` / `DELETE /api/cart/items/{productId}`. The user comes from the
//! authorizer only. Every write is conditional on the version read, retried on a lost race, so
//! two tabs adding at once both land.

use super::respond_with;
use crate::{
    delivery::choose_request,
    domain::{
        cart::{priced, CartView},
        check_quantity, CartError, Order,
    },
    Checkout, OrderService,
};
use lambda_http::{http::StatusCode, Body, Request, RequestExt, Response};
use serde::Deserialize;
use std::sync::Arc;
use vitrina_shared::{
    contracts::{delivery::ChooseRefusal, CallError},
    http::{ok, parse_json, Caller},
    ApiError, StoreError,
};

/// Writes one cart may lose in a row before the client is told to try again: enough for a
/// burst of adds from many tabs, each retry after a jittered pause.
const ATTEMPTS: u32 = 12;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AddItem {
    product_id: Option<String>,
    quantity: Option<i64>,
}

#[derive(Deserialize)]
struct SetQuantity {
    quantity: Option<i64>,
}

fn cart_error(e: CartError) -> ApiError {
    let status = match e {
        CartError::NotInCart => StatusCode::NOT_FOUND,
        CartError::TooManyLines | CartError::QuantityTooHigh | CartError::Unavailable => {
            StatusCode::CONFLICT
        }
        CartError::BadQuantity => StatusCode::BAD_REQUEST,
    };
    ApiError::new(status, e.code(), e.message())
}

fn valid_product_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Reads the draft, applies `change`, writes it back conditionally; on a lost race, again.
async fn update_cart<F>(
    svc: &OrderService,
    user_id: &str,
    create: bool,
    change: F,
) -> Result<Order, ApiError>
where
    F: Fn(&mut Order) -> Result<(), CartError>,
{
    for attempt in 0..ATTEMPTS {
        if attempt > 0 {
            vitrina_shared::table::backoff(attempt).await;
        }
        let existing = svc.store.draft(user_id).await?;
        let now = chrono::Utc::now().to_rfc3339();
        let read_version = existing.as_ref().map(|o| o.version);
        let mut order = match existing {
            Some(o) => o,
            None if create => Order::new_draft(&uuid::Uuid::now_v7().to_string(), user_id, &now),
            None => return Err(cart_error(CartError::NotInCart)),
        };
        change(&mut order).map_err(cart_error)?;
        order.version += 1;
        order.updated_at = now;
        match svc.store.save_draft(&order, read_version).await {
            Ok(()) => return Ok(order),
            Err(StoreError::Conflict) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::conflict(
        "cart_busy",
        "The cart is being changed elsewhere, try again",
    ))
}

pub async fn add(svc: Arc<OrderService>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let body: AddItem = parse_json(&req)?;
    let product_id = body
        .product_id
        .filter(|id| valid_product_id(id))
        .ok_or_else(|| ApiError::bad_request("invalid_product", "productId must name a product"))?;
    let quantity = check_quantity(body.quantity.unwrap_or(1)).map_err(cart_error)?;
    let snapshot = svc
        .catalog
        .snapshot(std::slice::from_ref(&product_id))
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| ApiError::not_found("product_not_found", "Product not found"))?;
    let order = update_cart(&svc, &caller.user_id, true, |o| o.add(&snapshot, quantity)).await?;
    tracing::info!(user_id = %caller.user_id, order_id = %order.order_id, product_id, quantity, "added to cart");
    // The answer is the whole cart re-checked, as `GET /api/cart` shows it: the snapshot taken
    // for the add covers a cart of one line; a longer cart is re-checked in one more call.
    let mut resp = if order.lines.len() == 1 {
        ok(&priced(&order, std::slice::from_ref(&snapshot)))
    } else {
        respond_with(&svc, &order).await?
    };
    if order.version == 1 {
        *resp.status_mut() = StatusCode::CREATED;
    }
    Ok(resp)
}

pub async fn get(svc: Arc<OrderService>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    match svc.store.draft(&caller.user_id).await? {
        Some(order) => respond_with(&svc, &order).await,
        None => Ok(ok(&CartView::empty())),
    }
}

fn path_product(req: &Request) -> Result<String, ApiError> {
    req.path_parameters()
        .first("productId")
        .filter(|id| valid_product_id(id))
        .map(str::to_string)
        .ok_or_else(|| cart_error(CartError::NotInCart))
}

pub async fn patch(svc: Arc<OrderService>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let product_id = path_product(&req)?;
    let body: SetQuantity = parse_json(&req)?;
    let quantity = body
        .quantity
        .ok_or(CartError::BadQuantity)
        .and_then(check_quantity)
        .map_err(cart_error)?;
    let order = update_cart(&svc, &caller.user_id, false, |o| {
        o.set_quantity(&product_id, quantity)
    })
    .await?;
    respond_with(&svc, &order).await
}

pub async fn delete(svc: Arc<OrderService>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let product_id = path_product(&req)?;
    let order = update_cart(&svc, &caller.user_id, false, |o| o.remove(&product_id)).await?;
    respond_with(&svc, &order).await
}

/// `PUT /api/cart/delivery` {method: "pickup", pickupPointId} | {method: "courier", quoteId,
/// slotId (the own courier's window)}:
/// delivery settles the choice (and its cost) for this order; the cart keeps it.
pub async fn set_delivery(
    checkout: Arc<Checkout>,
    req: Request,
) -> Result<Response<Body>, ApiError> {
    let svc = &checkout.order;
    let caller = Caller::from_request(&req)?;
    let body: serde_json::Value = parse_json(&req)?;
    let draft = svc
        .store
        .draft(&caller.user_id)
        .await?
        .filter(|o| !o.lines.is_empty())
        .ok_or_else(|| ApiError::new(StatusCode::CONFLICT, "cart_empty", "The cart is empty"))?;
    let request = choose_request(&caller.user_id, &draft.order_id, &body)?;
    let choice = checkout
        .delivery
        .call(&request)
        .await
        .map_err(|e| match e {
            CallError::Refused(refusal) => {
                let (status, code) = match &refusal {
                    ChooseRefusal::InvalidChoice(_) => {
                        (StatusCode::BAD_REQUEST, "invalid_delivery")
                    }
                    ChooseRefusal::QuoteNotFound(_) => (StatusCode::CONFLICT, "quote_not_found"),
                    ChooseRefusal::QuoteExpired(_) => (StatusCode::CONFLICT, "quote_expired"),
                    ChooseRefusal::SlotTaken(_) => (StatusCode::CONFLICT, "slot_taken"),
                    ChooseRefusal::CourierRefused(_) => (StatusCode::CONFLICT, "courier_refused"),
                    ChooseRefusal::CourierUnavailable(_) => {
                        (StatusCode::SERVICE_UNAVAILABLE, "courier_unavailable")
                    }
                };
                ApiError::new(status, code, refusal.to_string())
            }
            CallError::Unavailable(e) => ApiError::unavailable(e),
        })?;
    let order_id = draft.order_id.clone();
    let order = update_cart(svc, &caller.user_id, false, |o| {
        // The cart was replaced meanwhile (ordered elsewhere): this choice was for another one.
        if o.order_id != order_id {
            return Err(CartError::NotInCart);
        }
        o.delivery = Some(choice.clone());
        Ok(())
    })
    .await?;
    respond_with(svc, &order).await
}
