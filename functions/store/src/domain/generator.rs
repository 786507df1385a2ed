//! A catalog of any size that reads like a Russian shop's: real-sounding product types, brands
//! and models, prices in round rubles, some discounts, stock that varies by store. Seeded, so
//! the same seed gives the same catalog (the shipped seed file is `generate(600, 1)`).

use super::catalog::{Catalog, Product, Stock, Store};
use std::collections::BTreeMap;

/// splitmix64: small, seedable, and good enough to pick words.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

struct Category {
    name: &'static str,
    types: &'static [&'static str],
    brands: &'static [&'static str],
    models: &'static [&'static str],
    /// Price range, rubles.
    price: (i64, i64),
    features: &'static [&'static str],
    attribute: (&'static str, &'static [&'static str]),
}

const CATEGORIES: &[Category] = &[
    Category {
        name: "Обувь",
        types: &[
            "Кроссовки беговые",
            "Кроссовки для зала",
            "Кеды",
            "Ботинки зимние",
            "Сапоги резиновые",
            "Туфли классические",
            "Сандалии",
            "Слипоны",
        ],
        brands: &[
            "Nike",
            "Adidas",
            "Puma",
            "Asics",
            "Reebok",
            "New Balance",
            "Ralf Ringer",
            "Columbia",
        ],
        models: &[
            "Air Zoom",
            "Ultraboost",
            "Gel-Kayano",
            "Classic",
            "Trail",
            "Run Pro",
            "Street",
            "Comfort",
        ],
        price: (2_500, 15_000),
        features: &[
            "лёгкая амортизирующая подошва",
            "дышащий верх из сетки",
            "натуральная кожа",
            "нескользящая подошва",
            "анатомическая стелька",
        ],
        attribute: ("Цвет", &["чёрный", "белый", "синий", "серый", "бежевый"]),
    },
    Category {
        name: "Одежда",
        types: &[
            "Футболка хлопковая",
            "Джинсы прямые",
            "Куртка демисезонная",
            "Пуховик",
            "Свитер шерстяной",
            "Худи",
            "Рубашка льняная",
            "Платье летнее",
        ],
        brands: &[
            "Zolla",
            "Gloria Jeans",
            "O'stin",
            "Befree",
            "Lime",
            "Finn Flare",
        ],
        models: &[
            "Basic", "Urban", "Casual", "Nord", "Soft", "Oversize", "Slim",
        ],
        price: (800, 12_000),
        features: &[
            "мягкая ткань",
            "свободный крой",
            "не теряет форму после стирки",
            "тёплый утеплитель",
            "натуральный хлопок",
        ],
        attribute: ("Размер", &["S", "M", "L", "XL", "XXL"]),
    },
    Category {
        name: "Смартфоны и гаджеты",
        types: &[
            "Смартфон",
            "Наушники беспроводные",
            "Умные часы",
            "Фитнес-браслет",
            "Планшет",
            "Портативная колонка",
            "Внешний аккумулятор",
        ],
        brands: &[
            "Samsung", "Xiaomi", "Apple", "Honor", "Realme", "JBL", "Huawei",
        ],
        models: &["A55", "Note 13", "Pro", "Lite", "Max", "Go", "X7"],
        price: (1_500, 120_000),
        features: &[
            "ёмкий аккумулятор",
            "быстрая зарядка",
            "защита от воды",
            "яркий экран",
            "шумоподавление",
        ],
        attribute: ("Цвет", &["чёрный", "серебристый", "синий", "зелёный"]),
    },
    Category {
        name: "Бытовая техника",
        types: &[
            "Пылесос",
            "Робот-пылесос",
            "Чайник электрический",
            "Кофемашина",
            "Микроволновая печь",
            "Блендер",
            "Утюг",
            "Мультиварка",
        ],
        brands: &[
            "Bosch", "Philips", "Redmond", "Polaris", "Tefal", "Dyson", "Braun",
        ],
        models: &[
            "Series 4", "Power", "Smart", "Compact", "Expert", "Home", "Turbo",
        ],
        price: (1_500, 60_000),
        features: &[
            "низкий уровень шума",
            "автоотключение",
            "экономичный расход энергии",
            "простая чистка",
            "несколько режимов",
        ],
        attribute: ("Мощность", &["800 Вт", "1200 Вт", "1800 Вт", "2200 Вт"]),
    },
    Category {
        name: "Книги",
        types: &[
            "Мастер и Маргарита",
            "Война и мир",
            "Преступление и наказание",
            "Евгений Онегин",
            "Мёртвые души",
            "Отцы и дети",
            "Двенадцать стульев",
            "Пикник на обочине",
            "Герой нашего времени",
            "Анна Каренина",
            "Обломов",
            "Доктор Живаго",
        ],
        brands: &["Эксмо", "АСТ", "Азбука", "МИФ"],
        models: &[
            "твёрдый переплёт",
            "мягкая обложка",
            "подарочное издание",
            "иллюстрированное издание",
        ],
        price: (300, 2_500),
        features: &[
            "классика русской литературы",
            "офсетная бумага",
            "комментарии и примечания",
            "удобный формат",
        ],
        attribute: ("Страниц", &["320", "480", "560", "704", "1280"]),
    },
    Category {
        name: "Продукты",
        types: &[
            "Кофе в зёрнах",
            "Чай чёрный листовой",
            "Шоколад горький",
            "Мёд цветочный",
            "Макароны",
            "Масло оливковое",
            "Крупа гречневая",
        ],
        brands: &[
            "Жокей",
            "Greenfield",
            "Бабаевский",
            "Alce Nero",
            "Макфа",
            "Мистраль",
        ],
        models: &[
            "Классический",
            "Премиум",
            "Отборный",
            "Органик",
            "Фермерский",
        ],
        price: (90, 2_500),
        features: &[
            "без консервантов",
            "вакуумная упаковка",
            "насыщенный вкус",
            "сделано в России",
        ],
        attribute: ("Вес", &["250 г", "500 г", "1 кг"]),
    },
    Category {
        name: "Дом и сад",
        types: &[
            "Набор кастрюль",
            "Сковорода",
            "Постельное бельё",
            "Подушка",
            "Плед",
            "Садовые ножницы",
            "Лейка",
            "Набор посуды",
        ],
        brands: &["Tefal", "Rondell", "Togas", "Fiskars", "Гжель", "Attribute"],
        models: &["Natura", "Classic", "Prestige", "Garden", "Уют", "Нева"],
        price: (500, 15_000),
        features: &[
            "антипригарное покрытие",
            "гипоаллергенный наполнитель",
            "можно мыть в посудомоечной машине",
            "прочная сталь",
        ],
        attribute: ("Цвет", &["белый", "серый", "бежевый", "зелёный"]),
    },
    Category {
        name: "Спорт и отдых",
        types: &[
            "Велосипед горный",
            "Самокат",
            "Коврик для йоги",
            "Гантели",
            "Палатка",
            "Спальный мешок",
            "Рюкзак туристический",
            "Мяч футбольный",
        ],
        brands: &[
            "Stern",
            "Forward",
            "Demix",
            "Torneo",
            "Nordway",
            "Outventure",
        ],
        models: &["Energy", "Active", "Trek", "Camp", "Sport", "Pro"],
        price: (500, 60_000),
        features: &[
            "лёгкий и прочный",
            "для начинающих и профи",
            "влагостойкий материал",
            "компактно складывается",
        ],
        attribute: ("Цвет", &["чёрный", "красный", "синий", "оранжевый"]),
    },
    Category {
        name: "Детские товары",
        types: &[
            "Конструктор",
            "Кукла",
            "Машинка на радиоуправлении",
            "Пазл",
            "Настольная игра",
            "Коляска",
            "Автокресло",
        ],
        brands: &["LEGO", "Hasbro", "Мосигра", "Barbie", "Hot Wheels", "Cybex"],
        models: &["City", "Friends", "Junior", "Family", "Racing", "Dream"],
        price: (500, 40_000),
        features: &[
            "безопасные материалы",
            "развивает моторику",
            "для детей от 3 лет",
            "яркие цвета",
        ],
        attribute: ("Возраст", &["от 3 лет", "от 5 лет", "от 7 лет", "0+"]),
    },
    Category {
        name: "Красота и здоровье",
        types: &[
            "Шампунь",
            "Крем для лица",
            "Зубная щётка электрическая",
            "Фен",
            "Парфюмерная вода",
            "Бальзам для губ",
        ],
        brands: &[
            "L'Oréal",
            "Natura Siberica",
            "Oral-B",
            "Philips",
            "Garnier",
            "Чистая линия",
        ],
        models: &["Hydra", "Care", "Sensitive", "Repair", "Fresh", "Pro"],
        price: (200, 12_000),
        features: &[
            "для всех типов кожи",
            "натуральные компоненты",
            "дерматологически протестировано",
            "приятный аромат",
        ],
        attribute: ("Объём", &["50 мл", "100 мл", "250 мл", "400 мл"]),
    },
    Category {
        name: "Зоотовары",
        types: &[
            "Корм для кошек",
            "Корм для собак",
            "Лежанка",
            "Когтеточка",
            "Поводок",
            "Наполнитель",
        ],
        brands: &["Royal Canin", "Purina", "Whiskas", "Pedigree", "Triol"],
        models: &["Adult", "Junior", "Sterilised", "Comfort", "Active"],
        price: (150, 5_000),
        features: &[
            "сбалансированный состав",
            "для взрослых животных",
            "прочные материалы",
            "легко чистить",
        ],
        attribute: ("Вес", &["400 г", "2 кг", "10 кг"]),
    },
    Category {
        name: "Автотовары",
        types: &[
            "Видеорегистратор",
            "Автомобильный пылесос",
            "Шины зимние",
            "Щётки стеклоочистителя",
            "Компрессор автомобильный",
        ],
        brands: &["Xiaomi", "Bosch", "Nokian", "Michelin", "Berkut"],
        models: &["Drive", "Aero", "Hakkapeliitta", "X-Ice", "Road"],
        price: (300, 20_000),
        features: &[
            "простая установка",
            "работает от прикуривателя",
            "надёжное сцепление",
            "широкий угол обзора",
        ],
        attribute: ("Гарантия", &["1 год", "2 года", "3 года"]),
    },
];

pub fn stores() -> Vec<Store> {
    let s = |id: &str, name: &str, address: &str, hours: &str, pickup: bool| Store {
        id: id.into(),
        name: name.into(),
        address: address.into(),
        hours: hours.into(),
        pickup,
    };
    vec![
        s(
            "msk-tverskaya",
            "Витрина на Тверской",
            "Москва, ул. Тверская, 12",
            "10:00–22:00",
            true,
        ),
        s(
            "msk-aviapark",
            "Витрина в «Авиапарке»",
            "Москва, Ходынский бульвар, 4",
            "10:00–22:00",
            true,
        ),
        s(
            "spb-nevsky",
            "Витрина на Невском",
            "Санкт-Петербург, Невский пр., 48",
            "10:00–22:00",
            true,
        ),
        s(
            "kzn-baumana",
            "Витрина на Баумана",
            "Казань, ул. Баумана, 51",
            "10:00–21:00",
            true,
        ),
        s(
            "ekb-vainera",
            "Витрина на Вайнера",
            "Екатеринбург, ул. Вайнера, 9",
            "10:00–21:00",
            true,
        ),
        s(
            "podolsk-wh",
            "Склад в Подольске",
            "Московская обл., Подольск, ул. Правды, 20",
            "круглосуточно",
            false,
        ),
    ]
}

/// `rubles` as a shop price in kopecks: ends in 90 ₽ below 1 000 ₽, in 990 ₽ above.
fn shop_price(rubles: i64) -> i64 {
    let rub = if rubles < 1_000 {
        (rubles / 100) * 100 + 90
    } else {
        (rubles / 1_000) * 1_000 + 990
    };
    rub * 100
}

pub fn generate(count: usize, seed: u64) -> Catalog {
    let mut rng = Rng(seed);
    let stores = stores();
    let mut products = Vec::with_capacity(count);
    let mut stock = Vec::new();
    let mut seen = std::collections::HashSet::new();
    while products.len() < count {
        let cat = &CATEGORIES[products.len() % CATEGORIES.len()];
        let kind = rng.pick(cat.types);
        let brand = rng.pick(cat.brands);
        let model = rng.pick(cat.models);
        let base = if cat.name == "Книги" {
            format!("{kind}, {model}")
        } else {
            format!("{kind} {brand} {model}")
        };
        // Past the combinations a category has, models get series numbers, as real ones do;
        // the range grows with the catalog so that any size can be made.
        let name = if seen.contains(&base) {
            format!("{base} {}", 2 + rng.below((count / 20).max(30)))
        } else {
            base
        };
        if !seen.insert(name.clone()) {
            continue;
        }
        let id = format!("p-{:06}", products.len() + 1);
        let (lo, hi) = cat.price;
        let price = shop_price(lo + (rng.next() % (hi - lo) as u64) as i64);
        let old_price = rng
            .chance(25)
            .then(|| {
                let percent = 10 + rng.below(31) as i64;
                shop_price(price / 100 * 100 / (100 - percent))
            })
            .filter(|old| *old > price);
        let feature_a = rng.pick(cat.features);
        let feature_b = rng.pick(cat.features);
        let description = if feature_a == feature_b {
            format!("{name}: {feature_a}. Официальная гарантия производителя {brand}.")
        } else {
            format!("{name}: {feature_a}, {feature_b}. Официальная гарантия производителя {brand}.")
        };
        let mut attributes = BTreeMap::new();
        attributes.insert(
            cat.attribute.0.to_string(),
            rng.pick(cat.attribute.1).to_string(),
        );
        attributes.insert("Бренд".to_string(), brand.to_string());
        // Some products are everywhere, some sold out in places, a few sold out everywhere.
        let profile = rng.below(100);
        for store in &stores {
            let quantity = match profile {
                0..=4 => 0,
                5..=24 => 5 + rng.below(40) as i64,
                _ if rng.chance(25) => 0,
                _ if rng.chance(20) => 1 + rng.below(3) as i64,
                _ => 4 + rng.below(60) as i64,
            };
            stock.push(Stock {
                product_id: id.clone(),
                store_id: store.id.clone(),
                quantity,
            });
        }
        products.push(Product {
            id,
            name,
            description,
            category: cat.name.to_string(),
            brand: brand.to_string(),
            price,
            old_price,
            attributes,
        });
    }
    Catalog {
        stores,
        products,
        stock,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::{parse_catalog, to_lines, Availability};

    #[test]
    fn generated_catalogs_are_valid_varied_and_repeatable() {
        let c = generate(600, 1);
        assert_eq!(c, generate(600, 1));
        assert_eq!(c.products.len(), 600);
        assert!(c.stores.len() >= 5);
        let categories: std::collections::HashSet<_> =
            c.products.iter().map(|p| &p.category).collect();
        assert!(categories.len() >= 10);
        assert!(
            c.products
                .iter()
                .filter(|p| p.discount_percent().is_some())
                .count()
                > 60
        );
        let levels = |p: &Product| -> Vec<Availability> {
            c.stock
                .iter()
                .filter(|s| s.product_id == p.id)
                .map(|s| Availability::of(s.quantity))
                .collect()
        };
        assert!(c
            .products
            .iter()
            .any(|p| levels(p).iter().all(|l| *l == Availability::None)));
        assert!(c
            .products
            .iter()
            .any(|p| levels(p).iter().all(|l| *l != Availability::None)));
        assert!(c
            .products
            .iter()
            .any(|p| levels(p).contains(&Availability::None)
                && levels(p).contains(&Availability::InStock)));
        // Round trip through the file format, which also validates every row.
        assert_eq!(parse_catalog(&to_lines(&c)).unwrap(), c);
    }

    #[test]
    fn prices_look_like_shop_prices() {
        for p in generate(200, 7).products {
            let rub = p.price / 100;
            assert!(rub % 100 == 90 || rub % 1000 == 990, "{rub}");
            assert_eq!(p.price % 100, 0);
        }
    }
}
