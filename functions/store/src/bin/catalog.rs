//! `vitrina-catalog`: the operators' catalog tool.
//!
//!   vitrina-catalog generate [--products N] [--seed S]        a catalog file on stdout
//!   vitrina-catalog import FILE [--if-empty]                  load a catalog file (JSON Lines)
//!       [--table T] [--bucket B] [--queue Q]                  (defaults: the local stack's names)
//!
//! AWS endpoints and credentials come from the environment as for every AWS tool
//! (`AWS_ENDPOINT_URL` for moto or LocalStack).

use std::{collections::HashSet, process::ExitCode};
use vitrina_shared::cli::flag;
use vitrina_store::{
    bucket::CatalogBucket,
    domain::{
        catalog::{check_references, parse_rows, to_lines, RowError},
        generator::generate,
    },
    import::{import, Target},
    store::CatalogStore,
};

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("generate") => {
            let products = flag(&args, "--products")
                .and_then(|v| v.parse().ok())
                .unwrap_or(600);
            let seed = flag(&args, "--seed")
                .and_then(|v| v.parse().ok())
                .unwrap_or(1);
            print!("{}", to_lines(&generate(products, seed)));
            ExitCode::SUCCESS
        }
        Some("import") => match run_import(&args).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("{}", vitrina_shared::aws::one_line(e.as_ref()));
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("usage: vitrina-catalog generate [--products N] [--seed S]\n       vitrina-catalog import FILE [--if-empty] [--table T] [--bucket B] [--queue Q]");
            ExitCode::from(2)
        }
    }
}

async fn run_import(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let file = args.get(1).ok_or("import needs a file")?;
    let text = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
    let refuse = |errors: Vec<RowError>| {
        let mut msg = format!(
            "{file}: refused, nothing was loaded ({} bad rows):",
            errors.len()
        );
        for e in errors.iter().take(50) {
            msg.push_str(&format!("\n  {file}:{e}"));
        }
        msg
    };
    let (catalog, stock_lines, mut errors) = parse_rows(&text);
    let table = flag(args, "--table").unwrap_or_else(|| "vitrina-Table".into());
    let bucket = flag(args, "--bucket").unwrap_or_else(|| "vitrina-catalogbucket".into());
    let queue = flag(args, "--queue").unwrap_or_else(|| "vitrina-CatalogQueue".into());
    let clients = vitrina_shared::aws::operator_clients().await;
    let store = CatalogStore::new(clients.dynamodb.clone(), table);
    if args.iter().any(|a| a == "--if-empty") && !store.is_empty().await? {
        println!("catalog already loaded: nothing to do");
        return Ok(());
    }
    // Stock rows may refer to stores and products loaded before.
    let known_stores: HashSet<String> = store.stores().await?.into_iter().map(|s| s.id).collect();
    let in_file: HashSet<&str> = catalog.products.iter().map(|p| p.id.as_str()).collect();
    let elsewhere: Vec<(String, String)> = catalog
        .stock
        .iter()
        .filter(|s| !in_file.contains(s.product_id.as_str()))
        .map(|s| vitrina_shared::keys::store::product(&s.product_id))
        .collect();
    let known_products: HashSet<String> = store
        .current(&elsewhere)
        .await?
        .into_keys()
        .filter_map(|(pk, _)| pk.strip_prefix("PRODUCT#").map(str::to_string))
        .collect();
    errors.extend(check_references(
        &catalog,
        &stock_lines,
        &known_stores,
        &known_products,
    ));
    errors.sort_by_key(|e| e.line);
    if !errors.is_empty() {
        return Err(refuse(errors).into());
    }
    let queue_url = clients
        .sqs
        .get_queue_url()
        .queue_name(&queue)
        .send()
        .await
        .map_err(|e| format!("queue {queue}: {e:?}"))?
        .queue_url
        .unwrap_or_default();
    let report = import(
        &catalog,
        &Target {
            catalog: &store,
            bucket: &CatalogBucket::new(clients.s3.clone(), bucket.clone()),
            sqs: &clients.sqs,
            queue_url: &queue_url,
        },
    )
    .await?;
    println!(
        "{file}: {} products, {} stores, {} stock lines — created {}, updated {}, unchanged {}, images {}",
        catalog.products.len(),
        catalog.stores.len(),
        catalog.stock.len(),
        report.created,
        report.updated,
        report.unchanged,
        report.images_uploaded
    );
    Ok(())
}
