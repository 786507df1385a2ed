//! Hosts every function of the template in-process and invokes it as Lambda would: a JSON
//! event in, a JSON result or an error (`errorType`, `errorMessage`) out, within its timeout.

use crate::template::FunctionSpec;
use lambda_runtime::{Context, Diagnostic};
use serde_json::Value;
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};
use vitrina_shared::{
    aws::Aws,
    runtime::{Env, Function, Invoke},
};

pub type Registry = fn() -> Vec<Function>;

/// The service binaries this runtime can host, by the template's `BuildProperties.Binary`.
pub fn registries() -> HashMap<&'static str, Registry> {
    HashMap::from([
        ("auth", vitrina_auth::functions as Registry),
        ("billing", vitrina_billing::functions as Registry),
        ("notification", vitrina_notification::functions as Registry),
        ("store", vitrina_store::functions as Registry),
        ("order", vitrina_order::functions as Registry),
        ("delivery", vitrina_delivery::functions as Registry),
        ("payment", vitrina_payment::functions as Registry),
        ("orchestra", vitrina_orchestra::functions as Registry),
        ("fixture", crate::fixture::functions as Registry),
    ])
}

pub struct Hosted {
    pub spec: FunctionSpec,
    pub invoke: Invoke,
}

pub struct Host {
    pub functions: HashMap<String, Hosted>,
    pub region: String,
    /// Who invoked which function through the Lambda API (the caller's access key, the
    /// function's ARN) and how often, for the least-privilege check (`iam.rs`).
    pub invokes: Mutex<HashMap<(String, String), u64>>,
    /// Every invocation of each function (any trigger) and the time it ran, for `make bench`'s
    /// cost of an order (`GET /_local/invocations`).
    pub invocations: Mutex<HashMap<String, Invocations>>,
}

#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Invocations {
    pub count: u64,
    pub millis: u64,
}

/// `GET /_local/invocations`: how often each function ran, and for how long in all.
pub fn invocations_router(host: Arc<Host>) -> axum::Router {
    async fn list(
        axum::extract::State(host): axum::extract::State<Arc<Host>>,
    ) -> axum::Json<HashMap<String, Invocations>> {
        axum::Json(
            host.invocations
                .lock()
                .map(|i| i.clone())
                .unwrap_or_default(),
        )
    }
    axum::Router::new()
        .route("/", axum::routing::get(list))
        .with_state(host)
}

/// The SDK configuration of one function: its logical id as the access key, so the local AWS
/// (and this runtime's Lambda API) can tell which function made a call, as IAM tells roles apart.
fn identity(aws: &Aws, logical_id: &str) -> Aws {
    use aws_sdk_dynamodb::config::{Credentials, SharedCredentialsProvider};
    let credentials = Credentials::new(logical_id, "local", None, None, "vitrina-local");
    Aws::new(
        aws.sdk()
            .to_builder()
            .credentials_provider(SharedCredentialsProvider::new(credentials))
            .build(),
    )
}

impl Host {
    pub fn new(specs: Vec<FunctionSpec>, env: Arc<Env>, region: &str) -> Result<Self, String> {
        let mut built: HashMap<&str, Vec<Function>> = HashMap::new();
        for (binary, registry) in registries() {
            built.insert(binary, registry());
        }
        let mut functions = HashMap::new();
        for spec in specs {
            let registry = built.get(spec.binary.as_str()).ok_or(format!(
                "{}: no service binary {}",
                spec.logical_id, spec.binary
            ))?;
            let f = registry
                .iter()
                .find(|f| f.handler == spec.handler)
                .ok_or(format!(
                    "{}: binary {} has no handler {}",
                    spec.logical_id, spec.binary, spec.handler
                ))?;
            // Each function is built as its own Lambda would be, from the one shared environment
            // and with its own identity.
            let own = Env {
                config: env.config.clone(),
                aws: identity(&env.aws, &spec.logical_id),
            };
            let invoke = f
                .build(&own)
                .map_err(|e| format!("{}: {e}", spec.logical_id))?;
            functions.insert(spec.logical_id.clone(), Hosted { invoke, spec });
        }
        Ok(Self {
            functions,
            region: region.to_string(),
            invokes: Mutex::new(HashMap::new()),
            invocations: Mutex::new(HashMap::new()),
        })
    }

    /// Accepts a logical id, a function name or an ARN (`...:function:Name[:qualifier]`).
    pub fn find(&self, name: &str) -> Option<&Hosted> {
        let name = match name.split_once(":function:") {
            Some((_, rest)) => rest.split(':').next().unwrap_or(rest),
            None => name,
        };
        self.functions.get(name)
    }

    /// Notes that `caller` (an access key) invoked `name` through the Lambda API.
    pub fn record_invoke(&self, caller: &str, name: &str) {
        let Some(f) = self.find(name) else { return };
        let arn = format!(
            "arn:aws:lambda:{}:{}:function:{}",
            self.region,
            crate::template::ACCOUNT,
            f.spec.logical_id
        );
        if let Ok(mut invokes) = self.invokes.lock() {
            *invokes.entry((caller.to_string(), arn)).or_default() += 1;
        }
    }

    pub async fn invoke(&self, name: &str, event: Value) -> Result<Value, Diagnostic> {
        let f = self.find(name).ok_or_else(|| Diagnostic {
            error_type: "ResourceNotFoundException".into(),
            error_message: format!("Function not found: {name}"),
        })?;
        let mut ctx = Context::default();
        ctx.request_id = uuid::Uuid::now_v7().to_string();
        ctx.invoked_function_arn = format!(
            "arn:aws:lambda:{}:{}:function:{}",
            self.region,
            crate::template::ACCOUNT,
            f.spec.logical_id
        );
        let timeout = Duration::from_secs(f.spec.timeout_seconds);
        ctx.deadline = (chrono::Utc::now().timestamp_millis() as u64) + timeout.as_millis() as u64;
        // Its own task: a panicking handler becomes an error, as the Lambda runtime reports it;
        // and stopped at its timeout, as Lambda stops it — what it had not written by then is
        // never written, so a handler that trusts it will finish shows here, not in AWS.
        let mut task = tokio::spawn((f.invoke)(event, ctx));
        let started = std::time::Instant::now();
        let outcome = tokio::time::timeout(timeout, &mut task).await;
        if outcome.is_err() {
            task.abort();
        }
        if let Ok(mut all) = self.invocations.lock() {
            let entry = all.entry(f.spec.logical_id.clone()).or_default();
            entry.count += 1;
            entry.millis += started.elapsed().as_millis() as u64;
        }
        match outcome {
            Ok(Ok(result)) => result,
            Ok(Err(join)) => Err(Diagnostic {
                error_type: "Runtime.Panic".into(),
                error_message: join.to_string(),
            }),
            Err(_) => Err(Diagnostic {
                error_type: "Sandbox.Timedout".into(),
                error_message: format!("Task timed out after {} seconds", timeout.as_secs()),
            }),
        }
    }
}
