//! order's rules: the cart is the client's order in status `draft`; lines keep what the client
//! saw when adding (description, unit price, discount); quantities and line counts are bounded.

pub mod cart;
pub mod placed;
pub mod purchase;

use serde::{Deserialize, Serialize};
use vitrina_shared::contracts::order::OrderStatus;

pub const MAX_QUANTITY: u32 = 99;
pub const MAX_LINES: usize = 50;

/// What store says about a product now, and what delivery settled for an order: the
/// contracts' own types.
pub use vitrina_shared::contracts::{
    delivery::{DeliveryChoice, DeliveryMethod},
    store::ProductSnapshot,
};

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Line {
    pub product_id: String,
    pub name: String,
    pub description: String,
    /// Kopecks, as seen when the line was added.
    pub unit_price: i64,
    #[serde(default)]
    pub old_price: Option<i64>,
    #[serde(default)]
    pub discount_percent: Option<i64>,
    pub quantity: u32,
}

impl Line {
    pub fn total(&self) -> i64 {
        self.unit_price * i64::from(self.quantity)
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    pub order_id: String,
    pub user_id: String,
    pub status: OrderStatus,
    pub lines: Vec<Line>,
    /// Bumped by every write; writes are conditional on it (two tabs never lose an add).
    pub version: u64,
    /// How the order travels, as delivery settled it (checkout).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<DeliveryChoice>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub enum CartError {
    BadQuantity,
    QuantityTooHigh,
    TooManyLines,
    NotInCart,
    Unavailable,
}

impl CartError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadQuantity => "invalid_quantity",
            Self::QuantityTooHigh => "quantity_too_high",
            Self::TooManyLines => "cart_full",
            Self::NotInCart => "not_in_cart",
            Self::Unavailable => "product_unavailable",
        }
    }

    pub fn message(&self) -> String {
        match self {
            Self::BadQuantity => {
                format!("Quantity must be a whole number from 1 to {MAX_QUANTITY}")
            }
            Self::QuantityTooHigh => format!("At most {MAX_QUANTITY} of one product fit in a cart"),
            Self::TooManyLines => format!("A cart holds at most {MAX_LINES} different products"),
            Self::NotInCart => "This product is not in the cart".into(),
            Self::Unavailable => "This product is out of stock everywhere".into(),
        }
    }
}

pub fn check_quantity(q: i64) -> Result<u32, CartError> {
    u32::try_from(q)
        .ok()
        .filter(|q| (1..=MAX_QUANTITY).contains(q))
        .ok_or(CartError::BadQuantity)
}

impl Order {
    pub fn new_draft(order_id: &str, user_id: &str, now: &str) -> Self {
        Self {
            order_id: order_id.into(),
            user_id: user_id.into(),
            status: OrderStatus::Draft,
            lines: Vec::new(),
            version: 0,
            delivery: None,
            created_at: now.into(),
            updated_at: now.into(),
        }
    }

    /// Adds the product or raises its quantity; the line keeps the price seen now.
    pub fn add(&mut self, p: &ProductSnapshot, quantity: u32) -> Result<(), CartError> {
        if !p.available {
            return Err(CartError::Unavailable);
        }
        if let Some(line) = self.lines.iter_mut().find(|l| l.product_id == p.id) {
            let total = line.quantity + quantity;
            if total > MAX_QUANTITY {
                return Err(CartError::QuantityTooHigh);
            }
            line.quantity = total;
            return Ok(());
        }
        if self.lines.len() >= MAX_LINES {
            return Err(CartError::TooManyLines);
        }
        self.lines.push(Line {
            product_id: p.id.clone(),
            name: p.name.clone(),
            description: p.description.clone(),
            unit_price: p.price,
            old_price: p.old_price,
            discount_percent: p.discount_percent,
            quantity,
        });
        Ok(())
    }

    pub fn set_quantity(&mut self, product_id: &str, quantity: u32) -> Result<(), CartError> {
        let line = self
            .lines
            .iter_mut()
            .find(|l| l.product_id == product_id)
            .ok_or(CartError::NotInCart)?;
        line.quantity = quantity;
        Ok(())
    }

    pub fn remove(&mut self, product_id: &str) -> Result<(), CartError> {
        let before = self.lines.len();
        self.lines.retain(|l| l.product_id != product_id);
        if self.lines.len() == before {
            return Err(CartError::NotInCart);
        }
        // An empty cart delivers nothing: its delivery goes with its last line (otherwise the
        // grand total would be the delivery alone).
        if self.lines.is_empty() {
            self.delivery = None;
        }
        Ok(())
    }

    pub fn item_count(&self) -> u32 {
        self.lines.iter().map(|l| l.quantity).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(id: &str, price: i64) -> ProductSnapshot {
        ProductSnapshot {
            id: id.into(),
            name: format!("Товар {id}"),
            description: "Описание".into(),
            price,
            old_price: None,
            discount_percent: None,
            available: true,
        }
    }

    #[test]
    fn first_add_creates_a_line_second_raises_quantity() {
        let mut o = Order::new_draft("o", "u", "t");
        o.add(&p("a", 1000), 1).unwrap();
        o.add(&p("b", 250), 2).unwrap();
        o.add(&p("a", 1200), 2).unwrap();
        assert_eq!(o.lines.len(), 2);
        assert_eq!(o.lines[0].quantity, 3);
        assert_eq!(o.lines[0].unit_price, 1000, "the price seen first is kept");
        assert_eq!(o.item_count(), 5);
        assert_eq!(o.lines.iter().map(Line::total).sum::<i64>(), 3500);
    }

    #[test]
    fn bounds_hold() {
        assert_eq!(check_quantity(0), Err(CartError::BadQuantity));
        assert_eq!(check_quantity(100), Err(CartError::BadQuantity));
        assert_eq!(check_quantity(-1), Err(CartError::BadQuantity));
        assert_eq!(check_quantity(99), Ok(99));
        let mut o = Order::new_draft("o", "u", "t");
        o.add(&p("a", 1), 99).unwrap();
        assert_eq!(o.add(&p("a", 1), 1), Err(CartError::QuantityTooHigh));
        for i in 1..MAX_LINES {
            o.add(&p(&i.to_string(), 1), 1).unwrap();
        }
        assert_eq!(o.add(&p("x", 1), 1), Err(CartError::TooManyLines));
        let mut gone = p("z", 1);
        gone.available = false;
        assert_eq!(
            Order::new_draft("o", "u", "t").add(&gone, 1),
            Err(CartError::Unavailable)
        );
    }

    #[test]
    fn remove_and_set_quantity() {
        let mut o = Order::new_draft("o", "u", "t");
        o.add(&p("a", 10), 1).unwrap();
        o.set_quantity("a", 5).unwrap();
        assert_eq!(o.item_count(), 5);
        assert_eq!(o.remove("b"), Err(CartError::NotInCart));
        o.remove("a").unwrap();
        assert!(o.lines.is_empty());
    }

    #[test]
    fn the_last_line_removed_takes_the_delivery_with_it() {
        let mut o = Order::new_draft("o", "u", "t");
        o.add(&p("a", 10), 1).unwrap();
        o.add(&p("b", 10), 1).unwrap();
        o.delivery = Some(DeliveryChoice {
            method: DeliveryMethod::Pickup,
            cost: 29_000,
            ..Default::default()
        });
        o.remove("a").unwrap();
        assert!(o.delivery.is_some(), "a line is left");
        o.remove("b").unwrap();
        assert_eq!(o.delivery, None);
    }
}
