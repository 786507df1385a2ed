//! What order asks store: current product data, through store's internal `product-snapshot`
//! function (a documented Lambda invoke; order never reads store's items).

use crate::domain::ProductSnapshot;
use serde_json::json;
use vitrina_shared::invoke::invoke;

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
        let body = invoke(&self.lambda, &self.function, &json!({ "productIds": ids }))
            .await
            .map_err(|e| format!("product-snapshot failed: {e}"))?;
        serde_json::from_value(body["products"].clone()).map_err(|e| e.to_string())
    }
}
