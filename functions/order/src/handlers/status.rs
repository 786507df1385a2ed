//! `order-status` (internal, the order saga's report and delivery's): a paid order is handed to
//! delivery, or cancelled with a reason the client reads on the order's page; then it waits at
//! the pickup point or is out with the courier, and is delivered. Each status is stamped on the
//! order's timeline.

use crate::{domain::placed, OrderService};
use std::sync::Arc;
use vitrina_shared::{
    contracts::{
        order::{OrderStatus, StatusRefusal, StatusReport},
        Failure,
    },
    StoreError,
};

pub async fn handle(
    svc: Arc<OrderService>,
    req: StatusReport,
) -> Result<StatusReport, Failure<StatusRefusal>> {
    let from = placed::move_from(req.status).ok_or_else(|| {
        StatusRefusal::StatusNotAllowed(format!("order does not take {} as a status", req.status))
    })?;
    let at = chrono::Utc::now().to_rfc3339();
    let reason = req
        .reason
        .as_deref()
        .filter(|_| req.status == OrderStatus::Cancelled);
    match svc
        .store
        .move_status(&req.order_id, req.status, from, reason, &at)
        .await
    {
        Ok(()) => {
            tracing::info!(order_id = %req.order_id, status = %req.status, "order status reported");
            Ok(req)
        }
        Err(StoreError::Conflict) => {
            let order = svc.store.placed(&req.order_id).await?.ok_or_else(|| {
                StatusRefusal::OrderNotFound(format!("no order {}", req.order_id))
            })?;
            if order.status == req.status {
                // Reported before: the same answer.
                return Ok(StatusReport {
                    reason: order.cancel_reason,
                    ..req
                });
            }
            Err(StatusRefusal::StatusNotAllowed(format!(
                "order {} is {}, it cannot become {}",
                req.order_id, order.status, req.status
            ))
            .into())
        }
        Err(e) => Err(e.into()),
    }
}
