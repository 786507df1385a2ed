//! `stock-release` (internal, the order saga's compensation and order's «Вернуться к
//! редактированию заказа»): the order's units back on the shelves, its case cancelled
//! (`flow::stock::release`).

use crate::{flow::stock, Reservations};
use std::sync::Arc;
use vitrina_shared::contracts::{
    store::{PickingCase, ReleaseRequest},
    Failure, NoRefusal,
};

pub async fn handle(
    s: Arc<Reservations>,
    req: ReleaseRequest,
) -> Result<PickingCase, Failure<NoRefusal>> {
    Ok(stock::release(&s.catalog, &req).await?)
}
