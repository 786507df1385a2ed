//! `GET /api/payment-methods`: the cards the bank keeps for the client ("привязанные карты").

use crate::{domain::payment::SavedCard, PaymentRecords};
use lambda_http::{Body, Request, Response};
use serde::Serialize;
use std::sync::Arc;
use vitrina_shared::{
    http::{ok, Caller},
    openapi::{Guarded, Unavailable},
    ApiError,
};

/// The client's saved cards, the newest first.
#[derive(Serialize, utoipa::ToSchema)]
struct SavedCards {
    cards: Vec<SavedCard>,
}

#[utoipa::path(
    get,
    path = "/api/payment-methods",
    operation_id = "payment-methods",
    tag = "payment",
    summary = "Привязанные карты",
    security(("sessionId" = [])),
    responses(
        (status = 200, description = "The cards the bank keeps for the client (never their numbers)", body = SavedCards),
        Guarded, Unavailable,
    )
)]
pub async fn handle(p: Arc<PaymentRecords>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let cards = p.store.saved_cards(&caller.user_id).await?;
    Ok(ok(&SavedCards { cards }))
}
