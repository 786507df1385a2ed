//! The cart: the client's order in status `draft`. Every write is conditional on the version
//! read and retried on a lost race, so two tabs adding at once both land; every answer is the
//! cart re-checked against the catalog now.

use super::{now, OrderError};
use crate::{
    delivery::{DeliveryForm, DeliveryService},
    domain::{
        cart::{priced, CartView},
        check_quantity, CartError, Order,
    },
    Orders,
};
use vitrina_shared::{contracts::CallError, StoreError};

/// Writes one cart may lose in a row before the client is told to try again: enough for a
/// burst of adds from many tabs, each retry after a jittered pause.
const ATTEMPTS: u32 = 12;

/// Product ids are the catalog's: short, of letters, digits, `-` and `_`. Anything else names
/// no product (and never reaches a key).
pub fn valid_product_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Reads the draft, applies `change`, writes it back conditionally; on a lost race, again.
/// `create`: a client without a cart gets a new one.
pub async fn update<F>(
    orders: &Orders,
    user_id: &str,
    create: bool,
    change: F,
) -> Result<Order, OrderError>
where
    F: Fn(&mut Order) -> Result<(), CartError>,
{
    for attempt in 0..ATTEMPTS {
        if attempt > 0 {
            vitrina_shared::table::backoff(attempt).await;
        }
        let existing = orders.store.draft(user_id).await?;
        let now = now();
        let read_version = existing.as_ref().map(|o| o.version);
        let mut order = match existing {
            Some(o) => o,
            None if create => Order::new_draft(&uuid::Uuid::now_v7().to_string(), user_id, &now),
            None => return Err(CartError::NotInCart.into()),
        };
        change(&mut order)?;
        order.version += 1;
        order.updated_at = now;
        match orders.store.save_draft(&order, read_version).await {
            Ok(()) => return Ok(order),
            Err(StoreError::Conflict) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(OrderError::CartBusy(
        "The cart is being changed elsewhere, try again",
    ))
}

/// `quantity` of a product into the cart (a new cart for its first line), both as the client
/// sent them: the product id is checked first, then the quantity. The cart as the client sees
/// it, and whether this made the cart.
pub async fn add(
    orders: &Orders,
    user_id: &str,
    product_id: Option<&str>,
    quantity: i64,
) -> Result<(CartView, bool), OrderError> {
    let product_id = product_id
        .filter(|id| valid_product_id(id))
        .ok_or(OrderError::InvalidProduct)?;
    let quantity = check_quantity(quantity)?;
    let snapshot = orders
        .catalog
        .snapshot(&[product_id.to_string()])
        .await?
        .into_iter()
        .next()
        .ok_or(OrderError::ProductNotFound)?;
    let order = update(orders, user_id, true, |o| o.add(&snapshot, quantity)).await?;
    tracing::info!(%user_id, order_id = %order.order_id, product_id, quantity, "added to cart");
    // The snapshot taken for the add covers a cart of one line; a longer cart is re-checked in
    // one more call.
    let view = if order.lines.len() == 1 {
        priced(&order, std::slice::from_ref(&snapshot))
    } else {
        view(orders, &order).await?
    };
    Ok((view, order.version == 1))
}

/// The client's cart as it shows (an empty one when there is none).
pub async fn current(orders: &Orders, user_id: &str) -> Result<CartView, OrderError> {
    match orders.store.draft(user_id).await? {
        Some(order) => view(orders, &order).await,
        None => Ok(CartView::empty()),
    }
}

/// The order with its lines re-checked against the catalog now.
pub async fn view(orders: &Orders, order: &Order) -> Result<CartView, OrderError> {
    let ids: Vec<String> = order.lines.iter().map(|l| l.product_id.clone()).collect();
    let now = orders.catalog.snapshot(&ids).await?;
    Ok(priced(order, &now))
}

/// delivery settles the client's choice (and its cost) for the cart; the cart keeps it.
pub async fn choose_delivery(
    orders: &Orders,
    delivery: &DeliveryService,
    user_id: &str,
    form: &DeliveryForm,
) -> Result<CartView, OrderError> {
    let draft = orders
        .store
        .draft(user_id)
        .await?
        .filter(|o| !o.lines.is_empty())
        .ok_or(OrderError::CartEmpty)?;
    let chosen = delivery
        .call(&form.request(user_id, &draft.order_id))
        .await
        .map_err(|e| match e {
            CallError::Refused(refusal) => OrderError::Delivery(refusal),
            CallError::Unavailable(e) => vitrina_shared::Unavailable(e).into(),
        })?;
    let order = update(orders, user_id, false, |o| {
        // The cart was replaced meanwhile (ordered elsewhere): this choice was for another one.
        if o.order_id != draft.order_id {
            return Err(CartError::NotInCart);
        }
        o.delivery = Some(chosen.clone());
        Ok(())
    })
    .await?;
    view(orders, &order).await
}
