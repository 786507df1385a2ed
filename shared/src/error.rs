//! The one error shape every endpoint answers with:
//! `{"error": {"code": "...", "message": "..."}}` and the status code it maps to.

use lambda_http::{http::StatusCode, Body, Response};
use serde_json::json;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    /// Stable, machine-readable; the web client translates it for people.
    pub code: &'static str,
    /// For developers and API clients, in English.
    pub message: String,
    /// What the client needs to word the message itself (`{"city": "Тверь"}`), if anything.
    pub details: Option<serde_json::Value>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            details: None,
        }
    }

    pub fn with_details(self, details: serde_json::Value) -> Self {
        Self {
            details: Some(details),
            ..self
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, message)
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, message)
    }

    /// The cause is logged here and never shown: it may name tables, keys or AWS internals.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal error, please try again later",
        )
    }

    /// A party the shop depends on (the table, a queue, another service, the bank) did not do
    /// its part: 503, worth another attempt with the same request. The cause is logged, never
    /// shown.
    pub fn unavailable(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "a dependency is unavailable");
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "The shop could not do this now; try again in a moment with the same request",
        )
    }

    pub fn body(&self) -> serde_json::Value {
        let mut error = json!({"code": self.code, "message": self.message});
        if let Some(details) = &self.details {
            error["details"] = details.clone();
        }
        json!({ "error": error })
    }

    pub fn into_response(self) -> Response<Body> {
        crate::http::json(self.status, &self.body())
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.code,
            self.message
        )
    }
}

impl std::error::Error for ApiError {}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Why a store (a service's `store.rs`, the only code touching the table) could not do what it
/// was asked. Every store answers with it; a handler matches the variants its endpoint gives a
/// meaning to and hands the rest on with `?` (an API 500, a contract's `Unavailable`).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A condition of the write did not hold: the item exists already, changed since it was
    /// read, or is not in the state the write requires.
    #[error("the item's condition did not hold")]
    Conflict,
    #[error("no such item")]
    NotFound,
    /// DynamoDB refused for now (a transaction conflict, throttling): worth another attempt.
    #[error("busy: {0}")]
    Busy(String),
    /// An item in the table does not have the shape the code expects.
    #[error("an item does not have its expected shape: {0}")]
    Shape(#[from] serde_dynamo::Error),
    #[error("DynamoDB: {message}")]
    Aws {
        message: String,
        #[source]
        source: BoxError,
    },
}

impl<E, R> From<aws_sdk_dynamodb::error::SdkError<E, R>> for StoreError
where
    E: aws_sdk_dynamodb::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    fn from(err: aws_sdk_dynamodb::error::SdkError<E, R>) -> Self {
        match err.as_service_error().and_then(|e| e.code()) {
            Some("ConditionalCheckFailedException") => Self::Conflict,
            Some(
                code @ ("TransactionConflictException"
                | "ProvisionedThroughputExceededException"
                | "ThrottlingException"
                | "RequestLimitExceeded"),
            ) => Self::Busy(code.to_string()),
            _ => Self::Aws {
                message: aws_sdk_dynamodb::error::DisplayErrorContext(&err).to_string(),
                source: Box::new(err),
            },
        }
    }
}

/// What the client is not told, logged with its cause: DynamoDB down or busy is 503 (a retry
/// may succeed); an item of the wrong shape, or a condition no handler gave a meaning to, is a
/// bug here (500).
impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Busy(_) | StoreError::Aws { .. } => Self::unavailable(err),
            StoreError::Conflict | StoreError::NotFound | StoreError::Shape(_) => {
                Self::internal(err)
            }
        }
    }
}

/// A party the code depends on (an AWS API, the bank, another service's function) could not be
/// reached or did not do its part; another attempt may succeed. The one error of every adapter
/// that has no business answers of its own: an API answers 503, a consumer lets the record be
/// retried, a contract's function reports `Unavailable`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Unavailable(pub String);

impl Unavailable {
    pub fn new(cause: impl std::fmt::Display) -> Self {
        Self(cause.to_string())
    }
}

impl From<Unavailable> for ApiError {
    fn from(err: Unavailable) -> Self {
        Self::unavailable(err)
    }
}

impl From<Unavailable> for ConsumeError {
    fn from(err: Unavailable) -> Self {
        Self::Unavailable(err.0)
    }
}

impl From<StoreError> for Unavailable {
    fn from(err: StoreError) -> Self {
        Self::new(err)
    }
}

/// Why a consumer (an SQS or stream event source) did not handle a record. The record is
/// retried, and past its limit kept in a DLQ for an operator; the cause is logged.
#[derive(Debug, thiserror::Error)]
pub enum ConsumeError {
    /// The record is not one the consumer can ever handle; retries only move it to the DLQ.
    #[error("malformed record: {0}")]
    Malformed(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Another party (SQS, SES, S3, another service) failed; a retry may succeed.
    #[error("{0}")]
    Unavailable(String),
}

impl ConsumeError {
    pub fn unavailable(cause: impl std::fmt::Display) -> Self {
        Self::Unavailable(cause.to_string())
    }
}

impl From<crate::envelope::EnvelopeError> for ConsumeError {
    fn from(err: crate::envelope::EnvelopeError) -> Self {
        Self::Malformed(err.to_string())
    }
}

impl From<serde_dynamo::Error> for ConsumeError {
    fn from(err: serde_dynamo::Error) -> Self {
        Self::Malformed(err.to_string())
    }
}

/// A request the code built wrongly (a missing required field): a bug, reported like an AWS
/// failure.
impl From<aws_sdk_dynamodb::error::BuildError> for StoreError {
    fn from(err: aws_sdk_dynamodb::error::BuildError) -> Self {
        Self::Aws {
            message: err.to_string(),
            source: Box::new(err),
        }
    }
}
