//! The client's notification account following the client's profile: a changed e-mail, phone
//! or name in «Личный кабинет» (`user.updated`) is where the next message goes.

use super::NotificationError;
use crate::Notification;
use vitrina_shared::{envelope::UserUpdated, StoreError};

/// How often a change is tried against an account another change of the same client moved
/// meanwhile, before the message goes back to the queue.
const ATTEMPTS: usize = 3;

/// Moves the account to the profile of `profile.version` unless it already follows that version
/// or a newer one: duplicates and late retries change nothing.
pub async fn follow(n: &Notification, profile: &UserUpdated) -> Result<(), NotificationError> {
    if profile.user_id.is_empty() || profile.email.is_empty() {
        return Err(NotificationError::Malformed(
            "user.updated without a user id or e-mail".into(),
        ));
    }
    for _ in 0..ATTEMPTS {
        // The account opens from `user.registered`, on another queue: until then, try later.
        let Some(account) = n.store.account(&profile.user_id).await? else {
            return Err(NotificationError::NoAccountYet(profile.user_id.clone()));
        };
        let Some(next) = account.following(
            &profile.first_name,
            &profile.email,
            &profile.phone,
            profile.version,
        ) else {
            tracing::info!(user_id = %profile.user_id, version = profile.version,
                following = account.profile_version, "an older or the same profile: nothing to change");
            return Ok(());
        };
        if n.store
            .replace_account(&next, account.profile_version)
            .await?
        {
            tracing::info!(user_id = %profile.user_id, version = profile.version, "account follows the profile");
            return Ok(());
        }
    }
    Err(NotificationError::Store(StoreError::Conflict))
}
