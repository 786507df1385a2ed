//! An order's units: put aside at «Оплатить заказ» (a hold, with its timer), reserved once paid
//! (the saga's second step), given back when the order is undone (its compensation) or when a
//! hold lapses unpaid. Every write is conditional and moves the case and the shelves in one
//! transaction, so a retry, a duplicate or two orders at once never take a unit twice.

use super::StockError;
use crate::{
    domain::picking::{
        self,
        case::{is_undone, released_as, PickingStatus},
    },
    store::CatalogStore,
    Holds,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use vitrina_shared::{
    contracts::store::{PickingCase, ReleaseRequest, ReserveRequest, ReservedUnits, ShortOfStock},
    table, StoreError, Unavailable,
};

/// How often a reservation plans again after losing a race for stock to another order.
const ATTEMPTS: u32 = 4;

/// The timer's message: look at the order's hold again.
pub const HOLD_CHECK: &str = "stock.hold_check";

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HoldCheck {
    pub order_id: String,
}

/// Why a hold's units went back, on its case.
const NOT_PAID_IN_TIME: &str = "заказ не оплатили за время брони";

/// Puts the order's units aside for the hold time, its timer armed first: a hold written
/// without it would never lapse, while a timer that finds no hold does nothing.
pub async fn hold(h: &Holds, req: &ReserveRequest) -> Result<PickingCase, StockError> {
    let until = Utc::now() + h.hold;
    let check = HoldCheck {
        order_id: req.order_id.clone(),
    };
    h.timer
        .arm(HOLD_CHECK, &req.order_id, check, h.hold)
        .await?;
    take(&h.catalog, req, Some(until)).await
}

/// Reserves the paid order's units for good: its hold as it is, or taken anew.
pub async fn reserve(
    catalog: &CatalogStore,
    req: &ReserveRequest,
) -> Result<PickingCase, StockError> {
    take(catalog, req, None).await
}

/// Puts the order's units aside until `hold_until`, or (`None`) reserves them for good: a
/// hold the order has becomes the reservation as it is; a lapsed one is taken anew from what
/// the shelves hold now.
async fn take(
    catalog: &CatalogStore,
    req: &ReserveRequest,
    hold_until: Option<DateTime<Utc>>,
) -> Result<PickingCase, StockError> {
    for attempt in 1..=ATTEMPTS {
        let now = Utc::now().to_rfc3339();
        // Run before (a retry after a lost answer, or a release that came first): the case
        // answers, nothing is taken twice.
        let over = match catalog.picking_case(&req.order_id).await? {
            None => None,
            Some(case) if case.status == PickingStatus::Lapsed => Some(PickingStatus::Lapsed),
            Some(case) if case.status == PickingStatus::Held && hold_until.is_none() => {
                // Paid: what was put aside is the reservation.
                let reserved = PickingCase {
                    status: PickingStatus::Created,
                    held_until: None,
                    updated_at: now,
                    ..case
                };
                match catalog.move_picking(&reserved, PickingStatus::Held).await {
                    Ok(()) => {
                        tracing::info!(order_id = %reserved.order_id, "the hold became the reservation, picking case opened");
                        return Ok(reserved);
                    }
                    // The hold lapsed or was released meanwhile: look again.
                    Err(StoreError::Conflict) | Err(StoreError::Busy(_)) => {
                        table::backoff(attempt).await;
                        continue;
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            Some(case) => return answer(case),
        };
        let lines = plan(catalog, req).await?;
        let case = PickingCase {
            order_id: req.order_id.clone(),
            status: if hold_until.is_some() {
                PickingStatus::Held
            } else {
                PickingStatus::Created
            },
            lines,
            created_at: now.clone(),
            updated_at: now,
            reason: None,
            held_until: hold_until.map(|t| t.to_rfc3339()),
        };
        match catalog.reserve(&case, over).await {
            Ok(()) => {
                tracing::info!(order_id = %case.order_id, status = %case.status, lines = case.lines.len(), "stock taken");
                return Ok(case);
            }
            // Another order took units first, or this order's case appeared: look again.
            Err(StoreError::Conflict) | Err(StoreError::Busy(_)) => table::backoff(attempt).await,
            Err(e) => return Err(e.into()),
        }
    }
    Err(Unavailable(format!(
        "order {}: stock kept changing during {ATTEMPTS} reservations",
        req.order_id
    ))
    .into())
}

/// The hold's timer came back: a hold still unpaid at its end gives its units back and stays
/// as `lapsed`; a paid, released or lapsed case is left as it is, so a duplicate or late
/// message changes nothing.
pub async fn lapse(h: &Holds, check: HoldCheck) -> Result<(), StockError> {
    let Some(held) = h.catalog.picking_case(&check.order_id).await? else {
        // The hold was never written (its request broke off after arming the timer).
        return Ok(());
    };
    if held.status != PickingStatus::Held {
        return Ok(());
    }
    let left = held
        .held_until
        .as_deref()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .and_then(|t| (t.with_timezone(&Utc) - Utc::now()).to_std().ok())
        .unwrap_or_default();
    if !left.is_zero() {
        // Longer than SQS delays one message: look again at its end.
        return Ok(h.timer.arm(HOLD_CHECK, &held.order_id, check, left).await?);
    }
    let lapsed = PickingCase {
        status: PickingStatus::Lapsed,
        lines: Vec::new(),
        updated_at: Utc::now().to_rfc3339(),
        held_until: None,
        reason: Some(NOT_PAID_IN_TIME.into()),
        ..held.clone()
    };
    match h.catalog.release(&held, &lapsed).await {
        Ok(()) => {
            tracing::info!(order_id = %held.order_id, "an unpaid hold lapsed, its units are back");
            Ok(())
        }
        // Paid or released just now (the case is no longer held), or a product of the hold
        // left the catalog: SQS brings the message back and the next look tells which.
        Err(StoreError::Conflict) => Err(Unavailable(format!(
            "the hold of order {} changed while it lapsed",
            held.order_id
        ))
        .into()),
        Err(e) => Err(e.into()),
    }
}

/// A case found by a reservation: what it answers, unless it was undone.
fn answer(case: PickingCase) -> Result<PickingCase, StockError> {
    if is_undone(case.status) {
        return Err(StockError::CaseUndone(case.order_id));
    }
    Ok(case)
}

/// Where the order's units are taken from, by what the shelves hold now.
async fn plan(
    catalog: &CatalogStore,
    req: &ReserveRequest,
) -> Result<Vec<ReservedUnits>, StockError> {
    let ids: Vec<String> = req.lines.iter().map(|l| l.product_id.clone()).collect();
    let stock: HashMap<String, picking::Levels> = catalog
        .products_now(&ids)
        .await?
        .into_iter()
        .map(|(p, levels)| (p.id, levels))
        .collect();
    let warehouses: Vec<String> = catalog
        .stores()
        .await?
        .into_iter()
        .filter(|s| !s.pickup)
        .map(|s| s.id)
        .collect();
    picking::plan(
        &req.lines,
        &stock,
        req.pickup_store_id.as_deref(),
        &warehouses,
    )
    .map_err(|short| StockError::OutOfStock(ShortOfStock { product_ids: short }))
}

/// Gives the order's units back and cancels its case (goods handed over wait for the warehouse:
/// `returning`). Safe when nothing was reserved — it then records that the order may reserve
/// nothing any more — and when run twice.
pub async fn release(
    catalog: &CatalogStore,
    req: &ReleaseRequest,
) -> Result<PickingCase, StockError> {
    for attempt in 1..=ATTEMPTS {
        let now = chrono::Utc::now().to_rfc3339();
        let Some(open) = catalog.picking_case(&req.order_id).await? else {
            // Nothing reserved: say so for good, so that a reservation still on its way (a
            // timed-out attempt) finds the case cancelled and takes nothing.
            let never = PickingCase {
                order_id: req.order_id.clone(),
                status: PickingStatus::Cancelled,
                lines: Vec::new(),
                created_at: now.clone(),
                updated_at: now,
                reason: Some(req.reason.clone()),
                held_until: None,
            };
            if catalog.mark_cancelled(&never).await? {
                return Ok(never);
            }
            continue;
        };
        if is_undone(open.status) {
            return Ok(open);
        }
        let cancelled = PickingCase {
            status: released_as(open.status),
            updated_at: now,
            reason: Some(req.reason.clone()),
            held_until: None,
            ..open.clone()
        };
        let written = if cancelled.status == PickingStatus::Returning {
            // Handed to delivery: the units are not the shelves' until staff take them back
            // (`picking-case-move` to `returned`), so nothing is put on sale that is not there.
            catalog.move_picking(&cancelled, open.status).await
        } else {
            catalog.release(&open, &cancelled).await
        };
        match written {
            Ok(()) => {
                tracing::info!(order_id = %req.order_id, reason = %req.reason, "stock released, picking case cancelled");
                return Ok(cancelled);
            }
            Err(StoreError::Conflict) | Err(StoreError::Busy(_)) => table::backoff(attempt).await,
            Err(e) => return Err(e.into()),
        }
    }
    // Still open after every attempt: a product of the case is gone from the catalog, or
    // the case keeps changing. The saga retries, then asks an operator.
    Err(Unavailable(format!(
        "order {}: the picking case could not be released",
        req.order_id
    ))
    .into())
}
