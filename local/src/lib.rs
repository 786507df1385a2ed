//! `vitrina-local`: the project's local runtime (docs/ARCHITECTURE.md §5). With moto serving the AWS APIs
//! it plays what moto cannot: API Gateway, Lambda (every function in-process), the Lambda
//! Invoke API for Step Functions, SQS and DynamoDB Streams event-source mappings. Everything comes from
//! `template.yaml`.
//!
//! `vitrina-local` serves; `vitrina-local provision` only creates the resources and exits.
//! Settings (environment): AWS_ENDPOINT_URL (moto, default http://127.0.0.1:4566),
//! VITRINA_PORT (3000), VITRINA_LAMBDA_PORT (3001), VITRINA_TEMPLATE (template.yaml),
//! VITRINA_EXTRA_TEMPLATES (comma-separated, e.g. tests/fixtures/platform.yaml),
//! VITRINA_WEB_DIR (web/dist), VITRINA_SQS_RETRY_SECONDS (1), VITRINA_TIMEOUT_SCALE (3).

pub mod api;
pub mod couriers;
pub mod executions;
pub mod fixture;
pub mod host;
pub mod iam;
pub mod lambda_api;
pub mod provision;
pub mod push;
pub mod sqs;
pub mod streams;
pub mod template;

use std::{collections::HashMap, sync::Arc, time::Duration};
use vitrina_shared::{
    aws::{sdk_config, Aws, Clients},
    runtime::Env,
    Config,
};

fn setting(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_string())
}

/// The whole local runtime; `main` only reports its error.
pub async fn main_entry() {
    vitrina_shared::telemetry::init();
    if let Err(e) = run().await {
        eprintln!("vitrina-local: {e}");
        std::process::exit(1);
    }
}

pub async fn run() -> Result<(), String> {
    let provision_only = std::env::args().nth(1).as_deref() == Some("provision");
    let endpoint = setting("AWS_ENDPOINT_URL", "http://127.0.0.1:4566");
    // The SDK reads these; the local runtime fills in what a developer need not set.
    for (k, v) in [
        ("AWS_ENDPOINT_URL", endpoint.as_str()),
        ("AWS_REGION", "us-east-1"),
        ("AWS_ACCESS_KEY_ID", "local"),
        ("AWS_SECRET_ACCESS_KEY", "local"),
    ] {
        if std::env::var(k).map(|x| x.is_empty()).unwrap_or(true) {
            std::env::set_var(k, v);
        }
    }
    // Internal invokes between services reach this runtime's Lambda API.
    if std::env::var("AWS_ENDPOINT_URL_LAMBDA").is_err() {
        std::env::set_var(
            "AWS_ENDPOINT_URL_LAMBDA",
            format!(
                "http://127.0.0.1:{}",
                setting("VITRINA_LAMBDA_PORT", "3001")
            ),
        );
    }
    let region = setting("AWS_REGION", "us-east-1");
    // The bank is the local platform's sandbox (scripts/stack.sh starts it on its own port).
    let bank_port = setting("VITRINA_BANK_PORT", "3002");
    let mut overrides = HashMap::from([
        ("Stage".to_string(), "local".to_string()),
        ("Architecture".to_string(), "x86_64".to_string()),
        (
            "PublicShopUrl".to_string(),
            format!("http://127.0.0.1:{}", setting("VITRINA_PORT", "3000")),
        ),
        (
            "BankApiUrl".to_string(),
            format!("http://127.0.0.1:{bank_port}/v3"),
        ),
        (
            "BankShopId".to_string(),
            setting("VITRINA_BANK_SHOP_ID", "sandbox-shop"),
        ),
        (
            "BankSecretKey".to_string(),
            setting("VITRINA_BANK_SECRET_KEY", "test_sandbox_secret"),
        ),
    ]);
    // The courier companies are the local platform's sandbox too, on the shop's own port
    // (`local/src/couriers.rs`).
    overrides.insert(
        "CourierApiUrl".to_string(),
        format!(
            "http://127.0.0.1:{}/_couriers/v1",
            setting("VITRINA_PORT", "3000")
        ),
    );
    overrides.insert(
        "CourierApiToken".to_string(),
        setting("VITRINA_COURIERS_TOKEN", "sandbox-courier-token"),
    );
    // Browsers' push service is the local platform's too (`local/src/push.rs`), and the VAPID key
    // a fresh one per start, as a deployment makes its own (README "Web push").
    overrides.insert(
        "PushServices".to_string(),
        format!("http://127.0.0.1:{}", setting("VITRINA_PORT", "3000")),
    );
    let vapid = push::new_secret_key()?;
    overrides.insert(
        "VapidPrivateKey".to_string(),
        base64::Engine::encode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            vapid.to_bytes(),
        ),
    );
    // Single sign-on against the local platform's OpenID provider (local/oidc/provider.mjs, its
    // own port), registered there with this client and the callback of this shop.
    overrides.insert(
        "SsoProviders".to_string(),
        serde_json::json!([{
            "id": "local",
            "name": "Sandbox ID",
            "issuer": format!("http://127.0.0.1:{}", setting("VITRINA_OIDC_PORT", "3003")),
            "clientId": "vitrina-local",
            "scopes": ["email", "profile", "phone"],
            // Its access tokens for the shop's API (`local/oidc/provider.mjs`'s resource).
            "apiAudience": format!("http://127.0.0.1:{}/api", setting("VITRINA_PORT", "3000")),
        }])
        .to_string(),
    );
    overrides.insert(
        "SsoClientSecretValues".to_string(),
        serde_json::json!({
            "local": setting("VITRINA_OIDC_CLIENT_SECRET", "sandbox-oidc-secret"),
        })
        .to_string(),
    );
    // Tests wait for the payment's timer; the shop's own default is 15 minutes.
    if let Ok(hold) = std::env::var("VITRINA_PAYMENT_HOLD_SECONDS") {
        overrides.insert("PaymentHoldSeconds".to_string(), hold);
    }
    // And for a stock hold to lapse; the shop's own default is 15 minutes.
    if let Ok(hold) = std::env::var("VITRINA_STOCK_HOLD_SECONDS") {
        overrides.insert("StockHoldSeconds".to_string(), hold);
    }
    let mut template =
        template::Template::load(&setting("VITRINA_TEMPLATE", "template.yaml"), &overrides)?;
    for extra in setting("VITRINA_EXTRA_TEMPLATES", "")
        .split(',')
        .filter(|s| !s.is_empty())
    {
        template.merge(template::Template::load(extra, &HashMap::new())?)?;
    }
    let sdk = sdk_config().await;
    let clients = Clients::new(&sdk);
    let secrets = aws_sdk_secretsmanager::Client::new(&sdk);
    let resolver = provision::provision(&template, &clients, &secrets, &region).await?;
    tracing::info!(endpoint = %endpoint, "provisioned from the template");
    if provision_only {
        let out = serde_json::json!({ "refs": resolver.refs, "attrs": resolver.attrs });
        println!("{out}");
        return Ok(());
    }

    // A function is stopped at its timeout as Lambda stops it, but locally with `Timeout` times
    // this: the emulated AWS answers in tens to hundreds of milliseconds under a whole test
    // suite where AWS answers in single ones, and a timeout that only the emulator's slowness
    // reaches would test nothing but the emulator. 1 holds functions to AWS's own timeouts.
    let scale: u64 = setting("VITRINA_TIMEOUT_SCALE", "3")
        .parse()
        .unwrap_or(3)
        .max(1);
    let mut specs = template.functions()?;
    for spec in &mut specs {
        spec.timeout_seconds *= scale;
    }
    // One process hosts every function, so their environments must agree name by name.
    let mut vars: HashMap<String, (String, String)> = HashMap::new();
    for spec in &specs {
        for (k, v) in &spec.env {
            let value = resolver
                .resolve(v)
                .map_err(|e| format!("{}: {k}: {e}", spec.logical_id))?;
            if let Some((other, existing)) = vars.get(k) {
                if existing != &value {
                    return Err(format!(
                        "{k} differs between {other} and {}: the local runtime shares one environment",
                        spec.logical_id
                    ));
                }
            }
            vars.insert(k.clone(), (spec.logical_id.clone(), value));
        }
    }
    let config = Config::from_vars(vars.into_iter().map(|(k, (_, v))| (k, v)).collect())
        .map_err(|e| e.to_string())?;
    let env = Arc::new(Env {
        config,
        aws: Aws::new(sdk),
    });
    let host = Arc::new(host::Host::new(specs.clone(), env, &region)?);

    let retry = Duration::from_secs(
        setting("VITRINA_SQS_RETRY_SECONDS", "1")
            .parse()
            .unwrap_or(1),
    );
    for spec in &specs {
        for m in &spec.sqs {
            let queue_url = resolver
                .refs
                .get(&m.queue)
                .cloned()
                .ok_or(format!("{}: unknown queue {}", spec.logical_id, m.queue))?;
            let queue_arn = resolver
                .attrs
                .get(&format!("{}.Arn", m.queue))
                .cloned()
                .unwrap_or_default();
            sqs::start(
                host.clone(),
                clients.sqs.clone(),
                sqs::Mapping {
                    function: spec.logical_id.clone(),
                    spec: m.clone(),
                    queue_url,
                    queue_arn,
                },
                retry,
            );
        }
    }

    // A failing stream record blocks its shard until retried out (20 times in the template):
    // retried sooner than SQS messages so one poison record holds the shard seconds, not minutes.
    let stream_retry = Duration::from_millis(
        setting("VITRINA_STREAM_RETRY_MS", "200")
            .parse()
            .unwrap_or(200),
    );
    let stream_clients = Arc::new(streams::Clients {
        streams: aws_sdk_dynamodbstreams::Client::new(&vitrina_shared::aws::sdk_config().await),
        sqs: clients.sqs.clone(),
    });
    for spec in &specs {
        for m in &spec.streams {
            let stream_arn = resolver
                .attrs
                .get(&format!("{}.StreamArn", m.table))
                .cloned()
                .ok_or(format!(
                    "{}: table {} has no stream",
                    spec.logical_id, m.table
                ))?;
            let on_failure = match &m.on_failure {
                Some(q) => Some(
                    resolver
                        .refs
                        .get(q)
                        .cloned()
                        .ok_or(format!("{}: unknown on-failure queue {q}", spec.logical_id))?,
                ),
                None => None,
            };
            streams::start(
                host.clone(),
                stream_clients.clone(),
                streams::Mapping {
                    function: spec.logical_id.clone(),
                    spec: m.clone(),
                    stream_arn,
                    on_failure,
                },
                stream_retry,
            );
        }
    }

    let images = resolver
        .refs
        .get("CatalogBucket")
        .map(|b| (clients.s3.clone(), b.clone()));
    let api = Arc::new(api::Api::new(
        host.clone(),
        &template.authorizers(),
        endpoint.clone(),
        images,
    )?);
    let bind = setting("VITRINA_BIND", "127.0.0.1");
    let port = setting("VITRINA_PORT", "3000");
    let lambda_port = setting("VITRINA_LAMBDA_PORT", "3001");
    let web_dir = setting("VITRINA_WEB_DIR", "web/dist");

    let lambda_listener = tokio::net::TcpListener::bind(format!("{bind}:{lambda_port}"))
        .await
        .map_err(|e| format!("port {lambda_port}: {e}"))?;
    let http_listener = tokio::net::TcpListener::bind(format!("{bind}:{port}"))
        .await
        .map_err(|e| format!("port {port}: {e}"))?;
    let lambda_app = lambda_api::router(host.clone());
    tokio::spawn(async move {
        if let Err(e) = axum::serve(lambda_listener, lambda_app).await {
            tracing::error!(error = %e, "Lambda API server stopped");
        }
    });
    let mut routes: Vec<String> = api
        .routes
        .iter()
        .map(|r| {
            format!(
                "{} {} -> {}{}",
                r.method,
                r.path,
                r.function,
                if r.authorizer.is_some() {
                    " (authorized)"
                } else {
                    ""
                }
            )
        })
        .collect();
    routes.sort();
    for r in &routes {
        println!("  {r}");
    }
    println!("vitrina-local ready: shop http://{bind}:{port}  mailbox http://{bind}:{port}/_local/mail  sms http://{bind}:{port}/_local/sms  push http://{bind}:{port}/_local/push  executions http://{bind}:{port}/_local/executions  Lambda API http://{bind}:{lambda_port}  AWS {endpoint}");
    let shop = api::router(api, &web_dir)?
        .merge(couriers::router(Arc::new(couriers::Couriers::from_env()?)))
        .merge(push::router(Arc::new(push::PushService::new(format!(
            "http://127.0.0.1:{port}"
        )))))
        .nest(
            "/_local/executions",
            executions::router(clients.sfn.clone()),
        )
        .nest(
            "/_local/invocations",
            host::invocations_router(host.clone()),
        )
        .nest(
            "/_local/iam",
            iam::router(
                Arc::new(iam::Policies::new(&template, &resolver)),
                host.clone(),
                endpoint.clone(),
            ),
        );
    axum::serve(http_listener, shop)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| e.to_string())
}
