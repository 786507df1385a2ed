//! Checkout's side of delivery: a courier's price for the client's address (with the own
//! courier's windows), and the client's choice of how the order travels — a pickup point, or a
//! priced courier with a window held or a company's courier pre-booked.

use super::{slots, DeliveryError};
use crate::{
    couriers::CourierError,
    domain::{self, slot, Quote, QuoteError, QUOTE_MINUTES},
    Carriers, Delivery,
};
use serde::Serialize;
use vitrina_shared::contracts::delivery::{
    ChooseRequest, DeliveryChoice, DeliveryMethod, DeliverySlot,
};

/// A delivery window as the client picks it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WindowOffer {
    pub id: String,
    pub label: String,
    /// Places left; 0 shows the window as taken.
    pub free: i64,
}

/// A price held for the client, with the own courier's windows (none for the companies).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QuoteView {
    #[serde(flatten)]
    pub quote: Quote,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub windows: Vec<WindowOffer>,
}

/// The price of `courier_id` to `address`, held `QUOTE_MINUTES` for this client only.
pub async fn quote(
    delivery: &Delivery,
    user_id: &str,
    courier_id: Option<&str>,
    address: Option<&str>,
) -> Result<QuoteView, DeliveryError> {
    let courier = courier_id
        .and_then(domain::courier)
        .ok_or(QuoteError::UnknownCourier)?;
    let address = domain::parse_address(address.unwrap_or_default())?;
    let cost = domain::price(courier, &address)?;
    let now = chrono::Utc::now();
    let quote = Quote {
        quote_id: uuid::Uuid::now_v7().to_string(),
        courier_id: courier.id.into(),
        courier_name: courier.name.into(),
        address: address.text,
        city: address.city,
        zone: address.zone,
        cost,
        days_min: courier.days_min,
        days_max: courier.days_max,
        expires_at: now.timestamp() + QUOTE_MINUTES * 60,
    };
    delivery.store.put_quote(user_id, &quote).await?;
    let offered = if courier.windows {
        slot::offered(now)
    } else {
        vec![]
    };
    let (Some(first), Some(last)) = (offered.first(), offered.last()) else {
        return Ok(QuoteView {
            quote,
            windows: vec![],
        });
    };
    let taken = delivery
        .store
        .windows_taken(quote.zone, &first.id(), &last.id(), now.timestamp())
        .await?;
    let windows = offered
        .iter()
        .map(|w| WindowOffer {
            free: (slot::CAPACITY - taken.get(&w.id()).copied().unwrap_or(0)).max(0),
            id: w.id(),
            label: w.label(),
        })
        .collect();
    Ok(QuoteView { quote, windows })
}

/// Settles how the order travels and keeps it as the order's booking; what an earlier choice
/// held (a window's place, a company's pre-booking) is given back.
pub async fn choose(c: &Carriers, req: &ChooseRequest) -> Result<DeliveryChoice, DeliveryError> {
    let delivery = &c.delivery;
    let previous = delivery.store.booking(&req.user_id, &req.order_id).await?;
    let choice = match req.method {
        DeliveryMethod::Pickup => pickup(req)?,
        DeliveryMethod::Courier => courier(c, req).await?,
        _ => {
            return Err(DeliveryError::InvalidChoice(
                "The method is pickup or courier",
            ))
        }
    };
    delivery
        .store
        .put_booking(&req.user_id, &req.order_id, &choice)
        .await?;
    // The window chosen before, if another, is given back: one place per order.
    if let Some(before) = previous.as_ref().and_then(|p| p.slot.clone()) {
        if choice.slot.as_ref() != Some(&before) {
            delivery
                .store
                .release_hold(before.zone, &before.id, &req.order_id)
                .await?;
        }
    }
    // So is the courier pre-booked before: told at once rather than left to expire.
    if let Some(before) = previous.as_ref().and_then(|p| p.booking_id.as_deref()) {
        if choice.booking_id.as_deref() != Some(before) {
            if let Err(e) = c.couriers.cancel(before).await {
                tracing::warn!(order_id = %req.order_id, booking_id = before, error = %e, "an earlier pre-booking not cancelled: it expires at the courier");
            }
        }
    }
    tracing::info!(user_id = %req.user_id, order_id = %req.order_id, method = %choice.method, cost = choice.cost, "delivery chosen");
    Ok(choice)
}

fn pickup(req: &ChooseRequest) -> Result<DeliveryChoice, DeliveryError> {
    let point = req
        .pickup_point_id
        .as_deref()
        .and_then(domain::pickup_point)
        .ok_or(DeliveryError::InvalidChoice("No pickup point has this id"))?;
    Ok(DeliveryChoice {
        method: DeliveryMethod::Pickup,
        label: format!("Пункт выдачи «{}»", point.name),
        address: point.address.into(),
        cost: 0,
        pickup_point_id: Some(point.id.into()),
        courier_id: None,
        quote_id: None,
        slot: None,
        booking_id: None,
    })
}

async fn courier(c: &Carriers, req: &ChooseRequest) -> Result<DeliveryChoice, DeliveryError> {
    let delivery = &c.delivery;
    let now = chrono::Utc::now();
    let quote_id = req.quote_id.as_deref().ok_or(DeliveryError::InvalidChoice(
        "A courier delivery needs the quote id of its price",
    ))?;
    // Quote ids are UUIDs: anything else is no quote, and never reaches a key (DynamoDB
    // refuses keys over 1 KB with an error, not with "not found").
    if uuid::Uuid::parse_str(quote_id).is_err() {
        return Err(DeliveryError::QuoteNotFound);
    }
    let quote = delivery
        .store
        .quote(&req.user_id, quote_id)
        .await?
        .ok_or(DeliveryError::QuoteNotFound)?;
    if quote.expired(now.timestamp()) {
        return Err(DeliveryError::QuoteExpired);
    }
    let own_courier = domain::courier(&quote.courier_id).is_some_and(|c| c.windows);
    let slot = match own_courier {
        false => None,
        true => {
            let window = req
                .slot_id
                .as_deref()
                .and_then(slot::Window::parse)
                .filter(|w| slot::offered(now).contains(w))
                .ok_or(DeliveryError::InvalidChoice(
                    "Choose one of the delivery windows offered",
                ))?;
            let held = slots::hold(
                &delivery.store,
                quote.zone,
                &window,
                &req.order_id,
                false,
                now.timestamp(),
            )
            .await?;
            if !held {
                return Err(DeliveryError::SlotTaken);
            }
            Some(DeliverySlot {
                id: window.id(),
                zone: quote.zone,
                label: window.label(),
            })
        }
    };
    // Another company's courier: pre-booked at its API now, confirmed once paid. The key is
    // the order's choice of this quote: choosing it again books nothing more.
    let booking_id = match own_courier {
        true => None,
        false => {
            let city = domain::parse_address(&quote.address)
                .map(|a| a.city)
                .unwrap_or_default();
            let key = format!("{}:{}", req.order_id, quote.quote_id);
            let booking = c
                .couriers
                .prebook(&key, &quote.courier_id, &req.order_id, &city, &quote.address)
                .await
                .map_err(|e| match e {
                    CourierError::Refused { message, .. } => DeliveryError::CourierRefused(message),
                    CourierError::Unavailable(why) => {
                        tracing::warn!(order_id = %req.order_id, courier = %quote.courier_id, %why, "courier API unavailable");
                        DeliveryError::CourierUnavailable
                    }
                })?;
            Some(booking.id)
        }
    };
    let label = match &slot {
        Some(slot) => format!("{}, {}", quote.courier_name, slot.label),
        None => format!(
            "Курьер «{}», {}–{} дн.",
            quote.courier_name, quote.days_min, quote.days_max
        ),
    };
    Ok(DeliveryChoice {
        method: DeliveryMethod::Courier,
        label,
        address: quote.address,
        cost: quote.cost,
        pickup_point_id: None,
        courier_id: Some(quote.courier_id),
        quote_id: Some(quote.quote_id),
        slot,
        booking_id,
    })
}
