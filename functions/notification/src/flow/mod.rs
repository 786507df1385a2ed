//! notification's workflows — the service layer between the consumers and the table, SES and
//! SNS: each event's message built and sent once to the client's channels (`messages`), every
//! send claimed first so a redelivery sends nothing twice (`sending`), the account following
//! the client's profile (`accounts`). Each answers
//! [`NotificationError`], made once into a consumer's `ConsumeError`.

pub mod accounts;
pub mod messages;
pub mod preferences;
pub mod push;
pub mod sending;
pub mod unsubscribe;

use crate::{
    domain::{preferences::ChoiceRefused, push::SubscriptionRefused},
    push::PushError,
};
use vitrina_shared::{ApiError, ConsumeError, StoreError, Unavailable};

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
    /// SES, SNS or a push service did not take the message.
    #[error(transparent)]
    Unavailable(#[from] Unavailable),
    /// A device's subscription the shop does not take.
    #[error(transparent)]
    Refused(#[from] SubscriptionRefused),
    #[error("a client keeps at most {} devices", super::flow::push::MAX_DEVICES)]
    TooManyDevices,
    /// A choice of channels the shop does not take.
    #[error(transparent)]
    Choice(#[from] ChoiceRefused),
    /// The client's choices changed again and again while this one was being made.
    #[error("the choice of channels is being changed at the same moment")]
    PreferencesBusy,
    /// An unsubscribe link's token the shop did not sign.
    #[error("the unsubscribe token is not one the shop signed")]
    BadUnsubscribeToken,
    /// No VAPID key here: web push is off.
    #[error("web push is not configured")]
    PushOff,
}

impl NotificationError {
    pub fn unavailable(cause: impl std::fmt::Display) -> Self {
        Self::Unavailable(Unavailable::new(cause))
    }
}

impl From<PushError> for NotificationError {
    fn from(err: PushError) -> Self {
        match err {
            PushError::NotConfigured(why) => {
                tracing::warn!(%why, "web push is off");
                Self::PushOff
            }
            other => Self::Unavailable(Unavailable::new(other)),
        }
    }
}

/// What the client's requests (its devices) are told.
impl From<NotificationError> for ApiError {
    fn from(err: NotificationError) -> Self {
        match err {
            NotificationError::Refused(why) => ApiError::bad_request(
                match why {
                    SubscriptionRefused::NotAPushService => "not_a_push_service",
                    SubscriptionRefused::InvalidP256dh | SubscriptionRefused::InvalidAuth => {
                        "invalid_push_keys"
                    }
                },
                why.to_string(),
            ),
            NotificationError::Choice(why) => ApiError::bad_request(
                match why {
                    ChoiceRefused::Required(_) => "channel_required",
                    ChoiceRefused::NotOffered(..) => "channel_not_offered",
                },
                why.to_string(),
            ),
            NotificationError::BadUnsubscribeToken => {
                ApiError::bad_request("invalid_unsubscribe_token", err.to_string())
            }
            NotificationError::PreferencesBusy => {
                ApiError::conflict("preferences_busy", err.to_string())
            }
            NotificationError::TooManyDevices => {
                ApiError::conflict("too_many_devices", err.to_string())
            }
            NotificationError::PushOff => ApiError::unavailable(err),
            NotificationError::Store(e) => e.into(),
            other => ApiError::unavailable(other),
        }
    }
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
