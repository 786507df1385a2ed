//! Configuration comes from the function's environment (set by `template.yaml`), or, in the
//! local runtime, from the same variables resolved out of the template.

use std::collections::HashMap;

#[derive(Clone, Debug)]
pub struct Config {
    pub table_name: String,
    /// Queue URLs by the environment variable that names them, e.g. `BILLING_QUEUE_URL`.
    pub vars: HashMap<String, String>,
    /// `local` turns off the `Secure` cookie attribute: the local runtime serves plain HTTP.
    pub stage: String,
}

impl Config {
    pub fn from_env() -> Result<Self, SettingsError> {
        Self::from_vars(std::env::vars().collect())
    }

    pub fn from_vars(vars: HashMap<String, String>) -> Result<Self, SettingsError> {
        let table_name = vars
            .get("TABLE_NAME")
            .cloned()
            .ok_or_else(|| SettingsError::Missing("TABLE_NAME".into()))?;
        let stage = vars
            .get("STAGE")
            .cloned()
            .unwrap_or_else(|| "prod".to_string());
        Ok(Self {
            table_name,
            vars,
            stage,
        })
    }

    /// A setting the function cannot work without: missing or empty fails its cold start.
    pub fn require(&self, name: &str) -> Result<String, SettingsError> {
        self.vars
            .get(name)
            .filter(|v| !v.is_empty())
            .cloned()
            .ok_or_else(|| SettingsError::Missing(name.to_string()))
    }

    /// A setting with a default; a value that does not parse fails the cold start.
    pub fn parse_or<T: std::str::FromStr>(&self, name: &str, default: T) -> Result<T, SettingsError>
    where
        T::Err: std::fmt::Display,
    {
        match self.vars.get(name).filter(|v| !v.is_empty()) {
            None => Ok(default),
            Some(v) => v.parse().map_err(|e: T::Err| SettingsError::Invalid {
                name: name.to_string(),
                reason: e.to_string(),
            }),
        }
    }

    pub fn is_local(&self) -> bool {
        self.stage == "local"
    }
}

/// A function's settings are wrong: it refuses to start, naming the variable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("{0} is not set")]
    Missing(String),
    #[error("{name} is not valid: {reason}")]
    Invalid { name: String, reason: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Config {
        let mut all: HashMap<String, String> = [("TABLE_NAME".into(), "t".into())].into();
        all.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        Config::from_vars(all).unwrap()
    }

    #[test]
    fn a_required_setting_missing_or_empty_is_named() {
        let c = config(&[("EMPTY", ""), ("SET", "x")]);
        assert_eq!(c.require("SET"), Ok("x".into()));
        assert_eq!(
            c.require("EMPTY"),
            Err(SettingsError::Missing("EMPTY".into()))
        );
        assert_eq!(
            c.require("ABSENT").unwrap_err().to_string(),
            "ABSENT is not set"
        );
    }

    #[test]
    fn a_setting_with_a_default_must_parse_when_given() {
        let c = config(&[("N", "25"), ("BAD", "ten")]);
        assert_eq!(c.parse_or("N", 10u64), Ok(25));
        assert_eq!(c.parse_or("ABSENT", 10u64), Ok(10));
        assert!(matches!(
            c.parse_or("BAD", 10u64),
            Err(SettingsError::Invalid { name, .. }) if name == "BAD"
        ));
    }
}
