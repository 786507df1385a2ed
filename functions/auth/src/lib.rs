//! auth: users, credentials, sessions; the spec's `/register`, `/login`, `/logout`, `/auth`
//! and the HTTP API's session authorizer.

pub mod domain;
pub mod handlers;
pub mod store;

use handlers::*;
use std::sync::Arc;
use vitrina_shared::runtime::{http_route, json, stream_consumer, Env, Function, Route, Trigger};

/// What every auth handler shares, built once per cold start.
pub struct Auth {
    pub store: store::AuthStore,
    pub sqs: aws_sdk_sqs::Client,
    /// Queues that get `user.registered`: billing opens a wallet, notification an account.
    pub registration_queues: Vec<String>,
    pub secure_cookies: bool,
}

impl Auth {
    pub fn new(env: &Env) -> Self {
        let registration_queues = ["BILLING_QUEUE_URL", "NOTIFICATION_QUEUE_URL"]
            .iter()
            .filter_map(|v| env.config.var(v).ok().map(str::to_string))
            .collect();
        Self {
            store: store::AuthStore::new(
                env.clients.dynamodb.clone(),
                env.config.table_name.clone(),
            ),
            sqs: env.clients.sqs.clone(),
            registration_queues,
            secure_cookies: !env.config.is_local(),
        }
    }
}

/// Every auth function: the handler name is the `Handler` of its function in `template.yaml`.
pub fn functions(env: Arc<Env>) -> Vec<Function> {
    let auth = Arc::new(Auth::new(&env));
    vec![
        http_route(
            "register",
            Route::post("/api/register"),
            auth.clone(),
            register::handle,
        ),
        http_route(
            "login",
            Route::post("/api/login"),
            auth.clone(),
            login::handle,
        ),
        http_route(
            "logout",
            Route::get("/api/logout"),
            auth.clone(),
            logout::handle,
        ),
        http_route("auth", Route::get("/api/auth"), auth.clone(), check::handle),
        http_route(
            "me-get",
            Route::get("/api/me").authorized(),
            auth.clone(),
            me::get,
        ),
        http_route(
            "me-put",
            Route::put("/api/me").authorized(),
            auth.clone(),
            me::put,
        ),
        stream_consumer("user-events", "Table", auth.clone(), user_events::handle),
        Function {
            handler: "authorizer",
            trigger: Trigger::Authorizer,
            invoke: json(move |event, _ctx| authorizer::handle(auth.clone(), event)),
        },
    ]
}
