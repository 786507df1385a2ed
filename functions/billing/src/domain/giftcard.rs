//! Gift cards: a code of 16 characters (80 random bits, no look-alike letters) activates a card
//! with a balance in kopecks. Only the code's SHA-256 is stored; the code is shown once, when
//! the card is issued.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// 32 symbols without 0/O, 1/I: five bits each, and nothing to misread on a printed card.
const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const CODE_LEN: usize = 16;
/// 500 ₽ … 100 000 ₽.
pub const MIN_AMOUNT: i64 = 50_000;
pub const MAX_AMOUNT: i64 = 10_000_000;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct GiftCard {
    pub card_id: String,
    /// Kopecks put on the card when issued.
    pub amount: i64,
    /// Kopecks left; never negative (debits will be conditional on it).
    pub balance: i64,
    /// `issued` until a client activates it, then `active`.
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_user_id: Option<String>,
    /// The code's last four characters, to tell cards apart on screen.
    pub last4: String,
    pub issued_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activated_at: Option<String>,
    /// Bumped by every debit: its ledger entries' order.
    #[serde(default)]
    pub version: u64,
}

/// A gift card bought through "Оформление подарочной карты": the card its payment issued. The
/// code stays here only until the letter to the recipient is on its way (`mailed`), so that a
/// retried delivery sends the same code and never a second card.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Purchase {
    pub payment_id: String,
    pub card_id: String,
    pub code_hash: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub mailed: bool,
    pub issued_at: String,
}

impl GiftCard {
    /// The entry that gives `amount` kopecks back to the card (a refund), within the bound of
    /// what a card may hold.
    pub fn credit(
        &self,
        cause: &str,
        amount: i64,
        description: &str,
        now: &str,
    ) -> Result<vitrina_shared::contracts::billing::LedgerEntry, super::MoveError> {
        let after = self
            .balance
            .checked_add(amount)
            .filter(|after| amount > 0 && *after <= MAX_AMOUNT)
            .ok_or(super::MoveError::BadAmount)?;
        Ok(vitrina_shared::contracts::billing::LedgerEntry {
            cause: cause.to_string(),
            amount,
            balance_after: after,
            description: description.to_string(),
            seq: self.version + 1,
            at: now.to_string(),
        })
    }

    /// The entry that takes `amount` kopecks from the card; never below zero.
    pub fn debit(
        &self,
        cause: &str,
        amount: i64,
        description: &str,
        now: &str,
    ) -> Result<vitrina_shared::contracts::billing::LedgerEntry, super::MoveError> {
        if amount <= 0 {
            return Err(super::MoveError::BadAmount);
        }
        if amount > self.balance {
            return Err(super::MoveError::Insufficient {
                balance: self.balance,
            });
        }
        Ok(vitrina_shared::contracts::billing::LedgerEntry {
            cause: cause.to_string(),
            amount: -amount,
            balance_after: self.balance - amount,
            description: description.to_string(),
            seq: self.version + 1,
            at: now.to_string(),
        })
    }
}

/// Why a gift card cannot be issued.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IssueError {
    #[error("amount must be {MIN_AMOUNT}..{MAX_AMOUNT} kopecks")]
    AmountOutOfRange,
    #[error("not a gift card code")]
    NotACode,
    /// The operating system gave no random bytes for a code.
    #[error("no randomness for a code: {0}")]
    NoRandomness(getrandom::Error),
}

/// A fresh code, `XXXX-XXXX-XXXX-XXXX`.
pub fn new_code() -> Result<String, IssueError> {
    let mut bytes = [0u8; CODE_LEN];
    getrandom::getrandom(&mut bytes).map_err(IssueError::NoRandomness)?;
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| ALPHABET[usize::from(b % 32)] as char)
        .collect();
    Ok(chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-"))
}

/// The code as typed (any case, spaces or dashes) in its canonical form; `None` if it cannot be
/// a code at all, so garbage never reaches the table.
pub fn normalize(input: &str) -> Option<String> {
    let code: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| ALPHABET.contains(&b))).then_some(code)
}

pub fn code_hash(normalized: &str) -> String {
    Sha256::digest(normalized.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn issue(code: &str, amount: i64, now: &str) -> Result<GiftCard, IssueError> {
    if !(MIN_AMOUNT..=MAX_AMOUNT).contains(&amount) {
        return Err(IssueError::AmountOutOfRange);
    }
    let normalized = normalize(code).ok_or(IssueError::NotACode)?;
    Ok(GiftCard {
        card_id: uuid::Uuid::now_v7().to_string(),
        amount,
        balance: amount,
        status: "issued".into(),
        owner_user_id: None,
        last4: normalized[CODE_LEN - 4..].to_string(),
        issued_at: now.into(),
        activated_at: None,
        version: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sixteen_unambiguous_characters_and_normalize() {
        let code = new_code().unwrap();
        assert_eq!(code.len(), 19);
        let n = normalize(&code).unwrap();
        assert_eq!(n.len(), 16);
        assert_eq!(
            normalize(&format!(" {} ", code.to_lowercase().replace('-', " "))),
            Some(n.clone())
        );
        assert_ne!(new_code().unwrap(), code);
        assert_eq!(
            normalize("ABCD-EFGH-JKLM-NPQ0"),
            None,
            "0 is not in the alphabet"
        );
        assert_eq!(normalize("ABCD"), None);
        assert_eq!(code_hash(&n).len(), 64);
    }

    #[test]
    fn issued_cards_carry_their_amount_and_last_four() {
        let card = issue("ABCD-EFGH-JKLM-NPQR", 100_000, "now").unwrap();
        assert_eq!(
            (card.balance, card.status.as_str(), card.last4.as_str()),
            (100_000, "issued", "NPQR")
        );
        assert!(issue("ABCD-EFGH-JKLM-NPQR", 100, "now").is_err());
    }
}
