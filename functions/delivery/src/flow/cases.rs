//! A paid order's delivery case: opened by the saga's third step (once), cancelled by its
//! compensation (or marked so none will open), and moved by the operators on its way to the
//! client — order and the client hear of what concerns them.

use super::{slots, DeliveryError};
use crate::{couriers::CourierError, domain, Carriers, CaseMoves};
use vitrina_shared::{
    contracts::{
        delivery::{
            CancelCaseRequest, DeliveryCase, DeliveryChoice, DeliveryMethod, MoveCaseRequest,
            OpenCaseRequest,
        },
        order::{OrderStatus, StatusReport},
        store::{PickingCaseRefusal, PickingCaseRequest, PickingStatus},
        CallError,
    },
    envelope::{Envelope, OrderStatusChanged, ORDER_STATUS},
    sqs, StoreError,
};

use crate::domain::case::DeliveryStatus;

pub async fn open(c: &Carriers, req: &OpenCaseRequest) -> Result<DeliveryCase, DeliveryError> {
    let d = &c.delivery;
    let possible = match req.delivery.method {
        DeliveryMethod::Pickup => req
            .delivery
            .pickup_point_id
            .as_deref()
            .and_then(domain::pickup_point)
            .is_some(),
        DeliveryMethod::Courier => req
            .delivery
            .courier_id
            .as_deref()
            .and_then(domain::courier)
            .is_some(),
        _ => false,
    };
    if !possible {
        return Err(DeliveryError::NotPossible(format!(
            "delivery {} of order {} is not one the shop offers",
            req.delivery.label, req.order_id
        )));
    }
    // The own courier's window: the paid order keeps its place for good — taken anew if its
    // hold lapsed meanwhile, and refused when the window filled up.
    if let Some(slot) = &req.delivery.slot {
        let kept = match domain::slot::Window::parse(&slot.id) {
            Some(window) => {
                slots::hold(
                    &d.store,
                    slot.zone,
                    &window,
                    &req.order_id,
                    true,
                    chrono::Utc::now().timestamp(),
                )
                .await?
            }
            None => false,
        };
        if !kept {
            return Err(DeliveryError::NotPossible(format!(
                "the delivery window {} of order {} is no longer free",
                slot.label, req.order_id
            )));
        }
    }
    // Another company's courier: its pre-booking confirmed for good — refused when it expired
    // or the company dropped it (the order is then undone), retried when the API is silent.
    if let Some(booking_id) = &req.delivery.booking_id {
        match c.couriers.confirm(booking_id).await {
            Ok(_) => {}
            Err(CourierError::Refused { code, message }) => {
                return Err(DeliveryError::NotPossible(format!(
                    "the courier's pre-booking {booking_id} of order {}: {code}: {message}",
                    req.order_id
                )))
            }
            Err(e @ CourierError::Unavailable(_)) => return Err(DeliveryError::unavailable(e)),
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
        .ok_or_else(|| DeliveryError::unavailable("a delivery case vanished while read"))?;
    if existing.status == DeliveryStatus::Cancelled {
        give_back(c, &req.order_id, &req.delivery).await?;
        return Err(DeliveryError::CaseCancelled(req.order_id.clone()));
    }
    Ok(existing)
}

pub async fn cancel(c: &Carriers, req: &CancelCaseRequest) -> Result<(), DeliveryError> {
    let d = &c.delivery;
    // Twice at most: a case written between the read and the write is read again.
    for _ in 0..2 {
        let now = chrono::Utc::now().to_rfc3339();
        match d.store.case(&req.order_id).await? {
            None => {
                let never = DeliveryCase {
                    order_id: req.order_id.clone(),
                    user_id: String::new(),
                    status: DeliveryStatus::Cancelled,
                    delivery: DeliveryChoice::default(),
                    created_at: now.clone(),
                    updated_at: now,
                    reason: Some(req.reason.clone()),
                };
                if d.store.put_case_if_absent(&never).await? {
                    return Ok(());
                }
            }
            Some(case) if case.status == DeliveryStatus::Cancelled => {
                // Again, in case the first cancellation stopped before it.
                give_back(c, &req.order_id, &case.delivery).await?;
                return Ok(());
            }
            Some(case) if case.status != DeliveryStatus::Created => {
                // The goods left with the courier (an operator's move came first): nothing here
                // is undone, and the saga must not give the money back for goods on their way.
                return Err(DeliveryError::Underway {
                    order_id: req.order_id.clone(),
                    status: case.status,
                });
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
                        give_back(c, &req.order_id, &done.delivery).await?;
                        tracing::info!(order_id = %req.order_id, reason = %req.reason, "delivery case cancelled");
                        return Ok(());
                    }
                    Err(StoreError::Conflict) => continue,
                    Err(e) => return Err(e.into()),
                }
            }
        }
    }
    Err(DeliveryError::unavailable(format!(
        "order {}: the delivery case kept changing",
        req.order_id
    )))
}

/// What the order's delivery held outside its case goes back: the place in an own-courier
/// window, the booking at another company's courier (cancelling it again answers the same).
/// Nothing when it had neither or gave them back before.
async fn give_back(
    c: &Carriers,
    order_id: &str,
    delivery: &DeliveryChoice,
) -> Result<(), DeliveryError> {
    if let Some(slot) = &delivery.slot {
        if c.delivery
            .store
            .release_hold(slot.zone, &slot.id, order_id)
            .await?
        {
            tracing::info!(%order_id, window = %slot.id, "delivery window given back");
        }
    }
    if let Some(booking_id) = &delivery.booking_id {
        match c.couriers.cancel(booking_id).await {
            Ok(_) => tracing::info!(%order_id, %booking_id, "courier booking cancelled"),
            // Unknown to the company (never made, or long gone): nothing is booked.
            Err(e) if e.no_such_booking() => {}
            Err(e) => return Err(DeliveryError::unavailable(e)),
        }
    }
    Ok(())
}

pub async fn move_case(
    m: &CaseMoves,
    req: &MoveCaseRequest,
) -> Result<DeliveryCase, DeliveryError> {
    let case = m
        .delivery
        .store
        .case(&req.order_id)
        .await?
        .ok_or_else(|| DeliveryError::CaseNotFound(req.order_id.clone()))?;
    let moved = if case.status == req.to {
        // Moved before (an operator's re-run): order and the client are told again below,
        // which each takes as nothing new.
        case
    } else {
        if !domain::case::move_allowed(case.status, req.to, case.delivery.method) {
            return Err(DeliveryError::MoveNotAllowed(format!(
                "the {} delivery case of order {} is {}: it cannot become {}",
                case.delivery.method, req.order_id, case.status, req.to
            )));
        }
        if req.to == DeliveryStatus::InTransit {
            goods_handed_over(m, &req.order_id).await?;
        }
        let next = DeliveryCase {
            status: req.to,
            updated_at: chrono::Utc::now().to_rfc3339(),
            ..case.clone()
        };
        match m.delivery.store.move_case(&next, case.status).await {
            Ok(()) => next,
            Err(StoreError::Conflict) => {
                return Err(DeliveryError::unavailable(format!(
                    "the delivery case of order {} was moved meanwhile: look and run again",
                    req.order_id
                )))
            }
            Err(e) => return Err(e.into()),
        }
    };
    tracing::info!(order_id = %moved.order_id, status = %moved.status, "delivery case moved");
    if domain::case::tells_the_order(moved.status) {
        report(m, &moved).await?;
    }
    if domain::case::tells_the_client(moved.status) {
        tell(m, &moved).await?;
    }
    Ok(moved)
}

/// The goods leave only once the warehouse has handed them over: store's picking case is
/// `handed_over`. Until then the move is refused, saying where the picking is.
async fn goods_handed_over(m: &CaseMoves, order_id: &str) -> Result<(), DeliveryError> {
    let request = PickingCaseRequest {
        order_id: order_id.into(),
    };
    let status = match m.picking.call(&request).await {
        Ok(case) if case.status == PickingStatus::HandedOver => return Ok(()),
        Ok(case) => case.status.as_str(),
        Err(CallError::Refused(PickingCaseRefusal::CaseNotFound(_))) => "none",
        Err(CallError::Unavailable(e)) => return Err(DeliveryError::unavailable(e)),
    };
    Err(DeliveryError::MoveNotAllowed(format!(
        "the goods of order {order_id} are not handed over yet (picking case: {status}): move the picking case first (vitrina-cases pick)"
    )))
}

/// The order's status (its timeline; once the goods left, no longer cancellable): after the
/// case moved, and again when the same move is run again, so a failure here is mended by
/// re-running it.
async fn report(m: &CaseMoves, case: &DeliveryCase) -> Result<(), DeliveryError> {
    let report = StatusReport {
        order_id: case.order_id.clone(),
        status: order_status_of(case)?,
        reason: None,
    };
    match m.order.call(&report).await {
        Ok(_) => Ok(()),
        Err(CallError::Refused(refusal)) => Err(DeliveryError::unavailable(format!(
            "order {} did not take {}: {refusal}",
            case.order_id, case.status
        ))),
        Err(CallError::Unavailable(e)) => Err(DeliveryError::unavailable(e)),
    }
}

/// The client's letter of the move, again when the move is run again (notification takes a
/// repeat as nothing new).
async fn tell(m: &CaseMoves, case: &DeliveryCase) -> Result<(), DeliveryError> {
    let change = OrderStatusChanged {
        order_id: case.order_id.clone(),
        user_id: case.user_id.clone(),
        status: order_status_of(case)?,
        reason: None,
        place: domain::place_of(&case.delivery),
    };
    let message = Envelope::new(ORDER_STATUS, case.order_id.clone(), change);
    Ok(sqs::send(&m.sqs, &m.notification_queue, &message).await?)
}

/// The order's status the case stands for; asked only of a case whose moves order hears of.
fn order_status_of(case: &DeliveryCase) -> Result<OrderStatus, DeliveryError> {
    domain::case::order_status(case.status).ok_or_else(|| {
        DeliveryError::unavailable(format!(
            "case {} is {}: the order has no such status",
            case.order_id, case.status
        ))
    })
}
