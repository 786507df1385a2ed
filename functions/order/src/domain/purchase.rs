//! Orders for something other than goods, paid through "Оплата заказа" like any order: a gift
//! card ("Оформление подарочной карты") and money on the wallet ("Пополнение кошелька").
//! Amounts are whole rubles within bounds the form shows.

use super::{placed::PlacedOrder, DeliveryChoice, DeliveryMethod, Line};
use serde::Deserialize;
use vitrina_shared::contracts::order::OrderStatus;
use vitrina_shared::contracts::order::{GiftCardOrder, OrderKind, GIFT_CARD_DESIGNS};

/// Rubles on a bought gift card.
pub const GIFT_CARD_RUBLES: (i64, i64) = (500, 50_000);
/// Rubles of one wallet top-up.
pub const TOP_UP_RUBLES: (i64, i64) = (100, 100_000);
const MAX_NAME: usize = 100;

/// The gift-card form as sent: every field optional, so that each missing one gets its own
/// message instead of one about the JSON. The document still marks what a valid form needs as
/// required (and never null): a client is told what to send, the server words what is missing.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GiftCardForm {
    #[schema(required = true, value_type = String, min_length = 1, max_length = 100)]
    pub recipient_name: Option<String>,
    #[schema(required = true, value_type = String, format = Email)]
    pub recipient_email: Option<String>,
    /// Whole rubles, 500 to 50 000 (a string of digits is taken too).
    #[schema(required = true, value_type = i64, minimum = 500, maximum = 50000)]
    pub amount: Option<serde_json::Value>,
    /// `birthday`, `new-year`, `thanks` or `flowers`.
    #[schema(required = true, value_type = String)]
    pub design: Option<String>,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct TopUpForm {
    /// Whole rubles, 100 to 100 000 (a string of digits is taken too).
    #[schema(required = true, value_type = i64, minimum = 100, maximum = 100000)]
    pub amount: Option<serde_json::Value>,
}

/// A form's field that is wrong: which, and why (a stable code the web client words).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct Invalid {
    pub field: &'static str,
    pub code: &'static str,
    pub message: String,
}

fn invalid(field: &'static str, code: &'static str, message: String) -> Invalid {
    Invalid {
        field,
        code,
        message,
    }
}

/// Whole rubles within `bounds`: a JSON number without a fraction (or such a string).
fn rubles(value: Option<&serde_json::Value>, bounds: (i64, i64)) -> Result<i64, Invalid> {
    let out_of_range = || {
        invalid(
            "amount",
            "invalid_amount",
            format!(
                "The amount is whole rubles from {} to {}",
                bounds.0, bounds.1
            ),
        )
    };
    let n = match value {
        Some(serde_json::Value::Number(n)) => n.as_i64().ok_or_else(out_of_range)?,
        Some(serde_json::Value::String(s)) => s.trim().parse().map_err(|_| out_of_range())?,
        _ => return Err(out_of_range()),
    };
    if (bounds.0..=bounds.1).contains(&n) {
        Ok(n)
    } else {
        Err(out_of_range())
    }
}

fn line(id: &str, name: String, kopecks: i64) -> Line {
    Line {
        product_id: id.into(),
        name,
        description: String::new(),
        unit_price: kopecks,
        old_price: None,
        discount_percent: None,
        quantity: 1,
    }
}

fn order(
    order_id: &str,
    user_id: &str,
    at: &str,
    kind: OrderKind,
    line: Line,
    delivery: DeliveryChoice,
) -> PlacedOrder {
    let total = line.unit_price;
    PlacedOrder {
        order_id: order_id.into(),
        user_id: user_id.into(),
        status: OrderStatus::AwaitingPayment,
        lines: vec![line],
        delivery,
        goods_total: total,
        total,
        placed_at: at.into(),
        updated_at: at.into(),
        payment_id: None,
        last_payment_failure: None,
        cancel_reason: None,
        kind,
        gift_card: None,
        stages: Default::default(),
    }
}

impl GiftCardForm {
    /// The order to pay for the card, or the first field that is wrong.
    pub fn order(&self, order_id: &str, user_id: &str, at: &str) -> Result<PlacedOrder, Invalid> {
        let name = self
            .recipient_name
            .as_deref()
            .map(str::trim)
            .unwrap_or_default();
        if name.is_empty() || name.chars().count() > MAX_NAME {
            return Err(invalid(
                "recipientName",
                "invalid_recipient_name",
                format!("The recipient's name is 1 to {MAX_NAME} characters"),
            ));
        }
        let email = self
            .recipient_email
            .as_deref()
            .map(str::trim)
            .and_then(vitrina_shared::email::customer_address)
            .ok_or_else(|| {
                invalid(
                    "recipientEmail",
                    "invalid_email",
                    "The recipient's e-mail is not an address".into(),
                )
            })?;
        let rubles = rubles(self.amount.as_ref(), GIFT_CARD_RUBLES)?;
        let design = self.design.as_deref().unwrap_or_default();
        let Some((design, design_name)) = GIFT_CARD_DESIGNS.iter().find(|(id, _)| *id == design)
        else {
            return Err(invalid(
                "design",
                "invalid_design",
                format!(
                    "The design is one of {}",
                    GIFT_CARD_DESIGNS
                        .iter()
                        .map(|(id, _)| *id)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        };
        let mut placed = order(
            order_id,
            user_id,
            at,
            OrderKind::GiftCard,
            line(
                "gift-card",
                format!("Подарочная карта «{design_name}» на {rubles} ₽"),
                rubles * 100,
            ),
            DeliveryChoice {
                method: DeliveryMethod::Email,
                label: format!("Письмо с кодом для {name}"),
                address: email.to_string(),
                ..Default::default()
            },
        );
        placed.gift_card = Some(GiftCardOrder {
            recipient_name: name.to_string(),
            recipient_email: email.to_string(),
            design: design.to_string(),
        });
        Ok(placed)
    }
}

impl TopUpForm {
    pub fn order(&self, order_id: &str, user_id: &str, at: &str) -> Result<PlacedOrder, Invalid> {
        let rubles = rubles(self.amount.as_ref(), TOP_UP_RUBLES)?;
        Ok(order(
            order_id,
            user_id,
            at,
            OrderKind::WalletTopUp,
            line(
                "wallet-top-up",
                format!("Пополнение кошелька на {rubles} ₽"),
                rubles * 100,
            ),
            DeliveryChoice {
                method: DeliveryMethod::Wallet,
                label: "На кошелёк в «Витрине»".into(),
                ..Default::default()
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn form(v: serde_json::Value) -> GiftCardForm {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn a_valid_gift_card_form_is_an_order_of_its_amount() {
        let o = form(
            json!({"recipientName": " Маша ", "recipientEmail": "masha@example.ru",
            "amount": 1500, "design": "flowers"}),
        )
        .order("o", "u", "t")
        .unwrap();
        assert_eq!((o.total, o.kind), (150_000, OrderKind::GiftCard));
        assert_eq!(o.gift_card.unwrap().recipient_name, "Маша");
        assert_eq!(o.lines[0].name, "Подарочная карта «Цветы» на 1500 ₽");
    }

    #[test]
    fn each_wrong_field_is_named() {
        let good = json!({"recipientName": "Маша", "recipientEmail": "m@example.ru", "amount": 1000, "design": "thanks"});
        for (field, value, code) in [
            ("recipientName", json!(""), "invalid_recipient_name"),
            ("recipientEmail", json!("не почта"), "invalid_email"),
            ("amount", json!(499), "invalid_amount"),
            ("amount", json!(50_001), "invalid_amount"),
            ("amount", json!(1000.5), "invalid_amount"),
            ("amount", json!("тысяча"), "invalid_amount"),
            ("design", json!("unknown"), "invalid_design"),
        ] {
            let mut v = good.clone();
            v[field] = value;
            let e = form(v).order("o", "u", "t").unwrap_err();
            assert_eq!((e.field, e.code), (field, code));
        }
    }

    #[test]
    fn a_top_up_is_whole_rubles_within_bounds() {
        let ok: TopUpForm = serde_json::from_value(json!({"amount": "250"})).unwrap();
        let o = ok.order("o", "u", "t").unwrap();
        assert_eq!((o.total, o.kind), (25_000, OrderKind::WalletTopUp));
        for bad in [json!(99), json!(100_001), json!(null), json!(-5)] {
            let f: TopUpForm = serde_json::from_value(json!({ "amount": bad })).unwrap();
            assert_eq!(f.order("o", "u", "t").unwrap_err().code, "invalid_amount");
        }
    }
}
