//! `picking-case-get` (internal, delivery's): where an order's picking case is.

use crate::Reservations;
use std::sync::Arc;
use vitrina_shared::contracts::{
    store::{PickingCase, PickingCaseRefusal, PickingCaseRequest},
    Failure,
};

pub async fn handle(
    s: Arc<Reservations>,
    req: PickingCaseRequest,
) -> Result<PickingCase, Failure<PickingCaseRefusal>> {
    s.catalog.picking_case(&req.order_id).await?.ok_or_else(|| {
        PickingCaseRefusal::CaseNotFound(format!("no picking case of order {}", req.order_id))
            .into()
    })
}
