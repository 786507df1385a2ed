//! A gift card bound to a client by its code: the first client to activate it owns it.

use super::BillingError;
use crate::{
    domain::giftcard::{self, GiftCard},
    Billing,
};
use vitrina_shared::StoreError;

pub async fn activate(
    billing: &Billing,
    user_id: &str,
    code: &str,
) -> Result<GiftCard, BillingError> {
    let code = giftcard::normalize(code).ok_or(BillingError::GiftCardNotFound)?;
    let now = chrono::Utc::now().to_rfc3339();
    match billing
        .store
        .activate_card(&giftcard::code_hash(&code), user_id, &now)
        .await
    {
        Ok(card) => {
            tracing::info!(%user_id, card_id = %card.card_id, "gift card activated");
            Ok(card)
        }
        Err(StoreError::NotFound) => Err(BillingError::GiftCardNotFound),
        Err(StoreError::Conflict) => Err(BillingError::GiftCardTaken),
        Err(e) => Err(e.into()),
    }
}
