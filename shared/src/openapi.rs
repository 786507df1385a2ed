//! What every service's part of the API's OpenAPI document shares: the error body every 4xx and
//! 5xx carries, and the session cookie as the security scheme of the routes behind the
//! authorizer. Each service describes its routes where they are handled (`#[utoipa::path]` on
//! the handler); `vitrina-openapi` merges them into `docs/openapi.json`.

use serde::Serialize;
use utoipa::{
    openapi::security::{ApiKey, ApiKeyValue, SecurityScheme},
    IntoResponses, Modify, PartialSchema, ToSchema,
};

/// The name of the session's security scheme: the `sessionId` cookie a login sets.
pub const SESSION: &str = "sessionId";

/// Every error answer: `{"error": {"code", "message", "details"}}`.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, for programs (the web client words each in Russian).
    #[schema(example = "missing_fields")]
    pub code: String,
    /// For developers, in English.
    pub message: String,
    /// What the message is worded with (a field's name, the products out of stock…).
    #[schema(value_type = Option<Object>)]
    pub details: Option<serde_json::Value>,
}

/// API Gateway's own answer, given before any function runs: `{"message": "Unauthorized"}`.
#[derive(Serialize, ToSchema)]
pub struct GatewayMessage {
    #[schema(example = "Forbidden")]
    pub message: String,
}

/// What API Gateway answers on every route behind the session authorizer, in its own words
/// (HTTP APIs cannot reword them): the function never runs. A guarded route's own refusals use
/// neither status (one response per status: the gateway's would hide them, and the web client
/// takes both for a session that is gone).
#[derive(IntoResponses)]
pub enum Guarded {
    /// No cookie at all: API Gateway has no identity to hand the authorizer
    #[response(status = 401)]
    NoCookie(GatewayMessage),
    /// The authorizer refused the cookie: no `sessionId`, or a session unknown, ended or expired
    #[response(status = 403)]
    Refused(GatewayMessage),
}

/// `unavailable`: the table (or a service it waits on) did not answer; the same request may be sent again
// (one line: the doc comment is the response's description).
#[derive(IntoResponses)]
#[response(status = 503)]
pub struct Unavailable(pub ErrorBody);

/// How every JSON request body can be refused before it is read (`http::parse_json`); its 400s
/// (`body_required`, `invalid_json`) join the operation's own.
#[derive(IntoResponses)]
pub enum BodyRefused {
    /// `body_too_large`: over 16 KiB (`http::MAX_BODY_BYTES`)
    #[response(status = 413)]
    TooLarge(ErrorBody),
    /// `unsupported_media_type`: a body that is not `application/json`
    #[response(status = 415)]
    NotJson(ErrorBody),
}

/// Adds what every service's part shares to a document: the session cookie's security scheme,
/// and the schemas of the shared responses above (utoipa collects a handler's `body = …` types,
/// not those of an `IntoResponses`).
pub struct Shared;

impl Modify for Shared {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for (name, schema) in [
            (ErrorBody::name(), ErrorBody::schema()),
            (ErrorDetail::name(), ErrorDetail::schema()),
            (GatewayMessage::name(), GatewayMessage::schema()),
        ] {
            components.schemas.insert(name.into_owned(), schema);
        }
        components.add_security_scheme(
            SESSION,
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                SESSION,
                "The session a login opens (HttpOnly): every route behind the authorizer needs it",
            ))),
        );
    }
}
