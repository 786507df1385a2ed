//! `stock-hold` (internal, order's at "Оплатить заказ"), `stock-reserve` and `stock-release`
//! (the order saga's second step and its compensation), `stock-hold-lapse` (store's timer): an
//! order's units put aside while the client pays, taken into its picking case once paid, and
//! back on the shelves when the order is undone or the hold lapses unpaid.

use crate::{domain::picking, store::CatalogStore, Holds, Stock};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::{collections::HashMap, sync::Arc};
use vitrina_shared::{
    contracts::{
        store::{PickingCase, ReleaseRequest, ReserveRefusal, ReserveRequest, ShortOfStock},
        Failure, NoRefusal,
    },
    envelope,
    sqs::{self, SqsMessage},
    table, ConsumeError, StoreError,
};

use crate::domain::picking::case::{
    released_as, CANCELLED, CREATED, HELD, LAPSED, RETURNED, RETURNING,
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

pub async fn hold(
    h: Arc<Holds>,
    req: ReserveRequest,
) -> Result<PickingCase, Failure<ReserveRefusal>> {
    let until = Utc::now() + h.hold;
    // The timer first: a hold written without it would never lapse, while a timer that finds
    // no hold does nothing.
    let check = HoldCheck {
        order_id: req.order_id.clone(),
    };
    h.timer
        .arm(HOLD_CHECK, &req.order_id, check, h.hold)
        .await
        .map_err(Failure::unavailable)?;
    take(&h.catalog, &req, Some(until)).await
}

pub async fn reserve(
    s: Arc<Stock>,
    req: ReserveRequest,
) -> Result<PickingCase, Failure<ReserveRefusal>> {
    take(&s.catalog, &req, None).await
}

/// Puts the order's units aside until `hold_until`, or (`None`) reserves them for good: a
/// hold the order has becomes the reservation as it is; a lapsed one is taken anew from what
/// the shelves hold now.
async fn take(
    catalog: &CatalogStore,
    req: &ReserveRequest,
    hold_until: Option<DateTime<Utc>>,
) -> Result<PickingCase, Failure<ReserveRefusal>> {
    for attempt in 1..=ATTEMPTS {
        let now = Utc::now().to_rfc3339();
        // Run before (a retry after a lost answer, or a release that came first): the case
        // answers, nothing is taken twice.
        let over = match catalog.picking_case(&req.order_id).await? {
            None => None,
            Some(case) if case.status == LAPSED => Some(LAPSED),
            Some(case) if case.status == HELD && hold_until.is_none() => {
                // Paid: what was put aside is the reservation.
                let reserved = PickingCase {
                    status: CREATED.into(),
                    held_until: None,
                    updated_at: now,
                    ..case
                };
                match catalog.move_picking(&reserved, HELD).await {
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
            status: if hold_until.is_some() { HELD } else { CREATED }.into(),
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
    Err(Failure::unavailable(format!(
        "order {}: stock kept changing during {ATTEMPTS} reservations",
        req.order_id
    )))
}

/// `stock-hold-lapse` (SQS `StockHoldQueue`, the hold's timer): a hold still unpaid at its end
/// gives its units back and stays as `lapsed`; a paid, released or lapsed case is left as it
/// is, so a duplicate or late message changes nothing.
pub async fn lapse(h: Arc<Holds>, record: SqsMessage) -> Result<(), ConsumeError> {
    let check = envelope::parse::<HoldCheck>(sqs::body(&record), HOLD_CHECK)?.payload;
    let Some(held) = h.catalog.picking_case(&check.order_id).await? else {
        // The hold was never written (its request broke off after arming the timer).
        return Ok(());
    };
    if held.status != HELD {
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
        return h
            .timer
            .arm(HOLD_CHECK, &held.order_id, check, left)
            .await
            .map_err(ConsumeError::from);
    }
    let lapsed = PickingCase {
        status: LAPSED.into(),
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
        Err(StoreError::Conflict) => Err(ConsumeError::Unavailable(format!(
            "the hold of order {} changed while it lapsed",
            held.order_id
        ))),
        Err(e) => Err(e.into()),
    }
}

fn answer(case: PickingCase) -> Result<PickingCase, Failure<ReserveRefusal>> {
    if [CANCELLED, RETURNING, RETURNED].contains(&case.status.as_str()) {
        return Err(ReserveRefusal::PickingCancelled(format!(
            "the picking case of order {} was cancelled",
            case.order_id
        ))
        .into());
    }
    Ok(case)
}

async fn plan(
    catalog: &CatalogStore,
    req: &ReserveRequest,
) -> Result<Vec<vitrina_shared::contracts::store::ReservedUnits>, Failure<ReserveRefusal>> {
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
    .map_err(|short| ReserveRefusal::OutOfStock(ShortOfStock { product_ids: short }).into())
}

pub async fn release(
    s: Arc<Stock>,
    req: ReleaseRequest,
) -> Result<PickingCase, Failure<NoRefusal>> {
    for attempt in 1..=ATTEMPTS {
        let now = chrono::Utc::now().to_rfc3339();
        let Some(open) = s.catalog.picking_case(&req.order_id).await? else {
            // Nothing reserved: say so for good, so that a reservation still on its way (a
            // timed-out attempt) finds the case cancelled and takes nothing.
            let never = PickingCase {
                order_id: req.order_id.clone(),
                status: CANCELLED.into(),
                lines: Vec::new(),
                created_at: now.clone(),
                updated_at: now,
                reason: Some(req.reason.clone()),
                held_until: None,
            };
            if s.catalog.mark_cancelled(&never).await? {
                return Ok(never);
            }
            continue;
        };
        if [CANCELLED, RETURNING, RETURNED].contains(&open.status.as_str()) {
            return Ok(open);
        }
        let cancelled = PickingCase {
            status: released_as(&open.status).into(),
            updated_at: now,
            reason: Some(req.reason.clone()),
            held_until: None,
            ..open.clone()
        };
        let written = if cancelled.status == RETURNING {
            // Handed to delivery: the units are not the shelves' until staff take them back
            // (`picking-case-move` to `returned`), so nothing is put on sale that is not there.
            s.catalog.move_picking(&cancelled, &open.status).await
        } else {
            s.catalog.release(&open, &cancelled).await
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
    Err(Failure::unavailable(format!(
        "order {}: the picking case could not be released",
        req.order_id
    )))
}
