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

/// Why money cannot move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoveError {
    /// A debit larger than the balance.
    Insufficient { balance: i64 },
    /// Not a positive number of kopecks.
    BadAmount,
}

impl Wallet {
    /// The entry that moves `delta` kopecks (negative: a debit) as the wallet's next version;
    /// a balance never goes below zero.
    pub fn entry(
        &self,
        cause: &str,
        delta: i64,
        description: &str,
        now: &str,
    ) -> Result<vitrina_shared::contracts::billing::LedgerEntry, MoveError> {
        if delta == 0 || delta == i64::MIN {
            return Err(MoveError::BadAmount);
        }
        let after = self
            .balance
            .checked_add(delta)
            .ok_or(MoveError::BadAmount)?;
        if after < 0 {
            return Err(MoveError::Insufficient {
                balance: self.balance,
            });
        }
        Ok(vitrina_shared::contracts::billing::LedgerEntry {
            cause: cause.to_string(),
            amount: delta,
            balance_after: after,
            description: description.to_string(),
            seq: self.version + 1,
            at: now.to_string(),
        })
    }

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
    use super::MoveError;

    #[test]
    fn a_debit_never_takes_the_balance_below_zero() {
        let mut w = super::Wallet::open("u1", "t");
        w.balance = 1_000;
        w.version = 4;
        let e = w.entry("payment:1", -400, "order", "t").unwrap();
        assert_eq!((e.amount, e.balance_after, e.seq), (-400, 600, 5));
        assert_eq!(
            w.entry("payment:2", -1_000, "", "t").unwrap().balance_after,
            0
        );
        assert_eq!(
            w.entry("payment:3", -1_001, "", "t"),
            Err(MoveError::Insufficient { balance: 1_000 })
        );
        assert_eq!(w.entry("x", 0, "", "t"), Err(MoveError::BadAmount));
        assert_eq!(w.entry("x", i64::MIN, "", "t"), Err(MoveError::BadAmount));
        assert_eq!(
            w.entry("refund:1", 250, "", "t").unwrap().balance_after,
            1_250
        );
    }

    #[test]
    fn wallets_open_empty_in_rubles() {
        let w = super::Wallet::open("u1", "2026-01-01T00:00:00Z");
        assert_eq!((w.balance, w.currency.as_str(), w.version), (0, "RUB", 0));
    }
}
