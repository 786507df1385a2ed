//! `user.updated` from auth (SQS `NotificationUserUpdateQueue`): the account's contacts and name
//! follow the client's profile, so the next message goes to the new address.

use crate::{flow::accounts, Notification};
use std::sync::Arc;
use vitrina_shared::{
    envelope::{parse, UserUpdated, USER_UPDATED},
    sqs::{self, SqsMessage},
    ConsumeError,
};

pub async fn handle(n: Arc<Notification>, record: SqsMessage) -> Result<(), ConsumeError> {
    let message = parse::<UserUpdated>(sqs::body(&record), USER_UPDATED)?;
    Ok(accounts::follow(&n, &message.payload).await?)
}
