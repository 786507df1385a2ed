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
    let letter = welcome_letter(&user.first_name, &user.username);
    super::send_once(
        &n,
        &user.user_id,
        "welcome",
        "welcome",
        &user.email,
        &letter,
    )
    .await
}
