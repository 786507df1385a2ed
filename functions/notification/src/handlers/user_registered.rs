//! `user.registered` from auth (SQS `NotificationQueue`): opens the client's notification
//! account with its channels and sends the welcome e-mail, once.

use crate::{flow::messages, Notification};
use std::sync::Arc;
use vitrina_shared::{
    envelope::{parse, UserRegistered, USER_REGISTERED},
    sqs::{self, SqsMessage},
    ConsumeError,
};

pub async fn handle(n: Arc<Notification>, record: SqsMessage) -> Result<(), ConsumeError> {
    let message = parse::<UserRegistered>(sqs::body(&record), USER_REGISTERED)?;
    Ok(messages::welcome(&n, &message.payload).await?)
}
