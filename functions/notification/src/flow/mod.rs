//! notification's workflows — the service layer between the consumers and the table, SES and
//! SNS: each event's message built and sent once to the client's channels (`messages`), every
//! send claimed first so a redelivery sends nothing twice (`sending`), the account following
//! the client's profile (`accounts`). Each answers
//! [`NotificationError`], made once into a consumer's `ConsumeError`.

pub mod accounts;
pub mod messages;
pub mod sending;

use vitrina_shared::{ConsumeError, StoreError, Unavailable};

#[derive(Debug, thiserror::Error)]
pub enum NotificationError {
    /// The account opens from `user.registered`; a message about the client may come first.
    #[error("no notification account of {0} yet")]
    NoAccountYet(String),
    /// A message this service can never handle (no letter for it, a field it must have).
    #[error("{0}")]
    Malformed(String),
    /// Another delivery of the same message holds the send.
    #[error("{0} is being sent by another delivery; looked at again later")]
    BeingSent(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// SES or SNS did not take the message.
    #[error(transparent)]
    Unavailable(#[from] Unavailable),
}

/// A message that can never be handled goes to the DLQ at once; anything else is tried again.
impl From<NotificationError> for ConsumeError {
    fn from(err: NotificationError) -> Self {
        match err {
            NotificationError::Malformed(why) => ConsumeError::Malformed(why),
            NotificationError::Store(e) => ConsumeError::Store(e),
            other => ConsumeError::unavailable(other),
        }
    }
}
