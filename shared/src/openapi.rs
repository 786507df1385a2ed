//! What every service's part of the API's OpenAPI document shares: the error body every 4xx and
//! 5xx carries, and the session cookie as the security scheme of the routes behind the
//! authorizer. Each service describes its routes where they are handled (`#[utoipa::path]` on
//! the handler); `vitrina-openapi` merges them into `docs/openapi.json`.

use serde::Serialize;
use utoipa::{
    openapi::security::{ApiKey, ApiKeyValue, SecurityScheme},
    Modify, ToSchema,
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

/// Adds the session cookie's security scheme to a document.
pub struct SessionCookie;

impl Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            SESSION,
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                SESSION,
                "The session a login opens (HttpOnly): every route behind the authorizer needs it",
            ))),
        );
    }
}
