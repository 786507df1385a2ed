//! delivery's rules: where the shop hands orders over (pickup points), which courier companies
//! bring them home, and what a courier delivery to an address costs.
//!
//! Pickup points and couriers are delivery's reference data, kept here as configuration: they
//! change with contracts, not with traffic, and a change ships as a deploy that tests cover.

use serde::{Deserialize, Serialize};

pub mod slot;

#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PickupPoint {
    pub id: &'static str,
    pub name: &'static str,
    pub city: &'static str,
    pub address: &'static str,
    pub hours: &'static str,
}

pub const PICKUP_POINTS: &[PickupPoint] = &[
    PickupPoint {
        id: "msk-tverskaya",
        name: "Витрина на Тверской",
        city: "Москва",
        address: "Москва, ул. Тверская, 12",
        hours: "10:00–22:00",
    },
    PickupPoint {
        id: "msk-aviapark",
        name: "Витрина в «Авиапарке»",
        city: "Москва",
        address: "Москва, Ходынский бульвар, 4",
        hours: "10:00–22:00",
    },
    PickupPoint {
        id: "spb-nevsky",
        name: "Витрина на Невском",
        city: "Санкт-Петербург",
        address: "Санкт-Петербург, Невский пр., 48",
        hours: "10:00–22:00",
    },
    PickupPoint {
        id: "kzn-baumana",
        name: "Витрина на Баумана",
        city: "Казань",
        address: "Казань, ул. Баумана, 51",
        hours: "10:00–21:00",
    },
    PickupPoint {
        id: "ekb-vainera",
        name: "Витрина на Вайнера",
        city: "Екатеринбург",
        address: "Екатеринбург, ул. Вайнера, 9",
        hours: "10:00–21:00",
    },
];

pub fn pickup_point(id: &str) -> Option<&'static PickupPoint> {
    PICKUP_POINTS.iter().find(|p| p.id == id)
}

/// A courier company's tariff: kopecks per delivery zone (index = zone), `None` where it does
/// not deliver.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Courier {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    #[serde(skip)]
    pub tariff: [Option<i64>; 3],
    pub days_min: u32,
    pub days_max: u32,
    /// The shop's own couriers: the client picks a two-hour window (`slot`).
    pub windows: bool,
}

pub const COURIERS: &[Courier] = &[
    Courier {
        id: "vitrina",
        name: "Курьер Витрины",
        description: "Наша доставка по Москве: в выбранные два часа",
        tariff: [Some(29_000), None, None],
        days_min: 1,
        days_max: 3,
        windows: true,
    },
    Courier {
        id: "cdek",
        name: "СДЭК",
        description: "До двери в городах, где есть «Витрина»",
        tariff: [Some(39_000), Some(49_000), Some(59_000)],
        days_min: 1,
        days_max: 4,
        windows: false,
    },
    Courier {
        id: "pochta",
        name: "Почта России",
        description: "Курьер Почты России, дольше, но дешевле в регионах",
        tariff: [Some(45_000), Some(45_000), Some(45_000)],
        days_min: 3,
        days_max: 9,
        windows: false,
    },
];

pub fn courier(id: &str) -> Option<&'static Courier> {
    COURIERS.iter().find(|c| c.id == id)
}

/// Cities served by couriers, by zone: 0 Moscow, 1 Saint Petersburg, 2 the other cities.
const CITIES: &[(&str, usize)] = &[
    ("москва", 0),
    ("санкт-петербург", 1),
    ("петербург", 1),
    ("спб", 1),
    ("казань", 2),
    ("екатеринбург", 2),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuoteError {
    UnknownCourier,
    BadAddress,
    CityNotServed(String),
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

    pub fn message(&self) -> String {
        match self {
            Self::UnknownCourier => "No courier company has this id".into(),
            Self::BadAddress => "The address needs a city, a street and a house".into(),
            Self::CityNotServed(city) => format!("No courier delivers to {city}"),
            Self::CourierNotInCity { courier, city } => {
                format!("{courier} does not deliver to {city}")
            }
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
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
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

/// A delivery case's moves (`DELIVERYCASE#<order>`): the rules, as pure functions.
pub mod case {
    pub use vitrina_shared::contracts::delivery::DeliveryStatus::{self, *};
    use vitrina_shared::contracts::order::OrderStatus;

    /// Whether an operator may move a case of this method of delivery from `from` to `to`:
    /// forward only, one step at a time; a pickup order waits at its point, a courier's goes
    /// out for delivery. A cancelled or delivered case moves no more.
    pub fn move_allowed(from: DeliveryStatus, to: DeliveryStatus, method: &str) -> bool {
        matches!(
            (from, to, method),
            (Created, InTransit, _)
                | (InTransit, AtPickupPoint, "pickup")
                | (InTransit, OutForDelivery, "courier")
                | (AtPickupPoint | OutForDelivery, Delivered, _)
        )
    }

    /// What the client is told of a status by letter: a case on its way between the warehouse
    /// and the point is the shop's business.
    pub fn tells_the_client(status: DeliveryStatus) -> bool {
        matches!(status, AtPickupPoint | OutForDelivery | Delivered)
    }

    /// What order hears of (the order's own status of the same name): every move, from the
    /// goods leaving on — after which the order is no longer cancelled.
    pub fn tells_the_order(status: DeliveryStatus) -> bool {
        order_status(status).is_some()
    }

    /// The order's status a case in `status` stands for, if the order has one for it.
    pub fn order_status(status: DeliveryStatus) -> Option<OrderStatus> {
        match status {
            InTransit => Some(OrderStatus::InTransit),
            AtPickupPoint => Some(OrderStatus::AtPickupPoint),
            OutForDelivery => Some(OrderStatus::OutForDelivery),
            Delivered => Some(OrderStatus::Delivered),
            Created | Cancelled => None,
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn a_case_moves_forward_one_step_and_by_its_method() {
            assert!(move_allowed(Created, InTransit, "pickup"));
            assert!(move_allowed(InTransit, AtPickupPoint, "pickup"));
            assert!(!move_allowed(InTransit, OutForDelivery, "pickup"));
            assert!(move_allowed(InTransit, OutForDelivery, "courier"));
            assert!(move_allowed(OutForDelivery, Delivered, "courier"));
            assert!(!move_allowed(Created, Delivered, "courier"), "no skipping");
            assert!(
                !move_allowed(Delivered, InTransit, "courier"),
                "no way back"
            );
            assert!(!move_allowed(Cancelled, InTransit, "pickup"));
            assert!(
                !move_allowed(InTransit, Cancelled, "pickup"),
                "cancelling is the saga's"
            );
        }
    }
}

/// Where the client collects the goods or who brings them, in the words of the letter.
pub fn place_of(delivery: &vitrina_shared::contracts::delivery::DeliveryChoice) -> Option<String> {
    match delivery.method.as_str() {
        "pickup" => delivery
            .pickup_point_id
            .as_deref()
            .and_then(pickup_point)
            .map(|p| format!("{}, {} ({})", p.name, p.address, p.hours)),
        "courier" => delivery
            .courier_id
            .as_deref()
            .and_then(courier)
            .map(|c| c.name.to_string()),
        _ => None,
    }
}
