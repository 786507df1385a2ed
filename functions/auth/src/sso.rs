//! The OpenID providers, the outside party of single sign-on: the only code of auth that talks
//! to one. `openidconnect` (the standard Rust relying party) does the protocol — discovery,
//! the authorization URL with PKCE S256 and a nonce, the code exchange, every check of the ID
//! token (signature with the provider's keys, `iss`, `aud`, `azp`, `exp`, `nonce`, the allowed
//! algorithms) — over a reqwest client with rustls that follows no redirect (a provider's
//! answer cannot send the Lambda to another address).
//!
//! A provider's discovery document and keys are fetched once per container and kept; a token
//! signed by a key they lack fetches them once more (a provider rotated its keys), at most once
//! a minute.

use crate::domain::sso::{
    has_scope, is_access_token_type, suggested_username, Identity, ProviderSettings,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use openidconnect::{
    core::{
        CoreAuthDisplay, CoreAuthenticationFlow, CoreClaimName, CoreClaimType, CoreClient,
        CoreClientAuthMethod, CoreGenderClaim, CoreGrantType, CoreJsonWebKey,
        CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm, CoreJwsSigningAlgorithm,
        CoreResponseMode, CoreResponseType, CoreSubjectIdentifierType,
    },
    AdditionalClaims, AdditionalProviderMetadata, AuthorizationCode, ClaimsVerificationError,
    ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet, EndpointSet, IdToken,
    IdTokenVerifier, IssuerUrl, JsonWebTokenType, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    PkceCodeVerifier, ProviderMetadata, RedirectUrl, Scope, SignatureVerificationError,
    TokenResponse, UserInfoClaims,
};
use serde::{Deserialize, Serialize};
use std::{
    collections::HashMap,
    sync::Arc,
    time::{Duration, Instant},
};
use tokio::sync::Mutex;
use vitrina_shared::secrets::{JsonSecret, SecretError};

/// RFC 9207: whether the provider puts `iss` in its authorization response — then the callback
/// requires it (a mix-up attack sends another provider's code to this provider's callback).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct IssParameter {
    #[serde(default)]
    authorization_response_iss_parameter_supported: bool,
}
impl AdditionalProviderMetadata for IssParameter {}

type Metadata = ProviderMetadata<
    IssParameter,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// How far a provider's clock may run ahead of ours for an ID token's `iat`, and how old an ID
/// token may be when it reaches us (it was made for this very exchange).
const IAT_AHEAD: chrono::Duration = chrono::Duration::minutes(5);
const IAT_OLDEST: chrono::Duration = chrono::Duration::minutes(10);
/// A refetch of the keys for a token signed by an unknown key: at most this often.
const REFETCH_AFTER: Duration = Duration::from_secs(60);

#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    /// The provider (or Secrets Manager) did not answer; a later try may work.
    #[error("the provider could not be reached: {0}")]
    Unavailable(String),
    /// The provider refused: the code was used or not issued for this verifier, the client's
    /// secret is wrong.
    #[error("the provider refused: {0}")]
    Refused(String),
    /// What came back fails a check: the ID token's signature, issuer, audience, age or nonce.
    #[error("the provider's answer is not to be trusted: {0}")]
    Untrusted(String),
}

impl From<SecretError> for SsoError {
    fn from(e: SecretError) -> Self {
        SsoError::Unavailable(e.to_string())
    }
}

/// An access token's claims beyond the standard ones (RFC 9068 §2.2): its scope.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct AccessClaims {
    #[serde(default)]
    scope: Option<String>,
}
impl AdditionalClaims for AccessClaims {}

/// An RFC 9068 access token: the claims an ID token has (`iss`, `sub`, `aud`, `exp`, `iat`) and a
/// scope, so `openidconnect`'s checks serve for it too — with the audience the shop's API, and
/// only the `at+jwt` type taken.
type AccessToken = IdToken<
    AccessClaims,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

/// The signatures an access token may carry: asymmetric ones only (an HMAC would be keyed by a
/// secret the shop does not share with the provider).
const ACCESS_TOKEN_ALGS: [CoreJwsSigningAlgorithm; 10] = [
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha384,
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha512,
    CoreJwsSigningAlgorithm::RsaSsaPssSha256,
    CoreJwsSigningAlgorithm::RsaSsaPssSha384,
    CoreJwsSigningAlgorithm::RsaSsaPssSha512,
    CoreJwsSigningAlgorithm::EcdsaP256Sha256,
    CoreJwsSigningAlgorithm::EcdsaP384Sha384,
    CoreJwsSigningAlgorithm::EcdsaP521Sha512,
    CoreJwsSigningAlgorithm::EdDsa,
];

/// What the browser is sent to the provider with, and what must be kept to finish the flow.
pub struct Authorization {
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// One provider: its settings and, once fetched, its discovery document and keys.
pub struct Provider {
    pub settings: ProviderSettings,
    scopes: Vec<String>,
    metadata: Mutex<Option<(Instant, Arc<Metadata>)>>,
}

/// The providers of `SSO_PROVIDERS`, their client secrets (one Secrets Manager secret, a JSON
/// object by provider id) and the shop's public origin the callback URLs are built from —
/// never from a request's Host.
pub struct Providers {
    list: Vec<Provider>,
    /// Built at the first call to a provider, not at the start: the authorizer, on every
    /// guarded request's path, starts without loading a TLS trust store it needs only for a
    /// bearer token.
    http: std::sync::OnceLock<reqwest::Client>,
    secrets: JsonSecret<HashMap<String, String>>,
    shop_url: String,
}

impl Providers {
    pub fn new(
        settings: Vec<ProviderSettings>,
        secrets: JsonSecret<HashMap<String, String>>,
        shop_url: String,
    ) -> Self {
        let list = settings
            .into_iter()
            .map(|settings| Provider {
                scopes: settings.scopes(),
                settings,
                metadata: Mutex::new(None),
            })
            .collect();
        Self {
            list,
            http: std::sync::OnceLock::new(),
            secrets,
            shop_url: shop_url.trim_end_matches('/').to_string(),
        }
    }

    /// The client every call to a provider goes through: rustls, a 4-second timeout, and no
    /// redirect followed (a provider's answer cannot send the Lambda to another address).
    fn http(&self) -> Result<&reqwest::Client, SsoError> {
        if let Some(client) = self.http.get() {
            return Ok(client);
        }
        let built = reqwest::Client::builder()
            .timeout(Duration::from_secs(4))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| SsoError::Unavailable(format!("the HTTP client: {e}")))?;
        Ok(self.http.get_or_init(|| built))
    }

    pub fn all(&self) -> impl Iterator<Item = &ProviderSettings> {
        self.list.iter().map(|p| &p.settings)
    }

    pub fn get(&self, id: &str) -> Option<&Provider> {
        self.list.iter().find(|p| p.settings.id == id)
    }

    /// The callback the provider sends the browser back to; registered with the provider
    /// exactly so.
    pub fn redirect_uri(&self, provider: &ProviderSettings) -> String {
        format!("{}/api/sso/{}/callback", self.shop_url, provider.id)
    }

    async fn metadata(
        &self,
        provider: &Provider,
        refetch: bool,
    ) -> Result<Arc<Metadata>, SsoError> {
        let mut cached = provider.metadata.lock().await;
        if let Some((at, m)) = cached.as_ref() {
            if !refetch || at.elapsed() < REFETCH_AFTER {
                return Ok(m.clone());
            }
        }
        let issuer = IssuerUrl::new(provider.settings.issuer.clone())
            .map_err(|e| SsoError::Unavailable(format!("issuer: {e}")))?;
        let fetched = Metadata::discover_async(issuer, self.http()?)
            .await
            .map_err(|e| SsoError::Unavailable(one_line(&e)))?;
        let fetched = Arc::new(fetched);
        *cached = Some((Instant::now(), fetched.clone()));
        Ok(fetched)
    }

    async fn client(&self, provider: &Provider, refetch: bool) -> Result<Client, SsoError> {
        let metadata = self.metadata(provider, refetch).await?;
        let secret = self
            .secrets
            .get()
            .await?
            .get(&provider.settings.id)
            .cloned()
            .ok_or_else(|| {
                SsoError::Unavailable(format!("no client secret for {}", provider.settings.id))
            })?;
        let redirect = RedirectUrl::new(self.redirect_uri(&provider.settings))
            .map_err(|e| SsoError::Unavailable(format!("redirect URI: {e}")))?;
        Ok(CoreClient::from_provider_metadata(
            (*metadata).clone(),
            ClientId::new(provider.settings.client_id.clone()),
            Some(ClientSecret::new(secret)),
        )
        .set_redirect_uri(redirect))
    }

    /// Where to send the browser: the provider's authorization endpoint with a fresh state,
    /// nonce and PKCE S256 challenge.
    pub async fn authorize(&self, provider: &Provider) -> Result<Authorization, SsoError> {
        let client = self.client(provider, false).await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            || CsrfToken::new_random_len(32),
            || Nonce::new_random_len(32),
        );
        for scope in &provider.scopes {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
        Ok(Authorization {
            url: url.to_string(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        })
    }

    /// RFC 9207: the `iss` of the authorization response, when the provider sends one, is
    /// this provider's issuer; a provider that says it sends one must have.
    pub async fn check_response_issuer(
        &self,
        provider: &Provider,
        iss: Option<&str>,
    ) -> Result<(), SsoError> {
        let metadata = self.metadata(provider, false).await?;
        let announced = metadata
            .additional_metadata()
            .authorization_response_iss_parameter_supported;
        match iss {
            Some(iss) if iss == metadata.issuer().as_str() => Ok(()),
            Some(other) => Err(SsoError::Untrusted(format!(
                "the authorization response is from {other:?}"
            ))),
            None if announced => Err(SsoError::Untrusted(
                "the authorization response lacks iss".into(),
            )),
            None => Ok(()),
        }
    }

    /// The code exchanged (with the PKCE verifier) for tokens at the provider, the ID token
    /// checked, and the person's claims — from the ID token, or from userinfo when the ID
    /// token carries no e-mail.
    pub async fn redeem(
        &self,
        provider: &Provider,
        code: &str,
        pkce_verifier: &str,
        nonce: &str,
    ) -> Result<Identity, SsoError> {
        let client = self.client(provider, false).await?;
        let token = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|e| SsoError::Unavailable(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_string()))
            .request_async(self.http()?)
            .await
            .map_err(|e| match e {
                openidconnect::RequestTokenError::ServerResponse(r) => {
                    SsoError::Refused(r.error().to_string())
                }
                openidconnect::RequestTokenError::Request(e) => SsoError::Unavailable(one_line(&e)),
                other => SsoError::Untrusted(one_line(&other)),
            })?;
        let id_token = token
            .id_token()
            .ok_or_else(|| SsoError::Untrusted("no ID token".into()))?;
        let nonce = Nonce::new(nonce.to_string());
        let now = chrono::Utc::now();
        let checked = |client: &Client| {
            let verifier = client
                .id_token_verifier()
                .set_issue_time_verifier_fn(move |iat| {
                    if iat > now + IAT_AHEAD {
                        Err(format!("issued in the future ({iat})"))
                    } else if iat < now - IAT_OLDEST {
                        Err(format!("issued too long ago ({iat})"))
                    } else {
                        Ok(())
                    }
                });
            id_token.claims(&verifier, &nonce).cloned()
        };
        let claims = match checked(&client) {
            Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey,
            )) => checked(&self.client(provider, true).await?),
            other => other,
        }
        .map_err(|e| SsoError::Untrusted(e.to_string()))?;

        let mut identity = Identity {
            issuer: claims.issuer().to_string(),
            subject: claims.subject().to_string(),
            email: claims.email().map(|e| e.to_string()),
            email_verified: claims.email_verified().unwrap_or(false),
            first_name: claims
                .given_name()
                .and_then(|n| n.get(None))
                .map(|n| n.to_string())
                .unwrap_or_default(),
            last_name: claims
                .family_name()
                .and_then(|n| n.get(None))
                .map(|n| n.to_string())
                .unwrap_or_default(),
            phone: claims
                .phone_number()
                .map(|p| p.to_string())
                .unwrap_or_default(),
            username_hint: String::new(),
        };
        let mut preferred = claims.preferred_username().map(|u| u.to_string());
        if identity.email.is_none() {
            if let Ok(request) =
                client.user_info(token.access_token().clone(), Some(claims.subject().clone()))
            {
                let info: UserInfoClaims<openidconnect::EmptyAdditionalClaims, CoreGenderClaim> =
                    request
                        .request_async(self.http()?)
                        .await
                        .map_err(|e| SsoError::Unavailable(one_line(&e)))?;
                identity.email = info.email().map(|e| e.to_string());
                identity.email_verified = info.email_verified().unwrap_or(false);
                if identity.phone.is_empty() {
                    identity.phone = info
                        .phone_number()
                        .map(|p| p.to_string())
                        .unwrap_or_default();
                }
                preferred = preferred.or_else(|| info.preferred_username().map(|u| u.to_string()));
            }
        }
        let hint = preferred
            .or_else(|| {
                identity
                    .email
                    .as_deref()
                    .and_then(|e| e.split('@').next())
                    .map(str::to_string)
            })
            .unwrap_or_default();
        identity.username_hint = suggested_username(&hint);
        Ok(identity)
    }
}

impl Providers {
    /// The resource-server role (the spec's «играет роль resource service»): who a provider's
    /// access token for the shop's API speaks for, as `(issuer, subject)` — after RFC 9068's
    /// checks: `typ` `at+jwt`, the signature by the keys of the provider it names (one whose
    /// `apiAudience` is set), that provider's `iss`, `aud` the shop's API, `exp`, and the API's
    /// scope.
    pub async fn access_token_subject(&self, token: &str) -> Result<(String, String), SsoError> {
        let untrusted = |why: &str| SsoError::Untrusted(why.to_string());
        // Read before any check only to pick the provider whose keys check it.
        let part = |i: usize| -> Option<serde_json::Value> {
            let raw = URL_SAFE_NO_PAD.decode(token.split('.').nth(i)?).ok()?;
            serde_json::from_slice(&raw).ok()
        };
        let header = part(0).ok_or_else(|| untrusted("not a JWT"))?;
        if !is_access_token_type(header["typ"].as_str()) {
            return Err(untrusted("not an access token (typ)"));
        }
        let named = part(1)
            .and_then(|c| c["iss"].as_str().map(str::to_string))
            .ok_or_else(|| untrusted("no issuer"))?;
        let provider = self
            .list
            .iter()
            .find(|p| p.settings.issuer == named && p.settings.api_audience.is_some())
            .ok_or_else(|| untrusted("no provider of this issuer is trusted for the API"))?;
        let audience = provider.settings.api_audience.clone().unwrap_or_default();
        let parsed: AccessToken = token.parse().map_err(|_| untrusted("not a JWT"))?;
        let at_jwt = JsonWebTokenType::new("at+jwt".into())
            .normalize()
            .map_err(|e| SsoError::Untrusted(e.to_string()))?;
        let check = |metadata: &Metadata| {
            let verifier = IdTokenVerifier::new_public_client(
                ClientId::new(audience.clone()),
                metadata.issuer().clone(),
                metadata.jwks().clone(),
            )
            .set_allowed_jose_types([at_jwt.clone()])
            .set_allowed_algs(ACCESS_TOKEN_ALGS);
            parsed
                .claims(&verifier, |_: Option<&Nonce>| Ok(()))
                .cloned()
        };
        let claims = match check(&*self.metadata(provider, false).await?) {
            Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey,
            )) => check(&*self.metadata(provider, true).await?),
            other => other,
        }
        .map_err(|e| SsoError::Untrusted(e.to_string()))?;
        if !has_scope(
            claims.additional_claims().scope.as_deref(),
            provider.settings.api_scope(),
        ) {
            return Err(untrusted("the token lacks the API's scope"));
        }
        Ok((claims.issuer().to_string(), claims.subject().to_string()))
    }
}

impl ProviderSettings {
    fn scopes(&self) -> Vec<String> {
        self.scopes
            .clone()
            .unwrap_or_else(|| vec!["email".into(), "profile".into()])
    }
}

fn one_line(e: &(dyn std::error::Error + 'static)) -> String {
    vitrina_shared::aws::one_line(e)
}
