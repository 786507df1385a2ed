//! billing's rules, free of AWS and HTTP.

pub mod giftcard;

use serde::{Deserialize, Serialize};

pub const CURRENCY: &str = "RUB";

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Wallet {
    pub user_id: String,
    /// Kopecks; never negative (every debit is conditional on the balance).
    pub balance: i64,
    pub currency: String,
    pub version: u64,
    pub opened_at: String,
}

impl Wallet {
    /// A client's wallet opens empty.
    pub fn open(user_id: &str, now: &str) -> Self {
        Self {
            user_id: user_id.to_string(),
            balance: 0,
            currency: CURRENCY.to_string(),
            version: 0,
            opened_at: now.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn wallets_open_empty_in_rubles() {
        let w = super::Wallet::open("u1", "2026-01-01T00:00:00Z");
        assert_eq!((w.balance, w.currency.as_str(), w.version), (0, "RUB", 0));
    }
}
