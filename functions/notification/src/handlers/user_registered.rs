//! `user.registered` from auth (SQS `NotificationQueue`): opens the client's notification
//! account with its channels and sends the welcome e-mail, once.

use crate::{
    domain::{welcome_letter, Account},
    Notification,
};
use std::sync::Arc;
use vitrina_shared::{
    envelope::{parse, UserRegistered, USER_REGISTERED},
    sqs::{self, SqsMessage},
    ConsumeError,
};

pub async fn handle(n: Arc<Notification>, record: SqsMessage) -> Result<(), ConsumeError> {
    let message = parse::<UserRegistered>(sqs::body(&record), USER_REGISTERED)?;
    let user = &message.payload;
    if user.user_id.is_empty() || user.email.is_empty() {
        return Err(ConsumeError::Malformed(
            "user.registered without a user id or e-mail".into(),
        ));
    }
    let account =
        Account::for_new_client(&user.user_id, &user.first_name, &user.email, &user.phone);
    n.store.open_account(&account).await?;

    // One welcome per user, whatever the message id of a replay.
    let notification_id = "welcome";
    if !n
        .store
        .claim(&user.user_id, notification_id, "welcome")
        .await?
    {
        tracing::info!(user_id = %user.user_id, "welcome already sent");
        return Ok(());
    }
    let letter = welcome_letter(&user.first_name, &user.username);
    match n.mailer.send(&user.email, &letter).await {
        Ok(provider_id) => {
            n.store
                .mark_sent(&user.user_id, notification_id, &provider_id)
                .await?;
            tracing::info!(user_id = %user.user_id, message_id = %message.id, "welcome sent");
            Ok(())
        }
        Err(e) => {
            n.store.release(&user.user_id, notification_id).await?;
            Err(ConsumeError::unavailable(format_args!(
                "welcome e-mail not sent: {e}"
            )))
        }
    }
}
