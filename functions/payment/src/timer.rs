//! The payment's timer: a delayed SQS message per payment (`PaymentTimerQueue`), armed before
//! any money can be held, so that a payment whose client vanished is settled by the shop, not
//! left hanging: money held and claimed by "Оплатить" is taken; money held and never confirmed
//! is released (`flow::timer`). A payment that needs longer than SQS's 15-minute delay is
//! looked at again by a new message.

use serde::{Deserialize, Serialize};
use std::time::Duration;
use vitrina_shared::{
    timer::{self, LONGEST_DELAY},
    Unavailable,
};

/// The message's kind in its envelope.
pub const PAYMENT_CHECK: &str = "payment.check";

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentCheck {
    pub payment_id: String,
}

pub struct Timer {
    inner: timer::Timer,
    /// How long money may be held without "Оплатить" before it is released.
    pub hold: Duration,
}

impl Timer {
    pub fn new(sqs: aws_sdk_sqs::Client, queue_url: String, hold: Duration) -> Self {
        Self {
            inner: timer::Timer::new(sqs, queue_url),
            hold: hold.min(LONGEST_DELAY),
        }
    }

    /// Looks at the payment again `after` from now (at least a second, at most SQS's longest
    /// delay). Arming twice is harmless: the check is idempotent.
    pub async fn arm(&self, payment_id: &str, after: Duration) -> Result<(), Unavailable> {
        let check = PaymentCheck {
            payment_id: payment_id.into(),
        };
        self.inner
            .arm(PAYMENT_CHECK, payment_id, check, after)
            .await
    }
}
