//! Search over a generated 100 000-product catalog: build, size, cold load, memory, latency.

use super::*;
use std::time::Instant;

pub(crate) fn search_bench() {
    use vitrina_store::{domain::generator::generate, search};
    let products = std::env::var("BENCH_PRODUCTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    println!("\nSearch over a generated {products}-product catalog:");
    let t = Instant::now();
    let catalog = generate(products, 42);
    println!(
        "  generate catalog            {:>9.2} s",
        t.elapsed().as_secs_f64()
    );
    let base = std::env::temp_dir().join(format!("vitrina-bench-{}", uuid::Uuid::now_v7()));
    let t = Instant::now();
    search::SearchIndex::build(&catalog, &base.join("built")).expect("build");
    println!(
        "  build index                 {:>9.2} s",
        t.elapsed().as_secs_f64()
    );
    drop(catalog);
    let packed = search::pack(&base.join("built")).expect("pack");
    println!(
        "  index artifact (tar)        {:>9.2} MB",
        packed.len() as f64 / 1e6
    );
    let before = rss_kb();
    let t = Instant::now();
    search::unpack(&packed, &base.join("loaded")).expect("unpack");
    let index = search::SearchIndex::open(&base.join("loaded")).expect("open");
    let first = index.search("кроссовки", None, 1).expect("search");
    println!(
        "  cold load (unpack + open + first query) {:>7.1} ms   (first query found {})",
        t.elapsed().as_secs_f64() * 1e3,
        first.total
    );
    let queries = [
        "кроссовки",
        "кросовки",
        "кроссовок",
        "смартфон samsung",
        "чай",
        "кофе в зёрнах",
        "пылесос",
        "мастер и маргарита",
        "мед",
        "корм для кошек",
        "велосипед горный",
        "шампунь",
        "кросс",
        "наушники беспроводные",
        "футболка",
    ];
    let mut samples = Vec::new();
    for round in 0..40 {
        for q in queries {
            let t = Instant::now();
            let page = index.search(q, None, 1 + round % 3).expect("search");
            samples.push(t.elapsed());
            std::hint::black_box(page);
        }
    }
    summary("search query (warm, in-process)", samples);
    let mut by_category = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        std::hint::black_box(index.search("", Some("obuv"), 2).expect("category"));
        by_category.push(t.elapsed());
    }
    summary("category listing, page 2", by_category);
    println!(
        "  resident memory growth after load   {:>7.1} MB",
        rss_kb().saturating_sub(before) as f64 / 1024.0
    );
    let _ = std::fs::remove_dir_all(&base);
}
