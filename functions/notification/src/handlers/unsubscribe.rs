//! `POST /api/notifications/unsubscribe?token=…`: the one-click unsubscribe a letter's
//! `List-Unsubscribe` names (RFC 8058). The mail client posts `List-Unsubscribe=One-Click`
//! without the client's session: the signed token is the authority, and the body is not read.
//! The letter's own «Отписаться» link opens the web client's page, which posts here.

use crate::{
    flow::unsubscribe::{self, Unsubscribed},
    Unsubscribes,
};
use lambda_http::{Body, Request, RequestExt, Response};
use std::sync::Arc;
use vitrina_shared::{
    http::ok,
    openapi::{ErrorBody, Unavailable},
    ApiError,
};

#[utoipa::path(
    post,
    path = "/api/notifications/unsubscribe",
    operation_id = "notification-unsubscribe",
    tag = "notification",
    summary = "Отписаться от писем одним нажатием (RFC 8058)",
    security(()),
    params(("token" = String, Query, description = "The letter's signed token: the client and the kind of message")),
    responses(
        (status = 200, description = "That kind of message no longer comes by e-mail", body = Unsubscribed),
        (status = 400, body = ErrorBody, description = "`invalid_unsubscribe_token` (not one the shop signed), `channel_required` (a kind that always goes by e-mail)"),
        (status = 409, body = ErrorBody, description = "`preferences_busy` (changed at the same moment: send it again)"),
        Unavailable,
    )
)]
pub async fn handle(u: Arc<Unsubscribes>, req: Request) -> Result<Response<Body>, ApiError> {
    let params = req.query_string_parameters();
    let token = params.first("token").unwrap_or_default();
    Ok(ok(&unsubscribe::one_click(&u, token).await?))
}
