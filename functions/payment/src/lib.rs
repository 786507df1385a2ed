//! payment: the client's means of payment and the payment of orders (S6). Gift cards are
//! activated by their code (billing keeps the card and its balance); orders are paid by a bank
//! card through the bank (`bank.rs`, YooKassa's API) or from the wallet (billing's ledger).

pub mod bank;
pub mod billing;
pub mod domain;
pub mod flow;
pub mod handlers;
pub mod store;
pub mod timer;

use vitrina_shared::{
    config::SettingsError,
    contracts::{
        billing::{CreditGiftCard, CreditWallet, DebitGiftCard, DebitWallet},
        order::PayableOrder,
        payment::{ConfirmPaid, PaymentOfOrder, RefundPayment},
        Remote,
    },
    runtime::{http_route, internal, sqs_consumer, Env, Function, Route},
};

/// The payment routes' part of the API's OpenAPI document (`vitrina-openapi` merges it).
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        handlers::create::handle,
        handlers::get::handle,
        handlers::confirm::handle,
        handlers::methods::handle,
        handlers::gift_card_activate::handle,
        handlers::gift_cards_list::handle,
        handlers::webhook::handle,
    ),
    tags((name = "payment", description = "Paying an order, the saved cards, gift cards, the bank's notifications"))
)]
pub struct PaymentApi;

/// What paying for an order needs: the payments, the bank, order (what to charge) and billing
/// (the wallet), and the queue that tells order the outcome.
pub struct Payments {
    pub store: store::PaymentStore,
    pub bank: bank::YooKassa,
    pub order: Remote<PayableOrder>,
    pub wallet: Remote<DebitWallet>,
    pub gift_card: Remote<DebitGiftCard>,
    /// Refunds (the saga's compensation) credit the wallet or the gift card back.
    pub wallet_credit: Remote<CreditWallet>,
    pub gift_card_credit: Remote<CreditGiftCard>,
    pub sqs: aws_sdk_sqs::Client,
    /// Where the outcome of a payment goes: order's queue, notification's and billing's.
    pub outcome_queues: [String; 3],
    /// The shop's public origin: the bank sends the payer back to `{shop_url}/payment/{id}`.
    pub shop_url: String,
}

impl Payments {
    pub fn new(env: &Env) -> Result<Self, SettingsError> {
        let lambda = env.aws.lambda();
        let bank = bank::YooKassa::new(bank::BankSettings {
            api_url: env.config.require("BANK_API_URL")?,
            credentials: bank::Credentials::Secret(vitrina_shared::secrets::JsonSecret::new(
                aws_sdk_secretsmanager::Client::new(env.aws.sdk()),
                env.config.require("BANK_CREDENTIALS_SECRET")?,
            )),
            timeout: std::time::Duration::from_secs(
                env.config.parse_or("BANK_TIMEOUT_SECONDS", 4)?,
            ),
        })
        .map_err(|e| SettingsError::Invalid {
            name: "BANK_API_URL".into(),
            reason: e.to_string(),
        })?;
        Ok(Self {
            store: store::PaymentStore::new(env.aws.dynamodb(), env.config.table_name.clone()),
            bank,
            order: Remote::new(
                lambda.clone(),
                env.config.require("ORDER_PAYABLE_FUNCTION")?,
            ),
            wallet: Remote::new(
                lambda.clone(),
                env.config.require("BILLING_WALLET_DEBIT_FUNCTION")?,
            ),
            gift_card: Remote::new(
                lambda.clone(),
                env.config.require("BILLING_GIFT_CARD_DEBIT_FUNCTION")?,
            ),
            wallet_credit: Remote::new(
                lambda.clone(),
                env.config.require("BILLING_WALLET_CREDIT_FUNCTION")?,
            ),
            gift_card_credit: Remote::new(
                lambda,
                env.config.require("BILLING_GIFT_CARD_CREDIT_FUNCTION")?,
            ),
            sqs: env.aws.sqs(),
            outcome_queues: [
                env.config.require("ORDER_PAYMENT_QUEUE_URL")?,
                env.config.require("NOTIFICATION_PAYMENT_QUEUE_URL")?,
                env.config.require("BILLING_PAYMENT_QUEUE_URL")?,
            ],
            shop_url: env
                .config
                .require("SHOP_URL")?
                .trim_end_matches('/')
                .to_string(),
        })
    }
}

/// Payments with their timer: starting a payment arms it, and the timer's check settles a
/// payment whose client vanished.
pub struct TimedPayments {
    pub payments: Payments,
    pub timer: timer::Timer,
}

impl TimedPayments {
    pub fn new(env: &Env) -> Result<Self, SettingsError> {
        Ok(Self {
            payments: Payments::new(env)?,
            timer: timer::Timer::new(
                env.aws.sqs(),
                env.config.require("PAYMENT_TIMER_QUEUE_URL")?,
                std::time::Duration::from_secs(env.config.parse_or("PAYMENT_HOLD_SECONDS", 900)?),
            ),
        })
    }
}

/// The payment's timer: payments with their timer, and the operators' queue for what only a
/// person can mend (a refund the bank refused).
pub struct TimerChecks {
    pub timed: TimedPayments,
    pub operators: String,
}

impl TimerChecks {
    pub fn new(env: &Env) -> Result<Self, SettingsError> {
        Ok(Self {
            timed: TimedPayments::new(env)?,
            operators: env.config.require("OPERATOR_QUEUE_URL")?,
        })
    }
}

/// What answers from the payments alone (the saga's confirmation, the saved cards): no bank,
/// no other service.
pub struct PaymentRecords {
    pub store: store::PaymentStore,
}

impl PaymentRecords {
    pub fn new(env: &Env) -> Result<Self, SettingsError> {
        Ok(Self {
            store: store::PaymentStore::new(env.aws.dynamodb(), env.config.table_name.clone()),
        })
    }
}

/// The client's gift cards: activation by code (guesses counted in payment's table) and the
/// list, both answered by billing, which keeps the cards.
pub struct GiftCards {
    pub store: store::PaymentStore,
    pub billing: billing::BillingGiftCards,
}

impl GiftCards {
    pub fn new(env: &Env) -> Result<Self, SettingsError> {
        let lambda = env.aws.lambda();
        Ok(Self {
            store: store::PaymentStore::new(env.aws.dynamodb(), env.config.table_name.clone()),
            billing: billing::BillingGiftCards {
                activate: Remote::new(
                    lambda.clone(),
                    env.config.require("BILLING_GIFT_CARD_ACTIVATE_FUNCTION")?,
                ),
                cards_of: Remote::new(
                    lambda.clone(),
                    env.config.require("BILLING_GIFT_CARDS_OF_FUNCTION")?,
                ),
            },
        })
    }
}

pub fn functions() -> Vec<Function> {
    vec![
        http_route(
            "gift-card-activate",
            Route::post("/api/gift-cards/activate").authorized(),
            GiftCards::new,
            handlers::gift_card_activate::handle,
        ),
        http_route(
            "gift-cards-list",
            Route::get("/api/gift-cards").authorized(),
            GiftCards::new,
            handlers::gift_cards_list::handle,
        ),
        http_route(
            "payment-create",
            Route::post("/api/payments").authorized(),
            TimedPayments::new,
            handlers::create::handle,
        ),
        http_route(
            "payment-get",
            Route::get("/api/payments/{id}").authorized(),
            Payments::new,
            handlers::get::handle,
        ),
        http_route(
            "payment-confirm",
            Route::post("/api/payments/{id}/confirm").authorized(),
            Payments::new,
            handlers::confirm::handle,
        ),
        http_route(
            "payment-methods",
            Route::get("/api/payment-methods").authorized(),
            PaymentRecords::new,
            handlers::methods::handle,
        ),
        internal(RefundPayment, TimedPayments::new, handlers::refund::handle),
        internal(
            ConfirmPaid,
            PaymentRecords::new,
            handlers::confirm_paid::handle,
        ),
        internal(
            PaymentOfOrder,
            PaymentRecords::new,
            handlers::of_order::handle,
        ),
        sqs_consumer(
            "payment-timer",
            "PaymentTimerQueue",
            TimerChecks::new,
            handlers::timer::handle,
        ),
        http_route(
            "payment-webhook",
            Route::post("/api/payments/webhook"),
            Payments::new,
            handlers::webhook::handle,
        ),
    ]
}
