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
        let message = Envelope::new(kind, correlation_id, order);
        vitrina_shared::sqs::send(&self.sqs, &self.queue_url, &message).await
    }
}
