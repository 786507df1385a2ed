//! `vitrina-cases`: the operators' command for delivery cases.
//!
//!   vitrina-cases move --order ORDER_ID --to in_transit|at_pickup_point|out_for_delivery|delivered
//!                      [--function NAME]
//!
//! Invokes `delivery-case-move` (`DeliveryCaseMoveFunction`; in AWS pass its physical name with
//! `--function`) with the operator's own AWS identity — the public API has no such route. The
//! order's timeline and the client's letter follow the move; running the same move again is
//! harmless (and tells them again, should that have failed). Locally:
//!
//!   AWS_ENDPOINT_URL_LAMBDA=http://127.0.0.1:3001 vitrina-cases move --order … --to in_transit

use std::process::ExitCode;
use vitrina_shared::cli::flag;
use vitrina_shared::contracts::{
    delivery::{MoveCaseRequest, MoveDeliveryCase},
    CallError, Refusal, Remote,
};

const USAGE: &str = "usage: vitrina-cases move --order ORDER_ID --to in_transit|at_pickup_point|out_for_delivery|delivered [--function NAME]";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some("move"), Some(order_id), Some(to)) = (
        args.first().map(String::as_str),
        flag(&args, "--order"),
        flag(&args, "--to"),
    ) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let function =
        flag(&args, "--function").unwrap_or_else(|| "DeliveryCaseMoveFunction".to_string());
    let clients = vitrina_shared::aws::operator_clients().await;
    let moves = Remote::<MoveDeliveryCase>::new(clients.lambda, function);
    match moves.call(&MoveCaseRequest { order_id, to }).await {
        Ok(case) => {
            println!(
                "order {}: delivery case {} ({})",
                case.order_id, case.status, case.delivery.label
            );
            ExitCode::SUCCESS
        }
        Err(CallError::Refused(refusal)) => {
            eprintln!("refused ({}): {refusal}", refusal.error_type());
            ExitCode::FAILURE
        }
        Err(CallError::Unavailable(e)) => {
            eprintln!("not moved: {}", e.lines().next().unwrap_or_default());
            ExitCode::FAILURE
        }
    }
}
