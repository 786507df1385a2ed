//! `user.registered` from auth (SQS `BillingQueue`): opens the client's wallet.

use crate::{domain::Wallet, Billing};
use std::sync::Arc;
use vitrina_shared::{
    envelope::{parse, UserRegistered, USER_REGISTERED},
    sqs::SqsRecord,
};

pub async fn handle(billing: Arc<Billing>, record: SqsRecord) -> Result<(), String> {
    let message =
        parse::<UserRegistered>(&record.body, USER_REGISTERED).map_err(|e| e.to_string())?;
    if message.payload.user_id.is_empty() {
        return Err("user.registered without a user id".into());
    }
    let wallet = Wallet::open(&message.payload.user_id, &chrono::Utc::now().to_rfc3339());
    let opened = billing.store.open_wallet(&wallet).await?;
    tracing::info!(user_id = %wallet.user_id, message_id = %message.id, opened, "wallet");
    Ok(())
}
