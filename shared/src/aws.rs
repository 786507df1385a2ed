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
    let https = aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https();
    aws_config::defaults(BehaviorVersion::latest())
        .http_client(SharedHttpClient::new(OneConnector(https)))
        .load()
        .await
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
