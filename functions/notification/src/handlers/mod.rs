pub mod gift_card_events;
pub mod order_events;
pub mod payment_events;
pub mod user_registered;

use crate::{domain::Letter, store::Claim, Notification};
use vitrina_shared::ConsumeError;

/// Sends `letter` to `email` once per `(user, notification_id)` whatever the redeliveries: the
/// claim `SENT#<notification_id>` decides, and a failed send gives it back for the retry. A claim
/// another delivery holds is not taken as sent: this message comes back until that one has sent
/// it, or was stopped and its claim is taken over.
pub async fn send_once(
    n: &Notification,
    user_id: &str,
    notification_id: &str,
    kind: &str,
    email: &str,
    letter: &Letter,
) -> Result<(), ConsumeError> {
    match n.store.claim(user_id, notification_id, kind).await? {
        Claim::Ours => {}
        Claim::Sent => {
            tracing::info!(%user_id, %notification_id, "already sent");
            return Ok(());
        }
        Claim::Held => {
            return Err(ConsumeError::unavailable(format_args!(
                "{notification_id} is being sent by another delivery; looked at again later"
            )))
        }
    }
    match n.mailer.send(email, letter).await {
        Ok(provider_id) => {
            n.store
                .mark_sent(user_id, notification_id, &provider_id)
                .await?;
            tracing::info!(%user_id, %notification_id, "e-mail sent");
            Ok(())
        }
        Err(e) => {
            n.store.release(user_id, notification_id).await?;
            Err(ConsumeError::unavailable(format_args!(
                "{notification_id} e-mail not sent: {e}"
            )))
        }
    }
}
