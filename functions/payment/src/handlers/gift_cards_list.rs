//! `GET /api/gift-cards`: the client's activated gift cards with their balances.

use super::CardView;
use crate::GiftCards;
use lambda_http::{Body, Request, Response};
use serde::Serialize;
use std::sync::Arc;
use vitrina_shared::{
    contracts::billing::CardsOfRequest,
    http::{ok, Caller},
    openapi::{Guarded, Unavailable},
    ApiError,
};

#[utoipa::path(
    get,
    path = "/api/gift-cards",
    operation_id = "gift-cards-list",
    tag = "payment",
    summary = "Мои подарочные карты",
    security(("sessionId" = [])),
    responses(
        (status = 200, description = "The client's activated gift cards with their balances", body = GiftCardsList),
        Guarded, Unavailable,
    )
)]
pub async fn handle(payment: Arc<GiftCards>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let request = CardsOfRequest {
        user_id: caller.user_id,
    };
    let cards = payment
        .billing
        .cards_of
        .call(&request)
        .await
        .map_err(ApiError::unavailable)?;
    let cards: Vec<CardView> = cards.gift_cards.into_iter().map(CardView::from).collect();
    Ok(ok(&GiftCardsList { gift_cards: cards }))
}

/// The client's activated gift cards.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct GiftCardsList {
    gift_cards: Vec<CardView>,
}
