//! delivery's rules: where the shop hands orders over (pickup points), which courier companies
//! bring them home, and what a courier delivery to an address costs.
//!
//! Pickup points and couriers are delivery's reference data, kept here as configuration: they
//! change with contracts, not with traffic, and a change ships as a deploy that tests cover.

use serde::Serialize;
use vitrina_shared::contracts::delivery::{DeliveryChoice, DeliveryMethod};

pub mod case;
pub mod quote;
pub mod slot;

pub use quote::{parse_address, price, Address, Quote, QuoteError, QUOTE_MINUTES};

#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq, utoipa::ToSchema)]
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
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq, utoipa::ToSchema)]
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

/// Where the client collects the goods or who brings them, in the words of the letter.
pub fn place_of(delivery: &DeliveryChoice) -> Option<String> {
    match delivery.method {
        DeliveryMethod::Pickup => delivery
            .pickup_point_id
            .as_deref()
            .and_then(pickup_point)
            .map(|p| format!("{}, {} ({})", p.name, p.address, p.hours)),
        DeliveryMethod::Courier => delivery
            .courier_id
            .as_deref()
            .and_then(courier)
            .map(|c| c.name.to_string()),
        _ => None,
    }
}
