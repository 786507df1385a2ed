//! `POST /api/payments/{id}/confirm`: «Оплатить» — takes the money of a payment whose payer's
//! part is done. Pressed twice, or in two tabs, it takes the money once.

use super::{payment_id, PaymentView};
use crate::{flow::payments::confirm, Payments};
use lambda_http::{Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, Caller},
    ApiError,
};

pub async fn handle(p: Arc<Payments>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let payment = confirm(&p, &caller.user_id, &payment_id(&req)?).await?;
    Ok(ok(&PaymentView::from(payment)))
}
