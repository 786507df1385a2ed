//! `delivery-case-cancel` (internal, the saga's compensation): the case is closed, or — when
//! none was opened yet — none will be.

use crate::{domain::case::DeliveryStatus, flow::cases, Carriers};
use std::sync::Arc;
use vitrina_shared::contracts::{
    delivery::{CancelCaseRefusal, CancelCaseRequest, CancelledCase},
    Failure,
};

pub async fn handle(
    carriers: Arc<Carriers>,
    req: CancelCaseRequest,
) -> Result<CancelledCase, Failure<CancelCaseRefusal>> {
    cases::cancel(&carriers, &req).await?;
    Ok(CancelledCase {
        order_id: req.order_id,
        status: DeliveryStatus::Cancelled,
    })
}
