//! The calls between services, typed once for both sides (docs/ARCHITECTURE.md §4).
//!
//! A contract is a function one service offers and others invoke directly (Lambda Invoke, or a
//! state-machine task): its handler name, its request, its response and its refusals. A refusal
//! is a named business answer ("this quote has expired"); its variant name is the `errorType`
//! the function reports, which a caller matches as an enum variant and a state machine's
//! `ErrorEquals` matches by name. Everything else — the function could not do its work, the
//! call did not arrive, the answer was not the contract's — is `Unavailable`, worth a retry.

pub mod billing;
pub mod delivery;
pub mod notification;
pub mod order;
pub mod payment;
pub mod store;

use aws_sdk_lambda::primitives::Blob;
use serde::{de::DeserializeOwned, Serialize};

/// One function other services invoke.
pub trait Contract {
    /// The function's `Handler` in `template.yaml` (and its entry in the service's registry).
    const HANDLER: &'static str;
    /// Both sides have a JSON Schema (schemars): `docs/schemas/` publishes them, and the saga's
    /// definition test checks each task's `Parameters` against its function's request.
    type Request: Serialize + DeserializeOwned + schemars::JsonSchema + Send + 'static;
    type Response: Serialize + DeserializeOwned + schemars::JsonSchema + Send + 'static;
    type Refusal: Refusal;
}

/// The named refusals of a contract; `refusals!` writes the impl.
pub trait Refusal: std::error::Error + Send + Sync + Sized + 'static {
    /// Every name the contract may report (what a state machine's `ErrorEquals` may match).
    const NAMES: &'static [&'static str];
    /// The stable name reported as `errorType`.
    fn error_type(&self) -> &'static str;
    /// What is reported as `errorMessage`: the words for people, or a typed refusal's data as
    /// JSON (what the caller reads back with `from_error_type`).
    fn message(&self) -> String;
    /// The refusal reported as `errorType` with this message, if the contract has one by that name
    /// (and, for a typed refusal, the message holds its data).
    fn from_error_type(error_type: &str, message: String) -> Option<Self>;
}

/// What a refusal carries: words for people (`String`), or data the caller acts on (a type with
/// [`json_refusal!`](crate::json_refusal), sent as JSON in `errorMessage`).
pub trait RefusalData: Sized {
    fn to_message(&self) -> String;
    fn from_message(message: String) -> Option<Self>;
}

impl RefusalData for String {
    fn to_message(&self) -> String {
        self.clone()
    }

    fn from_message(message: String) -> Option<Self> {
        Some(message)
    }
}

/// Makes a `Serialize + Deserialize + Display` type a refusal's data, carried as JSON.
#[macro_export]
macro_rules! json_refusal {
    ($data:ty) => {
        impl $crate::contracts::RefusalData for $data {
            fn to_message(&self) -> String {
                serde_json::to_string(self).unwrap_or_else(|_| self.to_string())
            }

            fn from_message(message: String) -> Option<Self> {
                serde_json::from_str(&message).ok()
            }
        }
    };
}

/// The `errorType` of a function that could not do its work (a dependency failed): a retry
/// may succeed. State machines retry it; callers answer 5xx.
pub const UNAVAILABLE: &str = "Unavailable";

/// Declares a contract's refusals: each variant is named as its `errorType` and carries the
/// message for people, or — written `Variant(Type)` — typed data the caller acts on (product
/// ids, say), never read back out of words.
#[macro_export]
macro_rules! refusals {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident $(($data:ty))?),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
        pub enum $name {
            $($(#[$vmeta])* #[error("{0}")] $variant($crate::refusal_data!($($data)?))),*
        }

        impl $crate::contracts::Refusal for $name {
            const NAMES: &'static [&'static str] = &[$(stringify!($variant)),*];

            fn error_type(&self) -> &'static str {
                match *self {
                    $(Self::$variant(_) => stringify!($variant)),*
                }
            }

            fn message(&self) -> String {
                match self {
                    $(Self::$variant(data) => $crate::contracts::RefusalData::to_message(data)),*
                }
            }

            fn from_error_type(error_type: &str, message: String) -> Option<Self> {
                match error_type {
                    $(stringify!($variant) => {
                        $crate::contracts::RefusalData::from_message(message).map(Self::$variant)
                    })*
                    _ => None,
                }
            }
        }
    };
}

/// A refusal variant's data: words (`String`) unless a type is given.
#[doc(hidden)]
#[macro_export]
macro_rules! refusal_data {
    () => {
        String
    };
    ($data:ty) => {
        $data
    };
}

/// A unit-only enum that is its `snake_case` name on the wire and in the table (statuses,
/// kinds): `as_str`, `ALL`, `Display` and `FromStr` written once, each name given once.
#[macro_export]
macro_rules! wire_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
        )]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),*
        }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),*
                }
            }
        }

        // Written out, not derived: utoipa's derive cannot read a `rename` a macro passes it, and
        // would describe the variants' Rust names (Schemathesis found it).
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some(Self::ALL.iter().map(|v| v.as_str())))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($name))
            }
        }

        // The same for the internal contracts' JSON Schemas (schemars' derive has the same blind
        // spot).
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($name))
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                let names: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                schemars::json_schema!({ "type": "string", "enum": names })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|s| s.as_str() == text)
                    .ok_or_else(|| format!("no {} {text:?}", stringify!($name)))
            }
        }
    };
}

/// For contracts that refuse nothing: every failure is `Unavailable`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoRefusal {}

impl Refusal for NoRefusal {
    const NAMES: &'static [&'static str] = &[];

    fn error_type(&self) -> &'static str {
        match *self {}
    }

    fn message(&self) -> String {
        match *self {}
    }

    fn from_error_type(_: &str, _: String) -> Option<Self> {
        None
    }
}

/// What the function side answers instead of a response.
#[derive(Debug, thiserror::Error)]
pub enum Failure<R: Refusal> {
    #[error(transparent)]
    Refused(R),
    /// Logged by the runtime, reported as `Unavailable`.
    #[error("{0}")]
    Unavailable(String),
}

impl<R: Refusal> Failure<R> {
    pub fn unavailable(cause: impl std::fmt::Display) -> Self {
        Self::Unavailable(cause.to_string())
    }

    /// `(errorType, errorMessage)` as Lambda reports an unhandled error.
    pub fn reported(&self) -> (&'static str, String) {
        match self {
            Self::Refused(r) => (r.error_type(), r.message()),
            Self::Unavailable(cause) => (UNAVAILABLE, cause.clone()),
        }
    }
}

impl<R: Refusal> From<R> for Failure<R> {
    fn from(refusal: R) -> Self {
        Self::Refused(refusal)
    }
}

/// A store failure the handler gave no meaning to: the caller may retry.
impl<R: Refusal> From<crate::error::StoreError> for Failure<R> {
    fn from(err: crate::error::StoreError) -> Self {
        Self::unavailable(err)
    }
}

impl<R: Refusal> From<crate::error::Unavailable> for Failure<R> {
    fn from(err: crate::error::Unavailable) -> Self {
        Self::Unavailable(err.0)
    }
}

/// What the caller side gets instead of a response.
#[derive(Debug, thiserror::Error)]
pub enum CallError<R: Refusal> {
    #[error(transparent)]
    Refused(R),
    /// The call failed, the function was unavailable, or its answer was not the contract's.
    #[error("{0}")]
    Unavailable(String),
}

/// A contract's function, as a caller holds it: the Lambda client and the function's name (or
/// ARN) from the caller's settings.
pub struct Remote<C> {
    lambda: aws_sdk_lambda::Client,
    function: String,
    contract: std::marker::PhantomData<fn() -> C>,
}

// By hand: derives would ask the contract's marker type for Clone and Debug.
impl<C> Clone for Remote<C> {
    fn clone(&self) -> Self {
        Self {
            lambda: self.lambda.clone(),
            function: self.function.clone(),
            contract: std::marker::PhantomData,
        }
    }
}

impl<C: Contract> std::fmt::Debug for Remote<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Remote")
            .field("contract", &C::HANDLER)
            .field("function", &self.function)
            .finish()
    }
}

impl<C: Contract> Remote<C> {
    pub fn new(lambda: aws_sdk_lambda::Client, function: impl Into<String>) -> Self {
        Self {
            lambda,
            function: function.into(),
            contract: std::marker::PhantomData,
        }
    }

    /// A synchronous invoke: the response, or the refusal named by the function's `errorType`.
    pub async fn call(&self, request: &C::Request) -> Result<C::Response, CallError<C::Refusal>> {
        let unavailable = |e: &dyn std::fmt::Display| {
            CallError::Unavailable(format!("{} ({}): {e}", C::HANDLER, self.function))
        };
        let payload = serde_json::to_vec(request).map_err(|e| unavailable(&e))?;
        let out = self
            .lambda
            .invoke()
            .function_name(&self.function)
            .payload(Blob::new(payload))
            .send()
            .await
            .map_err(|e| unavailable(&aws_sdk_lambda::error::DisplayErrorContext(e)))?;
        let body = out.payload.map(Blob::into_inner).unwrap_or_default();
        if out.function_error.is_none() {
            return serde_json::from_slice(&body).map_err(|e| unavailable(&e));
        }
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Reported {
            error_type: String,
            #[serde(default)]
            error_message: String,
        }
        let reported: Reported = serde_json::from_slice(&body).map_err(|e| unavailable(&e))?;
        match C::Refusal::from_error_type(&reported.error_type, reported.error_message.clone()) {
            Some(refusal) => Err(CallError::Refused(refusal)),
            None => Err(unavailable(&format_args!(
                "{}: {}",
                reported.error_type, reported.error_message
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::refusals! {
        pub enum Sample { OutOfStock, QuoteExpired }
    }

    crate::wire_enum! {
        pub enum Weather { Sunny = "sunny", LightRain = "light_rain" }
    }

    /// The OpenAPI document and the internal contracts' schemas describe a wire enum by the names
    /// that travel, not the variants'.
    #[test]
    fn a_wire_enums_schema_lists_its_wire_names() {
        use utoipa::{PartialSchema, ToSchema};
        let schema = serde_json::to_value(Weather::schema()).expect("a schema serialises");
        assert_eq!(
            schema,
            serde_json::json!({"type": "string", "enum": ["sunny", "light_rain"]})
        );
        assert_eq!(Weather::name(), "Weather");
        let internal = serde_json::to_value(schemars::schema_for!(Weather)).expect("serialises");
        assert_eq!(internal["enum"], serde_json::json!(["sunny", "light_rain"]));
    }

    #[test]
    fn a_refusal_is_reported_by_its_variant_name_and_read_back() {
        let r = Sample::QuoteExpired("устарела".into());
        assert_eq!(r.error_type(), "QuoteExpired");
        assert_eq!(r.to_string(), "устарела");
        assert_eq!(
            Sample::from_error_type("QuoteExpired", "устарела".into()),
            Some(r)
        );
        assert_eq!(Sample::from_error_type("Unavailable", String::new()), None);
        assert_eq!(Sample::from_error_type("quoteexpired", String::new()), None);
    }

    #[test]
    fn a_failure_reports_refusals_by_name_and_everything_else_as_unavailable() {
        let refused: Failure<Sample> = Sample::OutOfStock("нет".into()).into();
        assert_eq!(refused.reported(), ("OutOfStock", "нет".to_string()));
        let down: Failure<Sample> = Failure::unavailable("dynamodb timed out");
        assert_eq!(
            down.reported(),
            (UNAVAILABLE, "dynamodb timed out".to_string())
        );
    }

    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct Short {
        ids: Vec<String>,
    }

    impl std::fmt::Display for Short {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "short of {}", self.ids.join(", "))
        }
    }

    crate::json_refusal!(Short);

    crate::refusals! {
        pub enum Typed { Short(Short), Said }
    }

    #[test]
    fn a_typed_refusal_carries_its_data_as_json_and_reads_it_back() {
        let short = Typed::Short(Short {
            ids: vec!["p-1".into(), "p-2".into()],
        });
        assert_eq!(short.to_string(), "short of p-1, p-2", "people read words");
        let failure: Failure<Typed> = short.clone().into();
        let (error_type, message) = failure.reported();
        assert_eq!(error_type, "Short");
        assert_eq!(message, r#"{"ids":["p-1","p-2"]}"#);
        assert_eq!(Typed::from_error_type(error_type, message), Some(short));
        assert_eq!(
            Typed::from_error_type("Short", "short of p-1".into()),
            None,
            "words are not read as data: the caller sees Unavailable"
        );
        assert_eq!(
            Typed::from_error_type("Said", "x".into()),
            Some(Typed::Said("x".into()))
        );
    }

    #[test]
    fn no_refusal_reads_nothing_back() {
        assert_eq!(NoRefusal::from_error_type("Anything", String::new()), None);
    }
}
