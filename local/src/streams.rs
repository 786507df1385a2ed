//! DynamoDB Streams event-source mappings, as Lambda runs them: read the table's stream in
//! order, keep the records that pass the mapping's filters, hand them to the function in
//! batches. A failed batch is retried from the failed record (`ReportBatchItemFailures`) or
//! whole; past `MaximumRetryAttempts` a description of it goes to the on-failure queue and the
//! stream moves on. moto serves the stream; this is the part of Lambda that reads it.
//!
//! With `BisectBatchOnFunctionError`, what failed is split in two and each half delivered in
//! order (a split is not a retry), so a record that keeps failing ends up alone: it alone is
//! given up, its neighbours are delivered.
//!
//! Deviation, for fast tests: a failed batch is retried after `retry_delay`, not with Lambda's
//! backoff.

use crate::host::Host;
use crate::template::StreamMapping;
use aws_sdk_dynamodbstreams::types::{AttributeValue, Record, ShardIteratorType};
use base64::Engine;
use serde_json::{json, Map, Value};
use std::{sync::Arc, time::Duration};

pub struct Mapping {
    pub function: String,
    pub spec: StreamMapping,
    pub stream_arn: String,
    /// The on-failure queue's URL.
    pub on_failure: Option<String>,
}

pub struct Clients {
    pub streams: aws_sdk_dynamodbstreams::Client,
    pub sqs: aws_sdk_sqs::Client,
}

pub fn start(host: Arc<Host>, clients: Arc<Clients>, mapping: Mapping, retry_delay: Duration) {
    tokio::spawn(async move {
        loop {
            if let Err(e) = follow(&host, &clients, &mapping, retry_delay).await {
                tracing::warn!(stream = %mapping.stream_arn, error = %e, "stream read failed");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    });
}

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

/// Reads the stream's shard from the mapping's starting position for as long as it lives.
async fn follow(
    host: &Host,
    clients: &Clients,
    mapping: &Mapping,
    retry_delay: Duration,
) -> Result<(), String> {
    let shards = clients
        .streams
        .describe_stream()
        .stream_arn(&mapping.stream_arn)
        .send()
        .await
        .map_err(err)?
        .stream_description
        .and_then(|d| d.shards)
        .unwrap_or_default();
    let shard = shards
        .first()
        .and_then(|s| s.shard_id.clone())
        .ok_or("the stream has no shard")?;
    let mut iterator = clients
        .streams
        .get_shard_iterator()
        .stream_arn(&mapping.stream_arn)
        .shard_id(shard)
        .shard_iterator_type(ShardIteratorType::from(
            mapping.spec.starting_position.as_str(),
        ))
        .send()
        .await
        .map_err(err)?
        .shard_iterator
        .ok_or("no shard iterator")?;
    loop {
        let out = clients
            .streams
            .get_records()
            .shard_iterator(&iterator)
            .limit(1000)
            .send()
            .await
            .map_err(err)?;
        let records: Vec<Value> = out
            .records
            .unwrap_or_default()
            .iter()
            .map(|r| record(r, &mapping.stream_arn))
            .filter(|r| passes(&mapping.spec.filters, r))
            .collect();
        let read_all = records.is_empty();
        for batch in records.chunks(mapping.spec.batch_size.clamp(1, 1000) as usize) {
            deliver(host, clients, mapping, batch, retry_delay).await;
        }
        iterator = out.next_shard_iterator.ok_or("the shard was closed")?;
        if read_all {
            // moto answers at once when there is nothing new: do not spin.
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

/// Invokes until the batch is done or out of retries (then reports it to the on-failure queue).
async fn deliver(
    host: &Host,
    clients: &Clients,
    mapping: &Mapping,
    batch: &[Value],
    retry_delay: Duration,
) {
    // Batches still to deliver, in stream order: bisection pushes the two halves of a failed one.
    let mut pending = vec![batch.to_vec()];
    while let Some(mut rest) = pending.pop() {
        let mut attempts = 0u32;
        while !rest.is_empty() {
            let Some(from) = failed_from(host, mapping, &rest).await else {
                break;
            };
            rest.drain(..from);
            if mapping.spec.bisect_on_error && rest.len() > 1 {
                let second = rest.split_off(rest.len() / 2);
                pending.push(second);
                pending.push(std::mem::take(&mut rest));
                break;
            }
            attempts += 1;
            if attempts > mapping.spec.maximum_retry_attempts {
                give_up(clients, mapping, &rest).await;
                break;
            }
            tokio::time::sleep(retry_delay).await;
        }
    }
}

/// One invocation; `None` when every record succeeded, else the position of the first failed
/// one (0 when the whole invocation failed).
async fn failed_from(host: &Host, mapping: &Mapping, records: &[Value]) -> Option<usize> {
    match host
        .invoke(&mapping.function, json!({ "Records": records }))
        .await
    {
        Ok(result) if mapping.spec.report_item_failures => {
            result["batchItemFailures"].as_array().and_then(|f| {
                f.iter()
                    .filter_map(|i| i["itemIdentifier"].as_str())
                    .filter_map(|seq| {
                        records
                            .iter()
                            .position(|r| r["dynamodb"]["SequenceNumber"] == seq)
                    })
                    .min()
            })
        }
        Ok(_) => None,
        Err(e) => {
            tracing::warn!(function = %mapping.function, error_type = %e.error_type,
                error = %e.error_message, "stream batch failed");
            Some(0)
        }
    }
}

/// What Lambda sends to a stream mapping's on-failure destination: where the records are, not
/// the records themselves.
async fn give_up(clients: &Clients, mapping: &Mapping, rest: &[Value]) {
    let seq = |r: Option<&Value>| r.map(|r| r["dynamodb"]["SequenceNumber"].clone());
    tracing::error!(function = %mapping.function, records = rest.len(), "stream records given up");
    let Some(queue) = &mapping.on_failure else {
        return;
    };
    let body = json!({
        "requestContext": { "functionArn": mapping.function, "condition": "RetryAttemptsExhausted",
            "approximateInvokeCount": mapping.spec.maximum_retry_attempts + 1 },
        "DDBStreamBatchInfo": { "streamArn": mapping.stream_arn, "batchSize": rest.len(),
            "startSequenceNumber": seq(rest.first()), "endSequenceNumber": seq(rest.last()) },
    });
    if let Err(e) = clients
        .sqs
        .send_message()
        .queue_url(queue)
        .message_body(body.to_string())
        .send()
        .await
    {
        tracing::error!(error = ?e, "could not report the records given up");
    }
}

/// A stream record as the Lambda event carries it (aws_lambda_events' `EventRecord` reads it).
fn record(r: &Record, stream_arn: &str) -> Value {
    let change = r.dynamodb.as_ref();
    let mut dynamodb = Map::new();
    let mut put = |name: &str, value: Option<Value>| {
        if let Some(v) = value {
            dynamodb.insert(name.into(), v);
        }
    };
    put(
        "ApproximateCreationDateTime",
        change
            .and_then(|c| c.approximate_creation_date_time)
            .map(|t| json!(t.secs())),
    );
    put("Keys", change.and_then(|c| c.keys.as_ref()).map(item));
    put(
        "NewImage",
        change.and_then(|c| c.new_image.as_ref()).map(item),
    );
    put(
        "OldImage",
        change.and_then(|c| c.old_image.as_ref()).map(item),
    );
    put(
        "SequenceNumber",
        change
            .and_then(|c| c.sequence_number.clone())
            .map(Value::from),
    );
    put(
        "SizeBytes",
        Some(json!(change.and_then(|c| c.size_bytes).unwrap_or(0))),
    );
    put(
        "StreamViewType",
        change
            .and_then(|c| c.stream_view_type.as_ref())
            .map(|v| json!(v.as_str())),
    );
    json!({
        "eventID": r.event_id.clone().unwrap_or_default(),
        "eventName": r.event_name.as_ref().map(|n| n.as_str()).unwrap_or_default(),
        "eventVersion": r.event_version.clone().unwrap_or_else(|| "1.1".into()),
        "eventSource": "aws:dynamodb",
        "awsRegion": r.aws_region.clone().unwrap_or_default(),
        "eventSourceARN": stream_arn,
        "dynamodb": dynamodb,
    })
}

fn item(i: &std::collections::HashMap<String, AttributeValue>) -> Value {
    Value::Object(i.iter().map(|(k, v)| (k.clone(), attribute(v))).collect())
}

fn attribute(v: &AttributeValue) -> Value {
    let b64 = |b: &aws_sdk_dynamodbstreams::primitives::Blob| {
        Value::String(base64::engine::general_purpose::STANDARD.encode(b.as_ref()))
    };
    let (kind, value) = match v {
        AttributeValue::S(s) => ("S", json!(s)),
        AttributeValue::N(n) => ("N", json!(n)),
        AttributeValue::B(b) => ("B", b64(b)),
        AttributeValue::Bool(b) => ("BOOL", json!(b)),
        AttributeValue::Null(_) => ("NULL", json!(true)),
        AttributeValue::Ss(s) => ("SS", json!(s)),
        AttributeValue::Ns(n) => ("NS", json!(n)),
        AttributeValue::Bs(bs) => ("BS", Value::Array(bs.iter().map(b64).collect())),
        AttributeValue::L(l) => ("L", Value::Array(l.iter().map(attribute).collect())),
        AttributeValue::M(m) => ("M", item(m)),
        _ => ("NULL", json!(true)),
    };
    let mut o = Map::new();
    o.insert(kind.into(), value);
    Value::Object(o)
}

/// Lambda's event filtering, the part the template uses: nested objects, lists of allowed
/// values, and `{"prefix": ...}`. A record passes when any pattern matches.
pub fn passes(filters: &[Value], record: &Value) -> bool {
    filters.is_empty() || filters.iter().any(|f| matches(f, record))
}

fn matches(pattern: &Value, value: &Value) -> bool {
    match pattern {
        Value::Object(fields) => fields
            .iter()
            .all(|(k, p)| matches(p, value.get(k).unwrap_or(&Value::Null))),
        Value::Array(allowed) => allowed.iter().any(|a| match a {
            Value::Object(op) => match op.get("prefix") {
                Some(Value::String(prefix)) => value
                    .as_str()
                    .is_some_and(|v| v.starts_with(prefix.as_str())),
                _ => false,
            },
            other => other == value,
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_match_like_lambda_event_filtering() {
        let pattern: Value = serde_json::from_str(
            r#"{"eventName": ["INSERT"], "dynamodb": {"Keys": {"PK": {"S": [{"prefix": "USER#"}]}, "SK": {"S": ["PROFILE"]}}}}"#,
        )
        .unwrap();
        let rec = |name: &str, pk: &str, sk: &str| json!({"eventName": name, "dynamodb": {"Keys": {"PK": {"S": pk}, "SK": {"S": sk}}}});
        let filters = [pattern];
        assert!(passes(&filters, &rec("INSERT", "USER#1", "PROFILE")));
        assert!(!passes(&filters, &rec("MODIFY", "USER#1", "PROFILE")));
        assert!(!passes(
            &filters,
            &rec("INSERT", "USERNAME#ivan", "USERNAME")
        ));
        assert!(!passes(&filters, &rec("INSERT", "USER#1", "SESSION#x")));
        assert!(passes(&[], &rec("REMOVE", "X", "Y")));
    }
}
