//! `order-payable` (internal, for payment): the client's order that awaits payment, with the
//! total to pay. payment takes the amount from here, never from the browser.

use crate::{flow::payments, Orders};
use std::sync::Arc;
use vitrina_shared::contracts::{
    order::{OrderToPay, PayableRefusal, PayableRequest},
    Failure,
};

pub async fn handle(
    orders: Arc<Orders>,
    req: PayableRequest,
) -> Result<OrderToPay, Failure<PayableRefusal>> {
    Ok(payments::payable(&orders, &req.user_id, &req.order_id).await?)
}
