//! `delivery-case-open` and `delivery-case-cancel` (internal, the order saga's third step and
//! its compensation): a paid order's delivery becomes a case delivery works on, once; a
//! cancellation closes it, or — when none was opened yet — makes sure none will be.

use crate::{domain, Delivery};
use std::sync::Arc;
use vitrina_shared::{
    contracts::{
        delivery::{
            CancelCaseRequest, CancelledCase, DeliveryCase, OpenCaseRefusal, OpenCaseRequest,
        },
        Failure, NoRefusal,
    },
    StoreError,
};

pub const CREATED: &str = "created";
pub const CANCELLED: &str = "cancelled";

pub async fn open(
    d: Arc<Delivery>,
    req: OpenCaseRequest,
) -> Result<DeliveryCase, Failure<OpenCaseRefusal>> {
    let possible = match req.delivery.method.as_str() {
        "pickup" => req
            .delivery
            .pickup_point_id
            .as_deref()
            .and_then(domain::pickup_point)
            .is_some(),
        "courier" => req
            .delivery
            .courier_id
            .as_deref()
            .and_then(domain::courier)
            .is_some(),
        _ => false,
    };
    if !possible {
        return Err(OpenCaseRefusal::DeliveryNotPossible(format!(
            "delivery {} of order {} is not one the shop offers",
            req.delivery.label, req.order_id
        ))
        .into());
    }
    let now = chrono::Utc::now().to_rfc3339();
    let case = DeliveryCase {
        order_id: req.order_id.clone(),
        user_id: req.user_id.clone(),
        status: CREATED.into(),
        delivery: req.delivery.clone(),
        created_at: now.clone(),
        updated_at: now,
        reason: None,
    };
    if d.store.put_case_if_absent(&case).await? {
        tracing::info!(order_id = %case.order_id, method = %case.delivery.method, "delivery case opened");
        return Ok(case);
    }
    // Opened before (a retried step answers the same), or cancelled first.
    let existing = d
        .store
        .case(&req.order_id)
        .await?
        .ok_or_else(|| Failure::unavailable("a delivery case vanished while read"))?;
    if existing.status == CANCELLED {
        return Err(OpenCaseRefusal::CaseCancelled(format!(
            "the delivery case of order {} was cancelled",
            req.order_id
        ))
        .into());
    }
    Ok(existing)
}

pub async fn cancel(
    d: Arc<Delivery>,
    req: CancelCaseRequest,
) -> Result<CancelledCase, Failure<NoRefusal>> {
    let cancelled = |order_id: &str| CancelledCase {
        order_id: order_id.into(),
        status: CANCELLED.into(),
    };
    // Twice at most: a case written between the read and the write is read again.
    for _ in 0..2 {
        let now = chrono::Utc::now().to_rfc3339();
        match d.store.case(&req.order_id).await? {
            None => {
                let never = DeliveryCase {
                    order_id: req.order_id.clone(),
                    user_id: String::new(),
                    status: CANCELLED.into(),
                    delivery: Default::default(),
                    created_at: now.clone(),
                    updated_at: now,
                    reason: Some(req.reason.clone()),
                };
                if d.store.put_case_if_absent(&never).await? {
                    return Ok(cancelled(&req.order_id));
                }
            }
            Some(case) if case.status == CANCELLED => return Ok(cancelled(&req.order_id)),
            Some(case) => {
                let from = case.status.clone();
                let done = DeliveryCase {
                    status: CANCELLED.into(),
                    updated_at: now,
                    reason: Some(req.reason.clone()),
                    ..case
                };
                match d.store.move_case(&done, &from).await {
                    Ok(()) => {
                        tracing::info!(order_id = %req.order_id, reason = %req.reason, "delivery case cancelled");
                        return Ok(cancelled(&req.order_id));
                    }
                    Err(StoreError::Conflict) => continue,
                    Err(e) => return Err(e.into()),
                }
            }
        }
    }
    Err(Failure::unavailable(format!(
        "order {}: the delivery case kept changing",
        req.order_id
    )))
}
