//! The one-click unsubscribe (RFC 8058) of a letter the client may turn off: the link's token
//! names the client and the kind of message; its e-mail is turned off as if the client had
//! unticked it in «Уведомления».

use super::{preferences, NotificationError};
use crate::{domain::unsubscribe, Unsubscribes};
use vitrina_shared::contracts::notification::{Channel, NoticeKind};

/// The key the links are signed with: `{"key"}`, made by Secrets Manager at deploy.
#[derive(serde::Deserialize)]
pub struct UnsubscribeKey {
    pub key: String,
}

/// What was turned off.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Unsubscribed {
    pub kind: NoticeKind,
    pub channel: Channel,
    pub on: bool,
}

pub async fn one_click(u: &Unsubscribes, token: &str) -> Result<Unsubscribed, NotificationError> {
    let key = u.key.get().await.map_err(NotificationError::unavailable)?;
    let (user_id, kind) = unsubscribe::verify(key.key.as_bytes(), token)
        .ok_or(NotificationError::BadUnsubscribeToken)?;
    preferences::change(&u.store, &user_id, &[(kind, Channel::Email, false)]).await?;
    tracing::info!(%user_id, %kind, "unsubscribed from e-mail in one click");
    Ok(Unsubscribed {
        kind,
        channel: Channel::Email,
        on: false,
    })
}
