//! One file per function, named as its handler (without the service's `payment-`): each parses
//! its request, calls the workflow in `crate::flow` and maps the answer.

pub mod confirm;
pub mod confirm_paid;
pub mod create;
pub mod get;
pub mod gift_card_activate;
pub mod gift_cards_list;
pub mod methods;
pub mod of_order;
pub mod refund;
pub mod timer;
pub mod webhook;

use crate::domain::payment::{Method, Payment, Status};
use lambda_http::Request;
use serde::Serialize;
use vitrina_shared::{
    contracts::{billing::GiftCard, payment::PaymentFailure},
    money::format_rub,
    ApiError,
};

/// A card as the client sees it: billing's view and its balance formatted in rubles.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CardView {
    #[serde(flatten)]
    pub card: GiftCard,
    /// The balance: «1 234,50 ₽».
    pub formatted: String,
}

impl From<GiftCard> for CardView {
    fn from(card: GiftCard) -> Self {
        let formatted = format_rub(card.balance);
        Self { card, formatted }
    }
}

/// A payment as its client sees it (`POST /api/payments`, `GET /api/payments/{id}`, «Оплатить»).
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaymentView {
    pub payment_id: String,
    pub order_id: String,
    /// Kopecks.
    pub amount: i64,
    pub method: Method,
    #[schema(value_type = crate::domain::payment::Status)]
    pub status: Status,
    /// Why it failed: a stable code the web client words in Russian.
    pub failure: Option<PaymentFailure>,
    /// The card, once the bank names it ("Mir *0004").
    pub card: Option<String>,
    /// Whether «Оплатить» may be pressed.
    pub confirmable: bool,
    /// Where the payer goes next (a card) while the bank waits for them.
    pub redirect_url: Option<String>,
    /// What the SBP QR code shows while the bank waits for the payer.
    pub qr_link: Option<String>,
}

impl From<Payment> for PaymentView {
    fn from(p: Payment) -> Self {
        let with_payer = p.status == Status::AwaitingPayer;
        Self {
            confirmable: p.confirmable(),
            redirect_url: p.confirmation_url.filter(|_| with_payer),
            qr_link: p.qr_link.filter(|_| with_payer),
            payment_id: p.payment_id,
            order_id: p.order_id,
            amount: p.amount,
            method: p.method,
            status: p.status,
            failure: p.failure,
            card: p.card,
        }
    }
}

/// The `{id}` of a payment's route: payment ids are the shop's UUIDs, anything else is simply
/// not found (and never reaches a key).
fn payment_id(req: &Request) -> Result<String, ApiError> {
    vitrina_shared::http::path_uuid(req, "id")
        .ok_or_else(|| crate::flow::PaymentError::PaymentNotFound.into())
}
