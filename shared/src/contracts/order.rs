//! order's `order-payable`, for payment: an order the client may pay now, with its total.
//! The amount of a payment always comes from here, never from what the browser sends.

use super::Contract;
use serde::{Deserialize, Serialize};

pub struct PayableOrder;

impl Contract for PayableOrder {
    const HANDLER: &'static str = "order-payable";
    type Request = PayableRequest;
    type Response = OrderToPay;
    type Refusal = PayableRefusal;
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PayableRequest {
    pub user_id: String,
    pub order_id: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct OrderToPay {
    pub order_id: String,
    pub user_id: String,
    /// Kopecks: the goods at the prices frozen when the order was placed, plus delivery.
    pub total: i64,
    /// For the bank statement and the receipt ("Заказ № …").
    pub description: String,
}

crate::refusals! {
    pub enum PayableRefusal {
        /// No such order of this client.
        OrderNotFound,
        /// Paid already, or taken back into the cart.
        OrderNotPayable,
    }
}
