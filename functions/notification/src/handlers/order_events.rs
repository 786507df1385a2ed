//! `order.status` from the order saga and from delivery's moves (SQS `NotificationOrderQueue`):
//! the client learns that the paid order was handed to delivery, or cancelled and refunded, and
//! then that it waits at the pickup point, is out with the courier, is delivered. Once per order
//! and status; the two the client acts on at once come by SMS too, when the account has a phone.

use crate::{flow::messages, Notification};
use std::sync::Arc;
use vitrina_shared::{
    envelope::{self, OrderStatusChanged, ORDER_STATUS},
    sqs::{self, SqsMessage},
    ConsumeError,
};

pub async fn handle(n: Arc<Notification>, record: SqsMessage) -> Result<(), ConsumeError> {
    let message = envelope::parse::<OrderStatusChanged>(sqs::body(&record), ORDER_STATUS)?;
    Ok(messages::order_status(&n, &message.payload).await?)
}
