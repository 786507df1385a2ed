//! `gift_card.issued` from billing (SQS `NotificationGiftCardQueue`): the recipient of a bought
//! gift card gets its code, once per payment. The recipient need not be a client: the letter
//! goes to the address the buyer typed, and the claim sits under the buyer's account.

use crate::{domain::gift_card_letter, Notification};
use std::sync::Arc;
use vitrina_shared::{
    envelope::{self, GiftCardIssued, GIFT_CARD_ISSUED},
    sqs::{self, SqsMessage},
    ConsumeError,
};

pub async fn handle(n: Arc<Notification>, record: SqsMessage) -> Result<(), ConsumeError> {
    let gift = envelope::parse::<GiftCardIssued>(sqs::body(&record), GIFT_CARD_ISSUED)?.payload;
    // "Who it is from": the buyer's name as the buyer's account knows it.
    let from = n
        .store
        .account(&gift.buyer_user_id)
        .await?
        .map(|a| a.name)
        .unwrap_or_default();
    let letter = gift_card_letter(&gift, &from, &n.shop_url);
    let notification_id = format!("gift-card-{}", gift.payment_id);
    super::send_once(
        &n,
        &gift.buyer_user_id,
        &notification_id,
        GIFT_CARD_ISSUED,
        &gift.recipient_email,
        &letter,
    )
    .await
}
