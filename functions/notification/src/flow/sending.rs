//! Each message to a client is sent once per `(user, notification_id)`, whatever the
//! redeliveries: a claim in the table decides who sends, and a failed send gives it back.

use super::NotificationError;
use crate::{domain::Letter, store::Claim, Notification};
use vitrina_shared::Unavailable;

/// Sends `letter` to `email` once per `(user, notification_id)` whatever the redeliveries.
pub async fn send_once(
    n: &Notification,
    user_id: &str,
    notification_id: &str,
    kind: &str,
    email: &str,
    letter: &Letter,
) -> Result<(), NotificationError> {
    once(n, user_id, notification_id, kind, || async {
        n.mailer.send(email, letter).await.map_err(Unavailable::new)
    })
    .await
}

/// Texts `text` to `phone` (E.164) once per `(user, notification_id)`.
pub async fn text_once(
    n: &Notification,
    user_id: &str,
    notification_id: &str,
    phone: &str,
    text: &str,
) -> Result<(), NotificationError> {
    once(n, user_id, notification_id, "sms", || async {
        n.texter.send(phone, text).await.map_err(Unavailable::new)
    })
    .await
}

/// Runs `send` once per `(user, notification_id)`: the claim `SENT#<notification_id>` decides,
/// and a failed send gives it back for the retry. A claim another delivery holds is not taken as
/// sent: this message comes back until that one has sent it, or was stopped and its claim is
/// taken over.
pub(crate) async fn once<F, Fut>(
    n: &Notification,
    user_id: &str,
    notification_id: &str,
    kind: &str,
    send: F,
) -> Result<(), NotificationError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<String, Unavailable>>,
{
    match n.store.claim(user_id, notification_id, kind).await? {
        Claim::Ours => {}
        Claim::Sent => {
            tracing::info!(%user_id, %notification_id, "already sent");
            return Ok(());
        }
        Claim::Held => return Err(NotificationError::BeingSent(notification_id.into())),
    }
    match send().await {
        Ok(provider_id) => {
            n.store
                .mark_sent(user_id, notification_id, &provider_id)
                .await?;
            tracing::info!(%user_id, %notification_id, %kind, "sent");
            Ok(())
        }
        Err(e) => {
            n.store.release(user_id, notification_id).await?;
            Err(Unavailable::new(format_args!("{notification_id} not sent: {e}")).into())
        }
    }
}
