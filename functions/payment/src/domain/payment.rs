//! A payment of an order (S6 "Оплата заказа") and how it moves. The two steps of the spec: the
//! payer's own scenario first (the bank's card page, or a wallet that holds enough), after
//! which "Оплатить" is active; pressing it takes the money (a card's authorisation captured, the
//! wallet debited). A status only moves forward, and only by a conditional write.

use serde::{Deserialize, Serialize};
use vitrina_shared::contracts::{
    billing::{GiftCardMove, WalletMove},
    payment::PaymentFailure,
};

#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = PaymentStatus)]
pub enum Status {
    /// Recorded; the bank has not answered yet (a retry with the same key goes on from here).
    Created,
    /// Waiting for the payer on the bank's page.
    AwaitingPayer,
    /// The bank holds the money: "Оплатить" is active.
    Authorized,
    /// Nothing to wait for (a wallet): "Оплатить" is active.
    Ready,
    /// The money is taken.
    Paid,
    /// The bank or billing refused; the order waits for another try.
    Failed,
    /// Given up before the money was taken (the order was paid by another payment, or taken
    /// back into the cart); a bank authorisation is released.
    Cancelled,
    /// The money taken was given back (the order saga's compensation).
    Refunded,
    /// Its refund is asked and the bank has not finished it (YooKassa's refunds may be
    /// `pending`): followed by the refund's webhook and the payment's timer to `Refunded`.
    Refunding,
    /// The bank refused the refund (`canceled`): the money is still the shop's, an operator is
    /// told, and `payment-refund` run again asks the bank anew.
    RefundFailed,
}

impl Status {
    /// Given back, or on its way back: the money it took is not the shop's to deliver on.
    pub fn is_refund(self) -> bool {
        matches!(self, Self::Refunded | Self::Refunding | Self::RefundFailed)
    }

    /// Past the payer's part: paid, or over without the money, or after a paid one's refund.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::Paid
                | Self::Failed
                | Self::Cancelled
                | Self::Refunded
                | Self::Refunding
                | Self::RefundFailed
        )
    }
}

/// How a payment is paid: the contracts' own type, named as payment has always named it.
pub use vitrina_shared::contracts::payment::PaymentMethod as Method;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Payment {
    pub payment_id: String,
    pub user_id: String,
    pub order_id: String,
    /// Kopecks, from the order.
    pub amount: i64,
    pub method: Method,
    /// Keep the card for the next payments (the bank saves it; the shop never sees its number).
    #[serde(default)]
    pub save_card: bool,
    pub status: Status,
    #[serde(default)]
    pub bank_payment_id: Option<String>,
    /// The bank's page for the payer (a card).
    #[serde(default)]
    pub confirmation_url: Option<String>,
    /// The SBP payment link the QR code carries.
    #[serde(default)]
    pub qr_link: Option<String>,
    /// The bank's id of the saved card paying (`saved_card`), or the gift card's (`gift_card`).
    #[serde(default)]
    pub saved_card_id: Option<String>,
    /// Why it failed (or why its refund did not go through).
    #[serde(default)]
    pub failure: Option<PaymentFailure>,
    /// The bank's own reason for refusing the refund, for the operators.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_refused_by_bank: Option<String>,
    /// The card, once the bank names it ("Mir *0004").
    #[serde(default)]
    pub card: Option<String>,
    /// Whether order and notification have been told the final outcome.
    #[serde(default)]
    pub outcome_sent: bool,
    /// The order as it was paid, for the result e-mail.
    #[serde(default)]
    pub lines: Vec<vitrina_shared::contracts::order::PaidLine>,
    #[serde(default)]
    pub delivery: String,
    /// What the money buys; billing delivers a gift card or a top-up on success.
    #[serde(default)]
    pub kind: vitrina_shared::contracts::order::OrderKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gift_card: Option<vitrina_shared::contracts::order::GiftCardOrder>,
    /// The bank's refund being followed (`Refunding`), or the last one asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_id: Option<String>,
    /// Refunds the bank refused so far: each new one is asked with a key of its own.
    #[serde(default)]
    pub refund_attempts: u32,
    pub created_at: String,
    pub updated_at: String,
}

impl Payment {
    pub fn new(
        payment_id: &str,
        user_id: &str,
        order_id: &str,
        amount: i64,
        method: Method,
        save_card: bool,
        now: &str,
    ) -> Self {
        Self {
            payment_id: payment_id.into(),
            user_id: user_id.into(),
            order_id: order_id.into(),
            amount,
            method,
            save_card,
            status: if method.at_bank() {
                Status::Created
            } else {
                Status::Ready
            },
            bank_payment_id: None,
            confirmation_url: None,
            qr_link: None,
            saved_card_id: None,
            failure: None,
            refund_refused_by_bank: None,
            card: None,
            outcome_sent: false,
            lines: Vec::new(),
            delivery: String::new(),
            kind: Default::default(),
            gift_card: None,
            refund_id: None,
            refund_attempts: 0,
            created_at: now.into(),
            updated_at: now.into(),
        }
    }

    /// The `Idempotence-Key` of this payment's refund at the bank: the same for every retry of
    /// one refund, a new one after the bank refused the last.
    pub fn refund_key(&self) -> String {
        match self.refund_attempts {
            0 => format!("refund-{}", self.payment_id),
            n => format!("refund-{}-{n}", self.payment_id),
        }
    }

    /// This payment's money moved in the client's wallet (a debit or a credit back), keyed in
    /// billing's ledger by `cause`.
    pub fn wallet_move(&self, cause: String, description: String) -> WalletMove {
        WalletMove {
            user_id: self.user_id.clone(),
            amount: self.amount,
            cause,
            description,
        }
    }

    /// This payment's money moved on the gift card that pays it, keyed by `cause`.
    pub fn gift_card_move(&self, cause: String, description: String) -> GiftCardMove {
        GiftCardMove {
            user_id: self.user_id.clone(),
            card_id: self.saved_card_id.clone().unwrap_or_default(),
            amount: self.amount,
            cause,
            description,
        }
    }

    /// Whether "Оплатить" may be pressed.
    pub fn confirmable(&self) -> bool {
        matches!(self.status, Status::Authorized | Status::Ready)
    }
}

/// The bank's view of its payment, as far as the shop acts on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BankState {
    Pending,
    WaitingForCapture,
    Succeeded,
    Canceled { reason: String },
}

/// Where a payment goes when the bank says `bank`: `None` if nowhere.
pub fn after_bank(status: Status, bank: &BankState) -> Option<(Status, Option<PaymentFailure>)> {
    match (status, bank) {
        (Status::Created | Status::AwaitingPayer, BankState::WaitingForCapture) => {
            Some((Status::Authorized, None))
        }
        (
            Status::Created | Status::AwaitingPayer | Status::Authorized,
            BankState::Canceled { reason },
        ) => Some((Status::Failed, Some(failure_code(reason)))),
        // Captured by "Оплатить" whose answer was lost: the capture is the bank's fact.
        (Status::Authorized, BankState::Succeeded) => Some((Status::Paid, None)),
        _ => None,
    }
}

/// The bank's cancellation reason as the shop's failure code.
pub fn failure_code(reason: &str) -> PaymentFailure {
    match reason {
        "insufficient_funds" => PaymentFailure::InsufficientFunds,
        "card_expired" => PaymentFailure::CardExpired,
        "3d_secure_failed" => PaymentFailure::ThreeDSecureFailed,
        "fraud_suspected" => PaymentFailure::FraudSuspected,
        "expired_on_confirmation" => PaymentFailure::PaymentExpired,
        "expired_on_capture" => PaymentFailure::AuthorizationExpired,
        "canceled_by_merchant" => PaymentFailure::PaymentCancelled,
        _ => PaymentFailure::PaymentDeclined,
    }
}

/// A card the bank keeps for the client: what the client sees of it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SavedCard {
    /// The bank's payment method id.
    pub card_id: String,
    /// "MasterCard *4444".
    pub title: String,
    pub expiry: String,
    pub saved_at: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bank_moves_a_payment_forward_only() {
        let cancel = |r: &str| BankState::Canceled { reason: r.into() };
        assert_eq!(
            after_bank(Status::AwaitingPayer, &BankState::WaitingForCapture),
            Some((Status::Authorized, None))
        );
        assert_eq!(
            after_bank(Status::AwaitingPayer, &cancel("insufficient_funds")),
            Some((Status::Failed, Some(PaymentFailure::InsufficientFunds)))
        );
        assert_eq!(
            after_bank(Status::Authorized, &cancel("expired_on_capture")),
            Some((Status::Failed, Some(PaymentFailure::AuthorizationExpired)))
        );
        assert_eq!(after_bank(Status::AwaitingPayer, &BankState::Pending), None);
        assert_eq!(
            after_bank(Status::Paid, &cancel("x")),
            None,
            "paid stays paid"
        );
        assert_eq!(
            after_bank(Status::Failed, &BankState::WaitingForCapture),
            None
        );
        assert_eq!(
            after_bank(Status::Authorized, &BankState::Succeeded),
            Some((Status::Paid, None))
        );
        assert_eq!(
            failure_code("something_new"),
            PaymentFailure::PaymentDeclined
        );
    }

    #[test]
    fn a_wallet_payment_is_ready_at_once_a_card_waits_for_the_bank() {
        let w = Payment::new("p", "u", "o", 100, Method::Wallet, false, "t");
        assert!(w.confirmable());
        let c = Payment::new("p", "u", "o", 100, Method::Card, true, "t");
        assert!(!c.confirmable());
        assert_eq!("sbp".parse(), Ok(Method::Sbp));
        assert!("cash".parse::<Method>().is_err());
    }
}
