//! Request parsing and response building shared by every HTTP handler.

use crate::error::ApiError;
use lambda_http::{
    http::{header, StatusCode},
    request::RequestContext,
    Body, Request, RequestExt, Response,
};
use serde::{de::DeserializeOwned, Serialize};

/// Bodies larger than this are refused before parsing: no endpoint takes more.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

pub fn json<T: Serialize + ?Sized>(status: StatusCode, value: &T) -> Response<Body> {
    let body = serde_json::to_string(value).unwrap_or_else(|_| "{}".to_string());
    let mut resp = Response::new(Body::Text(body));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json; charset=utf-8"),
    );
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    resp
}

pub fn ok<T: Serialize + ?Sized>(value: &T) -> Response<Body> {
    json(StatusCode::OK, value)
}

/// Turns a handler's result into the response API Gateway returns.
pub fn respond(result: Result<Response<Body>, ApiError>) -> Response<Body> {
    result.unwrap_or_else(ApiError::into_response)
}

/// The API answers only what came through CloudFront, which adds `X-Origin-Verify` with a
/// secret (`OriginVerify` in the template) to every request it forwards: the HTTP API's own
/// `execute-api` address is public, and a request made to it directly would skip CloudFront's
/// headers and limits. Not enforced without a secret: the local runtime is the only way in
/// there, and `sam local invoke` passes the template's dynamic reference unresolved.
#[derive(Clone, Debug)]
pub struct OriginCheck(Option<String>);

impl OriginCheck {
    pub fn from_setting(value: Option<&str>) -> Self {
        Self(
            value
                .filter(|v| !v.is_empty() && !v.starts_with("{{resolve:"))
                .map(str::to_string),
        )
    }

    pub fn check(&self, req: &Request) -> Result<(), ApiError> {
        let Some(secret) = &self.0 else {
            return Ok(());
        };
        let given = req
            .headers()
            .get("x-origin-verify")
            .map(|v| v.as_bytes())
            .unwrap_or_default();
        // Compared in constant time: the answer's timing tells nothing of the secret.
        let same = given.len() == secret.len()
            && given
                .iter()
                .zip(secret.as_bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        if same {
            Ok(())
        } else {
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "origin_not_allowed",
                "Use the shop's address",
            ))
        }
    }
}

/// Refuses a state-changing request another site's page made the browser send (CSRF): the
/// browser says so in `Sec-Fetch-Site`. Requests without it (servers, the bank's webhooks, old
/// browsers) pass; a cross-site form still cannot post JSON (see [`parse_json`]).
pub fn same_site_only(req: &Request) -> Result<(), ApiError> {
    use lambda_http::http::Method;
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    match req
        .headers()
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
    {
        Some("cross-site" | "same-site") => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "cross_site_request",
            "Requests from other sites are refused",
        )),
        _ => Ok(()),
    }
}

/// Parses a JSON body into `T`, answering every way it can be wrong with a 4xx. Only an
/// `application/json` body is read: a browser sends that type cross-site only after a CORS
/// preflight this API never grants, so a form on another site cannot post here.
pub fn parse_json<T: DeserializeOwned>(req: &Request) -> Result<T, ApiError> {
    let bytes: &[u8] = match req.body() {
        Body::Empty => &[],
        Body::Text(text) => text.as_bytes(),
        Body::Binary(bytes) => bytes,
        _ => &[],
    };
    if bytes.len() > MAX_BODY_BYTES {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!("Request body is larger than {MAX_BODY_BYTES} bytes"),
        ));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request(
            "body_required",
            "A JSON request body is required",
        ));
    }
    let json_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"));
    if !json_type {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "The request body must be application/json",
        ));
    }
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError::bad_request("invalid_json", format!("Request body is not valid: {e}"))
    })
}

/// The value of one cookie, read from every `Cookie` header (API Gateway v2 joins the
/// `cookies` array into one header; browsers may send several).
pub fn cookie(req: &Request, name: &str) -> Option<String> {
    cookie_from_headers(req.headers().get_all(header::COOKIE).iter(), name)
}

pub fn cookie_from_headers<'a>(
    headers: impl Iterator<Item = &'a header::HeaderValue>,
    name: &str,
) -> Option<String> {
    headers
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
}

/// The `{name}` of a route whose ids the shop makes itself (orders, payments: UUIDs), in the
/// form the shop writes them. Anything else names nothing the shop has: `None`, which the
/// handler answers as not found. A client's id never reaches a table key unshaped: DynamoDB
/// refuses a key over its size limit with a ValidationException, which would be a 500.
pub fn path_uuid(req: &Request, name: &str) -> Option<String> {
    let raw = req.path_parameters().first(name)?.to_string();
    // `Uuid::try_parse` also takes braced and URN forms; the shop's ids are hyphenated only.
    let id = uuid::Uuid::try_parse(&raw).ok()?.hyphenated().to_string();
    (id == raw).then_some(id)
}

/// Who is calling, as the HTTP API's Lambda authorizer established it. Handlers behind the
/// authorizer take the user from here, never from the body or the path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    pub user_id: String,
    pub username: String,
}

impl Caller {
    pub fn from_request(req: &Request) -> Result<Self, ApiError> {
        let fields = match req.request_context_ref() {
            Some(RequestContext::ApiGatewayV2(ctx)) => {
                ctx.authorizer.as_ref().map(|a| a.fields.clone())
            }
            _ => None,
        }
        .unwrap_or_default();
        let get = |k: &str| fields.get(k).and_then(|v| v.as_str()).map(str::to_string);
        match (get("userId"), get("username")) {
            (Some(user_id), Some(username)) if !user_id.is_empty() => {
                Ok(Self { user_id, username })
            }
            _ => Err(ApiError::unauthorized("User not authorized")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambda_http::http::HeaderValue;

    #[test]
    fn only_the_shops_own_ids_come_out_of_a_path() {
        let with = |id: &str| {
            let r =
                Request::new(Body::Empty).with_path_parameters(std::collections::HashMap::from([
                    ("id".to_string(), id.to_string()),
                ]));
            path_uuid(&r, "id")
        };
        let id = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
        assert_eq!(with(id).as_deref(), Some(id));
        assert_eq!(with(&"a".repeat(3000)), None, "a 3000-character id");
        assert_eq!(
            with(&id.to_uppercase()),
            None,
            "not the form the shop writes"
        );
        assert_eq!(with(&format!("{{{id}}}")), None, "braced");
        assert_eq!(with(""), None);
        assert_eq!(path_uuid(&Request::new(Body::Empty), "id"), None);
    }

    #[test]
    fn only_requests_through_cloudfront_pass_the_origin_check() {
        let with = |value: Option<&str>| {
            let mut r = Request::new(Body::Empty);
            if let Some(v) = value {
                r.headers_mut()
                    .insert("x-origin-verify", HeaderValue::from_str(v).unwrap());
            }
            r
        };
        let check = OriginCheck::from_setting(Some("s3cret-from-secrets-manager"));
        assert!(check
            .check(&with(Some("s3cret-from-secrets-manager")))
            .is_ok());
        for wrong in [None, Some("s3cret"), Some("s3cret-from-secrets-managex")] {
            let refused = check.check(&with(wrong)).unwrap_err();
            assert_eq!(
                (refused.status, refused.code),
                (StatusCode::FORBIDDEN, "origin_not_allowed")
            );
        }
        // No secret (the local runtime), or one `sam local invoke` left unresolved: not enforced.
        for off in [
            None,
            Some(""),
            Some("{{resolve:secretsmanager:arn:x:SecretString}}"),
        ] {
            assert!(OriginCheck::from_setting(off).check(&with(None)).is_ok());
        }
    }

    #[test]
    fn finds_cookie_among_several_headers() {
        let a = HeaderValue::from_static("theme=dark; lang=ru");
        let b = HeaderValue::from_static("sessionId=abc=; other=1");
        let headers = [a, b];
        assert_eq!(
            cookie_from_headers(headers.iter(), "sessionId").as_deref(),
            Some("abc=")
        );
        assert_eq!(cookie_from_headers(headers.iter(), "missing"), None);
    }

    #[test]
    fn rejects_bad_bodies_with_4xx() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            a: String,
        }
        let typed = |body: &str, content_type: &str| {
            let mut r = Request::new(Body::Text(body.to_string()));
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_str(content_type).unwrap(),
            );
            r
        };
        let req = |body: &str| typed(body, "application/json; charset=utf-8");
        assert_eq!(parse_json::<T>(&req("")).unwrap_err().code, "body_required");
        // A cross-site form can send these types; JSON is read only as JSON.
        for other in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ] {
            let e = parse_json::<T>(&typed(r#"{"a": "ok"}"#, other)).unwrap_err();
            assert_eq!(
                (e.status, e.code),
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            );
        }
        let untyped = Request::new(Body::Text(r#"{"a": "ok"}"#.into()));
        assert_eq!(
            parse_json::<T>(&untyped).unwrap_err().code,
            "unsupported_media_type"
        );
        assert_eq!(
            parse_json::<T>(&req("{oops")).unwrap_err().code,
            "invalid_json"
        );
        assert_eq!(
            parse_json::<T>(&req(r#"{"a": 5}"#)).unwrap_err().code,
            "invalid_json"
        );
        let huge = format!(r#"{{"a": "{}"}}"#, "x".repeat(MAX_BODY_BYTES));
        assert_eq!(
            parse_json::<T>(&req(&huge)).unwrap_err().status,
            StatusCode::PAYLOAD_TOO_LARGE
        );
        assert!(parse_json::<T>(&req(r#"{"a": "ok"}"#)).is_ok());
    }

    #[test]
    fn a_state_change_marked_cross_site_by_the_browser_is_refused() {
        let with = |method: &str, site: Option<&str>| {
            let mut r = Request::new(Body::Empty);
            *r.method_mut() = method.parse().unwrap();
            if let Some(site) = site {
                r.headers_mut()
                    .insert("sec-fetch-site", HeaderValue::from_str(site).unwrap());
            }
            r
        };
        for site in ["cross-site", "same-site"] {
            let e = same_site_only(&with("POST", Some(site))).unwrap_err();
            assert_eq!(
                (e.status, e.code),
                (StatusCode::FORBIDDEN, "cross_site_request")
            );
            assert!(
                same_site_only(&with("GET", Some(site))).is_ok(),
                "reads pass"
            );
        }
        for ok in [Some("same-origin"), Some("none"), None] {
            assert!(same_site_only(&with("DELETE", ok)).is_ok());
        }
    }
}
