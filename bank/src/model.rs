//! The API's objects as YooKassa's v3 API writes them (snake_case JSON, amounts as decimal
//! strings in rubles).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `{"value": "1234.50", "currency": "RUB"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amount {
    pub value: String,
    pub currency: String,
}

impl Amount {
    pub fn rub(kopecks: i64) -> Self {
        Self {
            value: format!("{}.{:02}", kopecks / 100, kopecks % 100),
            currency: "RUB".into(),
        }
    }

    /// Kopecks, if the amount is a positive sum in rubles with at most two decimals.
    pub fn kopecks(&self) -> Option<i64> {
        if self.currency != "RUB" {
            return None;
        }
        let (rubles, fraction) = match self.value.split_once('.') {
            Some((r, f)) => (r, f),
            None => (self.value.as_str(), ""),
        };
        if rubles.is_empty()
            || !rubles.bytes().all(|b| b.is_ascii_digit())
            || fraction.len() > 2
            || !fraction.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let rubles: i64 = rubles.parse().ok()?;
        let fraction: i64 = format!("{fraction:0<2}").parse().ok()?;
        let total = rubles.checked_mul(100)?.checked_add(fraction)?;
        (total > 0).then_some(total)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pending,
    WaitingForCapture,
    Succeeded,
    Canceled,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Confirmation {
    Redirect {
        #[serde(skip_serializing_if = "Option::is_none")]
        confirmation_url: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        return_url: Option<String>,
    },
    Qr {
        #[serde(skip_serializing_if = "Option::is_none")]
        confirmation_data: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        return_url: Option<String>,
    },
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Card {
    pub first6: String,
    pub last4: String,
    pub expiry_month: String,
    pub expiry_year: String,
    pub card_type: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PaymentMethod {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    pub saved: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card: Option<Card>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CancellationDetails {
    pub party: String,
    pub reason: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Payment {
    pub id: String,
    pub status: Status,
    pub paid: bool,
    pub amount: Amount,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirmation: Option<Confirmation>,
    pub created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captured_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub metadata: Value,
    pub recipient: Value,
    pub refundable: bool,
    pub refunded_amount: Amount,
    pub test: bool,
    pub payment_method: PaymentMethod,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancellation_details: Option<CancellationDetails>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Refund {
    pub id: String,
    pub payment_id: String,
    /// `pending` → `succeeded` | `canceled` (with `cancellation_details`), or `succeeded` at once.
    pub status: Status,
    pub amount: Amount,
    pub created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancellation_details: Option<CancellationDetails>,
}

/// `POST /v3/payments`.
#[derive(Clone, Debug, Deserialize)]
pub struct NewPayment {
    pub amount: Amount,
    #[serde(default)]
    pub capture: bool,
    #[serde(default)]
    pub confirmation: Option<Confirmation>,
    #[serde(default)]
    pub payment_method_data: Option<MethodData>,
    #[serde(default)]
    pub payment_method_id: Option<String>,
    #[serde(default)]
    pub save_payment_method: bool,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub metadata: Option<Value>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct MethodData {
    #[serde(rename = "type")]
    pub kind: String,
}

/// `POST /v3/payments/{id}/capture`.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Capture {
    #[serde(default)]
    pub amount: Option<Amount>,
}

/// `POST /v3/refunds`.
#[derive(Clone, Debug, Deserialize)]
pub struct NewRefund {
    pub payment_id: String,
    pub amount: Amount,
    #[serde(default)]
    pub description: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_rubles_with_two_decimals() {
        let a = |v: &str| Amount {
            value: v.into(),
            currency: "RUB".into(),
        };
        assert_eq!(a("1234.50").kopecks(), Some(123_450));
        assert_eq!(a("1234.5").kopecks(), Some(123_450));
        assert_eq!(a("10").kopecks(), Some(1_000));
        assert_eq!(a("0.01").kopecks(), Some(1));
        for bad in [
            "0", "0.00", "-1.00", "1.234", "1,00", "", ".50", "1e3", "abc",
        ] {
            assert_eq!(a(bad).kopecks(), None, "{bad}");
        }
        assert_eq!(Amount::rub(123_405).value, "1234.05");
        let usd = Amount {
            value: "1.00".into(),
            currency: "USD".into(),
        };
        assert_eq!(usd.kopecks(), None);
    }
}
