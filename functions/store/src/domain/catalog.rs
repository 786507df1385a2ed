use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const MAX_NAME: usize = 200;
pub const MAX_DESCRIPTION: usize = 4000;
/// A price above 10 million rubles is a typo, not a product.
pub const MAX_PRICE: i64 = 1_000_000_000;
/// "Мало" below this many units.
pub const FEW_LEFT: i64 = 4;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Product {
    pub id: String,
    pub name: String,
    pub description: String,
    pub category: String,
    pub brand: String,
    /// Kopecks.
    pub price: i64,
    /// The price before the discount, kopecks; present only when discounted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_price: Option<i64>,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
}

impl Product {
    /// Whole percent off, rounded down: never promises more than is given.
    pub fn discount_percent(&self) -> Option<i64> {
        self.old_price
            .filter(|old| *old > self.price)
            .map(|old| (old - self.price) * 100 / old)
    }

    pub fn image_path(&self) -> String {
        format!("/images/{}.svg", self.id)
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Store {
    pub id: String,
    pub name: String,
    pub address: String,
    pub hours: String,
    /// Whether clients may pick up orders here.
    pub pickup: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Stock {
    pub product_id: String,
    pub store_id: String,
    pub quantity: i64,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    InStock,
    Few,
    None,
}

impl Availability {
    pub fn of(quantity: i64) -> Self {
        match quantity {
            q if q <= 0 => Self::None,
            q if q < FEW_LEFT => Self::Few,
            _ => Self::InStock,
        }
    }
}

/// One line of a catalog file (JSON Lines): a store, a product or a stock level.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Row {
    Store(Store),
    Product(Product),
    Stock(Stock),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Catalog {
    pub stores: Vec<Store>,
    pub products: Vec<Product>,
    pub stock: Vec<Stock>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub reason: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

fn valid_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Why a catalog row is refused, in words for the operator who wrote the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Invalid(String);

fn check_text(what: &str, v: &str, max: usize, required: bool) -> Result<(), Invalid> {
    if required && v.trim().is_empty() {
        return Err(Invalid(format!("{what} is empty")));
    }
    if v.chars().count() > max {
        return Err(Invalid(format!("{what} is longer than {max} characters")));
    }
    if v.chars().any(|c| c.is_control() && c != '\n') {
        return Err(Invalid(format!("{what} has control characters")));
    }
    Ok(())
}

impl Product {
    pub fn validate(&self) -> Result<(), Invalid> {
        if !valid_id(&self.id) {
            return Err(Invalid(format!(
                "product id {:?} must be 1-64 of A-Z a-z 0-9 - _",
                self.id
            )));
        }
        check_text("name", &self.name, MAX_NAME, true)?;
        check_text("description", &self.description, MAX_DESCRIPTION, false)?;
        check_text("category", &self.category, 100, true)?;
        check_text("brand", &self.brand, 100, false)?;
        if !(1..=MAX_PRICE).contains(&self.price) {
            return Err(Invalid(format!(
                "price {} must be 1..{MAX_PRICE} kopecks",
                self.price
            )));
        }
        if let Some(old) = self.old_price {
            if old <= self.price || old > MAX_PRICE {
                return Err(Invalid(format!(
                    "oldPrice {old} must be above price {}",
                    self.price
                )));
            }
        }
        for (k, v) in &self.attributes {
            check_text("attribute name", k, 100, true)?;
            check_text("attribute value", v, 500, false)?;
        }
        Ok(())
    }
}

impl Store {
    pub fn validate(&self) -> Result<(), Invalid> {
        if !valid_id(&self.id) {
            return Err(Invalid(format!(
                "store id {:?} must be 1-64 of A-Z a-z 0-9 - _",
                self.id
            )));
        }
        check_text("store name", &self.name, MAX_NAME, true)?;
        check_text("address", &self.address, 300, true)?;
        check_text("hours", &self.hours, 100, false)
    }
}

/// Parses and checks a whole, self-contained catalog file (see [`parse_rows`]).
pub fn parse_catalog(text: &str) -> Result<Catalog, Vec<RowError>> {
    let (catalog, stock_lines, mut errors) = parse_rows(text);
    errors.extend(check_references(
        &catalog,
        &stock_lines,
        &Default::default(),
        &Default::default(),
    ));
    errors.sort_by_key(|e| e.line);
    if errors.is_empty() {
        Ok(catalog)
    } else {
        Err(errors)
    }
}

/// Stock rows may name stores and products defined in the file or already in the catalog.
pub fn check_references(
    catalog: &Catalog,
    stock_lines: &[usize],
    known_stores: &std::collections::HashSet<String>,
    known_products: &std::collections::HashSet<String>,
) -> Vec<RowError> {
    let products: std::collections::HashSet<&str> =
        catalog.products.iter().map(|p| p.id.as_str()).collect();
    let stores: std::collections::HashSet<&str> =
        catalog.stores.iter().map(|s| s.id.as_str()).collect();
    let mut errors = Vec::new();
    for (s, line) in catalog.stock.iter().zip(stock_lines.iter().copied()) {
        if !products.contains(s.product_id.as_str()) && !known_products.contains(&s.product_id) {
            errors.push(RowError {
                line,
                reason: format!("stock names unknown product {}", s.product_id),
            });
        } else if !stores.contains(s.store_id.as_str()) && !known_stores.contains(&s.store_id) {
            errors.push(RowError {
                line,
                reason: format!("stock names unknown store {}", s.store_id),
            });
        }
    }
    errors
}

/// Parses and checks every row of a catalog file. Answers the good rows, the line of each stock
/// row (for [`check_references`]) and every bad row with its line number: any bad row refuses
/// the whole file, so that nothing is half loaded.
pub fn parse_rows(text: &str) -> (Catalog, Vec<usize>, Vec<RowError>) {
    let mut catalog = Catalog::default();
    let mut errors = Vec::new();
    let mut product_ids = std::collections::HashSet::new();
    let mut store_ids = std::collections::HashSet::new();
    let mut stock_keys = std::collections::HashSet::new();
    let mut stock_lines = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let raw = raw.trim();
        if raw.is_empty() || raw.starts_with("//") {
            continue;
        }
        let row: Row = match serde_json::from_str(raw) {
            Ok(r) => r,
            Err(e) => {
                errors.push(RowError {
                    line,
                    reason: format!("not a catalog row: {e}"),
                });
                continue;
            }
        };
        let result = match &row {
            Row::Product(p) => p.validate().and_then(|_| {
                product_ids
                    .insert(p.id.clone())
                    .then_some(())
                    .ok_or(Invalid(format!("product {} appears twice", p.id)))
            }),
            Row::Store(s) => s.validate().and_then(|_| {
                store_ids
                    .insert(s.id.clone())
                    .then_some(())
                    .ok_or(Invalid(format!("store {} appears twice", s.id)))
            }),
            Row::Stock(s) => {
                if !(0..=1_000_000).contains(&s.quantity) {
                    Err(Invalid(format!(
                        "quantity {} must be 0..1000000",
                        s.quantity
                    )))
                } else if !stock_keys.insert((s.product_id.clone(), s.store_id.clone())) {
                    Err(Invalid(format!(
                        "stock of {} in {} appears twice",
                        s.product_id, s.store_id
                    )))
                } else {
                    Ok(())
                }
            }
        };
        if let Err(Invalid(reason)) = result {
            errors.push(RowError { line, reason });
            continue;
        }
        match row {
            Row::Product(p) => catalog.products.push(p),
            Row::Store(s) => catalog.stores.push(s),
            Row::Stock(s) => {
                stock_lines.push(line);
                catalog.stock.push(s)
            }
        }
    }
    (catalog, stock_lines, errors)
}

/// The catalog as JSON Lines: stores, then each product followed by its stock.
pub fn to_lines(catalog: &Catalog) -> String {
    let mut out = String::new();
    let mut push = |row: Row| {
        if let Ok(s) = serde_json::to_string(&row) {
            out.push_str(&s);
            out.push('\n');
        }
    };
    for s in &catalog.stores {
        push(Row::Store(s.clone()));
    }
    let mut stock_of: std::collections::HashMap<&str, Vec<&Stock>> = Default::default();
    for s in &catalog.stock {
        stock_of.entry(s.product_id.as_str()).or_default().push(s);
    }
    for p in &catalog.products {
        push(Row::Product(p.clone()));
        for s in stock_of.remove(p.id.as_str()).unwrap_or_default() {
            push(Row::Stock(s.clone()));
        }
    }
    out
}

/// A URL-safe lowercase key for a category name (Latin transliteration).
pub fn category_slug(name: &str) -> String {
    const MAP: &[(char, &str)] = &[
        ('а', "a"),
        ('б', "b"),
        ('в', "v"),
        ('г', "g"),
        ('д', "d"),
        ('е', "e"),
        ('ё', "e"),
        ('ж', "zh"),
        ('з', "z"),
        ('и', "i"),
        ('й', "y"),
        ('к', "k"),
        ('л', "l"),
        ('м', "m"),
        ('н', "n"),
        ('о', "o"),
        ('п', "p"),
        ('р', "r"),
        ('с', "s"),
        ('т', "t"),
        ('у', "u"),
        ('ф', "f"),
        ('х', "h"),
        ('ц', "ts"),
        ('ч', "ch"),
        ('ш', "sh"),
        ('щ', "sch"),
        ('ъ', ""),
        ('ы', "y"),
        ('ь', ""),
        ('э', "e"),
        ('ю', "yu"),
        ('я', "ya"),
    ];
    let mut out = String::new();
    for c in name.to_lowercase().chars() {
        if let Some((_, t)) = MAP.iter().find(|(k, _)| *k == c) {
            out.push_str(t);
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(id: &str) -> String {
        format!(
            r#"{{"type":"product","id":"{id}","name":"Кроссовки","description":"","category":"Обувь","brand":"X","price":100000,"oldPrice":125000}}"#
        )
    }

    #[test]
    fn parses_a_good_file_in_any_order() {
        let text = [
            r#"{"type":"stock","productId":"p1","storeId":"s1","quantity":2}"#.to_string(),
            product("p1"),
            r#"{"type":"store","id":"s1","name":"Магазин","address":"Москва","hours":"10-22","pickup":true}"#.to_string(),
        ]
        .join("\n");
        let c = parse_catalog(&text).unwrap();
        assert_eq!((c.products.len(), c.stores.len(), c.stock.len()), (1, 1, 1));
        assert_eq!(c.products[0].discount_percent(), Some(20));
        assert_eq!(parse_catalog(&to_lines(&c)).unwrap(), c);
    }

    #[test]
    fn refuses_bad_rows_with_their_line_numbers() {
        let text = [
            product("p1"),
            r#"{"type":"product","id":"p2","name":"","category":"Обувь","brand":"","description":"","price":1}"#.to_string(),
            "{not json".to_string(),
            r#"{"type":"stock","productId":"p9","storeId":"s1","quantity":2}"#.to_string(),
            product("p1"),
            r#"{"type":"product","id":"p3","name":"Дешёвка","category":"Обувь","brand":"","description":"","price":500,"oldPrice":400}"#.to_string(),
        ]
        .join("\n");
        let errors = parse_catalog(&text).unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 5, 6], "{errors:?}");
        assert!(errors[0].reason.contains("name is empty"));
        assert!(errors[2].reason.contains("unknown product p9"));
        assert!(errors[3].reason.contains("appears twice"));
        assert!(errors[4].reason.contains("oldPrice"));
    }

    #[test]
    fn availability_levels() {
        assert_eq!(Availability::of(0), Availability::None);
        assert_eq!(Availability::of(3), Availability::Few);
        assert_eq!(Availability::of(4), Availability::InStock);
    }

    #[test]
    fn slugs_are_latin() {
        assert_eq!(category_slug("Обувь"), "obuv");
        assert_eq!(category_slug("Дом и сад"), "dom-i-sad");
        assert_eq!(category_slug("Книги"), "knigi");
    }
}
