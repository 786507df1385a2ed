//! `GET /api/payments/{id}`: the client's payment as the bank has it now (the page the bank
//! sends the payer back to follows it with this).

use super::{payment_id, PaymentView};
use crate::{flow::payments::of_client, Payments};
use lambda_http::{Body, Request, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, Caller},
    ApiError,
};

pub async fn handle(p: Arc<Payments>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let payment = of_client(&p, &caller.user_id, &payment_id(&req)?).await?;
    Ok(ok(&PaymentView::from(payment)))
}
