//! «Личный кабинет» → «Уведомления»: the client's choice of channels for each kind of message,
//! shown with what the client has (an e-mail, a phone for SMS, a device for push) and what is
//! always sent.

use super::NotificationError;
use crate::{
    domain::preferences::{offered, required, Preferences},
    sms::e164,
    store::NotificationStore,
};
use serde::Serialize;
use vitrina_shared::contracts::notification::{Channel, NoticeKind};

/// How often a change is made again over a newer version another change wrote meanwhile.
const ATTEMPTS: usize = 3;

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PreferencesView {
    /// Where letters go now, as notification knows the client's contacts (`null` until the new
    /// client's account is open, or the change of an e-mail has reached it).
    pub email: Option<String>,
    /// Where texts go now, when the client gave a phone.
    pub phone: Option<String>,
    /// The client's devices web push reaches.
    pub devices: usize,
    pub kinds: Vec<KindView>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KindView {
    pub kind: NoticeKind,
    /// The channels offered for this kind, in the order to show them.
    pub channels: Vec<ChannelView>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChannelView {
    pub channel: Channel,
    /// The client wants this kind by this channel.
    pub on: bool,
    /// Sent whatever the choice (a payment's result, a gift card's code by e-mail).
    pub required: bool,
    /// The client has this channel (a phone for SMS, a device for push); one that is not is
    /// kept as chosen, and used once the client has it.
    pub available: bool,
}

pub async fn view(
    store: &NotificationStore,
    user_id: &str,
) -> Result<PreferencesView, NotificationError> {
    let preferences = store.preferences(user_id).await?;
    shown(store, user_id, &preferences).await
}

/// Makes `changes` (all or none) over the latest version.
pub async fn change(
    store: &NotificationStore,
    user_id: &str,
    changes: &[(NoticeKind, Channel, bool)],
) -> Result<PreferencesView, NotificationError> {
    for _ in 0..ATTEMPTS {
        let current = store.preferences(user_id).await?;
        let next = current.changed(changes)?;
        if store
            .replace_preferences(user_id, &next, current.version)
            .await?
        {
            tracing::info!(%user_id, version = next.version, "channels chosen");
            return shown(store, user_id, &next).await;
        }
    }
    Err(NotificationError::PreferencesBusy)
}

async fn shown(
    store: &NotificationStore,
    user_id: &str,
    preferences: &Preferences,
) -> Result<PreferencesView, NotificationError> {
    let account = store.account(user_id).await?;
    let devices = store.push_subscriptions(user_id).await?.len();
    let email = account.as_ref().and_then(|a| a.email()).map(str::to_string);
    let phone = account.as_ref().and_then(|a| a.phone()).map(str::to_string);
    let has = |channel: Channel| match channel {
        Channel::Email => email.is_some(),
        Channel::Sms => phone.as_deref().and_then(e164).is_some(),
        Channel::Push => devices > 0,
    };
    let kinds = NoticeKind::ALL
        .iter()
        .map(|&kind| KindView {
            kind,
            channels: offered(kind)
                .iter()
                .map(|&channel| ChannelView {
                    channel,
                    on: preferences.wants(kind, channel),
                    required: required(kind, channel),
                    available: has(channel),
                })
                .collect(),
        })
        .collect();
    Ok(PreferencesView {
        email,
        phone,
        devices,
        kinds,
    })
}
