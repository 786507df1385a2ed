//! billing's workflows — the service layer between the handlers and the table: money into and
//! out of a wallet or a gift card, once per cause (`ledger`), a gift card activated by its code
//! (`gift_cards`), and what a payment bought besides goods delivered (`purchases`). Each answers
//! [`BillingError`], made once into each entry point's error (`From` into the contracts'
//! `Failure`s and a consumer's `ConsumeError`).

pub mod gift_cards;
pub mod ledger;
pub mod purchases;

use vitrina_shared::{
    contracts::{
        billing::{
            ActivateRefusal, CreditRefusal, DebitRefusal, GiftCardCreditRefusal,
            GiftCardDebitRefusal,
        },
        Failure,
    },
    ConsumeError, StoreError, Unavailable,
};

/// What money moves on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Account {
    Wallet,
    GiftCard,
}

impl std::fmt::Display for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Account::Wallet => "wallet",
            Account::GiftCard => "card",
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BillingError {
    #[error("the {0} holds less than the amount")]
    InsufficientFunds(Account),
    /// Not a positive number of kopecks, or beyond what an account holds.
    #[error("the amount must be a positive number of kopecks within the account's range")]
    InvalidAmount,
    /// The client has no wallet (yet: it opens just after registration).
    #[error("no wallet for this client")]
    WalletNotFound,
    /// No activated card of this client by that id, or no card with that code.
    #[error("no such gift card")]
    GiftCardNotFound,
    #[error("the gift card was activated by another client")]
    GiftCardTaken,
    /// What a message should never hold (a purchase without its card's order): retrying is
    /// no use, an operator must look.
    #[error("{0}")]
    Malformed(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Unavailable(#[from] Unavailable),
}

impl From<BillingError> for Failure<DebitRefusal> {
    fn from(err: BillingError) -> Self {
        let message = err.to_string();
        match err {
            BillingError::InsufficientFunds(_) => DebitRefusal::InsufficientFunds(message).into(),
            BillingError::WalletNotFound => DebitRefusal::WalletNotFound(message).into(),
            BillingError::InvalidAmount => DebitRefusal::InvalidAmount(message).into(),
            other => unavailable(other),
        }
    }
}

impl From<BillingError> for Failure<CreditRefusal> {
    fn from(err: BillingError) -> Self {
        let message = err.to_string();
        match err {
            BillingError::WalletNotFound => CreditRefusal::WalletNotFound(message).into(),
            BillingError::InvalidAmount => CreditRefusal::InvalidAmount(message).into(),
            other => unavailable(other),
        }
    }
}

impl From<BillingError> for Failure<GiftCardDebitRefusal> {
    fn from(err: BillingError) -> Self {
        let message = err.to_string();
        match err {
            BillingError::InsufficientFunds(_) => {
                GiftCardDebitRefusal::InsufficientFunds(message).into()
            }
            BillingError::GiftCardNotFound => {
                GiftCardDebitRefusal::GiftCardNotFound(message).into()
            }
            BillingError::InvalidAmount => GiftCardDebitRefusal::InvalidAmount(message).into(),
            other => unavailable(other),
        }
    }
}

impl From<BillingError> for Failure<GiftCardCreditRefusal> {
    fn from(err: BillingError) -> Self {
        let message = err.to_string();
        match err {
            BillingError::GiftCardNotFound => {
                GiftCardCreditRefusal::GiftCardNotFound(message).into()
            }
            BillingError::InvalidAmount => GiftCardCreditRefusal::InvalidAmount(message).into(),
            other => unavailable(other),
        }
    }
}

impl From<BillingError> for Failure<ActivateRefusal> {
    fn from(err: BillingError) -> Self {
        let message = err.to_string();
        match err {
            BillingError::GiftCardNotFound => ActivateRefusal::GiftCardNotFound(message).into(),
            BillingError::GiftCardTaken => ActivateRefusal::GiftCardTaken(message).into(),
            other => unavailable(other),
        }
    }
}

/// What the callers retry: the store's errors keep their own words.
fn unavailable<R: vitrina_shared::contracts::Refusal>(err: BillingError) -> Failure<R> {
    match err {
        BillingError::Store(e) => e.into(),
        other => Failure::unavailable(other),
    }
}

/// For the consumers: a refusal of money already taken (no wallet, a bad amount) is never
/// mended by retrying — it ends in the DLQ, where an operator sees it.
impl From<BillingError> for ConsumeError {
    fn from(err: BillingError) -> Self {
        match err {
            BillingError::Store(e) => ConsumeError::Store(e),
            BillingError::Unavailable(e) => e.into(),
            other => ConsumeError::Malformed(other.to_string()),
        }
    }
}
