//! `PUT /api/notifications/preferences`: channels turned on or off for a kind of message, all
//! the changes of one request or none of them.

use crate::{
    flow::preferences::{self, PreferencesView},
    Choices,
};
use lambda_http::{Body, Request, Response};
use serde::Deserialize;
use std::sync::Arc;
use vitrina_shared::{
    contracts::notification::{Channel, NoticeKind},
    http::{ok, parse_json, Caller},
    openapi::{BodyRefused, ErrorBody, Guarded, Unavailable},
    ApiError,
};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct Changes {
    #[schema(required = true, min_items = 1, max_items = 9)]
    changes: Option<Vec<ChannelChange>>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct ChannelChange {
    kind: NoticeKind,
    channel: Channel,
    on: bool,
}

/// A kind × channel grid has nine cells: more changes than that repeat one.
const MAX_CHANGES: usize = 9;

#[utoipa::path(
    put,
    path = "/api/notifications/preferences",
    operation_id = "notification-preferences-put",
    tag = "notification",
    summary = "Уведомления: выбрать каналы",
    security(("sessionId" = [])),
    request_body = Changes,
    responses(
        (status = 200, description = "The client's channels with the changes made", body = PreferencesView),
        (status = 400, body = ErrorBody, description = "`channel_required` (payment results and gift-card codes always go by e-mail), `channel_not_offered`, `missing_fields`; `body_required`, `invalid_json`"),
        (status = 409, body = ErrorBody, description = "`preferences_busy` (changed at the same moment: send it again)"),
        BodyRefused, Guarded, Unavailable,
    )
)]
pub async fn handle(d: Arc<Choices>, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = Caller::from_request(&req)?;
    let body: Changes = parse_json(&req)?;
    let changes: Vec<(NoticeKind, Channel, bool)> = body
        .changes
        .unwrap_or_default()
        .into_iter()
        .map(|c| (c.kind, c.channel, c.on))
        .collect();
    if changes.is_empty() || changes.len() > MAX_CHANGES {
        return Err(ApiError::bad_request(
            "missing_fields",
            format!("changes: one to {MAX_CHANGES} of {{kind, channel, on}}"),
        ));
    }
    Ok(ok(&preferences::change(
        &d.store,
        &caller.user_id,
        &changes,
    )
    .await?))
}
