//! `stock-hold-lapse` (SQS `StockHoldQueue`, the hold's timer): a hold still unpaid at its end
//! gives its units back (`flow::stock::lapse`).

use crate::{
    flow::stock::{self, HoldCheck, HOLD_CHECK},
    Holds,
};
use std::sync::Arc;
use vitrina_shared::{
    envelope,
    sqs::{self, SqsMessage},
    ConsumeError,
};

pub async fn handle(h: Arc<Holds>, record: SqsMessage) -> Result<(), ConsumeError> {
    let check = envelope::parse::<HoldCheck>(sqs::body(&record), HOLD_CHECK)?.payload;
    Ok(stock::lapse(&h, check).await?)
}
