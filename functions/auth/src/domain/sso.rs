//! Single sign-on's decisions, free of I/O: which providers the shop trusts (configuration),
//! where a browser may be sent back to, and what an identity the provider vouched for becomes
//! here — the spec's "in any case the client's account is looked up in the local database".

use serde::{Deserialize, Serialize};

/// One OpenID provider the shop signs clients in with (`SSO_PROVIDERS`, the template's
/// `SsoProviders`); its client secret lives in Secrets Manager under the same `id`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProviderSettings {
    /// The provider in the shop's routes (`/api/sso/{id}/…`) and in its secret: `[a-z0-9-]`.
    pub id: String,
    /// What the client reads on the button: «Войти через {name}».
    pub name: String,
    /// The issuer, exactly as the provider's discovery document and tokens write it.
    pub issuer: String,
    pub client_id: String,
    /// What is asked for besides `openid`; `email` and `profile` when left out (Google and
    /// Yandex ID know no `phone` scope).
    #[serde(default)]
    pub scopes: Option<Vec<String>>,
    /// The shop's API as this provider names it in its access tokens (RFC 9068 `aud`, e.g.
    /// `https://shop.example/api`): with it the API takes the provider's access tokens as
    /// `Authorization: Bearer` — the resource-server role; without it, it takes none.
    #[serde(default)]
    pub api_audience: Option<String>,
    /// A scope such an access token must carry (`openid` when left out).
    #[serde(default)]
    pub api_scope: Option<String>,
}

impl ProviderSettings {
    /// The scope an access token for the API must carry, when the API takes this provider's.
    pub fn api_scope(&self) -> &str {
        self.api_scope.as_deref().unwrap_or("openid")
    }
}

/// Whether an access token's `scope` claim (space-separated, RFC 9068 §2.2.3) holds `wanted`.
pub fn has_scope(scope: Option<&str>, wanted: &str) -> bool {
    scope.is_some_and(|s| s.split(' ').any(|x| x == wanted))
}

/// RFC 9068 §4: a resource server takes only a token whose `typ` says it is an access token.
pub fn is_access_token_type(typ: Option<&str>) -> bool {
    typ.is_some_and(|t| {
        t.eq_ignore_ascii_case("at+jwt") || t.eq_ignore_ascii_case("application/at+jwt")
    })
}

/// Reads `SSO_PROVIDERS` (a JSON list); an empty value means no single sign-on. A malformed
/// list stops the function at its start, not at a client's first click.
pub fn parse_providers(raw: &str) -> Result<Vec<ProviderSettings>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(Vec::new());
    }
    let providers: Vec<ProviderSettings> =
        serde_json::from_str(raw).map_err(|e| format!("SSO_PROVIDERS is not a list: {e}"))?;
    for (i, p) in providers.iter().enumerate() {
        let id_ok = (1..=32).contains(&p.id.len())
            && p.id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !id_ok {
            return Err(format!(
                "SSO_PROVIDERS: id {:?} is not [a-z0-9-]{{1,32}}",
                p.id
            ));
        }
        if providers[..i].iter().any(|q| q.id == p.id) {
            return Err(format!("SSO_PROVIDERS: id {:?} twice", p.id));
        }
        if p.api_audience
            .as_deref()
            .is_some_and(|a| a.trim().is_empty())
        {
            return Err(format!(
                "SSO_PROVIDERS: {:?} has an empty apiAudience",
                p.id
            ));
        }
        if p.name.trim().is_empty() || p.client_id.trim().is_empty() {
            return Err(format!(
                "SSO_PROVIDERS: {:?} lacks a name or a client id",
                p.id
            ));
        }
        let scope_ok = |s: &String| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_graphic() && c != '"' && c != '\\')
        };
        if !p.scopes.iter().flatten().all(scope_ok) {
            return Err(format!(
                "SSO_PROVIDERS: {:?} has a scope that is not a token",
                p.id
            ));
        }
        if !issuer_allowed(&p.issuer) {
            return Err(format!(
                "SSO_PROVIDERS: {:?}'s issuer {:?} is not https (http only on 127.0.0.1)",
                p.id, p.issuer
            ));
        }
    }
    Ok(providers)
}

/// An issuer is https; plain http only on the loopback, where the local platform runs one.
fn issuer_allowed(issuer: &str) -> bool {
    issuer.starts_with("https://")
        || issuer.starts_with("http://127.0.0.1:")
        || issuer.starts_with("http://localhost:")
}

/// Where the browser goes once signed in: a path of the shop's own site, nothing else — not
/// `//evil.example` (a scheme-relative URL), not `/\evil.example` (browsers read it so too), not
/// a URL with a scheme. `None`: refused; a missing value is the shop's front page.
pub fn return_to(raw: Option<&str>) -> Option<String> {
    let Some(raw) = raw.filter(|r| !r.is_empty()) else {
        return Some("/".into());
    };
    let ok = raw.len() <= 512
        && raw.starts_with('/')
        && !raw.starts_with("//")
        && !raw.starts_with("/\\")
        && !raw.starts_with("/api/")
        && raw.chars().all(|c| c.is_ascii_graphic() && c != '\\');
    ok.then(|| raw.to_string())
}

/// What the provider said of the person, once its ID token passed every check.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Identity {
    pub issuer: String,
    pub subject: String,
    pub email: Option<String>,
    /// A claim the provider did not send counts as `false`.
    pub email_verified: bool,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    /// A username to offer: the provider's `preferred_username`, or the e-mail's local part.
    pub username_hint: String,
}

/// What the callback does with an identity.
#[derive(Debug, PartialEq, Eq)]
pub enum Arrival {
    /// `(issuer, subject)` is linked to this client: a session for them.
    SignIn(String),
    /// A client signed in here asked to link this identity to their account.
    Link(String),
    /// The identity was already linked to the very client who asks to link it.
    AlreadyYours,
    /// Nobody here has it or its e-mail: the registration form, pre-filled.
    Register,
    /// A local account has the e-mail the provider verified: its password links them, never
    /// the e-mail alone (the shop does not verify e-mails; a provider's `email_verified` does
    /// not prove the local account's owner is that person).
    LinkWithPassword,
    /// A local account has an e-mail the provider did not verify: not even offered to link —
    /// whoever owns that account signs in with the password and links from «Личный кабинет».
    EmailUnverified,
    /// The identity belongs to another client than the one asking to link it.
    LinkedToAnother,
}

/// The decision: `linked` is who `(issuer, subject)` is linked to, `linking` the client who
/// started the flow from «Личный кабинет», `email_owner` who has the provider's e-mail here.
pub fn arrival(
    linked: Option<&str>,
    linking: Option<&str>,
    email_owner: Option<&str>,
    identity: &Identity,
) -> Arrival {
    match (linked, linking) {
        (Some(owner), Some(me)) if owner == me => Arrival::AlreadyYours,
        (Some(_), Some(_)) => Arrival::LinkedToAnother,
        (Some(owner), None) => Arrival::SignIn(owner.to_string()),
        (None, Some(me)) => Arrival::Link(me.to_string()),
        (None, None) => match email_owner {
            None => Arrival::Register,
            Some(_) if identity.email_verified => Arrival::LinkWithPassword,
            Some(_) => Arrival::EmailUnverified,
        },
    }
}

/// A username the registration form may offer: the hint cut to the shop's rule
/// (`[A-Za-z0-9._-]{3,32}`); empty when nothing of it fits.
pub fn suggested_username(hint: &str) -> String {
    let kept: String = hint
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        .take(32)
        .collect();
    if kept.len() >= 3 {
        kept
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity(verified: bool) -> Identity {
        Identity {
            issuer: "https://id.example".into(),
            subject: "42".into(),
            email: Some("a@b.example".into()),
            email_verified: verified,
            ..Identity::default()
        }
    }

    #[test]
    fn providers_are_checked_at_start() {
        let ok = r#"[{"id":"local","name":"Sandbox","issuer":"http://127.0.0.1:3003","clientId":"c"},
                     {"id":"google","name":"Google","issuer":"https://accounts.google.com","clientId":"g"}]"#;
        assert_eq!(parse_providers(ok).unwrap().len(), 2);
        assert_eq!(parse_providers("").unwrap(), vec![]);
        for bad in [
            r#"[{"id":"Local","name":"x","issuer":"https://a","clientId":"c"}]"#,
            r#"[{"id":"a","name":"x","issuer":"http://id.example","clientId":"c"}]"#,
            r#"[{"id":"a","name":"","issuer":"https://a","clientId":"c"}]"#,
            r#"[{"id":"a","name":"x","issuer":"https://a","clientId":"c"},{"id":"a","name":"y","issuer":"https://b","clientId":"d"}]"#,
            r#"[{"id":"a","name":"x","issuer":"https://a","clientId":"c","secret":"no"}]"#,
            r#"{"id":"a"}"#,
        ] {
            assert!(parse_providers(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_a_path_of_the_shop_is_a_place_to_return_to() {
        assert_eq!(return_to(None).as_deref(), Some("/"));
        assert_eq!(return_to(Some("/cart")).as_deref(), Some("/cart"));
        assert_eq!(
            return_to(Some("/orders?page=2#x")).as_deref(),
            Some("/orders?page=2#x")
        );
        for bad in [
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "evil.example",
            "javascript:alert(1)",
            "/a b",
            "/api/logout",
            "/\u{0}",
        ] {
            assert_eq!(return_to(Some(bad)), None, "{bad}");
        }
        assert_eq!(return_to(Some(&format!("/{}", "a".repeat(600)))), None);
    }

    #[test]
    fn an_email_alone_never_signs_anyone_in() {
        let v = identity(true);
        assert_eq!(
            arrival(Some("u1"), None, None, &v),
            Arrival::SignIn("u1".into())
        );
        assert_eq!(arrival(None, None, None, &v), Arrival::Register);
        assert_eq!(
            arrival(None, None, Some("u2"), &v),
            Arrival::LinkWithPassword
        );
        assert_eq!(
            arrival(None, None, Some("u2"), &identity(false)),
            Arrival::EmailUnverified
        );
        assert_eq!(
            arrival(None, Some("me"), Some("u2"), &v),
            Arrival::Link("me".into())
        );
        assert_eq!(
            arrival(Some("me"), Some("me"), None, &v),
            Arrival::AlreadyYours
        );
        assert_eq!(
            arrival(Some("u1"), Some("me"), None, &v),
            Arrival::LinkedToAnother
        );
    }

    #[test]
    fn only_an_access_token_with_the_scope_is_taken() {
        assert!(is_access_token_type(Some("at+jwt")));
        assert!(is_access_token_type(Some("application/at+JWT")));
        for other in [None, Some("JWT"), Some("jwt"), Some("id_token+jwt")] {
            assert!(!is_access_token_type(other), "{other:?}");
        }
        assert!(has_scope(Some("openid email"), "openid"));
        assert!(!has_scope(Some("openidx email"), "openid"));
        assert!(!has_scope(None, "openid"));
    }

    #[test]
    fn usernames_are_offered_within_the_rule() {
        assert_eq!(suggested_username("maria.s"), "maria.s");
        assert_eq!(suggested_username("мария"), "");
        assert_eq!(suggested_username("a+b"), "");
        assert_eq!(suggested_username(&"x".repeat(40)).len(), 32);
    }
}
