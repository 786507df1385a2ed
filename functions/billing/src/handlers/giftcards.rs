//! Internal functions for payment (Lambda invoke, no route): `gift-card-activate` binds a card
//! to a client by its code; `gift-cards-of` lists a client's cards with their balances.

use crate::{
    domain::giftcard::{self, GiftCard},
    store::ActivateError,
    Billing,
};
use lambda_runtime::Diagnostic;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::sync::Arc;
use vitrina_shared::runtime::error;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivateRequest {
    pub user_id: String,
    pub code: String,
}

/// What a client may see of a card: never its code.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CardView {
    pub card_id: String,
    pub last4: String,
    pub amount: i64,
    pub balance: i64,
    pub activated_at: Option<String>,
}

fn view(card: GiftCard) -> CardView {
    CardView {
        card_id: card.card_id,
        last4: card.last4,
        amount: card.amount,
        balance: card.balance,
        activated_at: card.activated_at,
    }
}

pub async fn activate(billing: Arc<Billing>, req: ActivateRequest) -> Result<CardView, Diagnostic> {
    let not_found = || error("GiftCardNotFound", "no gift card has this code");
    let code = giftcard::normalize(&req.code).ok_or_else(not_found)?;
    let now = chrono::Utc::now().to_rfc3339();
    match billing
        .store
        .activate_card(&giftcard::code_hash(&code), &req.user_id, &now)
        .await
    {
        Ok(card) => {
            tracing::info!(user_id = %req.user_id, card_id = %card.card_id, "gift card activated");
            Ok(view(card))
        }
        Err(ActivateError::NotFound) => Err(not_found()),
        Err(ActivateError::Taken) => Err(error(
            "GiftCardTaken",
            "the gift card was activated by another client",
        )),
        Err(ActivateError::Other(e)) => Err(error("BillingUnavailable", e)),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CardsRequest {
    pub user_id: String,
}

pub async fn cards_of(billing: Arc<Billing>, req: CardsRequest) -> Result<Value, Diagnostic> {
    let cards = billing
        .store
        .cards_of(&req.user_id)
        .await
        .map_err(|e| error("BillingUnavailable", e))?;
    Ok(json!({ "giftCards": cards.into_iter().map(view).collect::<Vec<_>>() }))
}
