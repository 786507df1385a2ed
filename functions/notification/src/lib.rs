//! notification: clients' notification accounts with their channels, and what was sent to them.
//! Triggered by SQS only.

pub mod domain;
pub mod handlers;
pub mod store;

use std::sync::Arc;
use vitrina_shared::runtime::{sqs_consumer, Env, Function};

pub struct Notification {
    pub store: store::NotificationStore,
    pub ses: aws_sdk_sesv2::Client,
    /// The verified sender (`MAIL_FROM`, the template's SES identity).
    pub mail_from: String,
}

pub fn functions(env: Arc<Env>) -> Vec<Function> {
    let notification = Arc::new(Notification {
        store: store::NotificationStore::new(
            env.clients.dynamodb.clone(),
            env.config.table_name.clone(),
        ),
        ses: env.clients.sesv2.clone(),
        mail_from: env
            .config
            .var("MAIL_FROM")
            .unwrap_or("shop@vitrina.example")
            .to_string(),
    });
    vec![sqs_consumer(
        "user-registered",
        "NotificationQueue",
        notification,
        handlers::user_registered::handle,
    )]
}
