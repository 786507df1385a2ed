//! Product search with tantivy: Russian stemming (Snowball), one typo forgiven in words of five
//! letters or more, prefix matching for the word being typed, ranking by relevance and then by
//! availability. The index is built from the catalog, packed into one file (tar) that lives in
//! S3, and opened from local disk by the search function.

use crate::domain::{category_slug, Availability, Catalog, Product};
use serde::{Deserialize, Serialize};
use std::{collections::BTreeMap, path::Path};
use tantivy::{
    collector::{Count, TopDocs},
    query::{AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery},
    schema::{
        Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, STORED,
        STRING,
    },
    tokenizer::{Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer},
    DocAddress, Index, IndexReader, Score, TantivyDocument, Term,
};

const RU: &str = "ru_stem";
const CATEGORIES_FILE: &str = "categories.json";
pub const MAX_QUERY_CHARS: usize = 200;
pub const MAX_QUERY_WORDS: usize = 8;
pub const PER_PAGE: usize = 24;
pub const MAX_PAGE: usize = 400;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StoreAvailability {
    pub store_id: String,
    pub store_name: String,
    pub level: Availability,
}

/// What a search result shows: the spec's card (name, price, image, discount, availability).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Card {
    pub id: String,
    pub name: String,
    pub category: String,
    pub price: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_price: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discount_percent: Option<i64>,
    pub image: String,
    pub availability: Vec<StoreAvailability>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CategoryCount {
    pub slug: String,
    pub name: String,
    pub count: usize,
}

#[derive(Clone, Debug, Serialize, PartialEq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SearchPage {
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub items: Vec<Card>,
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search query is longer than {MAX_QUERY_CHARS} characters")]
    TooLong,
    #[error("page must be 1..{MAX_PAGE}")]
    BadPage,
    #[error("index: {0}")]
    Index(String),
}

fn idx<E: std::fmt::Display>(e: E) -> SearchError {
    SearchError::Index(e.to_string())
}

#[derive(Clone, Copy)]
struct Fields {
    name: Field,
    brand: Field,
    category: Field,
    description: Field,
    category_slug: Field,
    stores_in_stock: Field,
    card: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(RU)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        name: b.add_text_field("name", text.clone()),
        brand: b.add_text_field("brand", text.clone()),
        category: b.add_text_field("category", text.clone()),
        description: b.add_text_field("description", text),
        category_slug: b.add_text_field("category_slug", STRING),
        stores_in_stock: b.add_u64_field("stores_in_stock", FAST),
        card: b.add_text_field("card", STORED),
    };
    (b.build(), fields)
}

/// Words as typed (lower-cased, not stemmed): a word's length decides how many typos it may
/// have, and that is the length of what the client typed.
const PLAIN: &str = "plain";

fn register_tokenizers(index: &Index) {
    index.tokenizers().register(
        PLAIN,
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .build(),
    );
    index.tokenizers().register(
        RU,
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::Russian))
            .build(),
    );
}

/// People type "е" for "ё" all the time; both sides of the index see "е".
fn normalize(text: &str) -> String {
    text.replace('ё', "е").replace('Ё', "Е")
}

pub fn card(product: &Product, catalog_stock: &[(String, String, i64)]) -> Card {
    Card {
        id: product.id.clone(),
        name: product.name.clone(),
        category: product.category.clone(),
        price: product.price,
        old_price: product.old_price.filter(|o| *o > product.price),
        discount_percent: product.discount_percent(),
        image: product.image_path(),
        availability: catalog_stock
            .iter()
            .map(|(store_id, store_name, q)| StoreAvailability {
                store_id: store_id.clone(),
                store_name: store_name.clone(),
                level: Availability::of(*q),
            })
            .collect(),
    }
}

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    pub categories: Vec<CategoryCount>,
}

impl SearchIndex {
    /// Builds the index of `catalog` in `dir` (which must be empty or absent).
    pub fn build(catalog: &Catalog, dir: &Path) -> Result<Self, SearchError> {
        std::fs::create_dir_all(dir).map_err(idx)?;
        let (schema, f) = schema();
        let index = Index::create_in_dir(dir, schema).map_err(idx)?;
        register_tokenizers(&index);
        let store_names: BTreeMap<&str, &str> = catalog
            .stores
            .iter()
            .map(|s| (s.id.as_str(), s.name.as_str()))
            .collect();
        let mut stock_by_product: BTreeMap<&str, Vec<(String, String, i64)>> = BTreeMap::new();
        for s in &catalog.stock {
            let name = store_names
                .get(s.store_id.as_str())
                .copied()
                .unwrap_or_default();
            stock_by_product
                .entry(s.product_id.as_str())
                .or_default()
                .push((s.store_id.clone(), name.to_string(), s.quantity));
        }
        let mut categories: BTreeMap<String, CategoryCount> = BTreeMap::new();
        let mut writer = index.writer_with_num_threads(1, 100_000_000).map_err(idx)?;
        for p in &catalog.products {
            let stock = stock_by_product.remove(p.id.as_str()).unwrap_or_default();
            let in_stock = stock.iter().filter(|(_, _, q)| *q > 0).count() as u64;
            let slug = category_slug(&p.category);
            categories
                .entry(slug.clone())
                .or_insert_with(|| CategoryCount {
                    slug: slug.clone(),
                    name: p.category.clone(),
                    count: 0,
                })
                .count += 1;
            let card_json = serde_json::to_string(&card(p, &stock)).map_err(idx)?;
            let mut doc = TantivyDocument::default();
            doc.add_text(f.name, normalize(&p.name));
            doc.add_text(f.brand, normalize(&p.brand));
            doc.add_text(f.category, normalize(&p.category));
            doc.add_text(f.description, normalize(&p.description));
            doc.add_text(f.category_slug, &slug);
            doc.add_u64(f.stores_in_stock, in_stock);
            doc.add_text(f.card, card_json);
            writer.add_document(doc).map_err(idx)?;
        }
        writer.commit().map_err(idx)?;
        writer.wait_merging_threads().map_err(idx)?;
        let categories: Vec<CategoryCount> = categories.into_values().collect();
        std::fs::write(
            dir.join(CATEGORIES_FILE),
            serde_json::to_vec(&categories).map_err(idx)?,
        )
        .map_err(idx)?;
        Self::open(dir)
    }

    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        let index = Index::open_in_dir(dir).map_err(idx)?;
        register_tokenizers(&index);
        let (_, fields) = schema();
        let reader = index.reader().map_err(idx)?;
        let categories = std::fs::read(dir.join(CATEGORIES_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        Ok(Self {
            index,
            reader,
            fields,
            categories,
        })
    }

    fn stems(&self, text: &str) -> Vec<(String, usize)> {
        let tokenizers = self.index.tokenizers();
        let (Some(mut plain), Some(mut stemmer)) = (tokenizers.get(PLAIN), tokenizers.get(RU))
        else {
            return Vec::new();
        };
        let mut words = Vec::new();
        let mut stream = plain.token_stream(text);
        while stream.advance() {
            words.push(stream.token().text.clone());
        }
        words
            .into_iter()
            .take(MAX_QUERY_WORDS)
            .filter_map(|w| {
                let mut s = stemmer.token_stream(&w);
                let stem = if s.advance() {
                    s.token().text.clone()
                } else {
                    return None;
                };
                Some((stem, w.chars().count()))
            })
            .collect()
    }

    fn word_query(&self, stem: &str, chars: usize, last: bool) -> Box<dyn Query> {
        let f = self.fields;
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (field, weight) in [
            (f.name, 3.0),
            (f.brand, 2.0),
            (f.category, 1.5),
            (f.description, 0.5),
        ] {
            let term = Term::from_field_text(field, stem);
            should.push((
                Occur::Should,
                Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)),
                    weight * 2.0,
                )),
            ));
            // Typos are forgiven in what names a product, not in its free-text description,
            // where a one-letter slip matches unrelated words ("кросс" ~ "росс(ия)").
            if chars >= 5 && field != f.description {
                should.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(
                        Box::new(FuzzyTermQuery::new(term.clone(), 1, true)),
                        weight,
                    )),
                ));
            }
            if last && chars >= 2 {
                should.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(
                        Box::new(FuzzyTermQuery::new_prefix(term, 0, true)),
                        weight,
                    )),
                ));
            }
        }
        Box::new(BooleanQuery::new(should))
    }

    pub fn search(
        &self,
        q: &str,
        category: Option<&str>,
        page: usize,
    ) -> Result<SearchPage, SearchError> {
        if q.chars().count() > MAX_QUERY_CHARS {
            return Err(SearchError::TooLong);
        }
        if !(1..=MAX_PAGE).contains(&page) {
            return Err(SearchError::BadPage);
        }
        let stems = self.stems(&normalize(q));
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let n = stems.len();
        for (i, (stem, chars)) in stems.iter().enumerate() {
            must.push((Occur::Must, self.word_query(stem, *chars, i + 1 == n)));
        }
        if let Some(slug) = category.filter(|c| !c.is_empty()) {
            must.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(self.fields.category_slug, slug),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        // Words that stem to nothing (punctuation only) match nothing, not everything.
        if must.is_empty() && !q.trim().is_empty() {
            return Ok(SearchPage {
                total: 0,
                page,
                per_page: PER_PAGE,
                items: Vec::new(),
            });
        }
        let query: Box<dyn Query> = if must.is_empty() {
            Box::new(AllQuery)
        } else {
            Box::new(BooleanQuery::new(must))
        };
        let searcher = self.reader.searcher();
        let top = TopDocs::with_limit(PER_PAGE)
            .and_offset((page - 1) * PER_PAGE)
            .tweak_score(move |segment: &tantivy::SegmentReader| {
                let stock = segment
                    .fast_fields()
                    .u64("stores_in_stock")
                    .ok()
                    .map(|c| c.first_or_default_col(0));
                move |doc: tantivy::DocId, score: Score| {
                    let in_stock = stock.as_ref().map(|c| c.get_val(doc)).unwrap_or(0);
                    // Relevance first; among equals, what can be bought now comes first.
                    let available = if in_stock > 0 { 1.25 } else { 1.0 };
                    score * available + in_stock as Score * 0.001
                }
            });
        let (hits, total): (Vec<(Score, DocAddress)>, usize) =
            searcher.search(&query, &(top, Count)).map_err(idx)?;
        let mut items = Vec::with_capacity(hits.len());
        for (_, addr) in hits {
            let doc: TantivyDocument = searcher.doc(addr).map_err(idx)?;
            if let Some(json) = doc.get_first(self.fields.card).and_then(|v| v.as_str()) {
                items.push(serde_json::from_str(json).map_err(idx)?);
            }
        }
        Ok(SearchPage {
            total,
            page,
            per_page: PER_PAGE,
            items,
        })
    }
}

/// The index directory as one file, for S3.
pub fn pack(dir: &Path) -> Result<Vec<u8>, SearchError> {
    let mut builder = tar::Builder::new(Vec::new());
    builder.append_dir_all(".", dir).map_err(idx)?;
    builder.into_inner().map_err(idx)
}

pub fn unpack(bytes: &[u8], dir: &Path) -> Result<(), SearchError> {
    std::fs::create_dir_all(dir).map_err(idx)?;
    tar::Archive::new(bytes).unpack(dir).map_err(idx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::generator::generate;

    fn index() -> (SearchIndex, std::path::PathBuf) {
        let dir =
            std::env::temp_dir().join(format!("vitrina-search-test-{}", uuid::Uuid::now_v7()));
        (SearchIndex::build(&generate(600, 1), &dir).unwrap(), dir)
    }

    fn names(page: &SearchPage) -> Vec<String> {
        page.items.iter().map(|c| c.name.to_lowercase()).collect()
    }

    #[test]
    fn morphology_typos_and_prefixes_find_sneakers() {
        let (ix, _dir) = index();
        for q in [
            "кроссовки",
            "кроссовок",
            "кроссовкам",
            "кросовки",
            "кроссовкии",
            "кросс",
            "Кроссовки беговые",
        ] {
            let page = ix.search(q, None, 1).unwrap();
            assert!(page.total > 0, "{q}: nothing");
            assert!(
                names(&page).iter().all(|n| n.contains("кроссовки")),
                "{q}: {:?}",
                names(&page)
            );
        }
    }

    #[test]
    fn yo_and_ye_are_the_same_letter() {
        let (ix, _dir) = index();
        let a = ix.search("мед цветочный", None, 1).unwrap();
        let b = ix.search("мёд цветочный", None, 1).unwrap();
        assert!(a.total > 0);
        assert_eq!(a, b);
    }

    #[test]
    fn short_words_are_not_fuzzy() {
        let (ix, _dir) = index();
        // "чай" with one letter changed is "чан": no tea for that.
        let page = ix.search("чан", None, 1).unwrap();
        assert!(
            names(&page).iter().all(|n| !n.contains("чай")),
            "{:?}",
            names(&page)
        );
    }

    #[test]
    fn category_filter_pagination_and_availability_first() {
        // Three shoes sold out everywhere, whatever the generator's stock: they go last.
        let mut catalog = generate(600, 1);
        let sold_out: Vec<String> = catalog
            .products
            .iter()
            .filter(|p| p.category == "Обувь")
            .take(3)
            .map(|p| p.id.clone())
            .collect();
        for s in catalog.stock.iter_mut() {
            if sold_out.contains(&s.product_id) {
                s.quantity = 0;
            }
        }
        let dir =
            std::env::temp_dir().join(format!("vitrina-search-test-{}", uuid::Uuid::now_v7()));
        let ix = SearchIndex::build(&catalog, &dir).unwrap();
        let all = ix.search("", Some("obuv"), 1).unwrap();
        assert_eq!(all.total, 50);
        assert_eq!(all.items.len(), PER_PAGE);
        assert!(all.items.iter().all(|c| c.category == "Обувь"));
        let page3 = ix.search("", Some("obuv"), 3).unwrap();
        assert_eq!(page3.items.len(), 50 - 2 * PER_PAGE);
        let everything: Vec<Card> = (1..=3)
            .flat_map(|p| ix.search("", Some("obuv"), p).unwrap().items)
            .collect();
        let unavailable = |c: &Card| c.availability.iter().all(|a| a.level == Availability::None);
        let first_unavailable = everything
            .iter()
            .position(unavailable)
            .expect("the sold-out shoes are listed");
        assert!(
            everything[first_unavailable..].iter().all(unavailable),
            "nothing in stock after the first sold-out card"
        );
        for id in &sold_out {
            let at = everything.iter().position(|c| &c.id == id).expect("listed");
            assert!(at >= first_unavailable, "{id} sold out but listed at {at}");
        }
        assert_eq!(ix.categories.len(), 12);
    }

    #[test]
    fn odd_input_is_safe() {
        let (ix, _dir) = index();
        for q in [
            "",
            "   ",
            "'; DROP TABLE products; --",
            ".*[a-z]+(",
            "\u{0}\u{202e}🙂",
            "а б в г д е ж з и к л м",
        ] {
            assert!(ix.search(q, None, 1).is_ok(), "{q:?}");
        }
        assert!(matches!(
            ix.search(&"я".repeat(10_000), None, 1),
            Err(SearchError::TooLong)
        ));
        assert!(matches!(ix.search("x", None, 0), Err(SearchError::BadPage)));
    }

    #[test]
    fn packs_and_unpacks() {
        let (ix, dir) = index();
        let bytes = pack(&dir).unwrap();
        let other = dir.with_extension("copy");
        unpack(&bytes, &other).unwrap();
        let copy = SearchIndex::open(&other).unwrap();
        assert_eq!(
            copy.search("смартфон", None, 1).unwrap(),
            ix.search("смартфон", None, 1).unwrap()
        );
        assert_eq!(copy.categories, ix.categories);
    }
}
