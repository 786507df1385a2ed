//! order's `order-payable`, for payment: an order the client may pay now, with its total.
//! The amount of a payment always comes from here, never from what the browser sends.

use super::Contract;
use serde::{Deserialize, Serialize};

crate::wire_enum! {
    /// Where an order is, from the cart to the client's hands — one list for order, the saga,
    /// delivery's reports, notification and the web client (`snake_case` on the wire).
    pub enum OrderStatus {
        /// The cart: the client's order being put together.
        Draft = "draft",
        /// «Оплатить заказ» pressed: the lines and total frozen, waiting for the payment.
        AwaitingPayment = "awaiting_payment",
        Paid = "paid",
        /// «Вернуться к редактированию заказа»: its lines are back in the cart.
        ReturnedToCart = "returned_to_cart",
        /// The saga reserved the goods: their picking case is open («Собирается»).
        Assembling = "assembling",
        /// The saga opened the delivery case («Передан в доставку»).
        HandedToDelivery = "handed_to_delivery",
        /// The saga undid what it had done and gave the money back; the order says why.
        Cancelled = "cancelled",
        /// Delivery's moves (an operator's): the goods left the warehouse («В пути»), wait at the
        /// pickup point, are out with the courier, or are in the client's hands.
        InTransit = "in_transit",
        AtPickupPoint = "at_pickup_point",
        OutForDelivery = "out_for_delivery",
        Delivered = "delivered",
    }
}

impl OrderStatus {
    /// A goods order whose money was taken and not given back, wherever the saga and delivery
    /// have taken it since.
    pub fn is_paid(self) -> bool {
        matches!(
            self,
            Self::Paid
                | Self::Assembling
                | Self::HandedToDelivery
                | Self::InTransit
                | Self::AtPickupPoint
                | Self::OutForDelivery
                | Self::Delivered
        )
    }
}

pub struct PayableOrder;

impl Contract for PayableOrder {
    const HANDLER: &'static str = "order-payable";
    type Request = PayableRequest;
    type Response = OrderToPay;
    type Refusal = PayableRefusal;
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PayableRequest {
    pub user_id: String,
    pub order_id: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrderToPay {
    pub order_id: String,
    pub user_id: String,
    /// Kopecks: the goods at the prices frozen when the order was placed, plus delivery.
    pub total: i64,
    /// For the bank statement and the receipt ("Заказ № …").
    pub description: String,
    /// What the client buys, for the payment's result e-mail.
    #[serde(default)]
    pub lines: Vec<PaidLine>,
    /// How it travels ("Пункт выдачи «…»: адрес").
    #[serde(default)]
    pub delivery: String,
    /// What the money buys: goods, a gift card, or money on the wallet.
    #[serde(default)]
    pub kind: OrderKind,
    /// For a gift card: whom it is for and how it looks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gift_card: Option<GiftCardOrder>,
}

/// What an order buys. Goods go on to the saga; a gift card is issued by billing and mailed to
/// its recipient; a wallet top-up is credited by billing.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    Serialize,
    Deserialize,
    PartialEq,
    Eq,
    utoipa::ToSchema,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum OrderKind {
    #[default]
    Goods,
    GiftCard,
    WalletTopUp,
}

impl OrderKind {
    /// Whether a way of paying may pay this kind: a gift card buys no gift card, and the
    /// wallet is topped up from outside (a bank card or SBP).
    pub fn accepts(self, method: super::payment::PaymentMethod) -> bool {
        match self {
            Self::Goods => true,
            Self::GiftCard => method != super::payment::PaymentMethod::GiftCard,
            Self::WalletTopUp => method.at_bank(),
        }
    }
}

/// A gift card as the buyer ordered it ("Оформление подарочной карты").
#[derive(
    Clone, Debug, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema, schemars::JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub struct GiftCardOrder {
    pub recipient_name: String,
    pub recipient_email: String,
    /// One of the shop's postcard designs (`GIFT_CARD_DESIGNS`).
    pub design: String,
}

/// The postcard designs a gift card may come in: id and name.
pub const GIFT_CARD_DESIGNS: &[(&str, &str)] = &[
    ("birthday", "С днём рождения"),
    ("new-year", "С Новым годом"),
    ("thanks", "Спасибо"),
    ("flowers", "Цветы"),
];

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaidLine {
    pub name: String,
    pub quantity: u32,
    /// Kopecks.
    pub line_total: i64,
}

crate::refusals! {
    pub enum PayableRefusal {
        /// No such order of this client.
        OrderNotFound,
        /// Paid already, or taken back into the cart.
        OrderNotPayable,
    }
}

/// order's `order-status`, the saga's report: the order moves on (handed to delivery) or is
/// cancelled with a reason the client reads. Moving to where it is already is an answer, not
/// an error, so a retried report is harmless.
pub struct ReportOrderStatus;

impl Contract for ReportOrderStatus {
    const HANDLER: &'static str = "order-status";
    type Request = StatusReport;
    type Response = StatusReport;
    type Refusal = StatusRefusal;
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatusReport {
    pub order_id: String,
    /// `assembling`, `handed_to_delivery` or `cancelled` (the saga); `in_transit`,
    /// `at_pickup_point`, `out_for_delivery`, `delivered` (delivery's moves).
    pub status: OrderStatus,
    /// For `cancelled`: why, in words for the client ("Товара не оказалось в наличии").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

crate::refusals! {
    pub enum StatusRefusal {
        OrderNotFound,
        /// Not a move the order can make from where it is (e.g. an unpaid order handed over).
        StatusNotAllowed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_order_status_is_its_snake_case_name_on_the_wire_and_back() {
        for &status in OrderStatus::ALL {
            let wire = serde_json::to_value(status).expect("serializes");
            assert_eq!(wire, status.as_str());
            assert_eq!(status.as_str().parse::<OrderStatus>(), Ok(status));
            assert_eq!(
                serde_json::from_value::<OrderStatus>(wire).expect("reads back"),
                status
            );
        }
        assert!("shipped".parse::<OrderStatus>().is_err());
        assert!(OrderStatus::Delivered.is_paid());
        assert!(!OrderStatus::Cancelled.is_paid());
        assert!(!OrderStatus::AwaitingPayment.is_paid());
    }
}
