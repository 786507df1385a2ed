//! `choose` (contract `vitrina_shared::contracts::delivery::ChooseDelivery`): order invokes it
//! when the client settles how the order travels. Refusals carry the client's message: order
//! passes it on as the 4xx body.

use crate::{
    couriers::CourierError,
    domain::{self, slot},
    slots, Carriers,
};
use std::sync::Arc;
use vitrina_shared::contracts::{
    delivery::{ChooseRefusal, ChooseRequest, DeliveryChoice, DeliverySlot},
    Failure,
};

pub async fn handle(
    carriers: Arc<Carriers>,
    req: ChooseRequest,
) -> Result<DeliveryChoice, Failure<ChooseRefusal>> {
    let delivery = &carriers.delivery;
    let invalid = |message: &str| ChooseRefusal::InvalidChoice(message.into());
    let now = chrono::Utc::now();
    let previous = delivery.store.booking(&req.user_id, &req.order_id).await?;
    let choice = match req.method.as_str() {
        "pickup" => {
            let point = req
                .pickup_point_id
                .as_deref()
                .and_then(domain::pickup_point)
                .ok_or_else(|| invalid("No pickup point has this id"))?;
            DeliveryChoice {
                method: "pickup".into(),
                label: format!("Пункт выдачи «{}»", point.name),
                address: point.address.into(),
                cost: 0,
                pickup_point_id: Some(point.id.into()),
                courier_id: None,
                quote_id: None,
                slot: None,
                booking_id: None,
            }
        }
        "courier" => {
            let quote_id = req
                .quote_id
                .as_deref()
                .ok_or_else(|| invalid("A courier delivery needs the quote id of its price"))?;
            // Quote ids are UUIDs: anything else is no quote, and never reaches a key (DynamoDB
            // refuses keys over 1 KB with an error, not with "not found").
            if uuid::Uuid::parse_str(quote_id).is_err() {
                return Err(
                    ChooseRefusal::QuoteNotFound("No such quote for this client".into()).into(),
                );
            }
            let quote = delivery
                .store
                .quote(&req.user_id, quote_id)
                .await?
                .ok_or_else(|| {
                    ChooseRefusal::QuoteNotFound("No such quote for this client".into())
                })?;
            if quote.expired(now.timestamp()) {
                return Err(ChooseRefusal::QuoteExpired(
                    "The quote has expired; ask for a new one".into(),
                )
                .into());
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
                        .ok_or_else(|| invalid("Choose one of the delivery windows offered"))?;
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
                        return Err(ChooseRefusal::SlotTaken(
                            "Every place in this delivery window is taken; choose another".into(),
                        )
                        .into());
                    }
                    Some(DeliverySlot {
                        id: window.id(),
                        zone: quote.zone,
                        label: window.label(),
                    })
                }
            };
            // Another company's courier: pre-booked at its API now, confirmed once paid. The
            // key is the order's choice of this quote: choosing it again books nothing more.
            let booking_id = match own_courier {
                true => None,
                false => {
                    let city = domain::parse_address(&quote.address)
                        .map(|a| a.city)
                        .unwrap_or_default();
                    let key = format!("{}:{}", req.order_id, quote.quote_id);
                    let booking = carriers
                        .couriers
                        .prebook(&key, &quote.courier_id, &req.order_id, &city, &quote.address)
                        .await
                        .map_err(|e| match e {
                            CourierError::Refused { message, .. } => {
                                ChooseRefusal::CourierRefused(message)
                            }
                            CourierError::Unavailable(why) => {
                                tracing::warn!(order_id = %req.order_id, courier = %quote.courier_id, %why, "courier API unavailable");
                                ChooseRefusal::CourierUnavailable(
                                    "The courier company does not answer; try again".into(),
                                )
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
            DeliveryChoice {
                method: "courier".into(),
                label,
                address: quote.address,
                cost: quote.cost,
                pickup_point_id: None,
                courier_id: Some(quote.courier_id),
                quote_id: Some(quote.quote_id),
                slot,
                booking_id,
            }
        }
        _ => return Err(invalid("The method is pickup or courier").into()),
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
            if let Err(e) = carriers.couriers.cancel(before).await {
                tracing::warn!(order_id = %req.order_id, booking_id = before, error = %e, "an earlier pre-booking not cancelled: it expires at the courier");
            }
        }
    }
    tracing::info!(user_id = %req.user_id, order_id = %req.order_id, method = %choice.method, cost = choice.cost, "delivery chosen");
    Ok(choice)
}
