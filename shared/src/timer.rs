//! A service's own timer: a delayed SQS message that makes it look at something again later
//! (a payment whose client may have vanished, a stock hold that may have lapsed). The look is
//! idempotent, so arming twice or a redelivered message is harmless. SQS delays one message by
//! at most 15 minutes: what needs longer is looked at then and armed again for the rest.

use crate::{envelope::Envelope, Unavailable};
use serde::Serialize;
use std::time::Duration;

/// SQS's longest delay of one message.
pub const LONGEST_DELAY: Duration = Duration::from_secs(900);

pub struct Timer {
    sqs: aws_sdk_sqs::Client,
    queue_url: String,
}

impl Timer {
    pub fn new(sqs: aws_sdk_sqs::Client, queue_url: String) -> Self {
        Self { sqs, queue_url }
    }

    /// Sends `payload` (an envelope of `kind`) to come back `after` from now: at least a
    /// second, at most SQS's longest delay.
    pub async fn arm<T: Serialize>(
        &self,
        kind: &str,
        correlation_id: &str,
        payload: T,
        after: Duration,
    ) -> Result<(), Unavailable> {
        let body = serde_json::to_string(&Envelope::new(kind, correlation_id, payload))
            .map_err(Unavailable::new)?;
        self.sqs
            .send_message()
            .queue_url(&self.queue_url)
            .message_body(body)
            .delay_seconds(delay_seconds(after))
            .send()
            .await
            .map_err(|e| Unavailable::new(aws_sdk_sqs::error::DisplayErrorContext(e)))?;
        Ok(())
    }
}

fn delay_seconds(after: Duration) -> i32 {
    let seconds = after.clamp(Duration::from_secs(1), LONGEST_DELAY).as_secs();
    i32::try_from(seconds).unwrap_or(900)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delay_is_between_a_second_and_sqs_longest() {
        assert_eq!(delay_seconds(Duration::ZERO), 1);
        assert_eq!(delay_seconds(Duration::from_millis(20_500)), 20);
        assert_eq!(delay_seconds(Duration::from_secs(3600)), 900);
    }
}
