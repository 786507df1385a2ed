//! What each event tells the client, and by which channel: the welcome of a new account, a
//! payment's result, an order's status (by SMS too for the two the client acts on at once; both
//! by web push to the client's devices), and a bought gift card's code to its recipient.

use super::{
    push::to_devices,
    sending::{send_once, text_once},
    NotificationError,
};
use crate::{
    domain::{
        preferences::{kind_of, required},
        templates::{gift_card, order_status, payment, welcome},
        unsubscribe, Account,
    },
    sms::e164,
    Notification,
};
use vitrina_shared::contracts::notification::{Channel, NoticeKind};
use vitrina_shared::envelope::{
    GiftCardIssued, OrderStatusChanged, PaymentOutcome, UserRegistered, GIFT_CARD_ISSUED,
    ORDER_STATUS,
};

/// Opens the client's notification account with its channels and sends the welcome, once.
pub async fn welcome(n: &Notification, user: &UserRegistered) -> Result<(), NotificationError> {
    if user.user_id.is_empty() || user.email.is_empty() {
        return Err(NotificationError::Malformed(
            "user.registered without a user id or e-mail".into(),
        ));
    }
    let account = Account {
        profile_version: user.version,
        ..Account::for_new_client(&user.user_id, &user.first_name, &user.email, &user.phone)
    };
    n.store.open_account(&account).await?;
    // One welcome per user, whatever the message id of a replay.
    let letter = welcome::email(&user.first_name, &user.username);
    send_once(n, &user.user_id, "welcome", "welcome", &user.email, &letter).await
}

/// The payment's result by e-mail (always), then to the client's devices unless the client
/// turned push off for orders, once per payment.
pub async fn payment_result(
    n: &Notification,
    kind: &str,
    outcome: &PaymentOutcome,
    paid: bool,
) -> Result<(), NotificationError> {
    let account = account(n, &outcome.user_id).await?;
    let Some(email) = account.email() else {
        tracing::info!(user_id = %outcome.user_id, "no e-mail channel: nothing to send");
        return Ok(());
    };
    let notification_id = format!("payment-{}", outcome.payment_id);
    let letter = payment::email(&account.name, outcome, paid, &n.shop_url);
    send_once(n, &outcome.user_id, &notification_id, kind, email, &letter).await?;
    let preferences = n.store.preferences(&outcome.user_id).await?;
    if !preferences.wants(NoticeKind::Orders, Channel::Push) {
        return Ok(());
    }
    let push = payment::push(outcome, paid);
    to_devices(n, &outcome.user_id, &notification_id, &push).await
}

/// The order's new status by the channels the client chose for its kind (a cancellation's
/// e-mail always): e-mail once per order and status; SMS when there is a text for it and the
/// account has a phone; the client's devices when there is a push for it. Each channel after
/// the one before: a retry after a failed one finds the ones before sent and goes on.
pub async fn order_status(
    n: &Notification,
    change: &OrderStatusChanged,
) -> Result<(), NotificationError> {
    let account = account(n, &change.user_id).await?;
    let Some(email) = account.email() else {
        tracing::info!(user_id = %change.user_id, "no e-mail channel: nothing to send");
        return Ok(());
    };
    let kind = kind_of(change.status);
    let preferences = n.store.preferences(&change.user_id).await?;
    let wants = |channel| preferences.wants(kind, channel);
    // A letter the client may turn off carries its one-click unsubscribe.
    let unsubscribe = match (&n.unsubscribe_key, required(kind, Channel::Email)) {
        (Some(key), false) => {
            let key = key.get().await.map_err(NotificationError::unavailable)?;
            Some(unsubscribe::token(
                key.key.as_bytes(),
                &change.user_id,
                kind,
            ))
        }
        _ => None,
    };
    let letter = order_status::email(&account.name, change, &n.shop_url, unsubscribe.as_deref())
        .ok_or_else(|| {
            NotificationError::Malformed(format!("order.status {} has no letter", change.status))
        })?;
    let notification_id = format!("order-{}-{}", change.order_id, change.status);
    if wants(Channel::Email) {
        send_once(
            n,
            &change.user_id,
            &notification_id,
            ORDER_STATUS,
            email,
            &letter,
        )
        .await?;
    }
    if let (true, Some(text), Some(phone)) = (
        wants(Channel::Sms),
        order_status::sms(change),
        account.phone().and_then(e164),
    ) {
        let sms_id = format!("sms-{notification_id}");
        text_once(n, &change.user_id, &sms_id, &phone, &text).await?;
    }
    match order_status::push(change) {
        Some(push) if wants(Channel::Push) => {
            to_devices(n, &change.user_id, &notification_id, &push).await
        }
        _ => Ok(()),
    }
}

/// A bought gift card's code to the address the buyer typed (the recipient need not be a
/// client: the claim sits under the buyer's account), once per payment.
pub async fn gift_card(n: &Notification, gift: &GiftCardIssued) -> Result<(), NotificationError> {
    // "Who it is from": the buyer's name as the buyer's account knows it.
    let from = n
        .store
        .account(&gift.buyer_user_id)
        .await?
        .map(|a| a.name)
        .unwrap_or_default();
    let letter = gift_card::email(gift, &from, &n.shop_url);
    let notification_id = format!("gift-card-{}", gift.payment_id);
    send_once(
        n,
        &gift.buyer_user_id,
        &notification_id,
        GIFT_CARD_ISSUED,
        &gift.recipient_email,
        &letter,
    )
    .await
}

/// The client's account; a client who pays has one, and if it is not there yet, the retry
/// finds it.
async fn account(n: &Notification, user_id: &str) -> Result<Account, NotificationError> {
    n.store
        .account(user_id)
        .await?
        .ok_or_else(|| NotificationError::NoAccountYet(user_id.into()))
}
