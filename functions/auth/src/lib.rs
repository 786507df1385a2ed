//! auth: users, credentials, sessions; the spec's `/register`, `/login`, `/logout`, `/auth`
//! and the HTTP API's session authorizer.

pub mod domain;
pub mod flow;
pub mod handlers;
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
        stream_consumer("user-events", "Table", UserEvents::new, user_events::handle),
        authorizer("authorizer", Auth::new, authorizer::handle),
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
    ),
    tags((name = "auth", description = "Clients' accounts and sessions (the spec's auth contract)"))
)]
pub struct AuthApi;
