//! What order asks store: current product data, through store's internal `product-snapshot`
//! function (a documented Lambda invoke; order never reads store's items).

use crate::domain::ProductSnapshot;
use aws_sdk_lambda::primitives::Blob;
use serde_json::{json, Value};

#[derive(Clone, Debug)]
pub struct StoreCatalog {
    pub lambda: aws_sdk_lambda::Client,
    pub function: String,
}

impl StoreCatalog {
    /// Snapshots of the products that exist; unknown ids are simply absent.
    pub async fn snapshot(&self, ids: &[String]) -> Result<Vec<ProductSnapshot>, String> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let out = self
            .lambda
            .invoke()
            .function_name(&self.function)
            .payload(Blob::new(json!({ "productIds": ids }).to_string()))
            .send()
            .await
            .map_err(|e| format!("{e:?}"))?;
        let body: Value = out
            .payload
            .map(|p| serde_json::from_slice(p.as_ref()))
            .transpose()
            .map_err(|e| e.to_string())?
            .unwrap_or(Value::Null);
        if let Some(kind) = out.function_error {
            return Err(format!("product-snapshot failed ({kind}): {body}"));
        }
        serde_json::from_value(body["products"].clone()).map_err(|e| e.to_string())
    }
}
