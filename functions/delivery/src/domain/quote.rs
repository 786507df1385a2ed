//! A courier's price for a client's address: the address parsed into its city and delivery
//! zone, the courier's tariff for the zone, and the price held for the client a while.

use super::Courier;
use serde::{Deserialize, Serialize};

/// Cities served by couriers, by zone: 0 Moscow, 1 Saint Petersburg, 2 the other cities.
const CITIES: &[(&str, usize)] = &[
    ("москва", 0),
    ("санкт-петербург", 1),
    ("петербург", 1),
    ("спб", 1),
    ("казань", 2),
    ("екатеринбург", 2),
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuoteError {
    #[error("No courier company has this id")]
    UnknownCourier,
    #[error("The address needs a city, a street and a house")]
    BadAddress,
    #[error("No courier delivers to {0}")]
    CityNotServed(String),
    #[error("{courier} does not deliver to {city}")]
    CourierNotInCity { courier: String, city: String },
}

impl QuoteError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownCourier => "unknown_courier",
            Self::BadAddress => "invalid_address",
            Self::CityNotServed(_) => "city_not_served",
            Self::CourierNotInCity { .. } => "courier_not_in_city",
        }
    }

    /// The names the client's message is worded with.
    pub fn details(&self) -> Option<serde_json::Value> {
        match self {
            Self::CityNotServed(city) => Some(serde_json::json!({ "city": city })),
            Self::CourierNotInCity { courier, city } => {
                Some(serde_json::json!({ "courier": courier, "city": city }))
            }
            _ => None,
        }
    }
}

/// A delivery address as the client typed it: "город, улица, дом[, квартира]".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub city: String,
    pub zone: usize,
    pub text: String,
}

pub fn parse_address(raw: &str) -> Result<Address, QuoteError> {
    let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let chars = text.chars().count();
    if !(10..=300).contains(&chars)
        || parts.len() < 3
        || parts.iter().any(|p| p.is_empty())
        || !parts[1..]
            .iter()
            .any(|p| p.chars().any(|c| c.is_ascii_digit()))
        || text.chars().any(char::is_control)
    {
        return Err(QuoteError::BadAddress);
    }
    let city = parts[0]
        .trim_start_matches("г.")
        .trim_start_matches("город ")
        .trim()
        .to_string();
    let key = city.to_lowercase().replace('ё', "е");
    let zone = CITIES
        .iter()
        .find(|(name, _)| *name == key)
        .map(|(_, zone)| *zone)
        .ok_or_else(|| QuoteError::CityNotServed(city.clone()))?;
    Ok(Address { city, zone, text })
}

/// The price of bringing an order to `address` by `courier`, kopecks.
pub fn price(courier: &Courier, address: &Address) -> Result<i64, QuoteError> {
    courier.tariff[address.zone].ok_or_else(|| QuoteError::CourierNotInCity {
        courier: courier.name.into(),
        city: address.city.clone(),
    })
}

/// How long a courier price holds: long enough to fill in the rest of checkout.
pub const QUOTE_MINUTES: i64 = 30;

/// A courier price for a client's address, held for `QUOTE_MINUTES`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Quote {
    pub quote_id: String,
    pub courier_id: String,
    pub courier_name: String,
    pub address: String,
    pub city: String,
    /// The address's delivery zone (0 Moscow, 1 Saint Petersburg, 2 the other cities).
    #[serde(default)]
    pub zone: usize,
    /// Kopecks.
    pub cost: i64,
    pub days_min: u32,
    pub days_max: u32,
    /// Epoch seconds; also the item's TTL.
    pub expires_at: i64,
}

impl Quote {
    /// The table's TTL deletes lazily: the expiry itself is what counts.
    pub fn expired(&self, now: i64) -> bool {
        self.expires_at < now
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::courier;

    #[test]
    fn addresses_need_city_street_and_house() {
        let a = parse_address("  г. Москва,  ул. Ленина, д. 5, кв. 12 ").unwrap();
        assert_eq!(a.city, "Москва");
        assert_eq!(a.zone, 0);
        assert_eq!(a.text, "г. Москва, ул. Ленина, д. 5, кв. 12");
        assert_eq!(
            parse_address("Санкт-Петербург, Невский, 1").unwrap().zone,
            1
        );
        assert_eq!(parse_address("Казань").unwrap_err(), QuoteError::BadAddress);
        assert_eq!(
            parse_address("Москва, улица без дома").unwrap_err(),
            QuoteError::BadAddress
        );
        assert_eq!(
            parse_address("Тверь, ул. Советская, 3").unwrap_err(),
            QuoteError::CityNotServed("Тверь".into())
        );
    }

    #[test]
    fn prices_follow_the_courier_and_the_zone() {
        let moscow = parse_address("Москва, ул. Ленина, 5").unwrap();
        let kazan = parse_address("Казань, ул. Баумана, 1").unwrap();
        assert_eq!(price(courier("cdek").unwrap(), &moscow), Ok(39_000));
        assert_eq!(price(courier("cdek").unwrap(), &kazan), Ok(59_000));
        assert_eq!(price(courier("vitrina").unwrap(), &moscow), Ok(29_000));
        assert!(matches!(
            price(courier("vitrina").unwrap(), &kazan),
            Err(QuoteError::CourierNotInCity { .. })
        ));
    }
}
