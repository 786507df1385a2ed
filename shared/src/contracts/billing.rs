//! billing's money, for payment: `gift-card-activate` binds a gift card to a client by its code
//! and `gift-cards-of` lists a client's cards with their balances (a card's code is never in an
//! answer); `wallet-debit` / `wallet-credit` and `gift-card-debit` / `gift-card-credit` move
//! money, once per cause, each movement a ledger entry.

use super::{Contract, NoRefusal};
use serde::{Deserialize, Serialize};

pub struct ActivateGiftCard;

impl Contract for ActivateGiftCard {
    const HANDLER: &'static str = "gift-card-activate";
    type Request = ActivateRequest;
    type Response = GiftCard;
    type Refusal = ActivateRefusal;
}

pub struct GiftCardsOf;

/// Takes money from a client's wallet, once per cause, never below zero.
pub struct DebitWallet;

impl Contract for DebitWallet {
    const HANDLER: &'static str = "wallet-debit";
    type Request = WalletMove;
    type Response = LedgerEntry;
    type Refusal = DebitRefusal;
}

/// Takes money from one of the client's activated gift cards, once per cause, never below zero.
pub struct DebitGiftCard;

impl Contract for DebitGiftCard {
    const HANDLER: &'static str = "gift-card-debit";
    type Request = GiftCardMove;
    type Response = LedgerEntry;
    type Refusal = GiftCardDebitRefusal;
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GiftCardMove {
    pub user_id: String,
    /// The card as the client sees it (`GiftCard::card_id`); it must be the client's.
    pub card_id: String,
    /// Kopecks, positive.
    pub amount: i64,
    pub cause: String,
    pub description: String,
}

/// Gives money back to one of the client's gift cards (a refund), once per cause.
pub struct CreditGiftCard;

impl Contract for CreditGiftCard {
    const HANDLER: &'static str = "gift-card-credit";
    type Request = GiftCardMove;
    type Response = LedgerEntry;
    type Refusal = GiftCardCreditRefusal;
}

/// Puts money into a client's wallet (a refund, a top-up), once per cause.
pub struct CreditWallet;

impl Contract for CreditWallet {
    const HANDLER: &'static str = "wallet-credit";
    type Request = WalletMove;
    type Response = LedgerEntry;
    type Refusal = CreditRefusal;
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WalletMove {
    pub user_id: String,
    /// Kopecks, positive.
    pub amount: i64,
    /// What moves the money ("payment:<id>", "refund:<id>"): the ledger entry's key, so a
    /// retried call finds the entry of the first instead of moving money again.
    pub cause: String,
    /// For the client's wallet history ("Оплата заказа …").
    pub description: String,
}

/// One movement of a wallet's money; the balance is always the sum of its entries.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LedgerEntry {
    pub cause: String,
    /// Kopecks: negative for a debit, positive for a credit.
    pub amount: i64,
    pub balance_after: i64,
    pub description: String,
    /// The wallet's version this entry made: entries in order.
    pub seq: u64,
    pub at: String,
}

impl Contract for GiftCardsOf {
    const HANDLER: &'static str = "gift-cards-of";
    type Request = CardsOfRequest;
    type Response = GiftCards;
    type Refusal = NoRefusal;
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActivateRequest {
    pub user_id: String,
    /// As the client typed it: billing normalises case, blanks and dashes.
    pub code: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CardsOfRequest {
    pub user_id: String,
}

/// What a client may see of a card.
#[derive(
    Clone, Debug, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema, schemars::JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub struct GiftCard {
    pub card_id: String,
    pub last4: String,
    /// Kopecks, as issued.
    pub amount: i64,
    /// Kopecks left.
    pub balance: i64,
    pub activated_at: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GiftCards {
    pub gift_cards: Vec<GiftCard>,
}

crate::refusals! {
    pub enum DebitRefusal {
        /// The wallet holds less than the amount.
        InsufficientFunds,
        /// The client has no wallet (yet: it opens just after registration).
        WalletNotFound,
        /// The amount is not a positive number of kopecks.
        InvalidAmount,
    }
}

crate::refusals! {
    pub enum GiftCardDebitRefusal {
        /// The card holds less than the amount.
        InsufficientFunds,
        /// No activated card of this client has this id.
        GiftCardNotFound,
        InvalidAmount,
    }
}

crate::refusals! {
    pub enum GiftCardCreditRefusal {
        GiftCardNotFound,
        InvalidAmount,
    }
}

crate::refusals! {
    pub enum CreditRefusal {
        WalletNotFound,
        InvalidAmount,
    }
}

crate::refusals! {
    pub enum ActivateRefusal {
        /// No card has this code (or it cannot be a code).
        GiftCardNotFound,
        /// Another client activated the card.
        GiftCardTaken,
    }
}
