//! Secrets Manager: a secret's JSON read at the first use and kept for the process's life (a
//! rotated value reaches new instances without a deploy). What a service reads a secret with.

use serde::de::DeserializeOwned;

pub struct JsonSecret<T> {
    client: aws_sdk_secretsmanager::Client,
    secret_id: String,
    value: tokio::sync::OnceCell<T>,
}

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// Secrets Manager did not answer: a retry may read it.
    #[error("the secret {0} could not be read: {1}")]
    Unavailable(String, String),
    /// The secret is not the JSON expected: no retry helps until it is put right.
    #[error("the secret {0} is not what it should hold: {1}")]
    Malformed(String, String),
}

impl<T: DeserializeOwned> JsonSecret<T> {
    pub fn new(client: aws_sdk_secretsmanager::Client, secret_id: String) -> Self {
        Self {
            client,
            secret_id,
            value: tokio::sync::OnceCell::new(),
        }
    }

    pub async fn get(&self) -> Result<&T, SecretError> {
        self.value
            .get_or_try_init(|| async {
                let id = &self.secret_id;
                let out = self
                    .client
                    .get_secret_value()
                    .secret_id(id)
                    .send()
                    .await
                    .map_err(|e| {
                        SecretError::Unavailable(
                            id.clone(),
                            aws_sdk_secretsmanager::error::DisplayErrorContext(e).to_string(),
                        )
                    })?;
                serde_json::from_str(out.secret_string().unwrap_or_default())
                    .map_err(|e| SecretError::Malformed(id.clone(), e.to_string()))
            })
            .await
    }
}
