//! The acquiring bank, through YooKassa's API v3: payment's one adapter to it. Pointed by
//! configuration at YooKassa in AWS and at the local platform's bank sandbox in `make run` /
//! `make test` (docs/ARCHITECTURE.md §7).
//!
//! Every state-changing call carries an `Idempotence-Key` the caller derives from what causes
//! the call (the shop's payment id, "capture of" it, "refund of" it), and a call that failed
//! for want of an answer (a timeout, a 5xx) is retried with the same key: the bank answers the
//! first result again, so nothing is charged twice. A webhook's body is never trusted: the
//! payment is read again from the API.

use base64::{engine::general_purpose::STANDARD, Engine};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use serde_json::{json, Value};
use std::time::Duration;
use vitrina_shared::secrets::JsonSecret;

/// Kopecks as the API writes money: `{"value": "1234.50", "currency": "RUB"}`.
pub fn amount(kopecks: i64) -> Value {
    json!({"value": format!("{}.{:02}", kopecks / 100, kopecks % 100), "currency": "RUB"})
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct Amount {
    pub value: String,
    pub currency: String,
}

impl Amount {
    /// The amount in kopecks; `None` for anything but a well-formed RUB sum.
    pub fn kopecks(&self) -> Option<i64> {
        if self.currency != "RUB" {
            return None;
        }
        let (rubles, fraction) = self.value.split_once('.').unwrap_or((&self.value, ""));
        if fraction.len() > 2
            || rubles.is_empty()
            || !rubles
                .bytes()
                .chain(fraction.bytes())
                .all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let fraction: i64 = format!("{fraction:0<2}").parse().ok()?;
        rubles
            .parse::<i64>()
            .ok()?
            .checked_mul(100)?
            .checked_add(fraction)
    }
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pending,
    WaitingForCapture,
    Succeeded,
    Canceled,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct Confirmation {
    #[serde(rename = "type")]
    pub kind: String,
    /// Where the payer's browser goes (a card payment).
    #[serde(default)]
    pub confirmation_url: Option<String>,
    /// The SBP payment link the QR code carries.
    #[serde(default)]
    pub confirmation_data: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct Card {
    pub last4: String,
    pub expiry_month: String,
    pub expiry_year: String,
    pub card_type: String,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct PaymentMethod {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    pub saved: bool,
    #[serde(default)]
    pub card: Option<Card>,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct CancellationDetails {
    pub party: String,
    pub reason: String,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct Payment {
    pub id: String,
    pub status: Status,
    pub paid: bool,
    pub amount: Amount,
    #[serde(default)]
    pub confirmation: Option<Confirmation>,
    #[serde(default)]
    pub payment_method: Option<PaymentMethod>,
    #[serde(default)]
    pub cancellation_details: Option<CancellationDetails>,
    #[serde(default)]
    pub metadata: Value,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct Refund {
    pub id: String,
    pub payment_id: String,
    /// `pending` until the bank finishes it, then `succeeded` or `canceled`.
    pub status: Status,
    pub amount: Amount,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancellation_details: Option<CancellationDetails>,
}

/// How the payer pays at the bank.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Method {
    /// A card typed on the bank's page; `save` keeps it for the next payments.
    NewCard { return_url: String, save: bool },
    /// A card saved by an earlier payment: no page, authorised at once.
    SavedCard { payment_method_id: String },
    /// SBP: a QR code the payer scans with the banking app.
    Sbp { return_url: String },
}

/// A payment to create: the amount always comes from the order, never from the client.
#[derive(Clone, Debug)]
pub struct NewPayment {
    pub kopecks: i64,
    pub method: Method,
    pub description: String,
    /// Ties the bank's payment to the shop's (the shop's payment and order ids).
    pub metadata: Value,
}

impl NewPayment {
    fn body(&self) -> Value {
        let mut body = json!({
            "amount": amount(self.kopecks),
            // Two steps, as the spec has it: the bank authorises, "Оплатить" captures.
            "capture": false,
            "description": self.description,
            "metadata": self.metadata,
        });
        match &self.method {
            Method::NewCard { return_url, save } => {
                body["payment_method_data"] = json!({"type": "bank_card"});
                body["confirmation"] = json!({"type": "redirect", "return_url": return_url});
                body["save_payment_method"] = json!(save);
            }
            Method::SavedCard { payment_method_id } => {
                body["payment_method_id"] = json!(payment_method_id);
            }
            Method::Sbp { return_url } => {
                body["payment_method_data"] = json!({"type": "sbp"});
                body["confirmation"] = json!({"type": "qr", "return_url": return_url});
            }
        }
        body
    }
}

/// Why the bank did not do what it was asked.
#[derive(Debug, thiserror::Error)]
pub enum BankError {
    /// The bank refused the request (4xx): retrying it unchanged will not help.
    #[error("the bank refused ({status} {code}): {description}")]
    Refused {
        status: u16,
        code: String,
        description: String,
    },
    /// No answer, or the bank failed (5xx), after the retries: the outcome is unknown until
    /// the same keyed request succeeds or the payment is read back.
    #[error("the bank is unavailable: {0}")]
    Unavailable(String),
}

/// Who the shop is to the bank.
pub enum Credentials {
    /// Known already (the adapter's tests against the sandbox).
    Given { shop_id: String, secret_key: String },
    /// A Secrets Manager secret `{"shopId": …, "secretKey": …}`, read at the first call that
    /// needs it (a function that never calls the bank never reads it) and kept for the
    /// process's life: a rotated key reaches new instances without a deployment.
    Secret(JsonSecret<SecretCredentials>),
}

/// Where the bank is and who the shop is to it.
pub struct BankSettings {
    /// `https://api.yookassa.ru/v3` in AWS; the sandbox's `/v3` locally.
    pub api_url: String,
    pub credentials: Credentials,
    /// Per attempt; a call makes at most `ATTEMPTS`.
    pub timeout: Duration,
}

const ATTEMPTS: u32 = 3;

pub struct YooKassa {
    http: reqwest::Client,
    api_url: String,
    credentials: Credentials,
    /// The `Authorization` header, made from the credentials once.
    authorization: tokio::sync::OnceCell<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretCredentials {
    shop_id: String,
    secret_key: String,
}

fn basic(shop_id: &str, secret_key: &str) -> String {
    format!(
        "Basic {}",
        STANDARD.encode(format!("{shop_id}:{secret_key}"))
    )
}

impl YooKassa {
    pub fn new(settings: BankSettings) -> Result<Self, BankError> {
        let http = reqwest::Client::builder()
            .timeout(settings.timeout)
            .build()
            .map_err(|e| BankError::Unavailable(e.to_string()))?;
        Ok(Self {
            http,
            api_url: settings.api_url.trim_end_matches('/').to_string(),
            credentials: settings.credentials,
            authorization: tokio::sync::OnceCell::new(),
        })
    }

    /// The `Authorization` header; reading the secret failed → `Unavailable` (a retry reads
    /// it again), so a payment waits rather than goes to the bank unauthenticated.
    async fn authorization(&self) -> Result<&str, BankError> {
        self.authorization
            .get_or_try_init(|| async {
                match &self.credentials {
                    Credentials::Given {
                        shop_id,
                        secret_key,
                    } => Ok(basic(shop_id, secret_key)),
                    Credentials::Secret(secret) => {
                        let c = secret
                            .get()
                            .await
                            .map_err(|e| BankError::Unavailable(e.to_string()))?;
                        Ok(basic(&c.shop_id, &c.secret_key))
                    }
                }
            })
            .await
            .map(String::as_str)
    }

    /// `key` identifies the payment attempt: the same key never pays twice.
    pub async fn create_payment(&self, key: &str, new: &NewPayment) -> Result<Payment, BankError> {
        self.call(reqwest::Method::POST, "/payments", Some((key, new.body())))
            .await
    }

    pub async fn payment(&self, id: &str) -> Result<Payment, BankError> {
        self.call(reqwest::Method::GET, &format!("/payments/{id}"), None)
            .await
    }

    /// Takes the authorised money; `kopecks` less than authorised releases the rest.
    pub async fn capture(
        &self,
        key: &str,
        id: &str,
        kopecks: Option<i64>,
    ) -> Result<Payment, BankError> {
        let body = match kopecks {
            Some(k) => json!({ "amount": amount(k) }),
            None => json!({}),
        };
        self.call(
            reqwest::Method::POST,
            &format!("/payments/{id}/capture"),
            Some((key, body)),
        )
        .await
    }

    /// Releases an authorisation (or abandons a pending payment).
    pub async fn cancel(&self, key: &str, id: &str) -> Result<Payment, BankError> {
        self.call(
            reqwest::Method::POST,
            &format!("/payments/{id}/cancel"),
            Some((key, json!({}))),
        )
        .await
    }

    pub async fn refund(
        &self,
        key: &str,
        payment_id: &str,
        kopecks: i64,
    ) -> Result<Refund, BankError> {
        self.call(
            reqwest::Method::POST,
            "/refunds",
            Some((
                key,
                json!({"payment_id": payment_id, "amount": amount(kopecks)}),
            )),
        )
        .await
    }

    pub async fn get_refund(&self, id: &str) -> Result<Refund, BankError> {
        self.call(reqwest::Method::GET, &format!("/refunds/{id}"), None)
            .await
    }

    /// One API call, retried with the same key (and body) while the bank gives no answer.
    async fn call<T: DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        keyed: Option<(&str, Value)>,
    ) -> Result<T, BankError> {
        let url = format!("{}{path}", self.api_url);
        let authorization = self.authorization().await?;
        let mut last = String::new();
        for attempt in 1..=ATTEMPTS {
            let mut request = self
                .http
                .request(method.clone(), &url)
                .header("authorization", authorization);
            if let Some((key, body)) = &keyed {
                request = request.header("idempotence-key", *key).json(body);
            }
            match request.send().await {
                Ok(response) if response.status().is_success() => {
                    return response
                        .json()
                        .await
                        .map_err(|e| BankError::Unavailable(format!("{path}: {e}")));
                }
                Ok(response) if response.status().is_client_error() => {
                    let status = response.status().as_u16();
                    let body: Value = response.json().await.unwrap_or_default();
                    return Err(BankError::Refused {
                        status,
                        code: body["code"].as_str().unwrap_or("unknown").to_string(),
                        description: body["description"].as_str().unwrap_or_default().to_string(),
                    });
                }
                Ok(response) => last = format!("{path}: HTTP {}", response.status()),
                Err(e) => last = format!("{path}: {e}"),
            }
            if attempt < ATTEMPTS {
                vitrina_shared::table::backoff(attempt).await;
            }
        }
        Err(BankError::Unavailable(last))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_goes_out_and_comes_back_as_kopecks() {
        assert_eq!(amount(123_405)["value"], "1234.05");
        assert_eq!(amount(5)["value"], "0.05");
        let back = Amount {
            value: "1234.05".into(),
            currency: "RUB".into(),
        };
        assert_eq!(back.kopecks(), Some(123_405));
        let usd = Amount {
            value: "1.00".into(),
            currency: "USD".into(),
        };
        assert_eq!(usd.kopecks(), None);
    }

    #[test]
    fn a_new_card_payment_asks_for_the_page_and_two_steps() {
        let body = NewPayment {
            kopecks: 150_000,
            method: Method::NewCard {
                return_url: "https://shop/return".into(),
                save: true,
            },
            description: "Заказ 1".into(),
            metadata: json!({"orderId": "o-1"}),
        }
        .body();
        assert_eq!(body["capture"], false);
        assert_eq!(body["confirmation"]["type"], "redirect");
        assert_eq!(body["save_payment_method"], true);
        assert_eq!(body["amount"]["value"], "1500.00");
    }
}
