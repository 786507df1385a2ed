//! `user.registered` from auth (SQS `BillingQueue`): opens the client's wallet.

use crate::{domain::Wallet, Billing};
use std::sync::Arc;
use vitrina_shared::{
    envelope::{parse, UserRegistered, USER_REGISTERED},
    sqs::{self, SqsMessage},
    ConsumeError,
};

pub async fn handle(billing: Arc<Billing>, record: SqsMessage) -> Result<(), ConsumeError> {
    let message = parse::<UserRegistered>(sqs::body(&record), USER_REGISTERED)?;
    if message.payload.user_id.is_empty() {
        return Err(ConsumeError::Malformed(
            "user.registered without a user id".into(),
        ));
    }
    let wallet = Wallet::open(&message.payload.user_id, &chrono::Utc::now().to_rfc3339());
    let opened = billing.store.open_wallet(&wallet).await?;
    tracing::info!(user_id = %wallet.user_id, message_id = %message.id, opened, "wallet");
    Ok(())
}
