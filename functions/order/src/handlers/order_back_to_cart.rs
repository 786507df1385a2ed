//! `POST /api/orders/{id}/cart` — "Вернуться к редактированию заказа": an order not yet paid
//! goes back into the cart and its units back on the shelves; the answer is the cart.

use super::order_id_in_path;
use crate::{
    flow::{cart, placing},
    Placing,
};
use lambda_http::{Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, Caller},
    ApiError,
};

pub async fn handle(svc: Arc<Placing>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let order_id = order_id_in_path(&req)?;
    let merged = placing::back_to_cart(&svc, &caller.user_id, &order_id).await?;
    Ok(ok(&cart::view(&svc.order, &merged).await?))
}
