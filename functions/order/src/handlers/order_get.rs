//! `GET /api/orders/{id}`: the client's own order — the cart (re-checked against the catalog)
//! or a placed one. Another client's order is as absent as a missing one: 404 either way.

use super::{order_id_in_path, PlacedView};
use crate::{
    flow::{cart, placing},
    Orders,
};
use lambda_http::{Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, Caller},
    ApiError,
};

pub async fn handle(orders: Arc<Orders>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let id = order_id_in_path(&req)?;
    let draft = orders.store.draft(&caller.user_id).await?;
    if let Some(cart) = draft.filter(|o| o.order_id == id) {
        return Ok(ok(&cart::view(&orders, &cart).await?));
    }
    let placed = placing::own(&orders, &caller.user_id, &id).await?;
    Ok(ok(&PlacedView::from(&placed)))
}
