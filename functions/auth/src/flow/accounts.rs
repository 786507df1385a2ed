//! Accounts: a registration (the password hashed off the async threads; `user.registered`
//! leaves from the table's stream once the user is committed) and the personal account's
//! changes (an e-mail change asks for the current password).

use super::{now, sessions::verify_counted, AuthError};
use crate::{
    domain::{
        password,
        registration::{Profile, ProfileUpdateForm, RegistrationForm},
    },
    store::UserRecord,
    Auth,
};
use vitrina_shared::StoreError;

pub async fn register(auth: &Auth, form: &RegistrationForm) -> Result<Profile, AuthError> {
    let user = form.validate()?;
    let plain = user.password.clone();
    let password_hash = tokio::task::spawn_blocking(move || password::hash(&plain))
        .await
        .map_err(|e| AuthError::Bug(e.to_string()))?
        .map_err(|e| AuthError::Bug(e.to_string()))?;
    let record = new_record(&user.profile, password_hash);
    let mut attempt = 0;
    loop {
        match auth.store.create_user(&record).await {
            Ok(()) => break,
            Err(StoreError::Conflict) => return Err(AuthError::UserExists),
            Err(StoreError::Busy(_)) if attempt < 3 => attempt += 1,
            Err(e) => return Err(e.into()),
        }
    }
    tracing::info!(user_id = %record.user_id, "user registered");
    Ok(user.profile)
}

/// A new user's record: a fresh id, version 1. An empty `password_hash`: no password (a client
/// who registered through a provider).
pub fn new_record(profile: &Profile, password_hash: String) -> UserRecord {
    UserRecord {
        user_id: uuid::Uuid::now_v7().to_string(),
        username: profile.username.clone(),
        first_name: profile.first_name.clone(),
        last_name: profile.last_name.clone(),
        email: profile.email.clone(),
        phone: profile.phone.clone(),
        password_hash,
        created_at: chrono::Utc::now().to_rfc3339(),
        version: 1,
    }
}

/// The caller's own record; gone only if the user was deleted under a live session.
pub async fn account(auth: &Auth, user_id: &str) -> Result<UserRecord, AuthError> {
    auth.store
        .user(user_id)
        .await?
        .ok_or(AuthError::UserNotFound)
}

/// The personal account's changes; fields left out keep their value.
pub async fn update(
    auth: &Auth,
    user_id: &str,
    form: &ProfileUpdateForm,
) -> Result<Profile, AuthError> {
    let user = account(auth, user_id).await?;
    let update = form.apply(&user.profile())?;
    if update.email.to_lowercase() != user.email.to_lowercase() {
        let password = form
            .current_password
            .as_deref()
            .filter(|p| !p.is_empty() && p.len() <= 1024)
            .ok_or(AuthError::CurrentPasswordRequired)?;
        let hash = Some(user.password_hash.clone());
        if !verify_counted(auth, &user.username, hash, password, now()).await? {
            return Err(AuthError::WrongPassword);
        }
    }
    match auth.store.update_profile(&user, &update).await {
        Ok(()) => {}
        // Either the e-mail is taken or the profile changed meanwhile; re-read to tell which.
        Err(StoreError::Conflict | StoreError::Busy(_)) => {
            let fresh = auth.store.user(user_id).await.ok().flatten();
            return Err(match fresh {
                Some(f) if f.version != user.version => AuthError::ProfileChanged,
                _ => AuthError::EmailTaken,
            });
        }
        Err(e) => return Err(e.into()),
    }
    Ok(account(auth, user_id).await?.profile())
}
