//! What a payment bought besides goods, delivered: a wallet top-up credited (one ledger entry per
//! payment, `topup:<payment>`), a gift card issued (one card per payment) and its code sent to
//! notification for the recipient. Run again for the same payment, it delivers nothing twice.

use super::{ledger, BillingError};
use crate::{
    domain::giftcard::{self, Purchase},
    PaymentOutcomes,
};
use vitrina_shared::{
    contracts::billing::WalletMove,
    envelope::{Envelope, GiftCardIssued, PaymentOutcome, GIFT_CARD_ISSUED},
    sqs, StoreError, Unavailable,
};

pub async fn top_up(b: &PaymentOutcomes, paid: &PaymentOutcome) -> Result<(), BillingError> {
    let credit = WalletMove {
        user_id: paid.user_id.clone(),
        amount: paid.amount,
        cause: format!("topup:{}", paid.payment_id),
        description: "Пополнение кошелька".into(),
    };
    let entry = ledger::credit_wallet(&b.billing, &credit).await?;
    tracing::info!(user_id = %paid.user_id, payment_id = %paid.payment_id, balance = entry.balance_after, "wallet topped up");
    Ok(())
}

pub async fn gift_card(b: &PaymentOutcomes, paid: &PaymentOutcome) -> Result<(), BillingError> {
    let order = paid.gift_card.clone().ok_or_else(|| {
        BillingError::Malformed(format!(
            "gift-card payment {} without the card's order",
            paid.payment_id
        ))
    })?;
    let store = &b.billing.store;
    let purchase = match store.purchase(&paid.payment_id).await? {
        Some(p) => p,
        None => {
            let code = giftcard::new_code().map_err(Unavailable::new)?;
            let now = chrono::Utc::now().to_rfc3339();
            let card = giftcard::issue(&code, paid.amount, &now).map_err(|e| {
                BillingError::Malformed(format!("payment {}: {e}", paid.payment_id))
            })?;
            let normalized = giftcard::normalize(&code)
                .ok_or_else(|| Unavailable::new("a fresh code is not a code"))?;
            let purchase = Purchase {
                payment_id: paid.payment_id.clone(),
                card_id: card.card_id.clone(),
                code_hash: giftcard::code_hash(&normalized),
                code: Some(code),
                mailed: false,
                issued_at: now,
            };
            match store.issue_bought(&card, &purchase).await {
                Ok(()) => {
                    tracing::info!(payment_id = %paid.payment_id, card_id = %card.card_id, amount = card.amount, "gift card issued for a purchase");
                    purchase
                }
                // Another delivery of the same payment issued it first: use that one.
                Err(StoreError::Conflict) => store
                    .purchase(&paid.payment_id)
                    .await?
                    .ok_or_else(|| Unavailable::new("the purchase vanished"))?,
                Err(e) => return Err(e.into()),
            }
        }
    };
    if purchase.mailed {
        return Ok(());
    }
    let code = purchase
        .code
        .clone()
        .ok_or_else(|| Unavailable::new("an unmailed purchase without its code"))?;
    let letter = Envelope::new(
        GIFT_CARD_ISSUED,
        paid.order_id.clone(),
        GiftCardIssued {
            payment_id: paid.payment_id.clone(),
            buyer_user_id: paid.user_id.clone(),
            recipient_name: order.recipient_name,
            recipient_email: order.recipient_email,
            design: order.design,
            amount: paid.amount,
            code,
        },
    );
    sqs::send(&b.sqs, &b.notification_queue, &letter).await?;
    store.mark_mailed(&paid.payment_id).await?;
    Ok(())
}
