//! notification: clients' notification accounts with their channels (e-mail, SMS, the devices
//! of web push), and what was sent to them. Its consumers read SQS; the client's devices are
//! kept through the API.

pub mod domain;
pub mod flow;
pub mod handlers;
pub mod push;
pub mod ses;
pub mod sms;
pub mod store;

use vitrina_shared::{
    config::SettingsError,
    runtime::{http_route, sqs_consumer, Env, Function, Route},
    secrets,
};

pub struct Notification {
    pub store: store::NotificationStore,
    pub mailer: ses::Mailer,
    pub texter: sms::Texter,
    /// Web push, for the consumers whose messages a device shows (`with_push`).
    pub pusher: Option<push::Pusher>,
    /// The key of the letters' one-click unsubscribe links, for the consumer of messages the
    /// client may turn off (`for_order_news`).
    pub unsubscribe_key: Option<secrets::JsonSecret<flow::unsubscribe::UnsubscribeKey>>,
    /// The shop's public origin, for links in letters.
    pub shop_url: String,
}

impl Notification {
    pub fn new(env: &Env) -> Result<Self, SettingsError> {
        Ok(Self {
            store: store(env),
            mailer: ses::Mailer::new(env.aws.sesv2(), env.config.require("MAIL_FROM")?),
            texter: sms::Texter::new(aws_sdk_sns::Client::new(env.aws.sdk())),
            pusher: None,
            unsubscribe_key: None,
            shop_url: env
                .config
                .require("SHOP_URL")?
                .trim_end_matches('/')
                .to_string(),
        })
    }

    /// With web push too: the payment's result reaches the client's devices.
    pub fn with_push(env: &Env) -> Result<Self, SettingsError> {
        Ok(Self {
            pusher: Some(pusher(env)?),
            ..Self::new(env)?
        })
    }

    /// An order's news: by push too, and its letters with a one-click unsubscribe.
    pub fn for_order_news(env: &Env) -> Result<Self, SettingsError> {
        Ok(Self {
            unsubscribe_key: Some(unsubscribe_key(env)?),
            ..Self::with_push(env)?
        })
    }
}

/// The one-click unsubscribe of letters (`POST /api/notifications/unsubscribe`).
pub struct Unsubscribes {
    pub store: store::NotificationStore,
    pub key: secrets::JsonSecret<flow::unsubscribe::UnsubscribeKey>,
}

impl Unsubscribes {
    pub fn new(env: &Env) -> Result<Self, SettingsError> {
        Ok(Self {
            store: store(env),
            key: unsubscribe_key(env)?,
        })
    }
}

/// The secret the unsubscribe links are signed with (`UNSUBSCRIBE_KEY_SECRET`).
fn unsubscribe_key(
    env: &Env,
) -> Result<secrets::JsonSecret<flow::unsubscribe::UnsubscribeKey>, SettingsError> {
    Ok(secrets::JsonSecret::new(
        aws_sdk_secretsmanager::Client::new(env.aws.sdk()),
        env.config.require("UNSUBSCRIBE_KEY_SECRET")?,
    ))
}

/// «Личный кабинет» → «Уведомления»: the client's choice of channels per kind of message, and
/// a device the client forgets — what needs the client's items and nothing else.
pub struct Choices {
    pub store: store::NotificationStore,
}

impl Choices {
    pub fn new(env: &Env) -> Result<Self, SettingsError> {
        Ok(Self { store: store(env) })
    }
}

/// The devices web push reaches, kept from «Личный кабинет» → «Уведомления».
pub struct PushDevices {
    pub store: store::NotificationStore,
    pub pusher: push::Pusher,
    /// The push services a subscription's endpoint may be at (`PUSH_SERVICES`).
    pub services: domain::push::PushServices,
}

impl PushDevices {
    pub fn new(env: &Env) -> Result<Self, SettingsError> {
        let services = env.config.require("PUSH_SERVICES")?;
        Ok(Self {
            store: store(env),
            pusher: pusher(env)?,
            services: domain::push::PushServices::parse(&services).map_err(|reason| {
                SettingsError::Invalid {
                    name: "PUSH_SERVICES".into(),
                    reason,
                }
            })?,
        })
    }
}

fn store(env: &Env) -> store::NotificationStore {
    store::NotificationStore::new(env.aws.dynamodb(), env.config.table_name.clone())
}

/// The VAPID key's secret (`VAPID_SECRET`), read at the first push; the push services' contact
/// is the shop's sender (`MAIL_FROM`).
fn pusher(env: &Env) -> Result<push::Pusher, SettingsError> {
    let secret = secrets::JsonSecret::new(
        aws_sdk_secretsmanager::Client::new(env.aws.sdk()),
        env.config.require("VAPID_SECRET")?,
    );
    let subject = format!("mailto:{}", env.config.require("MAIL_FROM")?);
    push::Pusher::new(secret, subject).map_err(|reason| SettingsError::Invalid {
        name: "VAPID_SECRET".into(),
        reason,
    })
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
            Notification::with_push,
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
            Notification::for_order_news,
            handlers::order_events::handle,
        ),
        http_route(
            "notification-preferences",
            Route::get("/api/notifications/preferences").authorized(),
            Choices::new,
            handlers::preferences_get::handle,
        ),
        http_route(
            "notification-preferences-put",
            Route::put("/api/notifications/preferences").authorized(),
            Choices::new,
            handlers::preferences_put::handle,
        ),
        http_route(
            "notification-unsubscribe",
            Route::post("/api/notifications/unsubscribe"),
            Unsubscribes::new,
            handlers::unsubscribe::handle,
        ),
        http_route(
            "push-devices",
            Route::get("/api/push/subscriptions").authorized(),
            PushDevices::new,
            handlers::push_devices::handle,
        ),
        http_route(
            "push-subscribe",
            Route::post("/api/push/subscriptions").authorized(),
            PushDevices::new,
            handlers::push_subscribe::handle,
        ),
        http_route(
            "push-unsubscribe",
            Route::delete("/api/push/subscriptions/{subscriptionId}").authorized(),
            Choices::new,
            handlers::push_unsubscribe::handle,
        ),
    ]
}

/// notification's part of the API's OpenAPI document: the client's devices for web push.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        handlers::preferences_get::handle,
        handlers::preferences_put::handle,
        handlers::unsubscribe::handle,
        handlers::push_devices::handle,
        handlers::push_subscribe::handle,
        handlers::push_unsubscribe::handle
    ),
    tags((name = "notification", description = "The client's channels: which kinds of message go by e-mail, SMS and web push, and the devices web push reaches"))
)]
pub struct NotificationApi;
