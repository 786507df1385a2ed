//! Web push: a client's devices (subscribed and forgotten from «Личный кабинет») and a push to
//! each of them, once per device and message.

use super::{sending::once, NotificationError};
use crate::{
    domain::{push, Push},
    push::{Delivery, PushError},
    store::NotificationStore,
    Notification, PushDevices,
};
use vitrina_shared::Unavailable;

/// What «Личный кабинет» shows: the shop's public key (for `PushManager.subscribe`) and the
/// client's devices.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Devices {
    /// The VAPID public key, uncompressed P-256, base64url.
    pub public_key: String,
    pub subscriptions: Vec<Device>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Device {
    pub subscription_id: String,
    pub endpoint: String,
    pub created_at: String,
}

impl From<push::PushSubscription> for Device {
    fn from(s: push::PushSubscription) -> Self {
        Self {
            subscription_id: s.subscription_id,
            endpoint: s.endpoint,
            created_at: s.created_at,
        }
    }
}

/// The most devices a client keeps: each push goes to every one.
pub const MAX_DEVICES: usize = 10;

pub async fn devices(d: &PushDevices, user_id: &str) -> Result<Devices, NotificationError> {
    let key = d.pusher.key().await?.ok_or(NotificationError::PushOff)?;
    Ok(Devices {
        public_key: key.public_key(),
        subscriptions: d
            .store
            .push_subscriptions(user_id)
            .await?
            .into_iter()
            .map(Device::from)
            .collect(),
    })
}

/// Keeps the device's subscription (the same endpoint again: its new keys).
pub async fn subscribe(
    d: &PushDevices,
    user_id: &str,
    endpoint: &str,
    p256dh: &str,
    auth: &str,
) -> Result<Device, NotificationError> {
    d.pusher.key().await?.ok_or(NotificationError::PushOff)?;
    let subscription = push::subscription(endpoint, p256dh, auth, &d.services, chrono::Utc::now())?;
    let kept = d.store.push_subscriptions(user_id).await?;
    if kept.len() >= MAX_DEVICES
        && !kept
            .iter()
            .any(|s| s.subscription_id == subscription.subscription_id)
    {
        return Err(NotificationError::TooManyDevices);
    }
    d.store
        .put_push_subscription(user_id, &subscription)
        .await?;
    tracing::info!(%user_id, subscription_id = %subscription.subscription_id, "device subscribed");
    Ok(subscription.into())
}

pub async fn unsubscribe(
    store: &NotificationStore,
    user_id: &str,
    subscription_id: &str,
) -> Result<(), NotificationError> {
    store
        .delete_push_subscription(user_id, subscription_id)
        .await?;
    Ok(())
}

/// `push` to every device of the client, once per device and `notification_id`. A device its
/// push service says is gone (404, 410) is forgotten; a busy one (429, 5xx) makes the message
/// come back, and the devices it reached are not pushed again.
pub async fn to_devices(
    n: &Notification,
    user_id: &str,
    notification_id: &str,
    push: &Push,
) -> Result<(), NotificationError> {
    let Some(pusher) = &n.pusher else {
        return Ok(());
    };
    let mut busy = None;
    for device in n.store.push_subscriptions(user_id).await? {
        let id = format!("push-{}-{notification_id}", device.subscription_id);
        let sent = once(n, user_id, &id, "push", || async {
            match pusher.send(&device, push).await {
                Ok(Delivery::Accepted(location)) => Ok(location),
                Ok(Delivery::Gone) => {
                    n.store
                        .delete_push_subscription(user_id, &device.subscription_id)
                        .await
                        .map_err(Unavailable::new)?;
                    tracing::info!(%user_id, subscription_id = %device.subscription_id, "device gone: forgotten");
                    Ok("gone".to_string())
                }
                // Pushed again, the same push is refused again: logged, not retried.
                Err(e @ (PushError::Refused { .. } | PushError::NotConfigured(_))) => {
                    tracing::warn!(%user_id, subscription_id = %device.subscription_id, error = %e, "push refused");
                    Ok(format!("refused: {e}"))
                }
                Err(PushError::Unavailable(e)) => Err(Unavailable::new(e)),
            }
        })
        .await;
        if let Err(e) = sent {
            busy = Some(e);
        }
    }
    busy.map_or(Ok(()), Err)
}
