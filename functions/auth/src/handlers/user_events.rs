//! `user-events` — the table's stream → `user.registered` for billing (opens the wallet) and
//! notification (opens the account, sends the welcome e-mail). A new user's profile item is the
//! event: it is announced only once committed (a cancelled registration transaction leaves no
//! record), and a failed send makes the stream retry the record instead of losing it. The
//! mapping's filter passes only profile inserts; the check here keeps that true without it.

use crate::{store::UserRecord, UserEvents};
use std::sync::Arc;
use vitrina_shared::{
    envelope::{Envelope, UserRegistered, USER_REGISTERED},
    keys, sqs,
    stream::{self, StreamRecord},
    ConsumeError,
};

pub async fn handle(auth: Arc<UserEvents>, record: StreamRecord) -> Result<(), ConsumeError> {
    let (pk, sk) = stream::key(&record);
    if record.event_name != "INSERT" || !pk.starts_with("USER#") || sk != keys::auth::user("").1 {
        return Ok(());
    }
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
        },
    );
    // A retry after a partial failure sends to both queues again: the consumers are idempotent.
    for queue in &auth.registration_queues {
        sqs::send(&auth.sqs, queue, &message).await?;
    }
    tracing::info!(user_id = %user.user_id, message_id = %message.id, "user.registered sent");
    Ok(())
}
