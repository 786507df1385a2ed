//! store's `product-snapshot`: what other services (order) may know of products now.

use super::Contract;
use serde::{Deserialize, Serialize};

/// At most this many products in one request (one BatchGetItem).
pub const MAX_PRODUCTS: usize = 100;

/// Current name, description, price, discount and whether any store has stock; unknown ids
/// are left out of the answer.
pub struct SnapshotProducts;

impl Contract for SnapshotProducts {
    const HANDLER: &'static str = "product-snapshot";
    type Request = SnapshotRequest;
    type Response = Snapshots;
    type Refusal = SnapshotRefusal;
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotRequest {
    pub product_ids: Vec<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct Snapshots {
    pub products: Vec<ProductSnapshot>,
}

/// One product as store shows it now.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProductSnapshot {
    pub id: String,
    pub name: String,
    pub description: String,
    /// Kopecks.
    pub price: i64,
    /// The price before the discount, kopecks; present only when discounted.
    #[serde(default)]
    pub old_price: Option<i64>,
    #[serde(default)]
    pub discount_percent: Option<i64>,
    /// Some store has it in stock.
    pub available: bool,
}

crate::refusals! {
    pub enum SnapshotRefusal {
        /// More than `MAX_PRODUCTS` ids in one request.
        TooManyProducts,
    }
}

/// store's `stock-hold`, order's at "Оплатить заказ": the units put aside for the order while
/// the client pays, all lines or none — a picking case `held` until `heldUntil`. The saga's
/// `stock-reserve` turns it into the reservation; unpaid, it lapses on its own (store's timer)
/// and the units go back. Holding again answers the same case.
pub struct HoldStock;

impl Contract for HoldStock {
    const HANDLER: &'static str = "stock-hold";
    type Request = ReserveRequest;
    type Response = PickingCase;
    type Refusal = ReserveRefusal;
}

/// store's `stock-reserve`, the saga's second step: takes an order's units out of stock and
/// opens its picking case, all lines or none — or turns the order's hold into it.
pub struct ReserveStock;

impl Contract for ReserveStock {
    const HANDLER: &'static str = "stock-reserve";
    type Request = ReserveRequest;
    type Response = PickingCase;
    type Refusal = ReserveRefusal;
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReserveRequest {
    pub order_id: String,
    pub lines: Vec<OrderedUnits>,
    /// For pickup: the store the client collects from (pickup points are stores), which must
    /// hold every unit. Otherwise the warehouse first, then any store with the units.
    #[serde(default)]
    pub pickup_store_id: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrderedUnits {
    pub product_id: String,
    pub quantity: i64,
}

crate::wire_enum! {
    /// Where an order's picking case is: its units put aside, reserved, picked, handed to
    /// delivery — or given back.
    pub enum PickingStatus {
        /// Put aside at «Оплатить заказ» until paid or lapsed.
        Held = "held",
        /// A hold never paid: its units are back, it holds nothing.
        Lapsed = "lapsed",
        /// Paid: the saga's reservation, waiting for the warehouse.
        Created = "created",
        Picking = "picking",
        Packed = "packed",
        HandedOver = "handed_over",
        /// Undone before the goods were handed over: the units are back on the shelves.
        Cancelled = "cancelled",
        /// Undone after the goods were handed to delivery: they are off the shelves until the
        /// warehouse's staff have them back.
        Returning = "returning",
        /// The goods of a `returning` case are back on the shelves (an operator's move).
        Returned = "returned",
    }
}

/// An order's reserved units and where they are picked: one case per order.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PickingCase {
    pub order_id: String,
    /// `held` (put aside at "Оплатить заказ") → `created` (paid: the saga's reservation) →
    /// `picking` → `packed` → `handed_over`; `cancelled` (stock given back, for good) from
    /// `held` up to `packed`; `returning` (cancelled after `handed_over`: the goods are not on
    /// the shelves until the warehouse has them back) → `returned` (an operator's move, the
    /// units back); `lapsed` (a hold never paid, its units back, `lines` empty) → `created` if
    /// the payment comes after all and the units are still there.
    pub status: PickingStatus,
    pub lines: Vec<ReservedUnits>,
    pub created_at: String,
    pub updated_at: String,
    /// A hold's end (RFC 3339): then store's timer gives the units back unless paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held_until: Option<String>,
    /// Why it was cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReservedUnits {
    pub product_id: String,
    pub store_id: String,
    pub quantity: i64,
}

/// The products of an order that have not enough units where the order can take them.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ShortOfStock {
    pub product_ids: Vec<String>,
}

impl std::fmt::Display for ShortOfStock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "not enough units of {}", self.product_ids.join(", "))
    }
}

crate::json_refusal!(ShortOfStock);

crate::refusals! {
    pub enum ReserveRefusal {
        /// Some lines have not enough units where the order can take them: which products.
        OutOfStock(ShortOfStock),
        /// The order's case was cancelled already (a release ran first): nothing is taken.
        PickingCancelled,
    }
}

/// store's `stock-release`, the saga's compensation: the order's reserved units back into
/// stock and its picking case cancelled. Safe when nothing was reserved (it then records that
/// the order may reserve nothing any more) and when run twice.
pub struct ReleaseStock;

impl Contract for ReleaseStock {
    const HANDLER: &'static str = "stock-release";
    type Request = ReleaseRequest;
    type Response = PickingCase;
    type Refusal = super::NoRefusal;
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseRequest {
    pub order_id: String,
    pub reason: String,
}

/// store's `picking-case-move`, the operators' (no route in the public API: in AWS it is invoked
/// with an operator's IAM identity, `vitrina-cases pick` is the command). `created → picking →
/// packed → handed_over`, one step at a time, and `returning → returned` (the goods of an order
/// cancelled after its hand-over back on the shelves); a cancelled case moves no more. Moving a case to
/// where it is already answers it again, so an operator may simply re-run.
pub struct MovePickingCase;

impl Contract for MovePickingCase {
    const HANDLER: &'static str = "picking-case-move";
    type Request = MovePickingRequest;
    type Response = PickingCase;
    type Refusal = MovePickingRefusal;
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct MovePickingRequest {
    pub order_id: String,
    /// `picking`, `packed`, `handed_over` or `returned`.
    pub to: PickingStatus,
}

crate::refusals! {
    pub enum MovePickingRefusal {
        CaseNotFound,
        /// Not a move the case can make from where it is.
        MoveNotAllowed,
    }
}

/// store's `picking-case-get`: where an order's picking case is (delivery asks before its
/// courier leaves: goods not yet handed over by the warehouse cannot be in transit).
pub struct PickingCaseOf;

impl Contract for PickingCaseOf {
    const HANDLER: &'static str = "picking-case-get";
    type Request = PickingCaseRequest;
    type Response = PickingCase;
    type Refusal = PickingCaseRefusal;
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PickingCaseRequest {
    pub order_id: String,
}

crate::refusals! {
    pub enum PickingCaseRefusal {
        CaseNotFound,
    }
}
