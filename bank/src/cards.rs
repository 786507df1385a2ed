//! Card entry on the hosted page: the number's checksum, expiry and CVC, and what each of
//! YooKassa's documented test cards does.

use crate::model::Card;

/// What paying with a card leads to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Authorised without 3-D Secure.
    Approve,
    /// Asks for a 3-D Secure code first; `fails` for the card whose check never passes.
    ThreeDSecure { fails: bool },
    /// Declined by the card's network or bank, with YooKassa's `cancellation_details.reason`.
    Decline(&'static str),
}

/// YooKassa's test cards, as its documentation lists them.
pub fn outcome(number: &str) -> Option<Outcome> {
    Some(match number {
        "5555555555554477" => Outcome::ThreeDSecure { fails: false },
        "5555555555554592" => Outcome::ThreeDSecure { fails: true },
        "5555555555554444" | "2200000000000004" => Outcome::Approve,
        "5555555555554600" => Outcome::Decline("insufficient_funds"),
        "5555555555554543" => Outcome::Decline("card_expired"),
        "5555555555554568" => Outcome::Decline("fraud_suspected"),
        _ => return None,
    })
}

/// Who declines for each reason, as `cancellation_details.party`.
pub fn party(reason: &str) -> &'static str {
    match reason {
        "fraud_suspected" => "yoo_money",
        "expired_on_confirmation" | "expired_on_capture" | "canceled_by_merchant" => "merchant",
        _ => "payment_network",
    }
}

/// Why a typed card was not taken, in the page's words.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    #[error("Проверьте номер карты")]
    Number,
    #[error("Проверьте срок действия: ММ/ГГ, не в прошлом")]
    Expiry,
    #[error("CVC — три цифры с обратной стороны карты")]
    Cvc,
    #[error("В тестовом магазине работают только тестовые карты")]
    NotATestCard,
}

/// A card as typed: spaces allowed in the number, expiry `MM/YY`, a three-digit CVC.
pub fn read(
    number: &str,
    expiry: &str,
    cvc: &str,
    today: (i32, u32),
) -> Result<(Card, Outcome), EntryError> {
    let digits: String = number.chars().filter(|c| !c.is_whitespace()).collect();
    if !(13..=19).contains(&digits.len())
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || !luhn(&digits)
    {
        return Err(EntryError::Number);
    }
    let (month, year) = expiry.trim().split_once('/').ok_or(EntryError::Expiry)?;
    let month: u32 = month.trim().parse().map_err(|_| EntryError::Expiry)?;
    let year: i32 = year.trim().parse().map_err(|_| EntryError::Expiry)?;
    let year = if year < 100 { 2000 + year } else { year };
    if !(1..=12).contains(&month) || (year, month) < today {
        return Err(EntryError::Expiry);
    }
    if cvc.len() != 3 || !cvc.bytes().all(|b| b.is_ascii_digit()) {
        return Err(EntryError::Cvc);
    }
    let outcome = outcome(&digits).ok_or(EntryError::NotATestCard)?;
    let card_type = match digits.as_bytes()[0] {
        b'2' => "Mir",
        b'4' => "Visa",
        b'5' => "MasterCard",
        _ => "Unknown",
    };
    Ok((
        Card {
            first6: digits[..6].to_string(),
            last4: digits[digits.len() - 4..].to_string(),
            expiry_month: format!("{month:02}"),
            expiry_year: year.to_string(),
            card_type: card_type.into(),
        },
        outcome,
    ))
}

/// The Luhn checksum every card number carries.
pub fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let twice = d * 2;
                if twice > 9 {
                    twice - 9
                } else {
                    twice
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_test_card_passes_luhn_and_a_typo_does_not() {
        for n in [
            "5555555555554477",
            "5555555555554444",
            "2200000000000004",
            "5555555555554600",
            "5555555555554543",
            "5555555555554592",
            "5555555555554568",
        ] {
            assert!(luhn(n), "{n}");
            assert!(outcome(n).is_some(), "{n}");
        }
        assert!(!luhn("5555555555554478"));
    }

    #[test]
    fn entry_is_checked_field_by_field() {
        let today = (2026, 11);
        let ok = read("5555 5555 5555 4444", "12/30", "123", today).unwrap();
        assert_eq!(ok.0.last4, "4444");
        assert_eq!(ok.0.card_type, "MasterCard");
        assert_eq!(ok.1, Outcome::Approve);
        assert_eq!(
            read("2200 0000 0000 0004", "11/26", "000", today)
                .unwrap()
                .0
                .card_type,
            "Mir"
        );
        assert_eq!(
            read("5555 5555 5555 4445", "12/30", "123", today),
            Err(EntryError::Number)
        );
        assert_eq!(
            read("5555555555554444", "10/26", "123", today),
            Err(EntryError::Expiry)
        );
        assert_eq!(
            read("5555555555554444", "13/30", "123", today),
            Err(EntryError::Expiry)
        );
        assert_eq!(
            read("5555555555554444", "12/30", "12", today),
            Err(EntryError::Cvc)
        );
        assert_eq!(
            read("4111 1111 1111 1111", "12/30", "123", today),
            Err(EntryError::NotATestCard)
        );
    }
}
