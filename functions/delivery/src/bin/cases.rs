//! `vitrina-cases`: the operators' command for an order's cases.
//!
//!   vitrina-cases pick --order ORDER_ID --to picking|packed|handed_over|returned [--function NAME]
//!   vitrina-cases move --order ORDER_ID --to in_transit|at_pickup_point|out_for_delivery|delivered
//!                      [--function NAME]
//!
//! `pick` moves the order's picking case in the warehouse or store (`picking-case-move`,
//! `StorePickingCaseMoveFunction`); `move` its delivery case (`delivery-case-move`,
//! `DeliveryCaseMoveFunction`), and the order's timeline and the client's letter follow. In AWS
//! pass the function's physical name with `--function`; the call is made with the operator's own
//! AWS identity — the public API has no such route. Running the same move again is harmless (a
//! delivery move tells order and the client again, should that have failed). Locally:
//!
//!   AWS_ENDPOINT_URL_LAMBDA=http://127.0.0.1:3001 vitrina-cases move --order … --to in_transit

use std::process::ExitCode;
use vitrina_shared::cli::flag;
use vitrina_shared::contracts::{
    delivery::{MoveCaseRequest, MoveDeliveryCase},
    store::{MovePickingCase, MovePickingRequest},
    CallError, Contract, Refusal, Remote,
};

const USAGE: &str = "usage: vitrina-cases pick --order ORDER_ID --to picking|packed|handed_over|returned [--function NAME]
       vitrina-cases move --order ORDER_ID --to in_transit|at_pickup_point|out_for_delivery|delivered [--function NAME]";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(command), Some(order_id), Some(to)) = (
        args.first().map(String::as_str),
        flag(&args, "--order"),
        flag(&args, "--to"),
    ) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let function = flag(&args, "--function");
    let clients = vitrina_shared::aws::operator_clients().await;
    match command {
        "pick" => {
            let picking = Remote::<MovePickingCase>::new(
                clients.lambda,
                function.unwrap_or_else(|| "StorePickingCaseMoveFunction".into()),
            );
            let Ok(to) = to.parse() else {
                eprintln!("no picking case status {to:?}\n{USAGE}");
                return ExitCode::from(2);
            };
            let moved = picking.call(&MovePickingRequest { order_id, to }).await;
            report::<MovePickingCase>(moved, |case| {
                format!("order {}: picking case {}", case.order_id, case.status)
            })
        }
        "move" => {
            let delivery = Remote::<MoveDeliveryCase>::new(
                clients.lambda,
                function.unwrap_or_else(|| "DeliveryCaseMoveFunction".into()),
            );
            let Ok(to) = to.parse() else {
                eprintln!("no delivery case status {to:?}\n{USAGE}");
                return ExitCode::from(2);
            };
            let moved = delivery.call(&MoveCaseRequest { order_id, to }).await;
            report::<MoveDeliveryCase>(moved, |case| {
                format!(
                    "order {}: delivery case {} ({})",
                    case.order_id, case.status, case.delivery.label
                )
            })
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// One line either way: what the case is now, or why it did not move.
fn report<C: Contract>(
    moved: Result<C::Response, CallError<C::Refusal>>,
    done: impl Fn(&C::Response) -> String,
) -> ExitCode {
    match moved {
        Ok(case) => {
            println!("{}", done(&case));
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
