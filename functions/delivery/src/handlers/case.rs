//! `delivery-case-open` and `delivery-case-cancel` (internal, the order saga's third step and
//! its compensation): a paid order's delivery becomes a case delivery works on, once; a
//! cancellation closes it, or — when none was opened yet — makes sure none will be.
//! `delivery-case-move` (internal, the operators'): the case moves on its way to the client,
//! and order and the client hear of what concerns them.

use crate::{couriers::CourierError, domain, slots, Carriers, CaseMoves, Delivery};
use std::sync::Arc;
use vitrina_shared::{
    contracts::{
        delivery::{
            CancelCaseRefusal, CancelCaseRequest, CancelledCase, DeliveryCase, MoveCaseRefusal,
            MoveCaseRequest, OpenCaseRefusal, OpenCaseRequest,
        },
        order::{OrderStatus, StatusReport},
        store::{PickingCaseRefusal, PickingCaseRequest, PickingStatus},
        CallError, Failure,
    },
    envelope::{Envelope, OrderStatusChanged, ORDER_STATUS},
    StoreError,
};

use crate::domain::case::DeliveryStatus;

pub async fn open(
    c: Arc<Carriers>,
    req: OpenCaseRequest,
) -> Result<DeliveryCase, Failure<OpenCaseRefusal>> {
    let d = &c.delivery;
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
    // The own courier's window: the paid order keeps its place for good — taken anew if its
    // hold lapsed meanwhile, and refused when the window filled up.
    if let Some(slot) = &req.delivery.slot {
        let window = domain::slot::Window::parse(&slot.id);
        let kept = match &window {
            Some(window) => {
                slots::hold(
                    &d.store,
                    slot.zone,
                    window,
                    &req.order_id,
                    true,
                    chrono::Utc::now().timestamp(),
                )
                .await?
            }
            None => false,
        };
        if !kept {
            return Err(OpenCaseRefusal::DeliveryNotPossible(format!(
                "the delivery window {} of order {} is no longer free",
                slot.label, req.order_id
            ))
            .into());
        }
    }
    // Another company's courier: its pre-booking confirmed for good — refused when it expired
    // or the company dropped it (the order is then undone), retried when the API is silent.
    if let Some(booking_id) = &req.delivery.booking_id {
        match c.couriers.confirm(booking_id).await {
            Ok(_) => {}
            Err(CourierError::Refused { code, message }) => {
                return Err(OpenCaseRefusal::DeliveryNotPossible(format!(
                    "the courier's pre-booking {booking_id} of order {}: {code}: {message}",
                    req.order_id
                ))
                .into())
            }
            Err(e @ CourierError::Unavailable(_)) => return Err(Failure::unavailable(e)),
        }
    }
    let now = chrono::Utc::now().to_rfc3339();
    let case = DeliveryCase {
        order_id: req.order_id.clone(),
        user_id: req.user_id.clone(),
        status: DeliveryStatus::Created,
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
    if existing.status == DeliveryStatus::Cancelled {
        give_back(&c, &req.order_id, &req.delivery).await?;
        return Err(OpenCaseRefusal::CaseCancelled(format!(
            "the delivery case of order {} was cancelled",
            req.order_id
        ))
        .into());
    }
    Ok(existing)
}

pub async fn cancel(
    c: Arc<Carriers>,
    req: CancelCaseRequest,
) -> Result<CancelledCase, Failure<CancelCaseRefusal>> {
    let d = &c.delivery;
    let cancelled = |order_id: &str| CancelledCase {
        order_id: order_id.into(),
        status: DeliveryStatus::Cancelled,
    };
    // Twice at most: a case written between the read and the write is read again.
    for _ in 0..2 {
        let now = chrono::Utc::now().to_rfc3339();
        match d.store.case(&req.order_id).await? {
            None => {
                let never = DeliveryCase {
                    order_id: req.order_id.clone(),
                    user_id: String::new(),
                    status: DeliveryStatus::Cancelled,
                    delivery: Default::default(),
                    created_at: now.clone(),
                    updated_at: now,
                    reason: Some(req.reason.clone()),
                };
                if d.store.put_case_if_absent(&never).await? {
                    return Ok(cancelled(&req.order_id));
                }
            }
            Some(case) if case.status == DeliveryStatus::Cancelled => {
                // Again, in case the first cancellation stopped before it.
                give_back(&c, &req.order_id, &case.delivery).await?;
                return Ok(cancelled(&req.order_id));
            }
            Some(case) if case.status != DeliveryStatus::Created => {
                // The goods left with the courier (an operator's move came first): nothing here
                // is undone, and the saga must not give the money back for goods on their way.
                return Err(CancelCaseRefusal::DeliveryUnderway(format!(
                    "the delivery case of order {} is {}: the goods are on their way",
                    req.order_id, case.status
                ))
                .into());
            }
            Some(case) => {
                let from = case.status;
                let done = DeliveryCase {
                    status: DeliveryStatus::Cancelled,
                    updated_at: now,
                    reason: Some(req.reason.clone()),
                    ..case
                };
                match d.store.move_case(&done, from).await {
                    Ok(()) => {
                        give_back(&c, &req.order_id, &done.delivery).await?;
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

/// What the order's delivery held outside its case goes back: the place in an own-courier
/// window, the booking at another company's courier (cancelling it again answers the same).
/// Nothing when it had neither or gave them back before.
async fn give_back<R: vitrina_shared::contracts::Refusal>(
    c: &Carriers,
    order_id: &str,
    delivery: &vitrina_shared::contracts::delivery::DeliveryChoice,
) -> Result<(), Failure<R>> {
    let d: &Delivery = &c.delivery;
    if let Some(slot) = &delivery.slot {
        if d.store.release_hold(slot.zone, &slot.id, order_id).await? {
            tracing::info!(%order_id, window = %slot.id, "delivery window given back");
        }
    }
    if let Some(booking_id) = &delivery.booking_id {
        match c.couriers.cancel(booking_id).await {
            Ok(_) => tracing::info!(%order_id, %booking_id, "courier booking cancelled"),
            // Unknown to the company (never made, or long gone): nothing is booked.
            Err(CourierError::Refused { code, .. }) if code == "not_found" => {}
            Err(e) => return Err(Failure::unavailable(e)),
        }
    }
    Ok(())
}

/// The goods leave only once the warehouse has handed them over: store's picking case is
/// `handed_over`. Until then the move is refused, saying where the picking is.
async fn goods_handed_over(m: &CaseMoves, order_id: &str) -> Result<(), Failure<MoveCaseRefusal>> {
    let request = PickingCaseRequest {
        order_id: order_id.into(),
    };
    let status = match m.picking.call(&request).await {
        Ok(case) if case.status == PickingStatus::HandedOver => return Ok(()),
        Ok(case) => case.status.as_str(),
        Err(CallError::Refused(PickingCaseRefusal::CaseNotFound(_))) => "none",
        Err(CallError::Unavailable(e)) => return Err(Failure::unavailable(e)),
    };
    Err(MoveCaseRefusal::MoveNotAllowed(format!(
        "the goods of order {order_id} are not handed over yet (picking case: {status}): move the picking case first (vitrina-cases pick)"
    ))
    .into())
}

pub async fn move_case(
    m: Arc<CaseMoves>,
    req: MoveCaseRequest,
) -> Result<DeliveryCase, Failure<MoveCaseRefusal>> {
    let case = m.delivery.store.case(&req.order_id).await?.ok_or_else(|| {
        MoveCaseRefusal::CaseNotFound(format!("no delivery case of order {}", req.order_id))
    })?;
    let moved = if case.status == req.to {
        // Moved before (an operator's re-run): order and the client are told again below,
        // which each takes as nothing new.
        case
    } else {
        if !domain::case::move_allowed(case.status, req.to, &case.delivery.method) {
            return Err(MoveCaseRefusal::MoveNotAllowed(format!(
                "the {} delivery case of order {} is {}: it cannot become {}",
                case.delivery.method, req.order_id, case.status, req.to
            ))
            .into());
        }
        if req.to == DeliveryStatus::InTransit {
            goods_handed_over(&m, &req.order_id).await?;
        }
        let next = DeliveryCase {
            status: req.to,
            updated_at: chrono::Utc::now().to_rfc3339(),
            ..case.clone()
        };
        match m.delivery.store.move_case(&next, case.status).await {
            Ok(()) => next,
            Err(StoreError::Conflict) => {
                return Err(Failure::unavailable(format!(
                    "the delivery case of order {} was moved meanwhile: look and run again",
                    req.order_id
                )))
            }
            Err(e) => return Err(e.into()),
        }
    };
    tracing::info!(order_id = %moved.order_id, status = %moved.status, "delivery case moved");
    if domain::case::tells_the_order(moved.status) {
        report(&m, &moved).await?;
    }
    if domain::case::tells_the_client(moved.status) {
        tell(&m, &moved).await?;
    }
    Ok(moved)
}

/// The order's status (its timeline; once the goods left, no longer cancellable): after the
/// case moved, and again when the same move is run again, so a failure here is mended by
/// re-running it.
async fn report(m: &CaseMoves, case: &DeliveryCase) -> Result<(), Failure<MoveCaseRefusal>> {
    let report = StatusReport {
        order_id: case.order_id.clone(),
        status: order_status_of(case)?,
        reason: None,
    };
    match m.order.call(&report).await {
        Ok(_) => {}
        Err(CallError::Refused(refusal)) => {
            return Err(Failure::unavailable(format!(
                "order {} did not take {}: {refusal}",
                case.order_id, case.status
            )))
        }
        Err(CallError::Unavailable(e)) => return Err(Failure::unavailable(e)),
    }
    Ok(())
}

/// The client's letter of the move, again when the move is run again (notification takes a
/// repeat as nothing new).
async fn tell(m: &CaseMoves, case: &DeliveryCase) -> Result<(), Failure<MoveCaseRefusal>> {
    let change = OrderStatusChanged {
        order_id: case.order_id.clone(),
        user_id: case.user_id.clone(),
        status: order_status_of(case)?,
        reason: None,
        place: domain::place_of(&case.delivery),
    };
    let body = serde_json::to_string(&Envelope::new(ORDER_STATUS, case.order_id.clone(), change))
        .map_err(Failure::unavailable)?;
    m.sqs
        .send_message()
        .queue_url(&m.notification_queue)
        .message_body(body)
        .send()
        .await
        .map_err(|e| Failure::unavailable(aws_sdk_sqs::error::DisplayErrorContext(e)))?;
    Ok(())
}

/// The order's status the case stands for; asked only of a case whose moves order hears of.
fn order_status_of(case: &DeliveryCase) -> Result<OrderStatus, Failure<MoveCaseRefusal>> {
    domain::case::order_status(case.status).ok_or_else(|| {
        Failure::unavailable(format!(
            "case {} is {}: the order has no such status",
            case.order_id, case.status
        ))
    })
}
