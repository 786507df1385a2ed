//! Small helpers over the single table that every service's store uses. They know keys and
//! conditions, never a service's item shapes.

use crate::{error::StoreError, keys};
use aws_sdk_dynamodb::{types::AttributeValue, Client};
use serde::{de::DeserializeOwned, Serialize};
use std::collections::HashMap;

pub type Item = HashMap<String, AttributeValue>;

/// The primary key attributes of `(PK, SK)`.
pub fn key((pk, sk): (String, String)) -> Item {
    HashMap::from([
        (keys::PK.to_string(), AttributeValue::S(pk)),
        (keys::SK.to_string(), AttributeValue::S(sk)),
    ])
}

/// `value` as an item stored under `(PK, SK)`.
pub fn item<T: Serialize>(k: (String, String), value: &T) -> Result<Item, StoreError> {
    let mut item: Item = serde_dynamo::to_item(value)?;
    item.extend(key(k));
    Ok(item)
}

/// A conditional write's result as "did it happen": a failed condition is `false`, not an error.
pub fn written<T>(result: Result<T, StoreError>) -> Result<bool, StoreError> {
    match result {
        Ok(_) => Ok(true),
        Err(StoreError::Conflict) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Puts the item, replacing whatever was under its key: for items whose writes are the same
/// whenever repeated (a link, a device's subscription).
pub async fn put(db: &Client, table: &str, item: Item) -> Result<(), StoreError> {
    db.put_item()
        .table_name(table)
        .set_item(Some(item))
        .send()
        .await?;
    Ok(())
}

/// Puts the item unless one exists under its key; answers whether this call created it. The
/// idempotent "open once" of consumers that may see a message twice.
pub async fn put_if_absent(db: &Client, table: &str, item: Item) -> Result<bool, StoreError> {
    let result = db
        .put_item()
        .table_name(table)
        .set_item(Some(item))
        .condition_expression("attribute_not_exists(PK)")
        .send()
        .await;
    written(result.map_err(StoreError::from))
}

/// Replaces the item on condition that its `status` is still `from` (the status it was read
/// in): one step of a case or a record moved by whoever read it. `Conflict` when it moved
/// meanwhile.
pub async fn replace_if_status(
    db: &Client,
    table: &str,
    item: Item,
    from: &str,
) -> Result<(), StoreError> {
    db.put_item()
        .table_name(table)
        .set_item(Some(item))
        .condition_expression("#status = :from")
        .expression_attribute_names("#status", "status")
        .expression_attribute_values(":from", AttributeValue::S(from.into()))
        .send()
        .await?;
    Ok(())
}

/// The item under `k`, decoded; strongly consistent when `consistent`.
pub async fn get<T: DeserializeOwned>(
    db: &Client,
    table: &str,
    k: (String, String),
    consistent: bool,
) -> Result<Option<T>, StoreError> {
    let out = db
        .get_item()
        .table_name(table)
        .set_key(Some(key(k)))
        .consistent_read(consistent)
        .send()
        .await?;
    Ok(out.item.map(serde_dynamo::from_item).transpose()?)
}

/// The items of partition `pk` whose sort key begins with `sk_prefix`, decoded, read strongly
/// consistently, every page: a wallet's ledger, a client's links to providers.
pub async fn query_prefix<T: DeserializeOwned>(
    db: &Client,
    table: &str,
    pk: String,
    sk_prefix: &str,
) -> Result<Vec<T>, StoreError> {
    let items: Vec<Item> = db
        .query()
        .table_name(table)
        .key_condition_expression("PK = :pk AND begins_with(SK, :prefix)")
        .expression_attribute_values(":pk", AttributeValue::S(pk))
        .expression_attribute_values(":prefix", AttributeValue::S(sk_prefix.into()))
        .consistent_read(true)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await?;
    Ok(serde_dynamo::from_items(items)?)
}

/// Takes one of `max` attempts in the counter's window before the attempt is checked: one
/// conditional `ADD`, so parallel attempts cannot all see room (reading the count, checking the
/// password, then writing let a burst as large as the concurrency through). `false`: none left.
/// An attempt that turns out right is given back with [`give_back_attempt`].
pub async fn take_attempt(
    db: &Client,
    table: &str,
    k: (String, String),
    max: u32,
    expires_at: i64,
) -> Result<bool, StoreError> {
    let result = db
        .update_item()
        .table_name(table)
        .set_key(Some(key(k)))
        .update_expression("ADD failures :one SET #ttl = :e")
        .condition_expression("attribute_not_exists(failures) OR failures < :max")
        .expression_attribute_names("#ttl", keys::EXPIRES_AT)
        .expression_attribute_values(":one", AttributeValue::N("1".into()))
        .expression_attribute_values(":max", AttributeValue::N(max.to_string()))
        .expression_attribute_values(":e", AttributeValue::N(expires_at.to_string()))
        .send()
        .await;
    written(result.map_err(StoreError::from))
}

/// Gives back an attempt [`take_attempt`] took, when it was not a failure after all.
pub async fn give_back_attempt(
    db: &Client,
    table: &str,
    k: (String, String),
) -> Result<(), StoreError> {
    db.update_item()
        .table_name(table)
        .set_key(Some(key(k)))
        .update_expression("ADD failures :minus")
        .condition_expression("failures > :zero")
        .expression_attribute_values(":minus", AttributeValue::N("-1".into()))
        .expression_attribute_values(":zero", AttributeValue::N("0".into()))
        .send()
        .await
        .map(|_| ())
        .or_else(|e| match StoreError::from(e) {
            // Nothing to give back (the window's counter expired meanwhile).
            StoreError::Conflict => Ok(()),
            other => Err(other),
        })
}

/// What a cancelled `TransactWriteItems` means: a failed condition is `Conflict` (a uniqueness
/// clash, or a lost race on a version); a conflict with another in-flight transaction is
/// `Busy` (worth a retry); anything else is the SDK's error.
pub fn transaction_error(
    err: aws_sdk_dynamodb::error::SdkError<
        aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError,
        aws_sdk_dynamodb::config::http::HttpResponse,
    >,
) -> StoreError {
    use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
    if let Some(TransactWriteItemsError::TransactionCanceledException(c)) = err.as_service_error() {
        let codes: Vec<&str> = c
            .cancellation_reasons()
            .iter()
            .filter_map(|r| r.code())
            .collect();
        if codes.contains(&"ConditionalCheckFailed") {
            return StoreError::Conflict;
        }
        if codes.contains(&"TransactionConflict") {
            return StoreError::Busy("TransactionConflict".into());
        }
    }
    err.into()
}

/// Waits before attempt `attempt` (1, 2, …) of a write that lost a race or a batch DynamoDB
/// left partly unprocessed: "full jitter" (a random pause up to 10 ms · 2^attempt, at most
/// 640 ms), so contenders that collided once spread out instead of colliding again in step.
pub async fn backoff(attempt: u32) {
    let ceiling = 10u64 << attempt.min(6);
    let mut bytes = [0u8; 8];
    // Without randomness the pause is the ceiling: slower, never wrong.
    let random = getrandom::getrandom(&mut bytes)
        .map(|()| u64::from_le_bytes(bytes))
        .unwrap_or(u64::MAX);
    let pause = random % (ceiling + 1);
    tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
}
