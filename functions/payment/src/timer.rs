//! The payment's timer: a delayed SQS message per payment (`PaymentTimerQueue`), armed before
//! any money can be held, so that a payment whose client vanished is settled by the shop, not
//! left hanging: money held and claimed by "Оплатить" is taken; money held and never confirmed
//! is released (`handlers::timer`). SQS delays a message by at most 15 minutes; a payment that
//! needs longer is looked at again by a new message.

use serde::{Deserialize, Serialize};
use std::time::Duration;
use vitrina_shared::envelope::Envelope;

/// The message's kind in its envelope.
pub const PAYMENT_CHECK: &str = "payment.check";

/// SQS's longest delay of one message.
const LONGEST_DELAY: Duration = Duration::from_secs(900);

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentCheck {
    pub payment_id: String,
}

pub struct Timer {
    sqs: aws_sdk_sqs::Client,
    queue_url: String,
    /// How long money may be held without "Оплатить" before it is released.
    pub hold: Duration,
}

impl Timer {
    pub fn new(sqs: aws_sdk_sqs::Client, queue_url: String, hold: Duration) -> Self {
        Self {
            sqs,
            queue_url,
            hold: hold.min(LONGEST_DELAY),
        }
    }

    /// Looks at the payment again `after` from now (at least a second, at most SQS's longest
    /// delay). Arming twice is harmless: the check is idempotent.
    pub async fn arm(&self, payment_id: &str, after: Duration) -> Result<(), String> {
        let message = Envelope::new(
            PAYMENT_CHECK,
            payment_id,
            PaymentCheck {
                payment_id: payment_id.into(),
            },
        );
        let body = serde_json::to_string(&message).map_err(|e| e.to_string())?;
        let seconds = after.clamp(Duration::from_secs(1), LONGEST_DELAY).as_secs();
        self.sqs
            .send_message()
            .queue_url(&self.queue_url)
            .message_body(body)
            .delay_seconds(i32::try_from(seconds).unwrap_or(900))
            .send()
            .await
            .map_err(|e| aws_sdk_sqs::error::DisplayErrorContext(e).to_string())?;
        Ok(())
    }
}
