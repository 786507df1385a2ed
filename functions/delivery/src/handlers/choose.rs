//! `choose` (contract `vitrina_shared::contracts::delivery::ChooseDelivery`): order invokes it
//! when the client settles how the order travels. Refusals carry the client's message: order
//! passes it on as the 4xx body.

use crate::{flow::choice, Carriers};
use std::sync::Arc;
use vitrina_shared::contracts::{
    delivery::{ChooseRefusal, ChooseRequest, DeliveryChoice},
    Failure,
};

pub async fn handle(
    carriers: Arc<Carriers>,
    req: ChooseRequest,
) -> Result<DeliveryChoice, Failure<ChooseRefusal>> {
    Ok(choice::choose(&carriers, &req).await?)
}
