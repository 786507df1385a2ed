//! The way to orchestra: its queue. A paid order is handed over (`order.paid`), a paid order
//! the client cancels is handed back (`order.cancel_requested`); orchestra's saga does the rest.

use vitrina_shared::{
    config::SettingsError,
    envelope::{Envelope, OrderPaid},
    runtime::Env,
    Unavailable,
};

pub struct ToOrchestra {
    sqs: aws_sdk_sqs::Client,
    queue_url: String,
}

impl ToOrchestra {
    pub fn new(env: &Env) -> Result<Self, SettingsError> {
        Ok(Self {
            sqs: env.aws.sqs(),
            queue_url: env.config.require("ORCHESTRA_QUEUE_URL")?,
        })
    }

    pub async fn send(
        &self,
        kind: &str,
        correlation_id: &str,
        order: OrderPaid,
    ) -> Result<(), Unavailable> {
        let body = serde_json::to_string(&Envelope::new(kind, correlation_id, order))
            .map_err(Unavailable::new)?;
        self.sqs
            .send_message()
            .queue_url(&self.queue_url)
            .message_body(body)
            .send()
            .await
            .map_err(|e| {
                Unavailable(format!(
                    "{kind} to orchestra: {}",
                    aws_sdk_sqs::error::DisplayErrorContext(e)
                ))
            })?;
        Ok(())
    }
}
