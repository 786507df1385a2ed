//! `gift_card.issued` from billing (SQS `NotificationGiftCardQueue`): the recipient of a bought
//! gift card gets its code, once per payment.

use crate::{flow::messages, Notification};
use std::sync::Arc;
use vitrina_shared::{
    envelope::{self, GiftCardIssued, GIFT_CARD_ISSUED},
    sqs::{self, SqsMessage},
    ConsumeError,
};

pub async fn handle(n: Arc<Notification>, record: SqsMessage) -> Result<(), ConsumeError> {
    let gift = envelope::parse::<GiftCardIssued>(sqs::body(&record), GIFT_CARD_ISSUED)?.payload;
    Ok(messages::gift_card(&n, &gift).await?)
}
