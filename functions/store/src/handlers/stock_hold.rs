//! `stock-hold` (internal, order's at «Оплатить заказ»): the order's units put aside while the
//! client pays, until its hold lapses (`flow::stock::hold`).

use crate::{flow::stock, Holds};
use std::sync::Arc;
use vitrina_shared::contracts::{
    store::{PickingCase, ReserveRefusal, ReserveRequest},
    Failure,
};

pub async fn handle(
    h: Arc<Holds>,
    req: ReserveRequest,
) -> Result<PickingCase, Failure<ReserveRefusal>> {
    Ok(stock::hold(&h, &req).await?)
}
