//! notification: clients' notification accounts with their channels, and what was sent to them.
//! Triggered by SQS only.

pub mod domain;
pub mod flow;
pub mod handlers;
pub mod ses;
pub mod sms;
pub mod store;

use vitrina_shared::{
    config::SettingsError,
    runtime::{sqs_consumer, Env, Function},
};

pub struct Notification {
    pub store: store::NotificationStore,
    pub mailer: ses::Mailer,
    pub texter: sms::Texter,
    /// The shop's public origin, for links in letters.
    pub shop_url: String,
}

impl Notification {
    pub fn new(env: &Env) -> Result<Self, SettingsError> {
        Ok(Self {
            store: store::NotificationStore::new(env.aws.dynamodb(), env.config.table_name.clone()),
            mailer: ses::Mailer::new(env.aws.sesv2(), env.config.require("MAIL_FROM")?),
            texter: sms::Texter::new(aws_sdk_sns::Client::new(env.aws.sdk())),
            shop_url: env
                .config
                .require("SHOP_URL")?
                .trim_end_matches('/')
                .to_string(),
        })
    }
}

pub fn functions() -> Vec<Function> {
    vec![
        sqs_consumer(
            "user-registered",
            "NotificationQueue",
            Notification::new,
            handlers::user_registered::handle,
        ),
        sqs_consumer(
            "user-updated",
            "NotificationUserUpdateQueue",
            Notification::new,
            handlers::user_updated::handle,
        ),
        sqs_consumer(
            "payment-events",
            "NotificationPaymentQueue",
            Notification::new,
            handlers::payment_events::handle,
        ),
        sqs_consumer(
            "gift-card-events",
            "NotificationGiftCardQueue",
            Notification::new,
            handlers::gift_card_events::handle,
        ),
        sqs_consumer(
            "order-events",
            "NotificationOrderQueue",
            Notification::new,
            handlers::order_events::handle,
        ),
    ]
}
