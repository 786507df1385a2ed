//! notification: clients' notification accounts with their channels, and what was sent to them.
//! Triggered by SQS only.

pub mod domain;
pub mod handlers;
pub mod ses;
pub mod store;

use vitrina_shared::{
    config::SettingsError,
    runtime::{sqs_consumer, Env, Function},
};

pub struct Notification {
    pub store: store::NotificationStore,
    pub mailer: ses::Mailer,
}

impl Notification {
    pub fn new(env: &Env) -> Result<Self, SettingsError> {
        Ok(Self {
            store: store::NotificationStore::new(env.aws.dynamodb(), env.config.table_name.clone()),
            mailer: ses::Mailer::new(env.aws.sesv2(), env.config.require("MAIL_FROM")?),
        })
    }
}

pub fn functions() -> Vec<Function> {
    vec![sqs_consumer(
        "user-registered",
        "NotificationQueue",
        Notification::new,
        handlers::user_registered::handle,
    )]
}
