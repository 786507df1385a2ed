//! One binary per service, one Lambda per endpoint (docs/ARCHITECTURE.md §2).
//!
//! Each service exposes a registry of its functions; the binary picks the one named by the
//! function's `Handler` (custom runtimes get it as `_HANDLER`) and the local runtime hosts them
//! all in-process. Both call a function the same way: a JSON event in, a JSON result out, just
//! as the Lambda Runtime API hands them over.

use crate::{
    aws::Aws,
    config::{Config, SettingsError},
};
use lambda_http::{Body, Request, Response};
use lambda_runtime::{service_fn, Context, Diagnostic, LambdaEvent, Service};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;
use std::{convert::Infallible, future::Future, pin::Pin, sync::Arc};

pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

tokio::task_local! {
    /// The running invocation's deadline, in milliseconds since the epoch (Lambda's context).
    static DEADLINE_MS: u64;
}

/// When Lambda will stop the running invocation, if the caller runs inside one: what a handler
/// writes that outlives it (a claim, a lease) can say until when its holder may still act.
pub fn invocation_deadline() -> Option<chrono::DateTime<chrono::Utc>> {
    DEADLINE_MS
        .try_with(|ms| *ms)
        .ok()
        .filter(|ms| *ms > 0)
        .and_then(|ms| chrono::DateTime::from_timestamp_millis(i64::try_from(ms).ok()?))
}

/// Runs `f` as if inside an invocation that Lambda stops at `deadline_ms`.
pub async fn within_deadline<F: Future>(deadline_ms: u64, f: F) -> F::Output {
    DEADLINE_MS.scope(deadline_ms, f).await
}
pub type Invoke = Arc<dyn Fn(Value, Context) -> BoxFuture<Result<Value, Diagnostic>> + Send + Sync>;

/// What makes a function run; `template.yaml` must say the same (a test holds them equal).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Trigger {
    /// An HTTP API route; `authorized` means the session authorizer guards it.
    Http {
        method: &'static str,
        path: &'static str,
        authorized: bool,
    },
    /// The HTTP API's Lambda authorizer.
    Authorizer,
    /// An SQS event-source mapping from the queue with this logical id.
    Sqs { queue: &'static str },
    /// A DynamoDB Streams event-source mapping from the table with this logical id.
    Stream { table: &'static str },
    /// Invoked directly through the Lambda API: by another service (a contract of
    /// `crate::contracts`) or by a state machine's task.
    Invoke,
}

/// Builds a function from its environment: its settings (failing on a missing one) and the
/// state its handler shares between invocations. Only the chosen function is built at a cold
/// start, so a function needs only its own settings from `template.yaml`.
pub type Build = Arc<dyn Fn(&Env) -> Result<Invoke, SettingsError> + Send + Sync>;

pub struct Function {
    pub handler: &'static str,
    pub trigger: Trigger,
    pub build: Build,
}

impl Function {
    /// A function whose handler `f` shares the state `state(env)` builds.
    pub fn new<S, B, F>(handler: &'static str, trigger: Trigger, state: B, f: F) -> Self
    where
        S: Send + Sync + 'static,
        B: Fn(&Env) -> Result<S, SettingsError> + Send + Sync + 'static,
        F: Fn(Arc<S>) -> Invoke + Send + Sync + 'static,
    {
        Self {
            handler,
            trigger,
            build: Arc::new(move |env| Ok(f(Arc::new(state(env)?)))),
        }
    }

    pub fn build(&self, env: &Env) -> Result<Invoke, SettingsError> {
        (self.build)(env)
    }
}

/// Everything a handler needs from its environment, built once per cold start.
pub struct Env {
    pub config: Config,
    pub aws: Aws,
}

pub fn error(kind: &str, message: impl std::fmt::Display) -> Diagnostic {
    Diagnostic {
        error_type: kind.to_string(),
        error_message: message.to_string(),
    }
}

/// Wraps an HTTP handler: the API Gateway v2 event is turned into a `Request` and the
/// `Response` back into the v2 result by lambda_http itself, exactly as `lambda_http::run` does.
pub fn http<F, Fut>(handler: F) -> Invoke
where
    F: Fn(Request) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Response<Body>> + Send + 'static,
{
    let handler = Arc::new(handler);
    Arc::new(move |event: Value, context: Context| {
        let handler = handler.clone();
        Box::pin(async move {
            // LambdaRequest deserialises through RawValue, which a `Value` cannot feed.
            let raw = serde_json::to_string(&event).map_err(|e| error("InvalidEvent", e))?;
            let request: lambda_http::request::LambdaRequest =
                serde_json::from_str(&raw).map_err(|e| error("InvalidEvent", e))?;
            let service = service_fn(move |req: Request| {
                let handler = handler.clone();
                async move { Ok::<_, Infallible>(handler(req).await) }
            });
            let mut adapter = lambda_http::Adapter::from(service);
            let response = adapter
                .call(LambdaEvent::new(request, context))
                .await
                .map_err(|e: Infallible| error("Infallible", e))?;
            serde_json::to_value(response).map_err(|e| error("InvalidResponse", e))
        })
    })
}

/// Wraps a handler of a typed event (SQS batch, authorizer request, saga task).
pub fn json<E, R, F, Fut>(handler: F) -> Invoke
where
    E: DeserializeOwned + Send + 'static,
    R: Serialize,
    F: Fn(E, Context) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<R, Diagnostic>> + Send + 'static,
{
    let handler = Arc::new(handler);
    Arc::new(move |event: Value, context: Context| {
        let handler = handler.clone();
        Box::pin(within_deadline(context.deadline, async move {
            let event: E = serde_json::from_value(event).map_err(|e| error("InvalidEvent", e))?;
            let result = handler(event, context).await?;
            serde_json::to_value(result).map_err(|e| error("InvalidResponse", e))
        }))
    })
}

/// The `main` of every service binary.
pub async fn run_service(registry: fn() -> Vec<Function>) -> Result<(), lambda_runtime::Error> {
    crate::telemetry::init();
    let handler_name = std::env::var("_HANDLER").map_err(|_| "_HANDLER is not set")?;
    let config = Config::from_env()?;
    let aws = Aws::from_env().await;
    let env = Env { config, aws };
    let function = registry()
        .into_iter()
        .find(|f| f.handler == handler_name)
        .ok_or_else(|| format!("this binary has no handler named {handler_name}"))?;
    let invoke = function
        .build(&env)
        .map_err(|e| format!("{handler_name}: {e}"))?;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| {
        invoke(event.payload, event.context)
    }))
    .await
}

/// An HTTP API route as the template declares it; reads like the route table:
/// `Route::post("/api/cart/items").authorized()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    /// Guarded by the session authorizer.
    pub authorized: bool,
}

impl Route {
    const fn new(method: &'static str, path: &'static str) -> Self {
        Self {
            method,
            path,
            authorized: false,
        }
    }
    pub const fn get(path: &'static str) -> Self {
        Self::new("GET", path)
    }
    pub const fn post(path: &'static str) -> Self {
        Self::new("POST", path)
    }
    pub const fn put(path: &'static str) -> Self {
        Self::new("PUT", path)
    }
    pub const fn patch(path: &'static str) -> Self {
        Self::new("PATCH", path)
    }
    pub const fn delete(path: &'static str) -> Self {
        Self::new("DELETE", path)
    }
    /// Only with a live session: the authorizer passes the caller to the handler.
    pub const fn authorized(self) -> Self {
        Self {
            authorized: true,
            ..self
        }
    }
}

/// An HTTP API route served by `f(state, request)`; errors become the JSON error response.
pub fn http_route<S, B, F, Fut>(handler: &'static str, route: Route, state: B, f: F) -> Function
where
    S: Send + Sync + 'static,
    B: Fn(&Env) -> Result<S, SettingsError> + Send + Sync + 'static,
    F: Fn(Arc<S>, Request) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Response<Body>, crate::ApiError>> + Send + 'static,
{
    let f = Arc::new(f);
    let trigger = Trigger::Http {
        method: route.method,
        path: route.path,
        authorized: route.authorized,
    };
    Function {
        handler,
        trigger,
        build: Arc::new(move |env| {
            let origin = crate::http::OriginCheck::from_setting(
                env.config.vars.get("ORIGIN_VERIFY").map(String::as_str),
            );
            let state = Arc::new(state(env)?);
            let f = f.clone();
            Ok(http(move |req| {
                let (state, f, origin) = (state.clone(), f.clone(), origin.clone());
                async move {
                    if let Err(refused) = origin
                        .check(&req)
                        .and_then(|()| crate::http::same_site_only(&req))
                    {
                        return refused.into_response();
                    }
                    crate::http::respond(f(state, req).await)
                }
            }))
        }),
    }
}

/// The HTTP API's Lambda authorizer: `f(state, request)` answers the simple response.
pub fn authorizer<S, B, E, R, F, Fut>(handler: &'static str, state: B, f: F) -> Function
where
    S: Send + Sync + 'static,
    B: Fn(&Env) -> Result<S, SettingsError> + Send + Sync + 'static,
    E: DeserializeOwned + Send + 'static,
    R: Serialize,
    F: Fn(Arc<S>, E) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<R, Diagnostic>> + Send + 'static,
{
    let f = Arc::new(f);
    Function::new(handler, Trigger::Authorizer, state, move |state| {
        let f = f.clone();
        json(move |event: E, _ctx| f(state.clone(), event))
    })
}

/// An SQS event-source mapping from `queue` (its logical id in `template.yaml`); `f` handles one
/// message and must tolerate duplicates and reordering.
pub fn sqs_consumer<S, B, F, Fut>(
    handler: &'static str,
    queue: &'static str,
    state: B,
    f: F,
) -> Function
where
    S: Send + Sync + 'static,
    B: Fn(&Env) -> Result<S, SettingsError> + Send + Sync + 'static,
    F: Fn(Arc<S>, crate::sqs::SqsMessage) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), crate::ConsumeError>> + Send + 'static,
{
    let f = Arc::new(f);
    Function::new(handler, Trigger::Sqs { queue }, state, move |state| {
        let f = f.clone();
        json(move |batch: crate::sqs::SqsEvent, _ctx| {
            let (state, f) = (state.clone(), f.clone());
            async move {
                Ok::<_, Diagnostic>(
                    crate::sqs::each_record(batch, |record| f(state.clone(), record)).await,
                )
            }
        })
    })
}

/// The function side of a contract (`crate::contracts`): another service or a state machine
/// invokes it directly. A refusal is reported by its name as `errorType`; an `Unavailable`
/// failure is logged here and reported as `Unavailable`.
pub fn internal<C, S, B, F, Fut>(_contract: C, state: B, f: F) -> Function
where
    C: crate::contracts::Contract,
    S: Send + Sync + 'static,
    B: Fn(&Env) -> Result<S, SettingsError> + Send + Sync + 'static,
    F: Fn(Arc<S>, C::Request) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<C::Response, crate::contracts::Failure<C::Refusal>>>
        + Send
        + 'static,
{
    let f = Arc::new(f);
    Function::new(C::HANDLER, Trigger::Invoke, state, move |state| {
        let f = f.clone();
        json(move |request: C::Request, _ctx| {
            let (state, f) = (state.clone(), f.clone());
            async move {
                f(state, request).await.map_err(|failure| {
                    if let crate::contracts::Failure::Unavailable(cause) = &failure {
                        tracing::error!(handler = C::HANDLER, error = %cause, "unavailable");
                    }
                    let (error_type, message) = failure.reported();
                    error(error_type, message)
                })
            }
        })
    })
}

/// A DynamoDB Streams event-source mapping from `table` (its logical id in `template.yaml`); `f`
/// handles one change record, in stream order, and must tolerate seeing it again.
pub fn stream_consumer<S, B, F, Fut>(
    handler: &'static str,
    table: &'static str,
    state: B,
    f: F,
) -> Function
where
    S: Send + Sync + 'static,
    B: Fn(&Env) -> Result<S, SettingsError> + Send + Sync + 'static,
    F: Fn(Arc<S>, crate::stream::StreamRecord) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), crate::ConsumeError>> + Send + 'static,
{
    let f = Arc::new(f);
    Function::new(handler, Trigger::Stream { table }, state, move |state| {
        let f = f.clone();
        json(move |batch: crate::stream::StreamEvent, _ctx| {
            let (state, f) = (state.clone(), f.clone());
            async move {
                Ok::<_, Diagnostic>(
                    crate::stream::each_change(batch, |record| f(state.clone(), record)).await,
                )
            }
        })
    })
}
