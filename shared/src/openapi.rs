//! What every service's part of the API's OpenAPI document shares: the error body every 4xx and
//! 5xx carries, and the session cookie — or a provider's access token — as the security schemes
//! of the routes behind the authorizer. Each service describes its routes where they are handled (`#[utoipa::path]` on
//! the handler); `vitrina-openapi` merges them into `docs/openapi.json`.

use serde::Serialize;
use utoipa::{
    openapi::security::{
        ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
    },
    IntoResponses, Modify, PartialSchema, ToSchema,
};

/// The name of the session's security scheme: the `sessionId` cookie a login sets.
pub const SESSION: &str = "sessionId";
/// The other way into a guarded route: a provider's access token for the shop's API (RFC 9068),
/// `Authorization: Bearer …`, of an identity linked to a client (the resource-server role).
pub const BEARER: &str = "providerAccessToken";

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

// What API Gateway answers on every route behind the authorizer when it refuses, in its own
// words (HTTP APIs cannot reword them): the function never runs. A guarded route's own refusals
// do not use 403 (one response per status: the gateway's would hide them, and the web client
// takes 401 and 403 for a session that is gone).
/// The authorizer refused: no credential, a session unknown, ended or expired, or an access token not for this API, expired, or of an identity linked to no client
// (one line: the doc comment is the response's description).
#[derive(IntoResponses)]
#[response(status = 403)]
pub struct Guarded(pub GatewayMessage);

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
                "The session a login opens (HttpOnly): every route behind the authorizer needs it, or an access token",
            ))),
        );
        components.add_security_scheme(
            BEARER,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "A provider's access token for the shop's API (RFC 9068, `typ: at+jwt`), of an identity linked to a client: apps and partners instead of a session",
                    ))
                    .build(),
            ),
        );
        // Every route that takes a session takes an access token instead.
        for item in openapi.paths.paths.values_mut() {
            for op in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                let takes_session = op
                    .security
                    .iter()
                    .flatten()
                    .any(|r| serde_json::to_value(r).is_ok_and(|v| v.get(SESSION).is_some()));
                if takes_session {
                    if let Some(security) = op.security.as_mut() {
                        security.push(SecurityRequirement::new(BEARER, Vec::<String>::new()));
                    }
                }
            }
        }
    }
}
