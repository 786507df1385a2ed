//! Single sign-on's workflows: the start (a flow bound to this browser), the callback (the
//! provider's answer checked, then the spec's local account, always), and what a client does
//! when the provider's identity is new here — registers (the form pre-filled) or links it to
//! the account with its e-mail by that account's password. And the links of «Личный кабинет».

use super::{accounts, now, sessions, AuthError};
use crate::{
    domain::{
        password,
        registration::{Profile, RegistrationForm},
        session,
        sso::{self, Arrival, Identity},
    },
    sso::{Providers, SsoError},
    store::{FlowRecord, IdentityRecord, PendingRecord, UserRecord},
    SignOn,
};
use serde::Serialize;
use vitrina_shared::StoreError;

/// How long a flow waits for its callback, and a provider's identity for the client to
/// register or link it.
pub const FLOW_SECONDS: i64 = 600;
/// The cookie binding a flow to the browser that started it.
pub const FLOW_COOKIE: &str = "ssoFlow";
/// The cookie naming what a provider vouched for while the client registers or links.
pub const PENDING_COOKIE: &str = "ssoPending";

/// Why a callback sends the browser back without signing it in; the web client words each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The flow is unknown, used, expired, or another browser's.
    StateExpired,
    /// The provider said no (the client declined, or the provider refused the request).
    ProviderRefused,
    /// The provider's answer failed a check, or it refused the code.
    Failed,
    ProviderUnavailable,
    /// A local account has the e-mail, which the provider did not verify.
    EmailUnverified,
    /// The identity is another client's.
    LinkedToAnother,
    /// The client linking already has another identity of this provider.
    ProviderAlreadyLinked,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Self::StateExpired => "state_expired",
            Self::ProviderRefused => "provider_refused",
            Self::Failed => "sso_failed",
            Self::ProviderUnavailable => "provider_unavailable",
            Self::EmailUnverified => "email_unverified",
            Self::LinkedToAnother => "linked_to_another",
            Self::ProviderAlreadyLinked => "provider_already_linked",
        }
    }
}

/// Where the callback sends the browser.
#[derive(Debug)]
pub enum Landing {
    /// Signed in: a new session (its token for the cookie) and the page to return to.
    SignedIn {
        session: String,
        return_to: String,
    },
    /// The identity is new here: the pending token (its cookie) and the page that finishes.
    Pending {
        token: String,
        page: String,
    },
    /// Linked to the signed-in client (or it already was).
    Linked,
    Refused {
        page: &'static str,
        why: Refusal,
    },
}

pub struct Started {
    pub location: String,
    /// The flow cookie's value (its SHA-256 is kept on the flow).
    pub browser: String,
}

/// `GET /api/sso/{provider}/start`: a flow for this browser, and the provider's page to go to.
/// `linking`: the signed-in client who asks to link an identity to their account.
pub async fn start(
    sign_on: &SignOn,
    provider_id: &str,
    return_to: Option<&str>,
    linking: Option<String>,
) -> Result<Started, AuthError> {
    let provider = sign_on
        .providers
        .get(provider_id)
        .ok_or(AuthError::UnknownProvider)?;
    let return_to = sso::return_to(return_to).ok_or(AuthError::InvalidReturnTo)?;
    let authorization = sign_on
        .providers
        .authorize(provider)
        .await
        .map_err(|e| AuthError::ProviderUnavailable(e.to_string()))?;
    let browser = session::new_token();
    let flow = FlowRecord {
        provider: provider_id.to_string(),
        nonce: authorization.nonce,
        pkce_verifier: authorization.pkce_verifier,
        return_to,
        browser: sha256_hex(&browser),
        linking,
        expires_at: now() + FLOW_SECONDS,
    };
    sign_on
        .auth
        .store
        .put_flow(&authorization.state, &flow)
        .await?;
    Ok(Started {
        location: authorization.url,
        browser,
    })
}

/// What the provider sent the browser back with.
#[derive(Debug, Default)]
pub struct Callback {
    pub state: Option<String>,
    pub code: Option<String>,
    pub error: Option<String>,
    pub iss: Option<String>,
}

/// `GET /api/sso/{provider}/callback`. Every refusal leaves the table as it was but for the
/// flow, which is used up whatever happens.
pub async fn callback(
    sign_on: &SignOn,
    provider_id: &str,
    answer: &Callback,
    browser: Option<&str>,
    came_with: &[String],
) -> Result<Landing, AuthError> {
    let store = &sign_on.auth.store;
    let provider = sign_on
        .providers
        .get(provider_id)
        .ok_or(AuthError::UnknownProvider)?;
    let refused = |page, why| Ok(Landing::Refused { page, why });
    let Some(state) = answer.state.as_deref().filter(|s| s.len() <= 128) else {
        return refused("/login", Refusal::StateExpired);
    };
    let Some(flow) = store.take_flow(state, now()).await? else {
        return refused("/login", Refusal::StateExpired);
    };
    let page = if flow.linking.is_some() {
        "/account"
    } else {
        "/login"
    };
    let same_browser = browser.is_some_and(|b| sha256_hex(b) == flow.browser);
    if !same_browser || flow.provider != provider_id {
        return refused(page, Refusal::StateExpired);
    }
    if answer.error.is_some() {
        return refused(page, Refusal::ProviderRefused);
    }
    let Some(code) = answer.code.as_deref() else {
        return refused(page, Refusal::Failed);
    };
    let providers: &Providers = &sign_on.providers;
    let checked = match providers
        .check_response_issuer(provider, answer.iss.as_deref())
        .await
    {
        Ok(()) => {
            providers
                .redeem(provider, code, &flow.pkce_verifier, &flow.nonce)
                .await
        }
        Err(e) => Err(e),
    };
    let identity = match checked {
        Ok(identity) => identity,
        Err(SsoError::Unavailable(why)) => {
            tracing::warn!(provider = provider_id, %why, "provider unavailable");
            return refused(page, Refusal::ProviderUnavailable);
        }
        Err(e) => {
            tracing::warn!(provider = provider_id, error = %e, "single sign-on refused");
            return refused(page, Refusal::Failed);
        }
    };
    let linked = store
        .identity_owner(&identity.issuer, &identity.subject)
        .await?;
    let email_owner = match identity.email.as_deref() {
        Some(email) if flow.linking.is_none() && linked.is_none() => {
            store.email_owner(email).await?
        }
        _ => None,
    };
    match sso::arrival(
        linked.as_deref(),
        flow.linking.as_deref(),
        email_owner.as_deref(),
        &identity,
    ) {
        Arrival::SignIn(user_id) => {
            let Some(user) = store.user(&user_id).await? else {
                return refused(page, Refusal::Failed);
            };
            let session = sessions::open(&sign_on.auth, &user, came_with).await?;
            tracing::info!(%user_id, provider = provider_id, "signed in through a provider");
            Ok(Landing::SignedIn {
                session,
                return_to: flow.return_to,
            })
        }
        Arrival::Link(user_id) => {
            let user = accounts::account(&sign_on.auth, &user_id).await?;
            let record = identity_record(&user.user_id, provider_id, &identity);
            match store.link_identity(&record, user.version, None).await {
                Ok(()) => {}
                // Which claim failed: the identity was linked meanwhile, or the client has
                // another identity of this provider (or changed meanwhile).
                Err(StoreError::Conflict) => {
                    let why = match store
                        .identity_owner(&identity.issuer, &identity.subject)
                        .await?
                    {
                        Some(_) => Refusal::LinkedToAnother,
                        None => Refusal::ProviderAlreadyLinked,
                    };
                    return refused(page, why);
                }
                Err(e) => return Err(e.into()),
            }
            tracing::info!(%user_id, provider = provider_id, "identity linked");
            Ok(Landing::Linked)
        }
        Arrival::AlreadyYours => Ok(Landing::Linked),
        Arrival::LinkedToAnother => refused(page, Refusal::LinkedToAnother),
        Arrival::EmailUnverified => refused(page, Refusal::EmailUnverified),
        arrival @ (Arrival::Register | Arrival::LinkWithPassword) => {
            let token = session::new_token();
            let hash = session::token_hash(&token)
                .ok_or_else(|| AuthError::Bug("a fresh token does not hash".into()))?;
            let pending = PendingRecord {
                provider: provider_id.to_string(),
                identity,
                return_to: flow.return_to,
                expires_at: now() + FLOW_SECONDS,
            };
            store.put_pending(&hash, &pending).await?;
            let page = match arrival {
                Arrival::Register => format!("/register?sso={provider_id}"),
                _ => "/sso/link".to_string(),
            };
            Ok(Landing::Pending { token, page })
        }
    }
}

fn identity_record(user_id: &str, provider: &str, identity: &Identity) -> IdentityRecord {
    IdentityRecord {
        user_id: user_id.to_string(),
        provider: provider.to_string(),
        issuer: identity.issuer.clone(),
        subject: identity.subject.clone(),
        email: identity.email.clone().unwrap_or_default(),
        linked_at: chrono::Utc::now().to_rfc3339(),
    }
}

/// What the web client shows while the client finishes: the provider, whether this is a
/// registration or a link, and what the provider said of them (to pre-fill the form).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PendingView {
    pub provider: String,
    pub provider_name: String,
    /// `register`: nobody here has this identity or e-mail; `link`: the account with this
    /// e-mail may take it with its password.
    #[schema(pattern = "^(register|link)$")]
    pub next: &'static str,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
}

async fn pending(
    sign_on: &SignOn,
    token: Option<&str>,
) -> Result<(String, PendingRecord), AuthError> {
    let hash = token
        .and_then(session::token_hash)
        .ok_or(AuthError::SsoExpired)?;
    let pending = sign_on
        .auth
        .store
        .pending(&hash, now())
        .await?
        .ok_or(AuthError::SsoExpired)?;
    Ok((hash, pending))
}

/// `GET /api/sso/pending`.
pub async fn pending_view(sign_on: &SignOn, token: Option<&str>) -> Result<PendingView, AuthError> {
    let (_, p) = pending(sign_on, token).await?;
    let email_owner = match p.identity.email.as_deref() {
        Some(email) => sign_on.auth.store.email_owner(email).await?,
        None => None,
    };
    let name = sign_on
        .providers
        .get(&p.provider)
        .map(|x| x.settings.name.clone())
        .unwrap_or_else(|| p.provider.clone());
    let phone = crate::domain::registration::normalize_phone(&p.identity.phone).unwrap_or_default();
    Ok(PendingView {
        provider: p.provider,
        provider_name: name,
        next: if email_owner.is_some() {
            "link"
        } else {
            "register"
        },
        username: p.identity.username_hint,
        first_name: p.identity.first_name,
        last_name: p.identity.last_name,
        email: p.identity.email.unwrap_or_default(),
        phone,
    })
}

/// `POST /api/sso/register`: the registration form (S1) completed for the provider's identity
/// — a password is optional — the user, its link and the pending item used up in one
/// transaction; then signed in. `user.registered` leaves from the table's stream as for any
/// registration.
pub async fn register(
    sign_on: &SignOn,
    token: Option<&str>,
    form: &RegistrationForm,
    came_with: &[String],
) -> Result<(Profile, String, String), AuthError> {
    let (hash, pending) = pending(sign_on, token).await?;
    let new_user = form.validate_for_sign_on()?;
    let password_hash = match new_user.password.as_str() {
        "" => String::new(),
        plain => {
            let plain = plain.to_string();
            tokio::task::spawn_blocking(move || password::hash(&plain))
                .await
                .map_err(|e| AuthError::Bug(e.to_string()))?
                .map_err(|e| AuthError::Bug(e.to_string()))?
        }
    };
    let user = accounts::new_record(&new_user.profile, password_hash);
    let identity = identity_record(&user.user_id, &pending.provider, &pending.identity);
    let store = &sign_on.auth.store;
    match store
        .create_user_with_identity(&user, &identity, &hash)
        .await
    {
        Ok(()) => {}
        // Most likely the username or e-mail is taken.
        Err(StoreError::Conflict) => {
            return Err(failed_claim(sign_on, &hash, &identity, AuthError::UserExists).await?)
        }
        Err(e) => return Err(e.into()),
    }
    tracing::info!(user_id = %user.user_id, provider = %pending.provider, "registered through a provider");
    let session = sessions::open(&sign_on.auth, &user, came_with).await?;
    Ok((user.profile(), session, pending.return_to))
}

/// `POST /api/sso/link`: «Связать с существующей учётной записью» — the password of the
/// account that has the provider's (verified) e-mail links the identity to it; then signed in.
pub async fn link_with_password(
    sign_on: &SignOn,
    token: Option<&str>,
    password: Option<&str>,
    came_with: &[String],
) -> Result<(Profile, String, String), AuthError> {
    let (hash, pending) = pending(sign_on, token).await?;
    let password = password
        .filter(|p| !p.is_empty() && p.len() <= 1024)
        .ok_or(AuthError::MissingCredentials)?;
    let store = &sign_on.auth.store;
    let owner = match pending.identity.email.as_deref() {
        Some(email) if pending.identity.email_verified => store.email_owner(email).await?,
        _ => None,
    };
    let user: UserRecord = match owner {
        Some(id) => store.user(&id).await?.ok_or(AuthError::NotLinkable)?,
        None => return Err(AuthError::NotLinkable),
    };
    let hash_of_user = Some(user.password_hash.clone());
    if !sessions::verify_counted(&sign_on.auth, &user.username, hash_of_user, password, now())
        .await?
    {
        return Err(AuthError::WrongPassword);
    }
    let identity = identity_record(&user.user_id, &pending.provider, &pending.identity);
    match store
        .link_identity(&identity, user.version, Some(&hash))
        .await
    {
        Ok(()) => {}
        // Else the account has another identity of this provider, or changed meanwhile.
        Err(StoreError::Conflict) => {
            let otherwise = AuthError::ProviderAlreadyLinked;
            return Err(failed_claim(sign_on, &hash, &identity, otherwise).await?);
        }
        Err(e) => return Err(e.into()),
    }
    tracing::info!(user_id = %user.user_id, provider = %pending.provider, "identity linked by password");
    let session = sessions::open(&sign_on.auth, &user, came_with).await?;
    Ok((user.profile(), session, pending.return_to))
}

/// Which claim of a registration or a link through the pending identity failed: the pending
/// item used up by a twin request, the identity linked meanwhile, or `otherwise`.
async fn failed_claim(
    sign_on: &SignOn,
    pending_hash: &str,
    identity: &IdentityRecord,
    otherwise: AuthError,
) -> Result<AuthError, AuthError> {
    let store = &sign_on.auth.store;
    if store.pending(pending_hash, now()).await?.is_none() {
        return Ok(AuthError::SsoExpired);
    }
    let owner = store
        .identity_owner(&identity.issuer, &identity.subject)
        .await?;
    Ok(match owner {
        Some(_) => AuthError::IdentityTaken,
        None => otherwise,
    })
}

/// One line of «Личный кабинет» → «Вход через…».
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LinkedProvider {
    pub provider: String,
    pub name: String,
    /// The e-mail the provider gave when linked; null while not linked.
    pub email: Option<String>,
    pub linked_at: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignInWays {
    /// Whether the account has a password (the last provider cannot be unlinked without one).
    pub has_password: bool,
    /// Every provider the shop signs in with, linked or not.
    pub providers: Vec<LinkedProvider>,
}

/// `GET /api/me/identities`.
pub async fn ways_in(sign_on: &SignOn, user_id: &str) -> Result<SignInWays, AuthError> {
    let user = accounts::account(&sign_on.auth, user_id).await?;
    let linked = sign_on.auth.store.identities(user_id).await?;
    let providers = sign_on
        .providers
        .all()
        .map(|p| {
            let link = linked.iter().find(|l| l.provider == p.id);
            LinkedProvider {
                provider: p.id.clone(),
                name: p.name.clone(),
                email: link.map(|l| l.email.clone()),
                linked_at: link.map(|l| l.linked_at.clone()),
            }
        })
        .collect();
    Ok(SignInWays {
        has_password: !user.password_hash.is_empty(),
        providers,
    })
}

/// `DELETE /api/me/identities/{provider}`: not the last way in — a client without a password
/// keeps at least one provider. Two unlinks at once cannot both pass: each moves the user's
/// version on the condition it was what they read.
pub async fn unlink(sign_on: &SignOn, user_id: &str, provider: &str) -> Result<(), AuthError> {
    let store = &sign_on.auth.store;
    let user = accounts::account(&sign_on.auth, user_id).await?;
    let linked = store.identities(user_id).await?;
    let Some(identity) = linked.iter().find(|l| l.provider == provider) else {
        return Err(AuthError::IdentityNotLinked);
    };
    if user.password_hash.is_empty() && linked.len() <= 1 {
        return Err(AuthError::LastWayIn);
    }
    match store.unlink_identity(identity, user.version).await {
        Ok(()) => {}
        Err(StoreError::Conflict) => return Err(AuthError::ProfileChanged),
        Err(e) => return Err(e.into()),
    }
    tracing::info!(%user_id, provider, "identity unlinked");
    Ok(())
}

pub(crate) fn sha256_hex(value: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(value.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
