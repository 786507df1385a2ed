//! `user-events` — the table's stream → `user.registered` for billing (opens the wallet) and
//! notification (opens the account, sends the welcome e-mail), and `user.updated` for
//! notification when the client changed the e-mail, the phone or the name (its letters follow).
//! A profile item is the event: it is announced only once committed (a cancelled transaction
//! leaves no record), and a failed send makes the stream retry the record instead of losing it.
//! The mapping's filter passes only profile inserts and changes; the checks here keep that true
//! without it.

use crate::{store::UserRecord, UserEvents};
use std::sync::Arc;
use vitrina_shared::{
    envelope::{Envelope, UserRegistered, UserUpdated, USER_REGISTERED, USER_UPDATED},
    keys, sqs,
    stream::{self, StreamRecord},
    ConsumeError,
};

pub async fn handle(auth: Arc<UserEvents>, record: StreamRecord) -> Result<(), ConsumeError> {
    let (pk, sk) = stream::key(&record);
    if !pk.starts_with("USER#") || sk != keys::auth::user("").1 {
        return Ok(());
    }
    match record.event_name.as_str() {
        "INSERT" => registered(&auth, record).await,
        "MODIFY" => updated(&auth, record).await,
        _ => Ok(()),
    }
}

async fn registered(auth: &UserEvents, record: StreamRecord) -> Result<(), ConsumeError> {
    if record.change.new_image.is_empty() {
        return Err(ConsumeError::Malformed(
            "an INSERT without a new image: the stream must carry NEW_IMAGE".into(),
        ));
    }
    let user: UserRecord = serde_dynamo::from_item(record.change.new_image)?;
    let message = Envelope::new(
        USER_REGISTERED,
        user.user_id.clone(),
        UserRegistered {
            user_id: user.user_id.clone(),
            username: user.username,
            first_name: user.first_name,
            last_name: user.last_name,
            email: user.email,
            phone: user.phone,
            version: user.version,
        },
    );
    // A retry after a partial failure sends to both queues again: the consumers are idempotent.
    for queue in &auth.registration_queues {
        sqs::send(&auth.sqs, queue, &message).await?;
    }
    tracing::info!(user_id = %user.user_id, message_id = %message.id, "user.registered sent");
    Ok(())
}

async fn updated(auth: &UserEvents, record: StreamRecord) -> Result<(), ConsumeError> {
    if record.change.new_image.is_empty() || record.change.old_image.is_empty() {
        return Err(ConsumeError::Malformed(
            "a MODIFY without both images: the stream must carry NEW_AND_OLD_IMAGES".into(),
        ));
    }
    let before: UserRecord = serde_dynamo::from_item(record.change.old_image)?;
    let user: UserRecord = serde_dynamo::from_item(record.change.new_image)?;
    // A new password, say, is no news for notification: only what the profile shows is.
    if before.profile() == user.profile() {
        return Ok(());
    }
    let message = Envelope::new(
        USER_UPDATED,
        user.user_id.clone(),
        UserUpdated {
            user_id: user.user_id.clone(),
            first_name: user.first_name,
            last_name: user.last_name,
            email: user.email,
            phone: user.phone,
            version: user.version,
        },
    );
    sqs::send(&auth.sqs, &auth.update_queue, &message).await?;
    tracing::info!(user_id = %user.user_id, version = user.version, message_id = %message.id, "user.updated sent");
    Ok(())
}
