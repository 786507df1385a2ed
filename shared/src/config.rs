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
    pub fn from_env() -> Result<Self, String> {
        Self::from_vars(std::env::vars().collect())
    }

    pub fn from_vars(vars: HashMap<String, String>) -> Result<Self, String> {
        let table_name = vars
            .get("TABLE_NAME")
            .cloned()
            .ok_or_else(|| "TABLE_NAME is not set".to_string())?;
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

    pub fn var(&self, name: &str) -> Result<&str, String> {
        self.vars
            .get(name)
            .map(String::as_str)
            .ok_or_else(|| format!("{name} is not set"))
    }

    pub fn is_local(&self) -> bool {
        self.stage == "local"
    }
}
