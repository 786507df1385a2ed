//! delivery's `choose`: settles the client's delivery for an order (the preliminary booking
//! orchestra will turn into a delivery case).

use super::Contract;
use serde::{Deserialize, Serialize};

pub struct ChooseDelivery;

impl Contract for ChooseDelivery {
    const HANDLER: &'static str = "choose";
    type Request = ChooseRequest;
    type Response = DeliveryChoice;
    type Refusal = ChooseRefusal;
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChooseRequest {
    pub user_id: String,
    pub order_id: String,
    /// `pickup` or `courier`: the client chooses no other.
    pub method: DeliveryMethod,
    /// For `pickup`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pickup_point_id: Option<String>,
    /// For `courier`: a price the client asked for (`POST /api/delivery/quote`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote_id: Option<String>,
    /// For the shop's own courier: the two-hour window the client chose among the quote's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot_id: Option<String>,
}

crate::wire_enum! {
    /// How an order reaches the client.
    #[derive(Default)]
    pub enum DeliveryMethod {
        /// The client collects it at one of the shop's pickup points.
        Pickup = "pickup",
        /// A courier brings it to the client's address (the shop's own or a company's).
        Courier = "courier",
        /// A gift card: its code by e-mail to the recipient.
        Email = "email",
        /// A wallet top-up: the money into the client's wallet.
        Wallet = "wallet",
        /// No delivery: what a case cancelled before it was ever opened records.
        #[default]
        NoDelivery = "none",
    }
}

/// An own-courier delivery window held for an order.
#[derive(
    Clone,
    Debug,
    Default,
    Serialize,
    Deserialize,
    PartialEq,
    Eq,
    utoipa::ToSchema,
    schemars::JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub struct DeliverySlot {
    /// `2026-11-28T10`: the day and the window's first hour, Moscow time.
    pub id: String,
    /// The delivery zone of the address (0 Moscow).
    pub zone: usize,
    /// "28 ноября, 10:00–12:00".
    pub label: String,
}

/// The delivery settled for an order: what order shows and adds to the total.
#[derive(
    Clone,
    Debug,
    Default,
    Serialize,
    Deserialize,
    PartialEq,
    Eq,
    utoipa::ToSchema,
    schemars::JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryChoice {
    pub method: DeliveryMethod,
    /// One line for the client: "Пункт выдачи: …" / "Курьер «СДЭК», 1–4 дн.".
    pub label: String,
    pub address: String,
    /// Kopecks.
    pub cost: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pickup_point_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub courier_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote_id: Option<String>,
    /// The own courier's window, held until the order is paid (then the saga confirms it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot: Option<DeliverySlot>,
    /// Another company's courier: its pre-booking at the courier API, made on this choice and
    /// confirmed by the saga once the order is paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booking_id: Option<String>,
}

crate::refusals! {
    /// Each message is for the client: order passes it on as the 4xx body.
    pub enum ChooseRefusal {
        /// No such method or pickup point, or the method's own field is missing.
        InvalidChoice,
        /// No quote of this client by that id.
        QuoteNotFound,
        /// The quote's 30 minutes are over.
        QuoteExpired,
        /// Every place in the chosen delivery window is held by other orders.
        SlotTaken,
        /// The courier company does not take this delivery (its API refused the pre-booking).
        CourierRefused,
        /// The courier company's API did not answer: the client tries again or chooses another.
        CourierUnavailable,
    }
}

/// delivery's `delivery-case-open`, the saga's third step: the order's delivery as a case
/// delivery works on, from the choice made at checkout. Once per order.
pub struct OpenDeliveryCase;

impl Contract for OpenDeliveryCase {
    const HANDLER: &'static str = "delivery-case-open";
    type Request = OpenCaseRequest;
    type Response = DeliveryCase;
    type Refusal = OpenCaseRefusal;
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OpenCaseRequest {
    pub order_id: String,
    pub user_id: String,
    pub delivery: DeliveryChoice,
}

crate::wire_enum! {
    /// Where an order's delivery case is: `created` → `in_transit` → `at_pickup_point` (pickup) |
    /// `out_for_delivery` (courier) → `delivered`, or `cancelled` before the goods left.
    pub enum DeliveryStatus {
        Created = "created",
        InTransit = "in_transit",
        AtPickupPoint = "at_pickup_point",
        OutForDelivery = "out_for_delivery",
        Delivered = "delivered",
        Cancelled = "cancelled",
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryCase {
    pub order_id: String,
    pub user_id: String,
    pub status: DeliveryStatus,
    pub delivery: DeliveryChoice,
    pub created_at: String,
    pub updated_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

crate::refusals! {
    pub enum OpenCaseRefusal {
        /// The order's case was cancelled already (a compensation ran first).
        CaseCancelled,
        /// The pickup point or courier is not one delivery works with (any more).
        DeliveryNotPossible,
    }
}

/// delivery's `delivery-case-cancel`, the saga's compensation. Safe when no case was opened
/// (it then records that none may be) and when run twice. A case whose goods left (moved past
/// `created`) is not cancelled: what the courier holds is not undone by a message.
pub struct CancelDeliveryCase;

impl Contract for CancelDeliveryCase {
    const HANDLER: &'static str = "delivery-case-cancel";
    type Request = CancelCaseRequest;
    type Response = CancelledCase;
    type Refusal = CancelCaseRefusal;
}

crate::refusals! {
    pub enum CancelCaseRefusal {
        /// The goods are on their way (or at the point, or delivered): too late to cancel.
        DeliveryUnderway,
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CancelCaseRequest {
    pub order_id: String,
    pub reason: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CancelledCase {
    pub order_id: String,
    pub status: DeliveryStatus,
}

/// delivery's `delivery-case-move`, the operators' move of a delivery case (never the public
/// API: in AWS it is invoked with an operator's IAM identity, `vitrina-cases` is the command).
/// `created → in_transit → at_pickup_point` (pickup) `| out_for_delivery` (courier)
/// `→ delivered`. Moving a case to where it is already answers it again (and tells order and
/// the client again: both take a repeat as nothing new), so an operator may simply re-run.
pub struct MoveDeliveryCase;

impl Contract for MoveDeliveryCase {
    const HANDLER: &'static str = "delivery-case-move";
    type Request = MoveCaseRequest;
    type Response = DeliveryCase;
    type Refusal = MoveCaseRefusal;
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct MoveCaseRequest {
    pub order_id: String,
    /// `in_transit`, `at_pickup_point`, `out_for_delivery` or `delivered`.
    pub to: DeliveryStatus,
}

crate::refusals! {
    pub enum MoveCaseRefusal {
        CaseNotFound,
        /// Not a move the case can make from where it is (or for its method of delivery).
        MoveNotAllowed,
    }
}
