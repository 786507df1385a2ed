//! `delivery-case-open` (internal, the order saga's third step): a paid order's delivery
//! becomes a case delivery works on, once.

use crate::{flow::cases, Carriers};
use std::sync::Arc;
use vitrina_shared::contracts::{
    delivery::{DeliveryCase, OpenCaseRefusal, OpenCaseRequest},
    Failure,
};

pub async fn handle(
    carriers: Arc<Carriers>,
    req: OpenCaseRequest,
) -> Result<DeliveryCase, Failure<OpenCaseRefusal>> {
    Ok(cases::open(&carriers, &req).await?)
}
