//! `payment.succeeded` from payment (SQS `BillingPaymentQueue`): what a payment bought besides
//! goods is delivered — a wallet top-up is credited (one ledger entry per payment,
//! `topup:<payment>`), a gift card is issued (one card per payment) and its code sent to
//! notification for the recipient. Redelivered, it delivers nothing twice; a failure retries
//! and ends in the DLQ (an alarm), never silently: money taken is delivered or an operator sees it.

use crate::{
    domain::giftcard::{self, Purchase},
    handlers::ledger,
    BillingPayments,
};
use std::sync::Arc;
use vitrina_shared::{
    contracts::{billing::WalletMove, order::OrderKind, Failure},
    envelope::{
        self, Envelope, GiftCardIssued, PaymentOutcome, GIFT_CARD_ISSUED, PAYMENT_FAILED,
        PAYMENT_SUCCEEDED,
    },
    sqs::{self, SqsMessage},
    ConsumeError, StoreError,
};

pub async fn handle(b: Arc<BillingPayments>, record: SqsMessage) -> Result<(), ConsumeError> {
    let body = sqs::body(&record);
    match envelope::kind(body)?.as_str() {
        PAYMENT_SUCCEEDED => {}
        // A failed payment bought nothing.
        PAYMENT_FAILED => return Ok(()),
        other => {
            return Err(ConsumeError::Malformed(format!(
                "unexpected message type {other}"
            )))
        }
    }
    let paid = envelope::parse::<PaymentOutcome>(body, PAYMENT_SUCCEEDED)?.payload;
    match paid.kind {
        OrderKind::Goods => Ok(()),
        OrderKind::WalletTopUp => top_up(&b, &paid).await,
        OrderKind::GiftCard => gift_card(&b, &paid).await,
    }
}

async fn top_up(b: &BillingPayments, paid: &PaymentOutcome) -> Result<(), ConsumeError> {
    let credit = WalletMove {
        user_id: paid.user_id.clone(),
        amount: paid.amount,
        cause: format!("topup:{}", paid.payment_id),
        description: "Пополнение кошелька".into(),
    };
    match ledger::credit(b.billing.clone(), credit).await {
        Ok(entry) => {
            tracing::info!(user_id = %paid.user_id, payment_id = %paid.payment_id, balance = entry.balance_after, "wallet topped up");
            Ok(())
        }
        // No wallet (yet) or a bad amount: an operator must see the money taken.
        Err(Failure::Refused(r)) => Err(ConsumeError::Malformed(format!(
            "top-up of payment {} not credited: {r}",
            paid.payment_id
        ))),
        Err(Failure::Unavailable(e)) => Err(ConsumeError::Unavailable(e)),
    }
}

async fn gift_card(b: &BillingPayments, paid: &PaymentOutcome) -> Result<(), ConsumeError> {
    let order = paid.gift_card.clone().ok_or_else(|| {
        ConsumeError::Malformed(format!(
            "gift-card payment {} without the card's order",
            paid.payment_id
        ))
    })?;
    let store = &b.billing.store;
    let purchase = match store.purchase(&paid.payment_id).await? {
        Some(p) => p,
        None => {
            let code = giftcard::new_code().map_err(ConsumeError::unavailable)?;
            let now = chrono::Utc::now().to_rfc3339();
            let card = giftcard::issue(&code, paid.amount, &now).map_err(|e| {
                ConsumeError::Malformed(format!("payment {}: {e}", paid.payment_id))
            })?;
            let normalized = giftcard::normalize(&code)
                .ok_or_else(|| ConsumeError::unavailable("a fresh code is not a code"))?;
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
                    .ok_or_else(|| ConsumeError::unavailable("the purchase vanished"))?,
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
        .ok_or_else(|| ConsumeError::unavailable("an unmailed purchase without its code"))?;
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
    let body =
        serde_json::to_string(&letter).map_err(|e| ConsumeError::Malformed(e.to_string()))?;
    b.sqs
        .send_message()
        .queue_url(&b.notification_queue)
        .message_body(body)
        .send()
        .await
        .map_err(|e| {
            ConsumeError::Unavailable(format!(
                "gift_card.issued: {}",
                aws_sdk_sqs::error::DisplayErrorContext(e)
            ))
        })?;
    store.mark_mailed(&paid.payment_id).await?;
    Ok(())
}
