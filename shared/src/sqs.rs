//! SQS event sources: a batch in, the ids of the records that failed out
//! (`ReportBatchItemFailures`), so one bad message never makes its batch-mates run again.
//! The event and response types are aws_lambda_events'.

pub use aws_lambda_events::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent, SqsMessage};
use std::future::Future;

/// Runs `f` on each record in order; a record whose `f` fails is reported for retry (and, past
/// the queue's `maxReceiveCount`, ends in its DLQ).
pub async fn each_record<F, Fut, E>(batch: SqsEvent, f: F) -> SqsBatchResponse
where
    F: Fn(SqsMessage) -> Fut,
    Fut: Future<Output = Result<(), E>>,
    E: std::fmt::Display,
{
    let mut response = SqsBatchResponse::default();
    for record in batch.records {
        let id = record.message_id.clone().unwrap_or_default();
        if let Err(error) = f(record).await {
            tracing::warn!(message_id = %id, error = %error, "message failed");
            let mut failure = BatchItemFailure::default();
            failure.item_identifier = id;
            response.batch_item_failures.push(failure);
        }
    }
    response
}

/// A message's body; an SQS message always has one, an empty one is refused by its envelope.
pub fn body(message: &SqsMessage) -> &str {
    message.body.as_deref().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[tokio::test]
    async fn reports_only_failed_records() {
        let batch: SqsEvent = serde_json::from_value(json!({"Records": [
            {"messageId": "a", "body": "ok"},
            {"messageId": "b", "body": "bad"},
            {"messageId": "c", "body": "ok"}
        ]}))
        .unwrap();
        let out = each_record(batch, |r| async move {
            if body(&r) == "ok" {
                Ok(())
            } else {
                Err("nope")
            }
        })
        .await;
        assert_eq!(
            serde_json::to_value(out).unwrap(),
            json!({"batchItemFailures": [{"itemIdentifier": "b"}]})
        );
    }
}
