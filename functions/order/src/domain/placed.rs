//! An order placed from the cart ("Оплатить заказ"): the lines at the prices of that moment,
//! the delivery settled, the total the client pays. It waits for payment, is paid, or is taken
//! back into the cart ("Вернуться к редактированию заказа").

use super::{DeliveryChoice, DeliveryMethod, Line, Order, ProductSnapshot};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use vitrina_shared::contracts::{
    order::{
        GiftCardOrder, OrderKind,
        OrderStatus::{self, *},
    },
    payment::PaymentFailure,
};

/// The statuses from which the client may cancel a paid order: until the goods leave the
/// warehouse (`in_transit`): what the courier holds is not undone.
pub const CANCELLABLE: &[OrderStatus] = &[Paid, Assembling, HandedToDelivery];

/// The statuses reported to order (by the saga, by delivery's moves), each with those it may
/// come from. Reporting the status an order already has is not a move: the answer is the same,
/// so a retried report is harmless. `None`: order is never told it.
pub fn move_from(to: OrderStatus) -> Option<&'static [OrderStatus]> {
    match to {
        Assembling => Some(&[Paid]),
        // From `paid` too: an execution started before the saga reported «собирается».
        HandedToDelivery => Some(&[Assembling, Paid]),
        Cancelled => Some(&[Paid, Assembling, HandedToDelivery]),
        InTransit => Some(&[HandedToDelivery]),
        // From `handed_to_delivery` too: a case that left before order heard of `in_transit`.
        AtPickupPoint | OutForDelivery => Some(&[InTransit, HandedToDelivery]),
        Delivered => Some(&[AtPickupPoint, OutForDelivery]),
        Draft | AwaitingPayment | Paid | ReturnedToCart => None,
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PlacedOrder {
    pub order_id: String,
    pub user_id: String,
    pub status: OrderStatus,
    pub lines: Vec<Line>,
    pub delivery: DeliveryChoice,
    /// Kopecks: the goods, then the goods plus delivery.
    pub goods_total: i64,
    pub total: i64,
    pub placed_at: String,
    pub updated_at: String,
    /// The payment that paid it.
    #[serde(default)]
    pub payment_id: Option<String>,
    /// Why the last payment failed (a stable code), while the order waits for another try.
    #[serde(default)]
    pub last_payment_failure: Option<PaymentFailure>,
    /// Why the order was cancelled, in words for the client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_reason: Option<String>,
    /// Goods (the saga takes it on), a gift card or a wallet top-up (billing delivers them).
    #[serde(default)]
    pub kind: OrderKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gift_card: Option<GiftCardOrder>,
    /// When the order reached each status after payment (`paid`, `handed_to_delivery`, …):
    /// the timeline on the order's page. The first time counts; a repeated report keeps it.
    #[serde(default)]
    pub stages: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub enum PlaceError {
    Empty,
    NoDelivery,
    /// These products cannot be bought now: the client removes them first.
    Unavailable(Vec<String>),
}

impl PlaceError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "cart_empty",
            Self::NoDelivery => "delivery_not_chosen",
            Self::Unavailable(_) => "cart_has_unavailable",
        }
    }

    pub fn message(&self) -> String {
        match self {
            Self::Empty => "The cart is empty".into(),
            Self::NoDelivery => "Choose a delivery before paying".into(),
            Self::Unavailable(ids) => format!("Out of stock now: {}", ids.join(", ")),
        }
    }
}

impl Order {
    /// The cart as an order to pay: each line at the catalog's price now (what the cart shows),
    /// every line available, the delivery chosen.
    pub fn place(&self, now: &[ProductSnapshot], at: &str) -> Result<PlacedOrder, PlaceError> {
        if self.lines.is_empty() {
            return Err(PlaceError::Empty);
        }
        let delivery = self.delivery.clone().ok_or(PlaceError::NoDelivery)?;
        let current: HashMap<&str, &ProductSnapshot> =
            now.iter().map(|p| (p.id.as_str(), p)).collect();
        let unavailable: Vec<String> = self
            .lines
            .iter()
            .filter(|l| {
                !current
                    .get(l.product_id.as_str())
                    .is_some_and(|p| p.available)
            })
            .map(|l| l.product_id.clone())
            .collect();
        if !unavailable.is_empty() {
            return Err(PlaceError::Unavailable(unavailable));
        }
        let lines: Vec<Line> = self
            .lines
            .iter()
            .map(|l| {
                let p = current[l.product_id.as_str()];
                Line {
                    unit_price: p.price,
                    old_price: p.old_price,
                    discount_percent: p.discount_percent,
                    ..l.clone()
                }
            })
            .collect();
        let goods_total: i64 = lines.iter().map(Line::total).sum();
        Ok(PlacedOrder {
            order_id: self.order_id.clone(),
            user_id: self.user_id.clone(),
            status: AwaitingPayment,
            total: goods_total + delivery.cost,
            goods_total,
            lines,
            delivery,
            placed_at: at.into(),
            updated_at: at.into(),
            payment_id: None,
            last_payment_failure: None,
            cancel_reason: None,
            kind: OrderKind::Goods,
            gift_card: None,
            stages: BTreeMap::new(),
        })
    }
}

impl PlacedOrder {
    /// What orchestra's saga starts from: the units to reserve and the delivery to open.
    pub fn paid(&self, payment_id: &str) -> vitrina_shared::envelope::OrderPaid {
        let units = self.units();
        vitrina_shared::envelope::OrderPaid {
            order_id: self.order_id.clone(),
            user_id: self.user_id.clone(),
            payment_id: payment_id.into(),
            total: self.total,
            lines: units.lines,
            delivery: self.delivery.clone(),
            pickup_store_id: units.pickup_store_id,
            cancel: false,
        }
    }

    /// The units store puts aside for the order (and the saga reserves): each line's
    /// quantity, from the pickup point's store when collected there.
    pub fn units(&self) -> vitrina_shared::contracts::store::ReserveRequest {
        use vitrina_shared::contracts::store::{OrderedUnits, ReserveRequest};
        ReserveRequest {
            order_id: self.order_id.clone(),
            lines: self
                .lines
                .iter()
                .map(|l| OrderedUnits {
                    product_id: l.product_id.clone(),
                    quantity: l.quantity.into(),
                })
                .collect(),
            // Pickup points are the shop's stores, by the same id.
            pickup_store_id: (self.delivery.method == DeliveryMethod::Pickup)
                .then(|| self.delivery.pickup_point_id.clone())
                .flatten(),
        }
    }

    /// The lines back into a cart (the client's current one, if any: quantities add up, within
    /// the cart's bounds).
    pub fn back_into(&self, cart: Option<Order>, new_cart_id: &str, at: &str) -> Order {
        let mut cart = cart.unwrap_or_else(|| Order::new_draft(new_cart_id, &self.user_id, at));
        for line in &self.lines {
            if let Some(l) = cart
                .lines
                .iter_mut()
                .find(|l| l.product_id == line.product_id)
            {
                l.quantity = (l.quantity + line.quantity).min(super::MAX_QUANTITY);
            } else if cart.lines.len() < super::MAX_LINES {
                cart.lines.push(line.clone());
            }
        }
        if cart.delivery.is_none() {
            cart.delivery = Some(self.delivery.clone());
        }
        cart.version += 1;
        cart.updated_at = at.into();
        cart
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(id: &str, price: i64, available: bool) -> ProductSnapshot {
        ProductSnapshot {
            id: id.into(),
            name: id.into(),
            description: String::new(),
            price,
            old_price: None,
            discount_percent: None,
            available,
        }
    }

    fn pickup() -> DeliveryChoice {
        DeliveryChoice {
            method: DeliveryMethod::Pickup,
            label: "Пункт выдачи".into(),
            address: "Москва".into(),
            cost: 0,
            pickup_point_id: Some("msk".into()),
            courier_id: None,
            quote_id: None,
            slot: None,
            booking_id: None,
        }
    }

    fn cart() -> Order {
        let mut o = Order::new_draft("o1", "u1", "t0");
        o.add(&snap("a", 1_000, true), 2).unwrap();
        o.add(&snap("b", 500, true), 1).unwrap();
        o
    }

    #[test]
    fn placing_freezes_todays_prices_and_adds_delivery() {
        let mut c = cart();
        c.delivery = Some(DeliveryChoice {
            cost: 29_000,
            ..pickup()
        });
        let placed = c
            .place(&[snap("a", 900, true), snap("b", 500, true)], "t1")
            .unwrap();
        assert_eq!(placed.status, AwaitingPayment);
        assert_eq!(placed.lines[0].unit_price, 900, "the price the cart showed");
        assert_eq!(placed.goods_total, 2_300);
        assert_eq!(placed.total, 31_300);
    }

    #[test]
    fn placing_needs_lines_delivery_and_stock() {
        let mut c = cart();
        assert_eq!(c.place(&[], "t"), Err(PlaceError::NoDelivery));
        c.delivery = Some(pickup());
        assert_eq!(
            c.place(&[snap("a", 1_000, true), snap("b", 500, false)], "t"),
            Err(PlaceError::Unavailable(vec!["b".into()]))
        );
        assert_eq!(
            Order::new_draft("o", "u", "t").place(&[], "t"),
            Err(PlaceError::Empty)
        );
    }

    #[test]
    fn taking_back_merges_into_the_current_cart() {
        let mut c = cart();
        c.delivery = Some(pickup());
        let placed = c
            .place(&[snap("a", 1_000, true), snap("b", 500, true)], "t")
            .unwrap();
        let back = placed.back_into(None, "o2", "t2");
        assert_eq!((back.order_id.as_str(), back.lines.len()), ("o2", 2));
        let mut other = Order::new_draft("o3", "u1", "t");
        other.add(&snap("a", 1_000, true), 98).unwrap();
        let merged = placed.back_into(Some(other), "o4", "t3");
        assert_eq!(merged.order_id, "o3");
        assert_eq!(merged.lines[0].quantity, 99, "bounded");
        assert_eq!(merged.lines.len(), 2);
    }
}
