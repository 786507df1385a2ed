//! AWS clients, built once per process (cold start) and shared by every handler.
//!
//! Endpoints are not configured here on purpose: aws-config honours `AWS_ENDPOINT_URL` and
//! `AWS_ENDPOINT_URL_<SERVICE>`, so the same code talks to moto, LocalStack or AWS.

use aws_config::{BehaviorVersion, SdkConfig};
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};

/// ring instead of aws-lc: no C build of aws-lc-sys, a smaller binary (docs/ARCHITECTURE.md §2).
pub async fn sdk_config() -> SdkConfig {
    let http_client = aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https();
    aws_config::defaults(BehaviorVersion::latest())
        .http_client(http_client)
        .load()
        .await
}

#[derive(Clone, Debug)]
pub struct Clients {
    pub dynamodb: aws_sdk_dynamodb::Client,
    pub sqs: aws_sdk_sqs::Client,
    pub sesv2: aws_sdk_sesv2::Client,
    pub sfn: aws_sdk_sfn::Client,
    pub s3: aws_sdk_s3::Client,
    /// Internal invokes between services (documented in the README).
    pub lambda: aws_sdk_lambda::Client,
}

impl Clients {
    pub fn new(sdk: &SdkConfig) -> Self {
        Self {
            dynamodb: aws_sdk_dynamodb::Client::new(sdk),
            sqs: aws_sdk_sqs::Client::new(sdk),
            sesv2: aws_sdk_sesv2::Client::new(sdk),
            sfn: aws_sdk_sfn::Client::new(sdk),
            lambda: aws_sdk_lambda::Client::new(sdk),
            // Path-style: moto and LocalStack serve buckets on one host.
            s3: aws_sdk_s3::Client::from_conf(
                aws_sdk_s3::config::Builder::from(sdk)
                    .force_path_style(std::env::var("AWS_ENDPOINT_URL").is_ok())
                    .build(),
            ),
        }
    }

    pub async fn from_env() -> Self {
        Self::new(&sdk_config().await)
    }
}

/// Whether a DynamoDB call failed only because its condition did not hold.
pub fn is_conditional_failure<E, R>(err: &aws_sdk_dynamodb::error::SdkError<E, R>) -> bool
where
    E: aws_sdk_dynamodb::error::ProvideErrorMetadata,
{
    err.as_service_error()
        .and_then(|e| e.code())
        .is_some_and(|code| code == "ConditionalCheckFailedException")
}
