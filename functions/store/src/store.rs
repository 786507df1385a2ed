//! store's items in the single table. Catalog items (products, stores) also sit in one GSI1
//! partition, `CATALOG`, so the index builder reads the whole catalog with one paginated Query
//! instead of scanning the shared table.
//!
//! A product's stock per store lives on the product's own item (`stock`: store id → units): "is
//! it available anywhere" for a whole cart is then one BatchGetItem, and taking units from one
//! store is one conditional update of one item.

use crate::domain::{Catalog, Product, Stock, Store};
use aws_sdk_dynamodb::{
    types::{
        AttributeValue, KeysAndAttributes, Put, PutRequest, TransactWriteItem, Update, WriteRequest,
    },
    Client,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use vitrina_shared::{
    contracts::store::{PickingCase, PickingStatus, ReservedUnits},
    keys,
    table::{self, key, Item},
    StoreError,
};

const CATALOG_PARTITION: &str = "CATALOG";

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct IndexMeta {
    /// Milliseconds since the epoch when the index was built; only ever grows.
    pub version: i64,
    /// The S3 key of the packed index.
    pub key: String,
    pub products: usize,
}

/// A catalog row as its table item, placed in the `CATALOG` partition of GSI1 under `gsi1_sk`.
fn catalog_item<T: Serialize>(
    k: (String, String),
    gsi1_sk: String,
    value: &T,
) -> Result<Item, StoreError> {
    let mut item = table::item(k, value)?;
    item.insert(
        keys::GSI1PK.into(),
        AttributeValue::S(CATALOG_PARTITION.into()),
    );
    item.insert(keys::GSI1SK.into(), AttributeValue::S(gsi1_sk));
    Ok(item)
}

/// Units per store id.
pub type StockLevels = BTreeMap<String, i64>;

const STOCK: &str = "stock";
/// Per store, every unit a stocktaking (a catalog file's stock row) ever brought in, net: the
/// sum of the differences each count made. Reservations move units between the shelf (`stock`)
/// and picking cases and never touch it, so for every product and store
/// `stock + units in open picking cases = counted` — the conservation `make audit` checks.
const COUNTED: &str = "counted";

/// A product new to the table, its stock as counted: the shelf holds all that came in.
pub fn product_item(p: &Product, stock: &StockLevels) -> Result<Item, StoreError> {
    let mut item = catalog_item(keys::store::product(&p.id), format!("PRODUCT#{}", p.id), p)?;
    item.insert(STOCK.into(), serde_dynamo::to_attribute_value(stock)?);
    item.insert(COUNTED.into(), serde_dynamo::to_attribute_value(stock)?);
    Ok(item)
}

/// A product item back into the product and its stock levels.
pub fn read_product(item: &Item) -> Result<(Product, StockLevels), StoreError> {
    let stock = match item.get(STOCK) {
        Some(v) => serde_dynamo::from_attribute_value(v.clone())?,
        None => StockLevels::new(),
    };
    let product = serde_dynamo::from_item(item.clone())?;
    Ok((product, stock))
}

/// Whether any store has at least one unit.
pub fn available_anywhere(stock: &StockLevels) -> bool {
    stock.values().any(|units| *units > 0)
}

pub fn store_item(s: &Store) -> Result<Item, StoreError> {
    catalog_item(keys::store::store(&s.id), format!("STORE#{}", s.id), s)
}

#[derive(Clone, Debug)]
pub struct CatalogStore {
    db: Client,
    table: String,
}

impl CatalogStore {
    pub fn new(db: Client, table: String) -> Self {
        Self { db, table }
    }

    async fn query_catalog(
        &self,
        sk_prefix: &str,
        limit: Option<i32>,
    ) -> Result<Vec<Item>, StoreError> {
        let mut out = Vec::new();
        let mut start = None;
        loop {
            let mut query = self
                .db
                .query()
                .table_name(&self.table)
                .index_name(keys::GSI1)
                .expression_attribute_values(":p", AttributeValue::S(CATALOG_PARTITION.into()));
            // DynamoDB refuses an empty begins_with operand: no prefix means the whole partition.
            query = if sk_prefix.is_empty() {
                query.key_condition_expression("GSI1PK = :p")
            } else {
                query
                    .key_condition_expression("GSI1PK = :p AND begins_with(GSI1SK, :s)")
                    .expression_attribute_values(":s", AttributeValue::S(sk_prefix.into()))
            };
            let page = query
                .set_limit(limit)
                .set_exclusive_start_key(start)
                .send()
                .await?;
            out.extend(page.items.unwrap_or_default());
            start = page.last_evaluated_key;
            if start.is_none() || limit.is_some() {
                return Ok(out);
            }
        }
    }

    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.query_catalog("", Some(1)).await?.is_empty())
    }

    /// The whole catalog, for the index builder.
    pub async fn load_catalog(&self) -> Result<Catalog, StoreError> {
        let mut catalog = Catalog::default();
        for item in self.query_catalog("", None).await? {
            let sk = item
                .get(keys::GSI1SK)
                .and_then(|v| v.as_s().ok())
                .cloned()
                .unwrap_or_default();
            if sk.starts_with("PRODUCT#") {
                let (product, stock) = read_product(&item)?;
                catalog
                    .stock
                    .extend(stock.into_iter().map(|(store_id, quantity)| Stock {
                        product_id: product.id.clone(),
                        store_id,
                        quantity,
                    }));
                catalog.products.push(product);
            } else if sk.starts_with("STORE#") {
                catalog.stores.push(serde_dynamo::from_item(item)?);
            }
        }
        Ok(catalog)
    }

    pub async fn stores(&self) -> Result<Vec<Store>, StoreError> {
        Ok(serde_dynamo::from_items(
            self.query_catalog("STORE#", None).await?,
        )?)
    }

    /// A product and its stock levels: one GetItem.
    pub async fn product(&self, id: &str) -> Result<Option<(Product, StockLevels)>, StoreError> {
        let out = self
            .db
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::store::product(id))))
            .send()
            .await?;
        out.item.as_ref().map(read_product).transpose()
    }

    /// The products that exist among `ids` (at most 100: one BatchGetItem), with their stock.
    pub async fn products(
        &self,
        ids: &[String],
    ) -> Result<Vec<(Product, StockLevels)>, StoreError> {
        self.products_with(ids, false).await
    }

    /// As [`Self::products`], strongly consistent: the stock a reservation plans from.
    pub async fn products_now(
        &self,
        ids: &[String],
    ) -> Result<Vec<(Product, StockLevels)>, StoreError> {
        self.products_with(ids, true).await
    }

    async fn products_with(
        &self,
        ids: &[String],
        consistent: bool,
    ) -> Result<Vec<(Product, StockLevels)>, StoreError> {
        let wanted: Vec<_> = ids.iter().map(|id| keys::store::product(id)).collect();
        let found = self.current_with(&wanted, consistent).await?;
        // In the order asked, each once.
        let mut seen = std::collections::HashSet::new();
        wanted
            .iter()
            .filter(|k| seen.insert(*k))
            .filter_map(|k| found.get(k))
            .map(read_product)
            .collect()
    }

    /// The items stored under these keys now (strongly consistent), by (PK, SK).
    pub async fn current(
        &self,
        wanted: &[(String, String)],
    ) -> Result<HashMap<(String, String), Item>, StoreError> {
        self.current_with(wanted, true).await
    }

    /// BatchGetItem, 100 keys per request; keys DynamoDB leaves unprocessed (throttling) are
    /// asked again after a growing pause.
    async fn current_with(
        &self,
        wanted: &[(String, String)],
        consistent: bool,
    ) -> Result<HashMap<(String, String), Item>, StoreError> {
        let mut unique: Vec<&(String, String)> = Vec::with_capacity(wanted.len());
        let mut seen = std::collections::HashSet::new();
        for k in wanted {
            if seen.insert(k) {
                unique.push(k);
            }
        }
        let mut found = HashMap::new();
        for chunk in unique.chunks(100) {
            let mut request = KeysAndAttributes::builder()
                .set_keys(Some(chunk.iter().map(|k| key((*k).clone())).collect()))
                .consistent_read(consistent)
                .build()?;
            let mut attempt = 0u32;
            loop {
                let out = self
                    .db
                    .batch_get_item()
                    .request_items(&self.table, request)
                    .send()
                    .await?;
                for item in out
                    .responses
                    .unwrap_or_default()
                    .remove(&self.table)
                    .unwrap_or_default()
                {
                    let text = |k: &str| {
                        item.get(k)
                            .and_then(|v| v.as_s().ok())
                            .cloned()
                            .unwrap_or_default()
                    };
                    found.insert((text(keys::PK), text(keys::SK)), item);
                }
                match out.unprocessed_keys.and_then(|mut u| u.remove(&self.table)) {
                    Some(rest) if !rest.keys().is_empty() => request = rest,
                    _ => break,
                }
                attempt += 1;
                if attempt > 8 {
                    return Err(StoreError::Busy("DynamoDB kept keys unprocessed".into()));
                }
                vitrina_shared::table::backoff(attempt).await;
            }
        }
        Ok(found)
    }

    /// Writes items 25 at a time, retrying what DynamoDB leaves unprocessed.
    pub async fn put_all(&self, items: Vec<Item>) -> Result<(), StoreError> {
        for chunk in items.chunks(25) {
            let mut requests: Vec<WriteRequest> = chunk
                .iter()
                .map(|i| {
                    PutRequest::builder()
                        .set_item(Some(i.clone()))
                        .build()
                        .map(|p| WriteRequest::builder().put_request(p).build())
                        .map_err(StoreError::from)
                })
                .collect::<Result<_, _>>()?;
            let mut attempt = 0;
            while !requests.is_empty() {
                let out = self
                    .db
                    .batch_write_item()
                    .request_items(&self.table, requests)
                    .send()
                    .await?;
                requests = out
                    .unprocessed_items
                    .and_then(|mut u| u.remove(&self.table))
                    .unwrap_or_default();
                attempt += 1;
                if attempt > 8 {
                    return Err(StoreError::Busy("DynamoDB kept items unprocessed".into()));
                }
                if !requests.is_empty() {
                    vitrina_shared::table::backoff(attempt).await;
                }
            }
        }
        Ok(())
    }

    pub async fn index_meta(&self) -> Result<Option<IndexMeta>, StoreError> {
        table::get(&self.db, &self.table, keys::store::index_meta(), true).await
    }

    /// Records a newer index; an older build finishing late never replaces a newer one.
    pub async fn set_index_meta(&self, meta: &IndexMeta) -> Result<bool, StoreError> {
        let item = table::item(keys::store::index_meta(), meta)?;
        let result = self
            .db
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(PK) OR version < :v")
            .expression_attribute_values(":v", AttributeValue::N(meta.version.to_string()))
            .send()
            .await;
        table::written(result.map_err(StoreError::from))
    }
}

/// How an import changes a product already in the table.
impl CatalogStore {
    /// Writes `product` and sets each store in `counts` to its counted units, as one
    /// conditional update of the product's item: each store's level on condition that it is
    /// still what was read (a reservation or another import in between is read again, up to
    /// eight times, never overwritten), and `counted` moved by the same difference. `false` when
    /// nothing differed. A product that is not stored yet is created whole.
    pub async fn apply_count(
        &self,
        product: &Product,
        counts: &StockLevels,
    ) -> Result<bool, StoreError> {
        for attempt in 1..=8 {
            match self.apply_count_once(product, counts).await {
                Err(StoreError::Conflict) => table::backoff(attempt).await,
                done => return done,
            }
        }
        Err(StoreError::Busy(format!(
            "product {} kept changing under its stocktaking",
            product.id
        )))
    }

    async fn apply_count_once(
        &self,
        product: &Product,
        counts: &StockLevels,
    ) -> Result<bool, StoreError> {
        let k = keys::store::product(&product.id);
        let stored = self
            .db
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(k.clone())))
            .consistent_read(true)
            .send()
            .await?
            .item;
        let Some(stored) = stored else {
            let item = product_item(product, counts)?;
            return table::put_if_absent(&self.db, &self.table, item)
                .await?
                .then_some(true)
                .ok_or(StoreError::Conflict);
        };
        let (old_product, old_stock) = read_product(&stored)?;
        let changed: Vec<(&String, i64, Option<i64>)> = counts
            .iter()
            .map(|(store, units)| (store, *units, old_stock.get(store).copied()))
            .filter(|(_, units, old)| *old != Some(*units))
            .collect();
        if old_product == *product && changed.is_empty() {
            return Ok(false);
        }
        let mut update = self
            .db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(k)));
        let (mut sets, mut removes, mut conditions) = (Vec::new(), Vec::new(), Vec::new());
        // The product's own attributes: set as the file has them, gone where it has none.
        let fields = catalog_item(
            keys::store::product(&product.id),
            format!("PRODUCT#{}", product.id),
            product,
        )?;
        let fixed = [keys::PK, keys::SK, STOCK, COUNTED];
        for (i, name) in stored
            .keys()
            .filter(|n| !fixed.contains(&n.as_str()) && !fields.contains_key(*n))
            .enumerate()
        {
            removes.push(format!("#r{i}"));
            update = update.expression_attribute_names(format!("#r{i}"), name.clone());
        }
        for (i, (name, value)) in fields
            .into_iter()
            .filter(|(n, _)| !fixed.contains(&n.as_str()))
            .enumerate()
        {
            sets.push(format!("#f{i} = :f{i}"));
            update = update
                .expression_attribute_names(format!("#f{i}"), name)
                .expression_attribute_values(format!(":f{i}"), value);
        }
        if !changed.is_empty() {
            update = update
                .expression_attribute_names("#stock", STOCK)
                .expression_attribute_names("#counted", COUNTED);
        }
        let has_counted = stored.contains_key(COUNTED);
        if !has_counted && !changed.is_empty() {
            // An item from before stocktakings were counted: what its shelves hold now is
            // taken as counted, once.
            let mut counted = old_stock.clone();
            for (store, units, old) in &changed {
                *counted.entry((*store).clone()).or_default() += units - old.unwrap_or(0);
            }
            sets.push("#counted = :counted".into());
            conditions.push("attribute_not_exists(#counted)".to_string());
            update = update.expression_attribute_values(
                ":counted",
                serde_dynamo::to_attribute_value(&counted)?,
            );
        }
        for (i, (store, units, old)) in changed.iter().enumerate() {
            sets.push(format!("#stock.#s{i} = :n{i}"));
            if has_counted {
                sets.push(format!(
                    "#counted.#s{i} = if_not_exists(#counted.#s{i}, :zero) + :d{i}"
                ));
                update = update
                    .expression_attribute_values(
                        format!(":d{i}"),
                        AttributeValue::N((units - old.unwrap_or(0)).to_string()),
                    )
                    .expression_attribute_values(":zero", AttributeValue::N("0".into()));
            }
            conditions.push(match old {
                Some(_) => format!("#stock.#s{i} = :o{i}"),
                None => format!("attribute_not_exists(#stock.#s{i})"),
            });
            if let Some(old) = old {
                update = update.expression_attribute_values(
                    format!(":o{i}"),
                    AttributeValue::N(old.to_string()),
                );
            }
            update = update
                .expression_attribute_names(format!("#s{i}"), (*store).clone())
                .expression_attribute_values(
                    format!(":n{i}"),
                    AttributeValue::N(units.to_string()),
                );
        }
        conditions.push("attribute_exists(PK)".into());
        let mut expression = format!("SET {}", sets.join(", "));
        if !removes.is_empty() {
            expression.push_str(&format!(" REMOVE {}", removes.join(", ")));
        }
        update
            .update_expression(expression)
            .condition_expression(conditions.join(" AND "))
            .send()
            .await?;
        Ok(true)
    }
}

/// An order's units taken out of stock, and its picking case.
impl CatalogStore {
    pub async fn picking_case(&self, order_id: &str) -> Result<Option<PickingCase>, StoreError> {
        table::get(&self.db, &self.table, keys::store::picking(order_id), true).await
    }

    /// Takes every planned unit out of its store and opens the case (held or reserved), in one
    /// transaction: each product's stores are updated on condition that they still hold the
    /// units (stock never goes below zero, whoever else orders the last one), the case on
    /// condition that the order has none — or, with `over`, that its case is still in that
    /// status (a lapsed hold taken anew). `Conflict` when either condition failed.
    pub async fn reserve(
        &self,
        case: &PickingCase,
        over: Option<PickingStatus>,
    ) -> Result<(), StoreError> {
        let opened = Put::builder()
            .table_name(&self.table)
            .set_item(Some(table::item(
                keys::store::picking(&case.order_id),
                case,
            )?));
        let opened = match over {
            None => opened.condition_expression("attribute_not_exists(PK)"),
            Some(status) => opened
                .condition_expression("#status = :over")
                .expression_attribute_names("#status", "status")
                .expression_attribute_values(":over", AttributeValue::S(status.as_str().into())),
        };
        self.move_stock(opened.build()?, &case.lines, Move::Take)
            .await
    }

    /// Records a cancelled case for an order that reserved nothing, so that a reservation
    /// arriving late takes nothing. `false` when the order has a case already.
    pub async fn mark_cancelled(&self, case: &PickingCase) -> Result<bool, StoreError> {
        table::put_if_absent(
            &self.db,
            &self.table,
            table::item(keys::store::picking(&case.order_id), case)?,
        )
        .await
    }

    /// Replaces the picking case on condition that it is still in `from`: `Conflict` when a
    /// release or another move came first.
    pub async fn move_picking(
        &self,
        case: &PickingCase,
        from: PickingStatus,
    ) -> Result<(), StoreError> {
        let item = table::item(keys::store::picking(&case.order_id), case)?;
        table::replace_if_status(&self.db, &self.table, item, from.as_str()).await
    }

    /// Puts a case's units back where they were taken from and cancels it, in one transaction,
    /// on condition that it is still open: a second release finds it cancelled and gives
    /// nothing back twice. `Conflict` when another release won.
    pub async fn release(
        &self,
        open: &PickingCase,
        cancelled: &PickingCase,
    ) -> Result<(), StoreError> {
        let closed = Put::builder()
            .table_name(&self.table)
            .set_item(Some(table::item(
                keys::store::picking(&cancelled.order_id),
                cancelled,
            )?))
            .condition_expression("#status = :open")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":open", AttributeValue::S(open.status.as_str().into()))
            .build()?;
        self.move_stock(closed, &open.lines, Move::GiveBack).await
    }

    /// Writes the picking case and moves its units, in one transaction: taken only where
    /// every store still holds them (stock never below zero), or given back.
    async fn move_stock(
        &self,
        case: Put,
        lines: &[ReservedUnits],
        direction: Move,
    ) -> Result<(), StoreError> {
        let mut writes = vec![TransactWriteItem::builder().put(case).build()];
        for (product_id, from) in by_product(lines) {
            let mut update = Update::builder()
                .table_name(&self.table)
                .set_key(Some(key(keys::store::product(product_id))))
                .expression_attribute_names("#stock", STOCK);
            let mut sets = Vec::new();
            let mut conditions = Vec::new();
            for (i, r) in from.iter().enumerate() {
                match direction {
                    Move::Take => {
                        sets.push(format!("#stock.#s{i} = #stock.#s{i} - :q{i}"));
                        conditions.push(format!("#stock.#s{i} >= :q{i}"));
                    }
                    // A catalog import may have dropped the store from the map meanwhile.
                    Move::GiveBack => sets.push(format!(
                        "#stock.#s{i} = if_not_exists(#stock.#s{i}, :zero) + :q{i}"
                    )),
                }
                update = update
                    .expression_attribute_names(format!("#s{i}"), &r.store_id)
                    .expression_attribute_values(
                        format!(":q{i}"),
                        AttributeValue::N(r.quantity.to_string()),
                    );
            }
            if direction == Move::GiveBack {
                update = update.expression_attribute_values(":zero", AttributeValue::N("0".into()));
                conditions.push("attribute_exists(PK)".into());
            }
            writes.push(
                TransactWriteItem::builder()
                    .update(
                        update
                            .update_expression(format!("SET {}", sets.join(", ")))
                            .condition_expression(conditions.join(" AND "))
                            .build()?,
                    )
                    .build(),
            );
        }
        self.db
            .transact_write_items()
            .set_transact_items(Some(writes))
            .send()
            .await
            .map_err(table::transaction_error)?;
        Ok(())
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Move {
    Take,
    GiveBack,
}

/// A transaction may touch an item once: one product's stores go into one update.
fn by_product(lines: &[ReservedUnits]) -> BTreeMap<&str, Vec<&ReservedUnits>> {
    let mut out: BTreeMap<&str, Vec<&ReservedUnits>> = BTreeMap::new();
    for r in lines {
        out.entry(r.product_id.as_str()).or_default().push(r);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_product_item_carries_its_stock_and_reads_back() {
        let p = Product {
            id: "p-1".into(),
            name: "Чайник".into(),
            description: "Стальной".into(),
            category: "Кухня".into(),
            brand: "Бренд".into(),
            price: 199_000,
            old_price: Some(250_000),
            attributes: BTreeMap::from([("Объём".into(), "1,7 л".into())]),
        };
        let stock = StockLevels::from([("msk".into(), 0), ("spb".into(), 3)]);
        let item = product_item(&p, &stock).unwrap();
        assert_eq!(item[keys::PK].as_s().unwrap(), "PRODUCT#p-1");
        assert_eq!(item[keys::GSI1SK].as_s().unwrap(), "PRODUCT#p-1");
        let (back, back_stock) = read_product(&item).unwrap();
        assert_eq!(back, p);
        assert_eq!(back_stock, stock);
        assert!(available_anywhere(&back_stock));
        assert!(!available_anywhere(&StockLevels::from([("msk".into(), 0)])));
    }
}
