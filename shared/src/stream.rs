//! DynamoDB Streams event sources: a batch of change records in, the first failed record out.
//! Stream records are ordered, so unlike SQS a failure stops the batch: Lambda retries from the
//! reported sequence number (`ReportBatchItemFailures`), the records before it are done.

use crate::table::Item;
use aws_sdk_dynamodb::{primitives::Blob, types::AttributeValue};
use base64::Engine;
use serde::Deserialize;
use serde_json::{json, Value};
use std::future::Future;

#[derive(Debug, Deserialize)]
pub struct StreamBatch {
    #[serde(rename = "Records", default)]
    pub records: Vec<StreamRecord>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StreamRecord {
    /// INSERT, MODIFY or REMOVE.
    pub event_name: String,
    pub dynamodb: Change,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Change {
    pub sequence_number: String,
    #[serde(default)]
    pub keys: Value,
    #[serde(default)]
    pub new_image: Option<Value>,
    #[serde(default)]
    pub old_image: Option<Value>,
}

impl StreamRecord {
    /// The record's partition and sort key values.
    pub fn key(&self) -> (String, String) {
        let s = |k: &str| {
            self.dynamodb.keys[k]["S"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        };
        (s(crate::keys::PK), s(crate::keys::SK))
    }

    pub fn new_item(&self) -> Result<Option<Item>, String> {
        self.dynamodb.new_image.as_ref().map(item_of).transpose()
    }
}

/// An item in the stream's JSON form (`{"name": {"S": "Ivan"}}`) as the SDK's item, so the
/// owning service decodes it with the same serde_dynamo types it writes with.
pub fn item_of(image: &Value) -> Result<Item, String> {
    image
        .as_object()
        .ok_or("an image is a JSON object")?
        .iter()
        .map(|(k, v)| Ok((k.clone(), attribute_of(v)?)))
        .collect()
}

fn attribute_of(v: &Value) -> Result<AttributeValue, String> {
    let (kind, value) = v
        .as_object()
        .and_then(|o| o.iter().next())
        .ok_or_else(|| format!("not an attribute value: {v}"))?;
    let text = || {
        value
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| format!("{kind} wants a string: {value}"))
    };
    let texts = || -> Result<Vec<String>, String> {
        value
            .as_array()
            .ok_or_else(|| format!("{kind} wants a list: {value}"))?
            .iter()
            .map(|x| x.as_str().map(str::to_string).ok_or("not a string".into()))
            .collect()
    };
    let blob = |t: &str| {
        base64::engine::general_purpose::STANDARD
            .decode(t)
            .map(Blob::new)
            .map_err(|e| e.to_string())
    };
    Ok(match kind.as_str() {
        "S" => AttributeValue::S(text()?),
        "N" => AttributeValue::N(text()?),
        "B" => AttributeValue::B(blob(&text()?)?),
        "BOOL" => AttributeValue::Bool(value.as_bool().ok_or("BOOL wants true or false")?),
        "NULL" => AttributeValue::Null(true),
        "SS" => AttributeValue::Ss(texts()?),
        "NS" => AttributeValue::Ns(texts()?),
        "BS" => AttributeValue::Bs(texts()?.iter().map(|t| blob(t)).collect::<Result<_, _>>()?),
        "L" => AttributeValue::L(
            value
                .as_array()
                .ok_or("L wants a list")?
                .iter()
                .map(attribute_of)
                .collect::<Result<_, _>>()?,
        ),
        "M" => AttributeValue::M(item_of(value)?),
        other => return Err(format!("unknown attribute type {other}")),
    })
}

/// Runs `f` on each record in order and stops at the first failure, which is reported so that
/// Lambda retries from it (and, past the mapping's retries, sends it to the on-failure queue).
pub async fn each_change<F, Fut>(batch: StreamBatch, f: F) -> Value
where
    F: Fn(StreamRecord) -> Fut,
    Fut: Future<Output = Result<(), String>>,
{
    for record in batch.records {
        let sequence = record.dynamodb.sequence_number.clone();
        if let Err(error) = f(record).await {
            tracing::warn!(sequence_number = %sequence, error = %error, "change failed");
            return json!({ "batchItemFailures": [{ "itemIdentifier": sequence }] });
        }
    }
    json!({ "batchItemFailures": [] })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_images_become_sdk_items() {
        let item = item_of(&json!({
            "PK": {"S": "USER#1"}, "n": {"N": "42"}, "ok": {"BOOL": true}, "none": {"NULL": true},
            "tags": {"SS": ["a", "b"]}, "m": {"M": {"x": {"L": [{"S": "y"}, {"N": "1"}]}}},
            "b": {"B": "aGk="}
        }))
        .unwrap();
        assert_eq!(item["PK"], AttributeValue::S("USER#1".into()));
        assert_eq!(item["n"], AttributeValue::N("42".into()));
        assert_eq!(item["ok"], AttributeValue::Bool(true));
        assert_eq!(item["none"], AttributeValue::Null(true));
        assert_eq!(
            item["tags"],
            AttributeValue::Ss(vec!["a".into(), "b".into()])
        );
        assert_eq!(item["b"], AttributeValue::B(Blob::new("hi")));
        let AttributeValue::M(m) = &item["m"] else {
            panic!("a map")
        };
        assert_eq!(
            m["x"],
            AttributeValue::L(vec![
                AttributeValue::S("y".into()),
                AttributeValue::N("1".into())
            ])
        );
        assert!(item_of(&json!({"x": {"Q": "?"}})).is_err());
    }

    #[tokio::test]
    async fn stops_at_the_first_failure_and_reports_it() {
        let record = |seq: &str, pk: &str| {
            json!({"eventName": "INSERT", "dynamodb": {"SequenceNumber": seq,
                "Keys": {"PK": {"S": pk}, "SK": {"S": "PROFILE"}}}})
        };
        let batch: StreamBatch = serde_json::from_value(json!({"Records": [
            record("1", "ok"), record("2", "bad"), record("3", "ok")
        ]}))
        .unwrap();
        let seen = std::sync::Mutex::new(Vec::new());
        let out = each_change(batch, |r| {
            let (pk, _) = r.key();
            seen.lock().unwrap().push(pk.clone());
            async move {
                if pk == "ok" {
                    Ok(())
                } else {
                    Err("nope".to_string())
                }
            }
        })
        .await;
        assert_eq!(out, json!({"batchItemFailures": [{"itemIdentifier": "2"}]}));
        assert_eq!(*seen.lock().unwrap(), vec!["ok", "bad"], "3 waits for 2");
    }
}
