//! `vitrina-giftcards`: the operators' tool for gift cards sold over the counter.
//!
//!   vitrina-giftcards issue --amount RUBLES [--count N] [--table T]
//!
//! Prints one code per line: the only time a code is ever shown (the table keeps its hash).
//! AWS endpoints and credentials come from the environment; with `AWS_ENDPOINT_URL` alone (a
//! local stack) it needs no credentials.

use std::process::ExitCode;
use vitrina_billing::{domain::giftcard, store::BillingStore};
use vitrina_shared::cli::flag;

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) != Some("issue") {
        eprintln!("usage: vitrina-giftcards issue --amount RUBLES [--count N] [--table T]");
        return ExitCode::from(2);
    }
    match issue(&args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", vitrina_shared::aws::one_line(e.as_ref()));
            ExitCode::FAILURE
        }
    }
}

async fn issue(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let rubles: i64 = flag(args, "--amount")
        .and_then(|v| v.parse().ok())
        .ok_or("--amount RUBLES is required (a whole number)")?;
    let count: usize = flag(args, "--count")
        .map(|v| v.parse().map_err(|_| "--count must be a number"))
        .transpose()?
        .unwrap_or(1);
    if !(1..=1000).contains(&count) {
        return Err("--count must be 1..1000".into());
    }
    let table = flag(args, "--table").unwrap_or_else(|| "vitrina-Table".into());
    let clients = vitrina_shared::aws::operator_clients().await;
    let store = BillingStore::new(clients.dynamodb, table);
    let mut issued = 0;
    while issued < count {
        let code = giftcard::new_code()?;
        let card = giftcard::issue(&code, rubles * 100, &chrono::Utc::now().to_rfc3339())?;
        let hash = giftcard::code_hash(&giftcard::normalize(&code).ok_or("bad code")?);
        // 80 random bits do not collide in practice; if they ever do, draw again.
        if store.issue_card(&hash, &card).await? {
            println!("{code}");
            issued += 1;
        }
    }
    Ok(())
}
