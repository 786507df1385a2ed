//! The cart as the client sees it: every line re-checked against the catalog now — today's
//! price (and the price when it was added, if that differs), whether it can still be bought —
//! and the totals over what can be bought. Pure: the handler brings the catalog's snapshots.

use super::{DeliveryChoice, Order, ProductSnapshot};
use serde::Serialize;
use std::collections::HashMap;
use vitrina_shared::contracts::order::OrderStatus;

/// The cart (`GET /api/cart` and every change of it).
#[derive(Debug, Serialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CartView {
    /// `None`: no cart yet (nothing was ever added).
    pub order_id: Option<String>,
    pub status: OrderStatus,
    pub lines: Vec<CartLine>,
    pub item_count: u32,
    /// Kopecks: the lines that can be bought, at today's prices.
    pub total: i64,
    /// Kopecks saved against the old prices.
    pub discount_total: i64,
    pub delivery: Option<DeliveryChoice>,
    /// `total` plus delivery.
    pub grand_total: i64,
    /// The cart's version: what a change is conditional on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<u64>,
}

#[derive(Debug, Serialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CartLine {
    pub product_id: String,
    pub name: String,
    pub description: String,
    /// Today's price (the one when added if the product is gone from the catalog).
    pub unit_price: i64,
    pub old_price: Option<i64>,
    pub discount_percent: Option<i64>,
    pub quantity: u32,
    pub line_total: i64,
    pub available: bool,
    /// The price when the client added it, if today's differs.
    pub price_when_added: Option<i64>,
}

impl CartView {
    /// A client without a cart sees an empty one.
    pub fn empty() -> Self {
        Self {
            order_id: None,
            status: OrderStatus::Draft,
            lines: Vec::new(),
            item_count: 0,
            total: 0,
            discount_total: 0,
            delivery: None,
            grand_total: 0,
            version: None,
        }
    }
}

/// The cart `order` against the catalog's snapshots `now` (products absent from `now` are no
/// longer sold).
pub fn priced(order: &Order, now: &[ProductSnapshot]) -> CartView {
    let current: HashMap<&str, &ProductSnapshot> = now.iter().map(|p| (p.id.as_str(), p)).collect();
    let lines: Vec<CartLine> = order
        .lines
        .iter()
        .map(|l| {
            let snap = current.get(l.product_id.as_str());
            let price = snap.map_or(l.unit_price, |p| p.price);
            CartLine {
                product_id: l.product_id.clone(),
                name: l.name.clone(),
                description: l.description.clone(),
                unit_price: price,
                old_price: snap.and_then(|p| p.old_price),
                discount_percent: snap.and_then(|p| p.discount_percent),
                quantity: l.quantity,
                line_total: price * i64::from(l.quantity),
                available: snap.is_some_and(|p| p.available),
                price_when_added: (price != l.unit_price).then_some(l.unit_price),
            }
        })
        .collect();
    let buyable = || lines.iter().filter(|l| l.available);
    let total = buyable().map(|l| l.line_total).sum();
    let discount_total = buyable()
        .map(|l| {
            (l.old_price.unwrap_or(l.unit_price) - l.unit_price).max(0) * i64::from(l.quantity)
        })
        .sum();
    let delivery_cost = order.delivery.as_ref().map_or(0, |d| d.cost);
    CartView {
        order_id: Some(order.order_id.clone()),
        status: order.status,
        item_count: order.item_count(),
        total,
        discount_total,
        delivery: order.delivery.clone(),
        grand_total: total + delivery_cost,
        version: Some(order.version),
        lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Line;

    fn line(id: &str, price: i64, quantity: u32) -> Line {
        Line {
            product_id: id.into(),
            name: id.into(),
            description: String::new(),
            unit_price: price,
            old_price: None,
            discount_percent: None,
            quantity,
        }
    }

    fn snap(id: &str, price: i64, old: Option<i64>, available: bool) -> ProductSnapshot {
        ProductSnapshot {
            id: id.into(),
            name: id.into(),
            description: String::new(),
            price,
            old_price: old,
            discount_percent: None,
            available,
        }
    }

    #[test]
    fn totals_count_what_can_be_bought_at_todays_prices() {
        let mut cart = Order::new_draft("o", "u", "t");
        cart.lines = vec![line("a", 10_000, 2), line("b", 5_000, 1), line("c", 700, 3)];
        let now = [
            // Cheaper since it was added, with an old price: 2 × (12 000 − 9 000) saved.
            snap("a", 9_000, Some(12_000), true),
            // Out of stock: shown, not counted.
            snap("b", 5_000, None, false),
            // "c" is gone from the catalog: its price when added, not for sale.
        ];
        let view = priced(&cart, &now);
        assert_eq!(view.total, 18_000);
        assert_eq!(view.discount_total, 6_000);
        assert_eq!(view.grand_total, 18_000, "no delivery chosen yet");
        assert_eq!(view.item_count, 6);
        let a = &view.lines[0];
        assert_eq!(
            (a.unit_price, a.line_total, a.price_when_added),
            (9_000, 18_000, Some(10_000))
        );
        assert!(!view.lines[1].available);
        assert_eq!(
            (view.lines[2].unit_price, view.lines[2].available),
            (700, false)
        );
        assert_eq!(view.lines[2].price_when_added, None);
    }

    #[test]
    fn an_empty_cart_reads_as_the_web_client_expects() {
        let json = serde_json::to_value(CartView::empty()).expect("serializes");
        assert_eq!(
            json,
            serde_json::json!({"orderId": null, "status": "draft", "lines": [], "itemCount": 0,
                "total": 0, "discountTotal": 0, "delivery": null, "grandTotal": 0})
        );
    }
}
