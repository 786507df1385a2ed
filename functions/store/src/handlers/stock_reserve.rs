//! `stock-reserve` (internal, the order saga's second step): the paid order's units taken into
//! its picking case — its hold as it is, or taken anew (`flow::stock::reserve`).

use crate::{flow::stock, Reservations};
use std::sync::Arc;
use vitrina_shared::contracts::{
    store::{PickingCase, ReserveRefusal, ReserveRequest},
    Failure,
};

pub async fn handle(
    s: Arc<Reservations>,
    req: ReserveRequest,
) -> Result<PickingCase, Failure<ReserveRefusal>> {
    Ok(stock::reserve(&s.catalog, &req).await?)
}
