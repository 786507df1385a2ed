//! "Купить подарочную карту" and "Пополнить баланс кошелька": a purchase form becomes an order
//! to pay through "Оплата заказа" like any other; billing delivers what it bought once payment
//! succeeds. The client's `Idempotency-Key` names the order: the same form sent twice is the
//! same order.

use super::{now, OrderError};
use crate::{
    domain::{placed::PlacedOrder, purchase::Invalid},
    Orders,
};
use sha2::Digest;

/// The order's id: from the client's `Idempotency-Key` when it sends one, else fresh.
pub fn order_id(user_id: &str, idempotency_key: Option<&str>) -> String {
    let Some(key) = idempotency_key else {
        return uuid::Uuid::now_v7().to_string();
    };
    let digest = sha2::Sha256::digest(format!("purchase:{user_id}:{key}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes)
        .into_uuid()
        .to_string()
}

/// The form's order, placed once: the same key and form answer the first order; the same key
/// with another form is a misuse.
pub async fn place<F>(
    orders: &Orders,
    user_id: &str,
    order_id: &str,
    form: &F,
    order: impl Fn(&F, &str, &str, &str) -> Result<PlacedOrder, Invalid>,
) -> Result<PlacedOrder, OrderError> {
    let order = order(form, order_id, user_id, &now())?;
    if orders.store.put_placed(&order).await? {
        tracing::info!(user_id = %order.user_id, order_id = %order.order_id, kind = ?order.kind, total = order.total, "order placed");
        return Ok(order);
    }
    let first = orders
        .store
        .placed(&order.order_id)
        .await?
        .filter(|o| o.user_id == order.user_id)
        .ok_or_else(|| OrderError::Inconsistent("an order id taken by another client".into()))?;
    let same = first.kind == order.kind
        && first.total == order.total
        && first.gift_card == order.gift_card;
    match same {
        true => Ok(first),
        false => Err(OrderError::IdempotencyKeyReused),
    }
}
