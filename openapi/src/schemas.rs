//! The internal contracts as JSON Schemas (schemars), from the same Rust types the services
//! exchange: each function another service or the saga invokes (`functions/<handler>.request`
//! and `.response`), and each message on a queue (`messages/<type>`: the envelope with its
//! payload). `make openapi` writes them under `docs/schemas/`; a test holds the files equal to a
//! fresh generation.

use schemars::{generate::SchemaSettings, JsonSchema};
use serde_json::Value;
use vitrina_shared::{
    contracts::{billing, delivery, order, payment, store, Contract},
    envelope::{self, Envelope},
};

/// Every schema by its path under `docs/schemas/` (without `.json`), in a stable order.
pub fn all() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    contract::<billing::ActivateGiftCard>(&mut out);
    contract::<billing::DebitWallet>(&mut out);
    contract::<billing::DebitGiftCard>(&mut out);
    contract::<billing::CreditGiftCard>(&mut out);
    contract::<billing::CreditWallet>(&mut out);
    contract::<billing::GiftCardsOf>(&mut out);
    contract::<delivery::ChooseDelivery>(&mut out);
    contract::<delivery::OpenDeliveryCase>(&mut out);
    contract::<delivery::CancelDeliveryCase>(&mut out);
    contract::<delivery::MoveDeliveryCase>(&mut out);
    contract::<order::PayableOrder>(&mut out);
    contract::<order::ReportOrderStatus>(&mut out);
    contract::<payment::RefundPayment>(&mut out);
    contract::<payment::ConfirmPaid>(&mut out);
    contract::<payment::PaymentOfOrder>(&mut out);
    contract::<store::SnapshotProducts>(&mut out);
    contract::<store::HoldStock>(&mut out);
    contract::<store::ReserveStock>(&mut out);
    contract::<store::ReleaseStock>(&mut out);
    contract::<store::MovePickingCase>(&mut out);
    contract::<store::PickingCaseOf>(&mut out);
    message::<envelope::UserRegistered>(&mut out, envelope::USER_REGISTERED);
    message::<envelope::UserUpdated>(&mut out, envelope::USER_UPDATED);
    message::<envelope::CatalogChanged>(&mut out, envelope::CATALOG_CHANGED);
    message::<envelope::PaymentOutcome>(&mut out, envelope::PAYMENT_SUCCEEDED);
    message::<envelope::PaymentOutcome>(&mut out, envelope::PAYMENT_FAILED);
    message::<envelope::OrderPaid>(&mut out, envelope::ORDER_PAID);
    message::<envelope::OrderPaid>(&mut out, envelope::ORDER_CANCEL_REQUESTED);
    message::<envelope::OrderStatusChanged>(&mut out, envelope::ORDER_STATUS);
    message::<envelope::GiftCardIssued>(&mut out, envelope::GIFT_CARD_ISSUED);
    out
}

/// One type's schema (draft 2020-12, its named parts under `$defs`).
pub fn of<T: JsonSchema>() -> Value {
    let schema = SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<T>();
    schema.to_value()
}

fn contract<C: Contract>(out: &mut Vec<(String, Value)>) {
    out.push((
        format!("functions/{}.request", C::HANDLER),
        of::<C::Request>(),
    ));
    out.push((
        format!("functions/{}.response", C::HANDLER),
        of::<C::Response>(),
    ));
}

fn message<T: JsonSchema>(out: &mut Vec<(String, Value)>, kind: &str) {
    let mut schema = of::<Envelope<T>>();
    // The envelope's `type` is this message's, nothing else.
    schema["properties"]["type"] = serde_json::json!({ "const": kind });
    schema["title"] = Value::String(kind.to_string());
    out.push((format!("messages/{kind}"), schema));
}

/// A schema as its file holds it: pretty JSON with a final newline.
pub fn text(schema: &Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).expect("a schema serialises");
    text.push('\n');
    text
}
