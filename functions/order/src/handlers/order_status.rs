//! `order-status` (internal, the order saga's report and delivery's): each status the order
//! takes after payment, stamped on its timeline.

use crate::{flow::payments, Orders};
use std::sync::Arc;
use vitrina_shared::contracts::{
    order::{StatusRefusal, StatusReport},
    Failure,
};

pub async fn handle(
    orders: Arc<Orders>,
    req: StatusReport,
) -> Result<StatusReport, Failure<StatusRefusal>> {
    Ok(payments::report(&orders, req).await?)
}
