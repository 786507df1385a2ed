//! DynamoDB Streams event sources: a batch of change records in, the first failed record out.
//! Stream records are ordered, so unlike SQS a failure stops the batch: Lambda retries from the
//! reported sequence number (`ReportBatchItemFailures`), the records before it are done.
//! The event types are aws_lambda_events'; its images are serde_dynamo items, decoded with the
//! same types the owning service writes with.

pub use aws_lambda_events::{
    dynamodb::{Event as StreamEvent, EventRecord as StreamRecord},
    streams::{DynamoDbBatchItemFailure, DynamoDbEventResponse},
};
use std::future::Future;

/// The record's partition and sort key values (empty when missing).
pub fn key(record: &StreamRecord) -> (String, String) {
    let s = |k: &str| match record.change.keys.get(k) {
        Some(serde_dynamo::AttributeValue::S(v)) => v.clone(),
        _ => String::new(),
    };
    (s(crate::keys::PK), s(crate::keys::SK))
}

/// Runs `f` on each record in order and stops at the first failure, which is reported so that
/// Lambda retries from it (and, past the mapping's retries, sends it to the on-failure queue).
pub async fn each_change<F, Fut, E>(batch: StreamEvent, f: F) -> DynamoDbEventResponse
where
    F: Fn(StreamRecord) -> Fut,
    Fut: Future<Output = Result<(), E>>,
    E: std::fmt::Display,
{
    let mut response = DynamoDbEventResponse::default();
    for record in batch.records {
        let sequence = record.change.sequence_number.clone();
        if let Err(error) = f(record).await {
            tracing::warn!(sequence_number = ?sequence, error = %error, "change failed");
            let mut failure = DynamoDbBatchItemFailure::default();
            failure.item_identifier = sequence;
            response.batch_item_failures.push(failure);
            break;
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn stream_images_decode_with_the_services_types() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Row {
            #[serde(rename = "PK")]
            pk: String,
            n: i64,
            ok: bool,
            tags: Vec<String>,
        }
        let record: StreamRecord = serde_json::from_value(json!({
            "eventID": "1", "eventName": "INSERT", "awsRegion": "us-east-1",
            "dynamodb": {"SequenceNumber": "7", "SizeBytes": 10,
                "Keys": {"PK": {"S": "USER#1"}, "SK": {"S": "PROFILE"}},
                "NewImage": {"PK": {"S": "USER#1"}, "n": {"N": "42"}, "ok": {"BOOL": true},
                    "tags": {"L": [{"S": "a"}, {"S": "b"}]}}}
        }))
        .unwrap();
        assert_eq!(key(&record), ("USER#1".to_string(), "PROFILE".to_string()));
        let row: Row = serde_dynamo::from_item(record.change.new_image).unwrap();
        assert_eq!(
            row,
            Row {
                pk: "USER#1".into(),
                n: 42,
                ok: true,
                tags: vec!["a".into(), "b".into()]
            }
        );
    }

    #[tokio::test]
    async fn stops_at_the_first_failure_and_reports_it() {
        let record = |seq: &str, pk: &str| {
            json!({"eventID": seq, "eventName": "INSERT", "awsRegion": "us-east-1",
                "dynamodb": {"SequenceNumber": seq, "SizeBytes": 1,
                "Keys": {"PK": {"S": pk}, "SK": {"S": "PROFILE"}}}})
        };
        let batch: StreamEvent = serde_json::from_value(json!({"Records": [
            record("1", "ok"), record("2", "bad"), record("3", "ok")
        ]}))
        .unwrap();
        let seen = std::sync::Mutex::new(Vec::new());
        let out = each_change(batch, |r| {
            let (pk, _) = key(&r);
            seen.lock().unwrap().push(pk.clone());
            async move {
                if pk == "ok" {
                    Ok(())
                } else {
                    Err("nope")
                }
            }
        })
        .await;
        assert_eq!(
            serde_json::to_value(out).unwrap(),
            json!({"batchItemFailures": [{"itemIdentifier": "2"}]})
        );
        assert_eq!(*seen.lock().unwrap(), vec!["ok", "bad"], "3 waits for 2");
    }
}
