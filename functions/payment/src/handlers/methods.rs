//! `GET /api/payment-methods`: the cards the bank keeps for the client ("привязанные карты").

use crate::{domain::payment::SavedCard, PaymentRecords};
use lambda_http::{Body, Request, Response};
use serde::Serialize;
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, Caller},
    ApiError,
};

#[derive(Serialize)]
struct SavedCards {
    cards: Vec<SavedCard>,
}

pub async fn handle(p: Arc<PaymentRecords>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let cards = p.store.saved_cards(&caller.user_id).await?;
    Ok(ok(&SavedCards { cards }))
}
