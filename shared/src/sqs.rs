//! SQS event sources: a batch in, the ids of the records that failed out
//! (`ReportBatchItemFailures`), so one bad message never makes its batch-mates run again.
//! The event and response types are aws_lambda_events'.

pub use aws_lambda_events::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent, SqsMessage};
use std::future::Future;

/// What a batch keeps of its invocation's time for the record in hand: no record is started with
/// less than this left, nor with less than twice the longest record of the batch so far.
pub const RESERVE: std::time::Duration = std::time::Duration::from_secs(2);

/// Runs `f` on each record in order; a record whose `f` fails is reported for retry (and, past
/// the queue's `maxReceiveCount`, ends in its DLQ). Records that would start with less than
/// [`RESERVE`] (or twice the longest record so far) left before Lambda stops the invocation are
/// handed back unstarted, reported for retry: a slow batch (a loaded table) finishes what it
/// started instead of being cut off mid-record, and the next delivery goes on from there.
pub async fn each_record<F, Fut, E>(batch: SqsEvent, f: F) -> SqsBatchResponse
where
    F: Fn(SqsMessage) -> Fut,
    Fut: Future<Output = Result<(), E>>,
    E: std::fmt::Display,
{
    let mut response = SqsBatchResponse::default();
    let deadline = crate::runtime::invocation_deadline();
    let mut reserve = chrono::Duration::from_std(RESERVE).unwrap_or_default();
    for record in batch.records {
        let id = record.message_id.clone().unwrap_or_default();
        let out_of_time = deadline.is_some_and(|d| d - chrono::Utc::now() < reserve);
        if out_of_time {
            tracing::warn!(message_id = %id, "not started: the invocation's time is nearly up");
            retry(&mut response, id);
            continue;
        }
        let started = chrono::Utc::now();
        let outcome = f(record).await;
        reserve = reserve.max((chrono::Utc::now() - started) * 2);
        if let Err(error) = outcome {
            tracing::warn!(message_id = %id, error = %error, "message failed");
            retry(&mut response, id);
        }
    }
    response
}

fn retry(response: &mut SqsBatchResponse, message_id: String) {
    let mut failure = BatchItemFailure::default();
    failure.item_identifier = message_id;
    response.batch_item_failures.push(failure);
}

/// A message's body; an SQS message always has one, an empty one is refused by its envelope.
pub fn body(message: &SqsMessage) -> &str {
    message.body.as_deref().unwrap_or_default()
}

/// Sends `message` to the queue at `queue_url`. `Unavailable`, naming the message's type and the
/// queue, when SQS does not take it: the sender's caller tries again, and every consumer takes
/// a message twice as once.
pub async fn send<T: serde::Serialize>(
    sqs: &aws_sdk_sqs::Client,
    queue_url: &str,
    message: &crate::envelope::Envelope<T>,
) -> Result<(), crate::Unavailable> {
    let body = serde_json::to_string(message).map_err(crate::Unavailable::new)?;
    sqs.send_message()
        .queue_url(queue_url)
        .message_body(body)
        .send()
        .await
        .map_err(|e| {
            crate::Unavailable(format!(
                "{} to {queue_url}: {}",
                message.kind,
                aws_sdk_sqs::error::DisplayErrorContext(e)
            ))
        })?;
    Ok(())
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

    #[tokio::test]
    async fn hands_back_the_records_it_has_no_time_for() {
        let batch: SqsEvent = serde_json::from_value(json!({"Records": [
            {"messageId": "a", "body": "slow"},
            {"messageId": "b", "body": "next"}
        ]}))
        .unwrap();
        let started = std::sync::Mutex::new(Vec::new());
        // The invocation has RESERVE and a bit left; the first record takes the bit.
        let deadline = chrono::Utc::now()
            + chrono::Duration::from_std(RESERVE).unwrap()
            + chrono::Duration::milliseconds(300);
        let out = crate::runtime::within_deadline(deadline.timestamp_millis() as u64, async {
            each_record(batch, |r| {
                started.lock().unwrap().push(body(&r).to_string());
                async {
                    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
                    Ok::<_, &str>(())
                }
            })
            .await
        })
        .await;
        assert_eq!(*started.lock().unwrap(), vec!["slow"]);
        assert_eq!(
            serde_json::to_value(out).unwrap(),
            json!({"batchItemFailures": [{"itemIdentifier": "b"}]})
        );
    }
}
