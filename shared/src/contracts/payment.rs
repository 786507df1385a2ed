//! payment's `payment-refund`, for the order saga's compensation: gives a paid order's money
//! back the way it came (a bank refund, or a credit to the wallet or gift card), once.

use super::Contract;
use serde::{Deserialize, Serialize};

pub struct RefundPayment;

impl Contract for RefundPayment {
    const HANDLER: &'static str = "payment-refund";
    type Request = RefundRequest;
    type Response = Refunded;
    type Refusal = RefundRefusal;
}

crate::wire_enum! {
    /// Why a payment failed, or why its money did not come back: a stable code that the web
    /// client, order and notification word in Russian.
    pub enum PaymentFailure {
        /// The bank's: the card or account holds less (or, for billing, the wallet or card).
        InsufficientFunds = "insufficient_funds",
        CardExpired = "card_expired",
        /// The payer did not pass 3-D Secure.
        ThreeDSecureFailed = "3d_secure_failed",
        FraudSuspected = "fraud_suspected",
        /// The payer did not confirm at the bank in time.
        PaymentExpired = "payment_expired",
        /// The money held was not captured in time, and the bank let it go.
        AuthorizationExpired = "authorization_expired",
        PaymentCancelled = "payment_cancelled",
        /// Any other refusal of the bank.
        PaymentDeclined = "payment_declined",
        /// billing's: no wallet yet, or no such activated gift card of the client.
        WalletNotFound = "wallet_not_found",
        CardNotFound = "card_not_found",
        /// The shop's: the order was changed, cancelled or paid by another payment meanwhile.
        OrderNotPayable = "order_not_payable",
        OrderAlreadyPaid = "order_already_paid",
        /// The payer left an authorised payment unconfirmed until the timer gave it up.
        NotConfirmedInTime = "not_confirmed_in_time",
        /// The bank refused to give the money back (its reason goes to the operators).
        RefundDeclined = "refund_declined",
    }
}

crate::wire_enum! {
    /// How a payment is paid, on every message and contract that names it.
    pub enum PaymentMethod {
        /// A card typed on the bank's page.
        Card = "card",
        /// The client's wallet in billing.
        Wallet = "wallet",
        /// SBP: a QR code the payer scans with the banking app.
        Sbp = "sbp",
        /// A card the bank kept from an earlier payment: no page, authorised at once.
        SavedCard = "saved_card",
        /// One of the client's activated gift cards in billing.
        GiftCard = "gift_card",
    }
}

impl PaymentMethod {
    /// Paid through the bank (an authorisation to capture, a hold to release, a refund the bank
    /// makes), rather than from a balance billing keeps.
    pub fn at_bank(self) -> bool {
        matches!(self, Self::Card | Self::Sbp | Self::SavedCard)
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RefundRequest {
    pub payment_id: String,
    /// Why, for the ledger and the client ("Заказ отменён: нет в наличии").
    pub reason: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Refunded {
    pub payment_id: String,
    pub order_id: String,
    /// Kopecks given back: the whole payment.
    pub amount: i64,
    pub method: PaymentMethod,
}

crate::refusals! {
    pub enum RefundRefusal {
        PaymentNotFound,
        /// The payment took no money (failed, cancelled, or not yet confirmed).
        PaymentNotRefundable,
    }
}

/// payment's `payment-confirm-paid`, the saga's first step: the payment of an order took the
/// money, and the amount is the order's total.
pub struct ConfirmPaid;

impl Contract for ConfirmPaid {
    const HANDLER: &'static str = "payment-confirm-paid";
    type Request = ConfirmPaidRequest;
    type Response = ConfirmedPayment;
    type Refusal = ConfirmPaidRefusal;
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConfirmPaidRequest {
    pub payment_id: String,
    pub order_id: String,
    /// Kopecks: the order's total.
    pub amount: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConfirmedPayment {
    pub payment_id: String,
    pub order_id: String,
    pub amount: i64,
    pub method: PaymentMethod,
}

crate::refusals! {
    pub enum ConfirmPaidRefusal {
        /// No such payment, or it paid another order.
        PaymentNotFound,
        /// The payment took no money (yet, or ever): the saga gives nothing back.
        PaymentNotPaid,
        /// The payment's money was given back already (the order was cancelled first): there
        /// is nothing left to do.
        PaymentRefunded,
        /// It took another sum than the order's total: the saga gives it back.
        AmountMismatch,
    }
}

/// payment's `payment-of-order`, order's question at «Отменить заказ» for an order it has not
/// heard is paid yet: which payment has the order (its claim), and whether it took the money.
/// A read: the outcome message may still be on its way to order.
pub struct PaymentOfOrder;

impl Contract for PaymentOfOrder {
    const HANDLER: &'static str = "payment-of-order";
    type Request = PaymentOfOrderRequest;
    type Response = OrderPayment;
    type Refusal = super::NoRefusal;
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaymentOfOrderRequest {
    pub order_id: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrderPayment {
    /// The payment that claimed the order («Оплатить» pressed), if any.
    pub payment_id: Option<String>,
    /// It took the money (`paid`); `false` while it is still taking it, or when none did.
    pub paid: bool,
}
