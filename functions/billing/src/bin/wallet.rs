//! `vitrina-wallet`: the operators' tool for a client's wallet.
//!
//!   vitrina-wallet credit --user USER_ID --amount RUBLES [--cause CAUSE] [--table T]
//!
//! Credits through the same ledger as payments (one entry per cause: running it again with the
//! same `--cause` credits nothing more) and prints the new balance. Without `--cause`, each run
//! is a new cause. AWS endpoints and credentials come from the environment; with `AWS_ENDPOINT_URL` alone (a
//! local stack) it needs no credentials.

use std::process::ExitCode;
use vitrina_billing::{flow::ledger, store::BillingStore, Billing};
use vitrina_shared::cli::flag;
use vitrina_shared::{contracts::billing::WalletMove, money::format_rub};

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) != Some("credit") {
        eprintln!(
            "usage: vitrina-wallet credit --user USER_ID --amount RUBLES [--cause CAUSE] [--table T]"
        );
        return ExitCode::from(2);
    }
    match credit(&args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", vitrina_shared::aws::one_line(e.as_ref()));
            ExitCode::FAILURE
        }
    }
}

async fn credit(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let user_id = flag(args, "--user").ok_or("--user USER_ID is required")?;
    let rubles: i64 = flag(args, "--amount")
        .and_then(|v| v.parse().ok())
        .filter(|r| (1..=10_000_000).contains(r))
        .ok_or("--amount RUBLES is required (a whole number, 1..10 000 000)")?;
    let cause =
        flag(args, "--cause").unwrap_or_else(|| format!("operator:{}", uuid::Uuid::now_v7()));
    let table = flag(args, "--table").unwrap_or_else(|| "vitrina-Table".into());
    let clients = vitrina_shared::aws::operator_clients().await;
    let billing = Billing {
        store: BillingStore::new(clients.dynamodb, table),
    };
    let entry = ledger::credit_wallet(
        &billing,
        &WalletMove {
            user_id,
            amount: rubles * 100,
            cause,
            description: "Пополнение оператором".into(),
        },
    )
    .await?;
    println!(
        "{} ({}): balance {}",
        entry.cause,
        format_rub(entry.amount),
        format_rub(entry.balance_after)
    );
    Ok(())
}
