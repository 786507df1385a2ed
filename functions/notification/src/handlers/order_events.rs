//! `order.status` from the order saga and from delivery's moves (SQS `NotificationOrderQueue`):
//! the client learns that the paid order was handed to delivery, or cancelled and refunded, and
//! then that it waits at the pickup point, is out with the courier, is delivered. Once per order
//! and status; the two the client acts on at once come by SMS too, when the account has a phone.

use crate::{
    domain::{order_status_letter, order_status_sms},
    sms::e164,
    Notification,
};
use std::sync::Arc;
use vitrina_shared::{
    envelope::{self, OrderStatusChanged, ORDER_STATUS},
    sqs::{self, SqsMessage},
    ConsumeError,
};

pub async fn handle(n: Arc<Notification>, record: SqsMessage) -> Result<(), ConsumeError> {
    let message = envelope::parse::<OrderStatusChanged>(sqs::body(&record), ORDER_STATUS)?;
    let change = &message.payload;
    let account = n
        .store
        .account(&change.user_id)
        .await?
        .ok_or_else(|| ConsumeError::unavailable("no notification account yet"))?;
    let Some(email) = account.email().map(str::to_string) else {
        tracing::info!(user_id = %change.user_id, "no e-mail channel: nothing to send");
        return Ok(());
    };
    let Some(letter) = order_status_letter(&account.name, change, &n.shop_url) else {
        return Err(ConsumeError::Malformed(format!(
            "order.status {} has no letter",
            change.status
        )));
    };
    let notification_id = format!("order-{}-{}", change.order_id, change.status);
    super::send_once(
        &n,
        &change.user_id,
        &notification_id,
        ORDER_STATUS,
        &email,
        &letter,
    )
    .await?;
    // After the letter: a retry after a failed text finds the letter sent and texts again.
    let (Some(text), Some(phone)) = (order_status_sms(change), account.phone().and_then(e164))
    else {
        return Ok(());
    };
    super::text_once(
        &n,
        &change.user_id,
        &format!("sms-{notification_id}"),
        &phone,
        &text,
    )
    .await
}
