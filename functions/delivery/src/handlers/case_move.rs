//! `delivery-case-move` (internal, the operators'): the case moves on its way to the client,
//! and order and the client hear of what concerns them.

use crate::{flow::cases, CaseMoves};
use std::sync::Arc;
use vitrina_shared::contracts::{
    delivery::{DeliveryCase, MoveCaseRefusal, MoveCaseRequest},
    Failure,
};

pub async fn handle(
    moves: Arc<CaseMoves>,
    req: MoveCaseRequest,
) -> Result<DeliveryCase, Failure<MoveCaseRefusal>> {
    Ok(cases::move_case(&moves, &req).await?)
}
