//! `picking-case-move` (internal, the operators'): a picking case moves on from the shelves to
//! delivery, one step at a time — `created → picking → packed → handed_over` — and the goods of
//! an order cancelled after its hand-over go back on the shelves (`returning → returned`).

use crate::{domain::picking::case, Reservations};
use std::sync::Arc;
use vitrina_shared::{
    contracts::{
        store::{MovePickingRefusal, MovePickingRequest, PickingCase},
        Failure,
    },
    StoreError,
};

pub async fn handle(
    s: Arc<Reservations>,
    req: MovePickingRequest,
) -> Result<PickingCase, Failure<MovePickingRefusal>> {
    let current = s
        .catalog
        .picking_case(&req.order_id)
        .await?
        .ok_or_else(|| {
            MovePickingRefusal::CaseNotFound(format!("no picking case of order {}", req.order_id))
        })?;
    if current.status == req.to {
        // Moved before (an operator's re-run): the same answer.
        return Ok(current);
    }
    if !case::move_allowed(current.status, req.to) {
        return Err(MovePickingRefusal::MoveNotAllowed(format!(
            "the picking case of order {} is {}: it cannot become {}",
            req.order_id, current.status, req.to
        ))
        .into());
    }
    let next = PickingCase {
        status: req.to,
        updated_at: chrono::Utc::now().to_rfc3339(),
        ..current.clone()
    };
    let written = if next.status == case::Returned {
        // The goods of a cancelled hand-over are back: their units on the shelves with it.
        s.catalog.release(&current, &next).await
    } else {
        s.catalog.move_picking(&next, current.status).await
    };
    match written {
        Ok(()) => {
            tracing::info!(order_id = %next.order_id, status = %next.status, "picking case moved");
            Ok(next)
        }
        // A release (the order cancelled) or another operator came first.
        Err(StoreError::Conflict) => Err(Failure::unavailable(format!(
            "the picking case of order {} was changed meanwhile: look and run again",
            req.order_id
        ))),
        Err(e) => Err(e.into()),
    }
}
