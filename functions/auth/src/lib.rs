//! auth: users, credentials, sessions; the spec's `/register`, `/login`, `/logout`, `/auth`
//! and the HTTP API's session authorizer.

pub mod domain;
pub mod flow;
pub mod handlers;
pub mod sso;
pub mod store;

use handlers::*;
use vitrina_shared::{
    config::SettingsError,
    runtime::{authorizer, http_route, stream_consumer, Env, Function, Route},
};

/// What auth's HTTP handlers and the authorizer share, built once per cold start.
pub struct Auth {
    pub store: store::AuthStore,
    pub secure_cookies: bool,
}

impl Auth {
    pub fn new(env: &Env) -> Result<Self, SettingsError> {
        Ok(Self {
            store: store::AuthStore::new(env.aws.dynamodb(), env.config.table_name.clone()),
            secure_cookies: !env.config.is_local(),
        })
    }
}

/// What single sign-on's functions share: auth's own state and the providers of
/// `SSO_PROVIDERS` (`SsoProviders` in the template), their client secrets in the Secrets
/// Manager secret `SSO_CLIENT_SECRETS` (read at the first call to a provider), and the shop's
/// public origin the callback URLs are made of.
pub struct SignOn {
    pub auth: Auth,
    pub providers: sso::Providers,
}

impl SignOn {
    pub fn new(env: &Env) -> Result<Self, SettingsError> {
        let settings =
            domain::sso::parse_providers(&env.config.parse_or("SSO_PROVIDERS", String::new())?)
                .map_err(|reason| SettingsError::Invalid {
                    name: "SSO_PROVIDERS".into(),
                    reason,
                })?;
        let secrets = vitrina_shared::secrets::JsonSecret::new(
            aws_sdk_secretsmanager::Client::new(env.aws.sdk()),
            env.config.require("SSO_CLIENT_SECRETS")?,
        );
        let providers = sso::Providers::new(settings, secrets, env.config.require("SHOP_URL")?);
        Ok(Self {
            auth: Auth::new(env)?,
            providers,
        })
    }
}

/// What the stream consumer announcing new users needs.
pub struct UserEvents {
    pub sqs: aws_sdk_sqs::Client,
    /// Queues that get `user.registered`: billing opens a wallet, notification an account.
    pub registration_queues: [String; 2],
    /// notification's queue for `user.updated`.
    pub update_queue: String,
}

impl UserEvents {
    pub fn new(env: &Env) -> Result<Self, SettingsError> {
        Ok(Self {
            sqs: env.aws.sqs(),
            registration_queues: [
                env.config.require("BILLING_QUEUE_URL")?,
                env.config.require("NOTIFICATION_QUEUE_URL")?,
            ],
            update_queue: env.config.require("NOTIFICATION_USER_UPDATE_QUEUE_URL")?,
        })
    }
}

/// Every auth function: the handler name is the `Handler` of its function in `template.yaml`.
pub fn functions() -> Vec<Function> {
    vec![
        http_route(
            "register",
            Route::post("/api/register"),
            Auth::new,
            register::handle,
        ),
        http_route("login", Route::post("/api/login"), Auth::new, login::handle),
        http_route(
            "logout",
            Route::get("/api/logout"),
            Auth::new,
            logout::handle,
        ),
        // The web client's logout: a POST, so another site cannot end a session by a link
        // (`GET /api/logout` stays, as the spec gives it).
        http_route(
            "logout-post",
            Route::post("/api/logout"),
            Auth::new,
            logout::handle_post,
        ),
        http_route(
            "logout-all",
            Route::post("/api/logout/all").authorized(),
            Auth::new,
            logout_all::handle,
        ),
        http_route("auth", Route::get("/api/auth"), Auth::new, auth::handle),
        http_route(
            "me-get",
            Route::get("/api/me").authorized(),
            Auth::new,
            me_get::handle,
        ),
        http_route(
            "me-put",
            Route::put("/api/me").authorized(),
            Auth::new,
            me_put::handle,
        ),
        http_route(
            "sso-providers",
            Route::get("/api/sso/providers"),
            SignOn::new,
            sso_providers::handle,
        ),
        http_route(
            "sso-start",
            Route::get("/api/sso/{provider}/start"),
            SignOn::new,
            sso_start::handle,
        ),
        http_route(
            "sso-callback",
            Route::get("/api/sso/{provider}/callback"),
            SignOn::new,
            sso_callback::handle,
        ),
        http_route(
            "sso-pending",
            Route::get("/api/sso/pending"),
            SignOn::new,
            sso_pending::handle,
        ),
        http_route(
            "sso-register",
            Route::post("/api/sso/register"),
            SignOn::new,
            sso_register::handle,
        ),
        http_route(
            "sso-link",
            Route::post("/api/sso/link"),
            SignOn::new,
            sso_link::handle,
        ),
        http_route(
            "sso-identities",
            Route::get("/api/me/identities").authorized(),
            SignOn::new,
            sso_identities::handle,
        ),
        http_route(
            "sso-unlink",
            Route::delete("/api/me/identities/{provider}").authorized(),
            SignOn::new,
            sso_unlink::handle,
        ),
        stream_consumer("user-events", "Table", UserEvents::new, user_events::handle),
        authorizer("authorizer", SignOn::new, authorizer::handle),
    ]
}

/// auth's part of the API's OpenAPI document: the spec's auth contract and the personal
/// account's routes, as the handlers describe them.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        handlers::register::handle,
        handlers::login::handle,
        handlers::logout::handle,
        handlers::logout::handle_post,
        handlers::logout_all::handle,
        handlers::auth::handle,
        handlers::me_get::handle,
        handlers::me_put::handle,
        handlers::sso_providers::handle,
        handlers::sso_start::handle,
        handlers::sso_callback::handle,
        handlers::sso_pending::handle,
        handlers::sso_register::handle,
        handlers::sso_link::handle,
        handlers::sso_identities::handle,
        handlers::sso_unlink::handle,
    ),
    tags((name = "auth", description = "Clients' accounts and sessions (the spec's auth contract)"))
)]
pub struct AuthApi;
