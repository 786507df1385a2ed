//! auth's workflows — the service layer between the handlers (parse, call, map) and the table:
//! accounts (`accounts`: register, the personal account's changes) and sessions (`sessions`:
//! log in, check, log out, every password check counted). Each answers [`AuthError`], made once
//! into the HTTP answer the spec's contract gives (`From<AuthError> for ApiError`).

pub mod accounts;
pub mod sessions;
pub mod sso;

use crate::domain::registration::RegistrationError;
use lambda_http::http::StatusCode;
use serde_json::json;
use vitrina_shared::{ApiError, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// A field the form must have, or a value no rule accepts.
    #[error(transparent)]
    Invalid(#[from] RegistrationError),
    /// The spec's 400 of a login without a username or a password.
    #[error("Username and password should be provided")]
    MissingCredentials,
    /// The spec's 401: a wrong password (or one no account could have).
    #[error("Invalid login/password")]
    InvalidCredentials,
    /// The spec's 404 of a login for nobody.
    #[error("Not Found")]
    UserNotFound,
    /// The spec's 401 of `/auth`, `/logout` without a live session.
    #[error("{0}")]
    NotAuthorized(&'static str),
    /// The username's password checks of this window are used up.
    #[error("Too many failed login attempts, try again later")]
    TooManyAttempts,
    #[error("User already exists")]
    UserExists,
    #[error("The current password is required to change the e-mail")]
    CurrentPasswordRequired,
    #[error("The current password is wrong")]
    WrongPassword,
    #[error("Profile was changed elsewhere, reload and try again")]
    ProfileChanged,
    #[error("Email is already in use")]
    EmailTaken,
    /// Single sign-on: no provider of that id is configured.
    #[error("No such sign-in provider")]
    UnknownProvider,
    #[error("returnTo must be a path of the shop")]
    InvalidReturnTo,
    #[error("The provider could not be reached: {0}")]
    ProviderUnavailable(String),
    /// The provider's identity waiting to be registered or linked is gone (used or expired).
    #[error("The sign-in through the provider expired, start it again")]
    SsoExpired,
    /// No account here has the provider's verified e-mail any more.
    #[error("This identity cannot be linked to an account by password")]
    NotLinkable,
    #[error("This identity is already linked to another client")]
    IdentityTaken,
    #[error("The account already has a sign-in through this provider")]
    ProviderAlreadyLinked,
    #[error("The account has no sign-in through this provider")]
    IdentityNotLinked,
    #[error("The last way to sign in cannot be removed: set a password first")]
    LastWayIn,
    #[error(transparent)]
    Store(#[from] StoreError),
    /// What this code never does (a fresh token that does not hash, a hasher that panicked).
    #[error("{0}")]
    Bug(String),
}

impl From<AuthError> for ApiError {
    fn from(err: AuthError) -> Self {
        use AuthError as E;
        let message = err.to_string();
        match err {
            E::Invalid(e) => ApiError::bad_request(e.code(), e.message()),
            E::MissingCredentials => ApiError::bad_request("missing_fields", message),
            E::InvalidCredentials | E::NotAuthorized(_) => ApiError::unauthorized(message),
            E::UserNotFound => ApiError::not_found("user_not_found", message),
            E::TooManyAttempts => {
                ApiError::new(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts", message)
            }
            E::UserExists => ApiError::conflict("user_exists", message),
            E::CurrentPasswordRequired => {
                ApiError::bad_request("current_password_required", message)
                    .with_details(json!({"field": "currentPassword"}))
            }
            // 400 like the form's other fields: on a guarded route 401 and 403 are API
            // Gateway's words for a session it refused, and the web client hears them so.
            E::WrongPassword => ApiError::bad_request("wrong_password", message)
                .with_details(json!({"field": "currentPassword"})),
            E::ProfileChanged => ApiError::conflict("profile_changed", message),
            E::EmailTaken => ApiError::conflict("email_taken", message),
            E::UnknownProvider => ApiError::not_found("unknown_provider", message),
            E::InvalidReturnTo => ApiError::bad_request("invalid_return_to", message),
            E::ProviderUnavailable(why) => {
                tracing::warn!(%why, "provider unavailable");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "provider_unavailable",
                    "The provider could not be reached, try again later",
                )
            }
            E::SsoExpired => ApiError::bad_request("sso_expired", message),
            E::NotLinkable => ApiError::conflict("not_linkable", message),
            E::IdentityTaken => ApiError::conflict("identity_linked", message),
            E::ProviderAlreadyLinked => ApiError::conflict("provider_already_linked", message),
            E::IdentityNotLinked => ApiError::not_found("identity_not_linked", message),
            E::LastWayIn => ApiError::conflict("last_way_in", message),
            E::Store(e) => e.into(),
            E::Bug(why) => ApiError::internal(why),
        }
    }
}

pub(crate) fn now() -> i64 {
    chrono::Utc::now().timestamp()
}
