//! AWS clients. A function builds, at its cold start, only the clients its handler uses: each
//! client sets up TLS (the trust store) when it is built, the largest part of a cold start.
//!
//! Endpoints are not configured here on purpose: aws-config honours `AWS_ENDPOINT_URL` and
//! `AWS_ENDPOINT_URL_<SERVICE>`, so the same code talks to moto, LocalStack or AWS.

use aws_config::{BehaviorVersion, SdkConfig};
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
use aws_smithy_runtime_api::client::{
    connector_metadata::ConnectorMetadata,
    http::{HttpClient, HttpConnectorSettings, SharedHttpClient, SharedHttpConnector},
    runtime_components::RuntimeComponents,
};

/// ring instead of aws-lc: no C build of aws-lc-sys, a smaller binary (docs/ARCHITECTURE.md §2).
pub async fn sdk_config() -> SdkConfig {
    loader().load().await
}

fn loader() -> aws_config::ConfigLoader {
    let https = aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https();
    aws_config::defaults(BehaviorVersion::latest())
        .http_client(SharedHttpClient::new(OneConnector(https)))
}

/// The clients of an operator's command (`vitrina-wallet`, `vitrina-giftcards`,
/// `vitrina-catalog`). Pointed at a local stack (`AWS_ENDPOINT_URL`) with no credentials or
/// profile of its own, it uses the local stack's (any key works there) and `us-east-1`, instead
/// of asking an instance-metadata service that a laptop does not have — which ended, after a
/// timeout, in a 40-line `DispatchFailure`.
pub async fn operator_clients() -> Clients {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    let mut loader = loader();
    if set("AWS_ENDPOINT_URL") && !set("AWS_ACCESS_KEY_ID") && !set("AWS_PROFILE") {
        loader = loader.credentials_provider(aws_sdk_dynamodb::config::Credentials::new(
            "local",
            "local",
            None,
            None,
            "vitrina-operator",
        ));
        if !set("AWS_REGION") && !set("AWS_DEFAULT_REGION") {
            loader = loader.region(aws_config::Region::new("us-east-1"));
        }
    }
    Clients::new(&loader.load().await)
}

/// An operator command's failure as one line: where AWS could not be reached, or what it
/// refused, from the deepest cause of the error chain (the SDK's own report spans dozens).
pub fn one_line(err: &(dyn std::error::Error + 'static)) -> String {
    let mut source = err.source();
    if source.is_none() {
        // Not an AWS failure (a usage error, a refused file): as it is.
        return err.to_string();
    }
    let mut chain = vec![err.to_string()];
    while let Some(e) = source {
        chain.push(e.to_string());
        source = e.source();
    }
    let root = chain
        .last()
        .map(|m| m.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    let all = chain.join(" ").to_lowercase();
    if all.contains("dispatch failure") || all.contains("connect") || all.contains("timed out") {
        let endpoint = std::env::var("AWS_ENDPOINT_URL").unwrap_or_else(|_| "AWS".into());
        format!("cannot reach AWS at {endpoint}: {root}")
    } else {
        format!("AWS refused: {root}")
    }
}

/// The SDK's HTTPS client, minus its eager start: by default every SDK client, when built,
/// sets up a TLS connector (parsing the trust store) to have it ready, and throws it away —
/// a cold start paid it once per client, about 2 ms each. Here the connector is set up by the
/// first request and kept by the shared HTTPS client for every SDK client with the same
/// timeouts (all of ours): one TLS set-up per process, none for a request that calls no AWS.
#[derive(Debug)]
struct OneConnector(SharedHttpClient);

impl HttpClient for OneConnector {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        self.0.http_connector(settings, components)
    }

    fn connector_metadata(&self) -> Option<ConnectorMetadata> {
        self.0.connector_metadata()
    }
}

/// The SDK configuration of a function's environment, loaded once; clients are built from it
/// on demand by the functions' state builders.
#[derive(Clone, Debug)]
pub struct Aws {
    sdk: SdkConfig,
}

impl Aws {
    pub fn new(sdk: SdkConfig) -> Self {
        Self { sdk }
    }

    pub async fn from_env() -> Self {
        Self::new(sdk_config().await)
    }

    /// For a client of a service only one function uses (payment's Secrets Manager), built by
    /// that function's crate so the others do not compile it.
    pub fn sdk(&self) -> &SdkConfig {
        &self.sdk
    }

    pub fn dynamodb(&self) -> aws_sdk_dynamodb::Client {
        aws_sdk_dynamodb::Client::new(&self.sdk)
    }

    pub fn sqs(&self) -> aws_sdk_sqs::Client {
        aws_sdk_sqs::Client::new(&self.sdk)
    }

    pub fn sesv2(&self) -> aws_sdk_sesv2::Client {
        aws_sdk_sesv2::Client::new(&self.sdk)
    }

    pub fn sfn(&self) -> aws_sdk_sfn::Client {
        aws_sdk_sfn::Client::new(&self.sdk)
    }

    /// Internal invokes between services (docs/ARCHITECTURE.md).
    pub fn lambda(&self) -> aws_sdk_lambda::Client {
        aws_sdk_lambda::Client::new(&self.sdk)
    }

    pub fn s3(&self) -> aws_sdk_s3::Client {
        // Path-style: moto and LocalStack serve buckets on one host.
        aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(&self.sdk)
                .force_path_style(std::env::var("AWS_ENDPOINT_URL").is_ok())
                .build(),
        )
    }
}

/// Every client at once, for the tools and tests that use many (a function builds its own
/// from [`Aws`]).
#[derive(Clone, Debug)]
pub struct Clients {
    pub dynamodb: aws_sdk_dynamodb::Client,
    pub sqs: aws_sdk_sqs::Client,
    pub sesv2: aws_sdk_sesv2::Client,
    pub sfn: aws_sdk_sfn::Client,
    pub s3: aws_sdk_s3::Client,
    pub lambda: aws_sdk_lambda::Client,
}

impl Clients {
    pub fn new(sdk: &SdkConfig) -> Self {
        let aws = Aws::new(sdk.clone());
        Self {
            dynamodb: aws.dynamodb(),
            sqs: aws.sqs(),
            sesv2: aws.sesv2(),
            sfn: aws.sfn(),
            lambda: aws.lambda(),
            s3: aws.s3(),
        }
    }

    pub async fn from_env() -> Self {
        Self::new(&sdk_config().await)
    }
}
