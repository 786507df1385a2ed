//! Paying for an order (S6 "Оплата заказа"): starting a payment, settling it by the bank's
//! word, «Оплатить» taking the money, and giving a payment up.
//!
//! The browser's return from the bank, the bank's webhook and the timer converge on one settle
//! step: read the payment from the bank (never from a webhook's body) and move ours forward by
//! a conditional write, so however many times and in whatever order they come, it moves once.
//! Money is taken only by «Оплатить», and only by the payment that first claimed the order.

use super::{now, PaymentError};
use crate::{
    bank::{self, BankError, Method as BankMethod, NewPayment},
    domain::payment::{after_bank, BankState, Method, Payment, SavedCard, Status},
    store::{Claim, Recorded},
    Payments, TimedPayments,
};
use serde_json::json;
use vitrina_shared::{
    contracts::{
        billing::{DebitRefusal, GiftCardDebitRefusal, LedgerEntry},
        order::{PayableRefusal, PayableRequest},
        payment::PaymentFailure,
        CallError, Refusal,
    },
    envelope::{Envelope, PaymentOutcome, PAYMENT_FAILED, PAYMENT_SUCCEEDED},
    sqs, StoreError, Unavailable,
};

/// What a client asks for at `POST /api/payments`, checked for shape by the handler.
pub struct StartPayment {
    pub user_id: String,
    pub order_id: String,
    pub method: Method,
    pub save_card: bool,
    /// A saved card's or a gift card's id (`saved_card`, `gift_card`).
    pub card_id: Option<String>,
    /// The client's `Idempotency-Key`: the same request again finds the same payment.
    pub request_key: String,
}

/// Starts (or, for the same request again, goes on with) a payment of the client's order: the
/// amount and what it buys come from order, never from the client.
pub async fn start(t: &TimedPayments, ask: StartPayment) -> Result<Payment, PaymentError> {
    let p = &t.payments;
    let saved_card_id = match ask.method {
        Method::SavedCard => {
            let id = ask.card_id.unwrap_or_default();
            let mine = p.store.saved_cards(&ask.user_id).await?;
            if !mine.iter().any(|c| c.card_id == id) {
                return Err(PaymentError::SavedCardNotFound);
            }
            Some(id)
        }
        // billing checks at «Оплатить» that the card is the client's and holds enough.
        Method::GiftCard => ask.card_id,
        _ => None,
    };
    let order = p
        .order
        .call(&PayableRequest {
            user_id: ask.user_id.clone(),
            order_id: ask.order_id.clone(),
        })
        .await
        .map_err(payable_error)?;
    if !order.kind.accepts(ask.method) {
        return Err(PaymentError::MethodNotAllowed(order.kind));
    }
    let payment = Payment {
        lines: order.lines.clone(),
        delivery: order.delivery.clone(),
        kind: order.kind,
        gift_card: order.gift_card.clone(),
        saved_card_id,
        ..Payment::new(
            &uuid::Uuid::now_v7().to_string(),
            &ask.user_id,
            &order.order_id,
            order.total,
            ask.method,
            ask.save_card,
            &now(),
        )
    };
    let payment = match p.store.record(&payment, &ask.request_key).await? {
        Recorded::New => payment,
        // The same request again (a double click, a retry): the payment it made, moved on from
        // wherever it stopped.
        Recorded::Existing(id) => {
            let existing = current(p, &id).await?;
            if existing.order_id != ask.order_id {
                return Err(PaymentError::IdempotencyKeyReused);
            }
            existing
        }
    };
    // Before any money can be held (a saved card is authorised at once): whatever happens to
    // the client from here, the timer settles the payment.
    if !payment.status.is_final() {
        t.timer.arm(&payment.payment_id, t.timer.hold).await?;
    }
    let payment = if payment.method.at_bank() && payment.status == Status::Created {
        start_at_bank(p, payment).await?
    } else {
        settle(p, payment).await?
    };
    tracing::info!(payment_id = %payment.payment_id, order_id = %payment.order_id, method = payment.method.as_str(), status = ?payment.status, "payment started");
    Ok(payment)
}

/// The client's own payment, as the bank has it now.
pub async fn of_client(
    p: &Payments,
    user_id: &str,
    payment_id: &str,
) -> Result<Payment, PaymentError> {
    let payment = p
        .store
        .payment(payment_id)
        .await?
        .filter(|x| x.user_id == user_id)
        .ok_or(PaymentError::PaymentNotFound)?;
    settle(p, payment).await
}

/// «Оплатить»: takes the money of the client's payment whose payer's part is done. A press
/// that finds it paid (another tab, a double click) answers it paid.
pub async fn confirm(
    p: &Payments,
    user_id: &str,
    payment_id: &str,
) -> Result<Payment, PaymentError> {
    let payment = of_client(p, user_id, payment_id).await?;
    if payment.status == Status::Paid {
        return Ok(payment);
    }
    if !payment.confirmable() {
        return Err(PaymentError::NotConfirmable {
            status: payment.status,
            failure: None,
        });
    }
    // The order may have been paid by another payment, or taken back into the cart.
    match p
        .order
        .call(&PayableRequest {
            user_id: payment.user_id.clone(),
            order_id: payment.order_id.clone(),
        })
        .await
    {
        Ok(_) => {}
        Err(CallError::Refused(refusal)) => {
            if let Some(now) = give_up_now(p, &payment, PaymentFailure::OrderNotPayable).await? {
                return confirmed_elsewhere(now);
            }
            return Err(payable_error(CallError::Refused(refusal)));
        }
        Err(CallError::Unavailable(e)) => return Err(Unavailable(e).into()),
    }
    match p.store.claim_order(&payment).await? {
        Claim::Ours => {}
        Claim::TakenByAnother => {
            if let Some(now) = give_up_now(p, &payment, PaymentFailure::OrderAlreadyPaid).await? {
                return confirmed_elsewhere(now);
            }
            return Err(PaymentError::OrderAlreadyPaid);
        }
        // The timer released it a moment ago: what it is now says why.
        Claim::PaymentOver => {
            let now = current(p, &payment.payment_id).await?;
            return Err(PaymentError::NotConfirmable {
                status: now.status,
                failure: now.failure,
            });
        }
    }
    let taken = take_money(p, &payment).await?;
    match (taken.status, taken.failure) {
        (Status::Paid, _) => {
            tracing::info!(payment_id = %taken.payment_id, order_id = %taken.order_id, amount = taken.amount, "paid");
            Ok(taken)
        }
        (_, Some(PaymentFailure::InsufficientFunds)) => Err(PaymentError::InsufficientFunds),
        (_, Some(PaymentFailure::CardNotFound)) => Err(PaymentError::GiftCardNotFound),
        _ => Ok(taken),
    }
}

/// The bank's notification of one of its payments or refunds (`bank_payment` is the bank's
/// payment it concerns): the payment is read again from the bank and settled, or its refund
/// followed. A payment the shop does not know is nothing to do.
pub async fn notified(p: &Payments, bank_payment: &str, refund: bool) -> Result<(), PaymentError> {
    let Some(payment_id) = p.store.by_bank_payment(bank_payment).await? else {
        return Ok(());
    };
    let payment = current(p, &payment_id).await?;
    let payment = if refund {
        super::refunds::follow(p, payment).await?
    } else {
        settle(p, payment).await?
    };
    tracing::info!(payment_id = %payment.payment_id, status = ?payment.status, refund, "notification settled");
    Ok(())
}

fn payable_error(e: CallError<PayableRefusal>) -> PaymentError {
    match e {
        CallError::Refused(PayableRefusal::OrderNotFound(_)) => PaymentError::OrderNotFound,
        CallError::Refused(PayableRefusal::OrderNotPayable(why)) => {
            PaymentError::OrderNotPayable(why)
        }
        CallError::Unavailable(e) => Unavailable(e).into(),
    }
}

/// The answer to a press that found its payment being confirmed by another: paid, or in
/// progress.
fn confirmed_elsewhere(now: Payment) -> Result<Payment, PaymentError> {
    if now.status == Status::Paid {
        return Ok(now);
    }
    Err(PaymentError::InProgress(now.status))
}

pub(crate) async fn current(p: &Payments, payment_id: &str) -> Result<Payment, PaymentError> {
    p.store
        .payment(payment_id)
        .await?
        .ok_or(PaymentError::PaymentNotFound)
}

/// Moves `from` to `next` if nobody moved it meanwhile; answers the payment as it is now.
pub(crate) async fn advance(
    p: &Payments,
    from: &Payment,
    mut next: Payment,
) -> Result<Payment, PaymentError> {
    next.updated_at = now();
    match p.store.advance(&next, from.status).await {
        Ok(()) => {
            if matches!(next.status, Status::Failed | Status::Cancelled) {
                // Over without its money: the order is free for another payment. Here, where
                // every way to such an end passes (the bank's word, a refusal, a give-up), not
                // in each path that took a claim — a claim kept by a payment that ended
                // elsewhere would answer `order_already_paid` to every later payment.
                p.store
                    .release_order(&next.order_id, &next.payment_id)
                    .await?;
            }
            if next.status.is_final() {
                return tell_outcome(p, next).await;
            }
            Ok(next)
        }
        Err(StoreError::Conflict) => current(p, &from.payment_id).await,
        Err(e) => Err(e.into()),
    }
}

/// Tells order, notification and billing the final outcome once it is written; a send that
/// fails is sent again by the next settle of this payment (`outcome_sent` stays false until it
/// goes out).
async fn tell_outcome(p: &Payments, payment: Payment) -> Result<Payment, PaymentError> {
    if payment.outcome_sent
        || payment.status == Status::Cancelled
        || payment.status.is_refund()
        || !payment.status.is_final()
    {
        return Ok(payment);
    }
    let kind = if payment.status == Status::Paid {
        PAYMENT_SUCCEEDED
    } else {
        PAYMENT_FAILED
    };
    let message = Envelope::new(
        kind,
        payment.order_id.clone(),
        PaymentOutcome {
            payment_id: payment.payment_id.clone(),
            order_id: payment.order_id.clone(),
            user_id: payment.user_id.clone(),
            amount: payment.amount,
            method: payment.method,
            reason: payment.failure,
            lines: payment.lines.clone(),
            delivery: payment.delivery.clone(),
            kind: payment.kind,
            gift_card: payment.gift_card.clone(),
        },
    );
    // order (paid, or waits for another try), notification (the result e-mail) and billing (a
    // bought gift card or top-up); all tolerate the message twice, so a send repeated after a
    // partial failure is harmless.
    for queue in &p.outcome_queues {
        if let Err(e) = sqs::send(&p.sqs, queue, &message).await {
            tracing::error!(payment_id = %payment.payment_id, error = %e, "outcome not sent yet");
            return Ok(payment);
        }
    }
    let sent = Payment {
        outcome_sent: true,
        ..payment.clone()
    };
    match p.store.advance(&sent, payment.status).await {
        Ok(()) | Err(StoreError::Conflict) => {}
        Err(e) => {
            tracing::error!(error = %e, "outcome sent but not recorded: it may be sent again")
        }
    }
    tracing::info!(payment_id = %payment.payment_id, order_id = %payment.order_id, kind, "payment outcome sent");
    Ok(sent)
}

fn bank_state(p: &bank::Payment) -> BankState {
    match p.status {
        bank::Status::Pending => BankState::Pending,
        bank::Status::WaitingForCapture => BankState::WaitingForCapture,
        bank::Status::Succeeded => BankState::Succeeded,
        bank::Status::Canceled => BankState::Canceled {
            reason: p
                .cancellation_details
                .as_ref()
                .map(|c| c.reason.clone())
                .unwrap_or_default(),
        },
    }
}

fn card_of(p: &bank::Payment) -> Option<String> {
    let card = p.payment_method.as_ref()?.card.as_ref()?;
    Some(format!("{} *{}", card.card_type, card.last4))
}

/// The settle step: what the bank says now, applied once. A bank that does not answer leaves
/// the payment as it is (the next settle asks again).
pub(crate) async fn settle(p: &Payments, payment: Payment) -> Result<Payment, PaymentError> {
    if payment.status.is_final() {
        return tell_outcome(p, payment).await;
    }
    let Some(bank_id) = payment.bank_payment_id.clone() else {
        return Ok(payment);
    };
    let at_bank = match p.bank.payment(&bank_id).await {
        Ok(b) => b,
        Err(e) => {
            tracing::warn!(payment_id = %payment.payment_id, error = %e, "bank not read; the payment stays as it is");
            return Ok(payment);
        }
    };
    let Some((status, failure)) = after_bank(payment.status, &bank_state(&at_bank)) else {
        return Ok(payment);
    };
    // Once, as the bank authorises: the card it saved at the client's wish is kept.
    if payment.save_card && status == Status::Authorized {
        keep_saved_card(p, &payment, &at_bank).await;
    }
    let next = Payment {
        status,
        failure,
        card: card_of(&at_bank).or(payment.card.clone()),
        ..payment.clone()
    };
    advance(p, &payment, next).await
}

/// The card the bank saved at the client's wish, kept for the next payments ("привязанные
/// карты"). Only the bank's method id and what the client may see are kept.
async fn keep_saved_card(p: &Payments, payment: &Payment, at_bank: &bank::Payment) {
    let Some(method) = at_bank.payment_method.as_ref().filter(|m| m.saved) else {
        return;
    };
    let Some(card) = method.card.as_ref() else {
        return;
    };
    let saved = SavedCard {
        card_id: method.id.clone(),
        title: format!("{} *{}", card.card_type, card.last4),
        expiry: format!(
            "{}/{}",
            card.expiry_month,
            &card.expiry_year[card.expiry_year.len().saturating_sub(2)..]
        ),
        saved_at: now(),
    };
    if let Err(e) = p.store.save_card(&payment.user_id, &saved).await {
        tracing::warn!(payment_id = %payment.payment_id, error = %e, "saved card not kept");
    }
}

/// Asks the bank for the payment (the same key each time: a retry finds the first answer).
async fn start_at_bank(p: &Payments, payment: Payment) -> Result<Payment, PaymentError> {
    let return_url = format!("{}/payment/{}", p.shop_url, payment.payment_id);
    let new = NewPayment {
        kopecks: payment.amount,
        method: match (payment.method, &payment.saved_card_id) {
            (Method::Sbp, _) => BankMethod::Sbp { return_url },
            (Method::SavedCard, Some(id)) => BankMethod::SavedCard {
                payment_method_id: id.clone(),
            },
            _ => BankMethod::NewCard {
                return_url,
                save: payment.save_card,
            },
        },
        description: format!("Оплата заказа {}", payment.order_id),
        metadata: json!({"orderId": payment.order_id, "paymentId": payment.payment_id}),
    };
    let at_bank = match p.bank.create_payment(&payment.payment_id, &new).await {
        Ok(b) => b,
        Err(BankError::Unavailable(e)) => return Err(Unavailable::new(e).into()),
        Err(refused @ BankError::Refused { .. }) => {
            tracing::error!(error = %refused, "the bank refused the payment");
            let failed = Payment {
                status: Status::Failed,
                failure: Some(PaymentFailure::PaymentDeclined),
                ..payment.clone()
            };
            return advance(p, &payment, failed).await;
        }
    };
    p.store
        .link_bank_payment(&at_bank.id, &payment.payment_id)
        .await?;
    let waiting = Payment {
        status: Status::AwaitingPayer,
        bank_payment_id: Some(at_bank.id.clone()),
        confirmation_url: at_bank
            .confirmation
            .as_ref()
            .and_then(|c| c.confirmation_url.clone()),
        qr_link: at_bank
            .confirmation
            .as_ref()
            .and_then(|c| c.confirmation_data.clone()),
        ..payment.clone()
    };
    let waiting = advance(p, &payment, waiting).await?;
    // The bank may have settled it at once (a declined request).
    settle(p, waiting).await
}

/// Gives up a payment whose money must not be taken (the caller then releases what the bank
/// holds, [`release_at_bank`]): unless the order is claimed by this very payment — «Оплатить»
/// pressed before is taking the money (or the timer finishes it), and only that one ends it.
/// One transaction decides (the payment's status as read, and no claim of the order by it), so
/// a capture in flight and a give-up never both happen. `None`: claimed or moved meanwhile;
/// nothing was written.
pub(crate) async fn give_up(
    p: &Payments,
    payment: &Payment,
    failure: PaymentFailure,
) -> Result<Option<Payment>, StoreError> {
    let given_up = Payment {
        status: Status::Cancelled,
        failure: Some(failure),
        updated_at: now(),
        ..payment.clone()
    };
    if !p.store.give_up_unclaimed(&given_up, payment.status).await? {
        return Ok(None);
    }
    tracing::info!(payment_id = %payment.payment_id, order_id = %payment.order_id, %failure, "payment given up");
    Ok(Some(given_up))
}

/// A given-up bank payment's hold released at the bank (keyed: again is harmless). A refusal
/// means nothing is held (never authorised, or released before).
pub(crate) async fn release_at_bank(p: &Payments, payment: &Payment) -> Result<(), Unavailable> {
    let (true, Some(bank_id)) = (payment.method.at_bank(), &payment.bank_payment_id) else {
        return Ok(());
    };
    match p
        .bank
        .cancel(&format!("cancel-{}", payment.payment_id), bank_id)
        .await
    {
        Ok(_) => Ok(()),
        Err(refused @ BankError::Refused { .. }) => {
            tracing::info!(payment_id = %payment.payment_id, error = %refused, "nothing released at the bank");
            Ok(())
        }
        Err(BankError::Unavailable(e)) => Err(Unavailable::new(e)),
    }
}

/// «Оплатить» giving its payment up (the order is not payable, or another payment has it),
/// with the bank's hold released at once (the timer releases it again if the bank is silent).
/// `Some`: not given up — this same payment has the order's claim after all (another
/// «Оплатить» of it is taking the money) or moved on; the payment as it is now.
async fn give_up_now(
    p: &Payments,
    payment: &Payment,
    failure: PaymentFailure,
) -> Result<Option<Payment>, PaymentError> {
    match give_up(p, payment, failure).await? {
        Some(given_up) => {
            if let Err(e) = release_at_bank(p, &given_up).await {
                tracing::warn!(payment_id = %payment.payment_id, error = %e, "authorisation not released now");
            }
            Ok(None)
        }
        None => Ok(Some(current(p, &payment.payment_id).await?)),
    }
}

/// Takes the money of a payment that has claimed its order: the card's authorisation captured,
/// the wallet or gift card debited (each keyed by the payment, so doing it again takes nothing
/// twice). Money not taken gives the order back for another try.
pub(crate) async fn take_money(p: &Payments, payment: &Payment) -> Result<Payment, PaymentError> {
    let taken = match payment.method {
        Method::Card | Method::Sbp | Method::SavedCard => capture(p, payment).await?,
        Method::Wallet => debit_wallet(p, payment).await?,
        Method::GiftCard => debit_gift_card(p, payment).await?,
    };
    if taken.status != Status::Paid {
        p.store
            .release_order(&payment.order_id, &payment.payment_id)
            .await?;
    }
    Ok(taken)
}

async fn capture(p: &Payments, payment: &Payment) -> Result<Payment, PaymentError> {
    let bank_id = payment.bank_payment_id.clone().ok_or_else(|| {
        PaymentError::Bug("an authorised card payment without the bank's id".into())
    })?;
    match p
        .bank
        .capture(&format!("capture-{}", payment.payment_id), &bank_id, None)
        .await
    {
        Ok(at_bank) if at_bank.status == bank::Status::Succeeded => {
            let paid = Payment {
                status: Status::Paid,
                ..payment.clone()
            };
            advance(p, payment, paid).await
        }
        // Refused or not captured (the authorisation expired): the bank's word settles it.
        Ok(_) | Err(BankError::Refused { .. }) => settle(p, payment.clone()).await,
        Err(BankError::Unavailable(e)) => Err(Unavailable::new(e).into()),
    }
}

/// The payment's money taken by billing (`outcome` of its debit): paid, or failed with the code
/// `failure_of` gives the refusal (`None`: a refusal that is a bug here, reported as such).
async fn taken_by_billing<R: Refusal>(
    p: &Payments,
    payment: &Payment,
    outcome: Result<LedgerEntry, CallError<R>>,
    failure_of: impl Fn(&R) -> Option<PaymentFailure>,
) -> Result<Payment, PaymentError> {
    let (status, failure) = match outcome {
        Ok(_) => (Status::Paid, None),
        Err(CallError::Refused(refusal)) => match failure_of(&refusal) {
            Some(code) => (Status::Failed, Some(code)),
            None => return Err(PaymentError::Bug(format!("billing refused: {refusal}"))),
        },
        Err(CallError::Unavailable(e)) => return Err(Unavailable(e).into()),
    };
    let next = Payment {
        status,
        failure,
        ..payment.clone()
    };
    advance(p, payment, next).await
}

/// What a debit of this payment is keyed by in billing's ledger, and how the client reads it.
fn debit_of(payment: &Payment) -> (String, String) {
    (
        format!("payment:{}", payment.payment_id),
        format!("Оплата заказа {}", payment.order_id),
    )
}

async fn debit_wallet(p: &Payments, payment: &Payment) -> Result<Payment, PaymentError> {
    let (cause, description) = debit_of(payment);
    let outcome = p
        .wallet
        .call(&payment.wallet_move(cause, description))
        .await;
    taken_by_billing(p, payment, outcome, |refusal| match refusal {
        DebitRefusal::InsufficientFunds(_) => Some(PaymentFailure::InsufficientFunds),
        DebitRefusal::WalletNotFound(_) => Some(PaymentFailure::WalletNotFound),
        DebitRefusal::InvalidAmount(_) => None,
    })
    .await
}

async fn debit_gift_card(p: &Payments, payment: &Payment) -> Result<Payment, PaymentError> {
    let (cause, description) = debit_of(payment);
    let debit = payment.gift_card_move(cause, description);
    let outcome = p.gift_card.call(&debit).await;
    taken_by_billing(p, payment, outcome, |refusal| match refusal {
        GiftCardDebitRefusal::InsufficientFunds(_) => Some(PaymentFailure::InsufficientFunds),
        GiftCardDebitRefusal::GiftCardNotFound(_) => Some(PaymentFailure::CardNotFound),
        GiftCardDebitRefusal::InvalidAmount(_) => None,
    })
    .await
}
