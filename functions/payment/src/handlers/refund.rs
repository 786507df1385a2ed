//! `payment-refund` (internal, for the order saga's compensation): a paid payment's money goes
//! back the way it came — a bank refund for a card or SBP, a credit to the wallet or the gift
//! card — keyed by the payment, so a retried compensation gives back once.

use crate::{
    bank::BankError,
    domain::payment::{Method, Payment, Status},
    Payments,
};
use std::sync::Arc;
use vitrina_shared::{
    contracts::{
        billing::{GiftCardMove, WalletMove},
        payment::{RefundRefusal, RefundRequest, Refunded},
        CallError, Failure,
    },
    StoreError,
};

fn refunded(p: &Payment) -> Refunded {
    Refunded {
        payment_id: p.payment_id.clone(),
        order_id: p.order_id.clone(),
        amount: p.amount,
        method: p.method.as_str().into(),
    }
}

pub async fn handle(
    p: Arc<Payments>,
    req: RefundRequest,
) -> Result<Refunded, Failure<RefundRefusal>> {
    let payment = p
        .store
        .payment(&req.payment_id)
        .await?
        .ok_or_else(|| RefundRefusal::PaymentNotFound("no such payment".into()))?;
    match payment.status {
        Status::Refunded => return Ok(refunded(&payment)),
        Status::Paid => {}
        other => {
            return Err(RefundRefusal::PaymentNotRefundable(format!(
                "the payment is {other:?}: it took no money"
            ))
            .into())
        }
    }
    let cause = format!("refund:{}", payment.payment_id);
    let description = format!("Возврат за заказ {}: {}", payment.order_id, req.reason);
    match payment.method {
        Method::Card | Method::Sbp | Method::SavedCard => {
            let bank_id = payment
                .bank_payment_id
                .clone()
                .ok_or_else(|| Failure::unavailable("a paid bank payment without the bank's id"))?;
            p.bank
                .refund(
                    &format!("refund-{}", payment.payment_id),
                    &bank_id,
                    payment.amount,
                )
                .await
                .map_err(|e| match e {
                    BankError::Refused { .. } | BankError::Unavailable(_) => {
                        Failure::unavailable(e)
                    }
                })?;
        }
        Method::Wallet => {
            p.wallet_credit
                .call(&WalletMove {
                    user_id: payment.user_id.clone(),
                    amount: payment.amount,
                    cause,
                    description,
                })
                .await
                .map_err(|e: CallError<_>| Failure::unavailable(e))?;
        }
        Method::GiftCard => {
            p.gift_card_credit
                .call(&GiftCardMove {
                    user_id: payment.user_id.clone(),
                    card_id: payment.saved_card_id.clone().unwrap_or_default(),
                    amount: payment.amount,
                    cause,
                    description,
                })
                .await
                .map_err(|e: CallError<_>| Failure::unavailable(e))?;
        }
    }
    let done = Payment {
        status: Status::Refunded,
        updated_at: chrono::Utc::now().to_rfc3339(),
        ..payment.clone()
    };
    match p.store.advance(&done, Status::Paid).await {
        // Another attempt recorded it first: the money went back once (keyed by the payment).
        Ok(()) | Err(StoreError::Conflict) => {}
        Err(e) => return Err(e.into()),
    }
    tracing::info!(payment_id = %payment.payment_id, order_id = %payment.order_id, amount = payment.amount, reason = %req.reason, "payment refunded");
    Ok(refunded(&done))
}
