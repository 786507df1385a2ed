//! SQS event-source mappings, as Lambda runs them: poll the queue, hand a batch to the
//! function, delete what succeeded. With `ReportBatchItemFailures` only the reported records
//! stay; a failed invoke keeps the whole batch. Messages that stay come back and, past the
//! queue's `maxReceiveCount`, SQS itself moves them to the DLQ.
//!
//! One deviation, for fast tests: a failed message is made visible again after `retry_delay`,
//! doubled at each receive (1 s, 2 s, 4 s…), instead of the queue's whole visibility timeout.
//! Growing, so that the last receive still comes after what a retry waits for (a claim whose
//! holder was stopped at its timeout) has passed, as the 60 s visibility ensures in AWS.

use crate::host::Host;
use crate::template::SqsMapping;
use aws_sdk_sqs::types::{Message, MessageSystemAttributeName};
use serde_json::{json, Value};
use std::{collections::HashSet, sync::Arc, time::Duration};

pub struct Mapping {
    pub function: String,
    pub spec: SqsMapping,
    pub queue_url: String,
    pub queue_arn: String,
}

pub fn start(host: Arc<Host>, sqs: aws_sdk_sqs::Client, mapping: Mapping, retry_delay: Duration) {
    tokio::spawn(async move {
        loop {
            if let Err(e) = poll_once(&host, &sqs, &mapping, retry_delay).await {
                tracing::warn!(queue = %mapping.queue_url, error = %e, "poll failed");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    });
}

fn record(m: &Message, mapping: &Mapping, region: &str) -> Value {
    let attrs: serde_json::Map<String, Value> = m
        .attributes()
        .map(|a| {
            a.iter()
                .map(|(k, v)| (k.as_str().to_string(), Value::String(v.clone())))
                .collect()
        })
        .unwrap_or_default();
    json!({
        "messageId": m.message_id(),
        "receiptHandle": m.receipt_handle(),
        "body": m.body().unwrap_or_default(),
        "attributes": attrs,
        "messageAttributes": {},
        "md5OfBody": m.md5_of_body(),
        "eventSource": "aws:sqs",
        "eventSourceARN": mapping.queue_arn,
        "awsRegion": region,
    })
}

async fn poll_once(
    host: &Host,
    sqs: &aws_sdk_sqs::Client,
    mapping: &Mapping,
    retry_delay: Duration,
) -> Result<(), String> {
    let out = sqs
        .receive_message()
        .queue_url(&mapping.queue_url)
        .max_number_of_messages(mapping.spec.batch_size.clamp(1, 10))
        .wait_time_seconds(1)
        .message_system_attribute_names(MessageSystemAttributeName::All)
        .send()
        .await
        .map_err(|e| format!("{e:?}"))?;
    let messages = out.messages.unwrap_or_default();
    if messages.is_empty() {
        // moto answers at once when empty; do not spin.
        tokio::time::sleep(Duration::from_millis(200)).await;
        return Ok(());
    }
    let event = json!({
        "Records": messages.iter().map(|m| record(m, mapping, &host.region)).collect::<Vec<_>>()
    });
    let failed: HashSet<String> = match host.invoke(&mapping.function, event).await {
        Ok(result) if mapping.spec.report_item_failures => {
            match result.get("batchItemFailures").and_then(Value::as_array) {
                Some(items) => items
                    .iter()
                    .filter_map(|i| i["itemIdentifier"].as_str().map(str::to_string))
                    .collect(),
                None => HashSet::new(),
            }
        }
        Ok(_) => HashSet::new(),
        Err(e) => {
            tracing::warn!(function = %mapping.function, error_type = %e.error_type,
                error = %e.error_message, "batch failed");
            messages
                .iter()
                .filter_map(|m| m.message_id.clone())
                .collect()
        }
    };
    for m in &messages {
        let (Some(id), Some(handle)) = (m.message_id(), m.receipt_handle()) else {
            continue;
        };
        let result = if failed.contains(id) {
            let receives: u32 = m
                .attributes()
                .and_then(|a| a.get(&MessageSystemAttributeName::ApproximateReceiveCount))
                .and_then(|n| n.parse().ok())
                .unwrap_or(1);
            let delay = retry_delay.as_secs().max(1) << receives.clamp(1, 6).saturating_sub(1);
            sqs.change_message_visibility()
                .queue_url(&mapping.queue_url)
                .receipt_handle(handle)
                .visibility_timeout(delay as i32)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| format!("{e:?}"))
        } else {
            sqs.delete_message()
                .queue_url(&mapping.queue_url)
                .receipt_handle(handle)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| format!("{e:?}"))
        };
        if let Err(e) = result {
            tracing::warn!(message_id = id, error = %e, "could not settle message");
        }
    }
    Ok(())
}
