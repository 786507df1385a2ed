//! `stock-reserve` and `stock-release` (internal, the order saga's second step and its
//! compensation): an order's units out of stock into its picking case, and back.

use crate::{domain::picking, store::CatalogStore, Stock};
use std::{collections::HashMap, sync::Arc};
use vitrina_shared::{
    contracts::{
        store::{PickingCase, ReleaseRequest, ReserveRefusal, ReserveRequest},
        Failure, NoRefusal,
    },
    table, StoreError,
};

use crate::domain::picking::case::{CANCELLED, CREATED};

/// How often a reservation plans again after losing a race for stock to another order.
const ATTEMPTS: u32 = 4;

pub async fn reserve(
    s: Arc<Stock>,
    req: ReserveRequest,
) -> Result<PickingCase, Failure<ReserveRefusal>> {
    for attempt in 1..=ATTEMPTS {
        // Run before (a retry after a lost answer, or a release that came first): the case
        // answers, nothing is taken twice.
        if let Some(case) = s.catalog.picking_case(&req.order_id).await? {
            return answer(case);
        }
        let lines = plan(&s.catalog, &req).await?;
        let now = chrono::Utc::now().to_rfc3339();
        let case = PickingCase {
            order_id: req.order_id.clone(),
            status: CREATED.into(),
            lines,
            created_at: now.clone(),
            updated_at: now,
            reason: None,
        };
        match s.catalog.reserve(&case).await {
            Ok(()) => {
                tracing::info!(order_id = %case.order_id, lines = case.lines.len(), "stock reserved, picking case opened");
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

fn answer(case: PickingCase) -> Result<PickingCase, Failure<ReserveRefusal>> {
    if case.status == CANCELLED {
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
    .map_err(|short| {
        ReserveRefusal::OutOfStock(format!("not enough units of {}", short.join(", "))).into()
    })
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
            };
            if s.catalog.mark_cancelled(&never).await? {
                return Ok(never);
            }
            continue;
        };
        if open.status == CANCELLED {
            return Ok(open);
        }
        let cancelled = PickingCase {
            status: CANCELLED.into(),
            updated_at: now,
            reason: Some(req.reason.clone()),
            ..open.clone()
        };
        match s.catalog.release(&open, &cancelled).await {
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
