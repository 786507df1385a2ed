//! SQS event sources: a batch in, the ids of the records that failed out
//! (`ReportBatchItemFailures`), so one bad message never makes its batch-mates run again.

use serde::Deserialize;
use serde_json::{json, Value};
use std::future::Future;

#[derive(Debug, Deserialize)]
pub struct SqsBatch {
    #[serde(rename = "Records", default)]
    pub records: Vec<SqsRecord>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SqsRecord {
    pub message_id: String,
    #[serde(default)]
    pub body: String,
}

/// Runs `f` on each record in order; a record whose `f` fails is reported for retry (and, past
/// the queue's `maxReceiveCount`, ends in its DLQ).
pub async fn each_record<F, Fut>(batch: SqsBatch, f: F) -> Value
where
    F: Fn(SqsRecord) -> Fut,
    Fut: Future<Output = Result<(), String>>,
{
    let mut failures = Vec::new();
    for record in batch.records {
        let id = record.message_id.clone();
        if let Err(error) = f(record).await {
            tracing::warn!(message_id = %id, error = %error, "message failed");
            failures.push(json!({ "itemIdentifier": id }));
        }
    }
    json!({ "batchItemFailures": failures })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reports_only_failed_records() {
        let batch: SqsBatch = serde_json::from_value(json!({"Records": [
            {"messageId": "a", "body": "ok"},
            {"messageId": "b", "body": "bad"},
            {"messageId": "c", "body": "ok"}
        ]}))
        .unwrap();
        let out = each_record(batch, |r| async move {
            if r.body == "ok" {
                Ok(())
            } else {
                Err("nope".to_string())
            }
        })
        .await;
        assert_eq!(out, json!({"batchItemFailures": [{"itemIdentifier": "b"}]}));
    }
}
