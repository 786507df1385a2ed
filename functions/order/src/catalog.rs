//! What order asks store: current product data, through store's `product-snapshot` (contract
//! `SnapshotProducts`; order never reads store's items).

use crate::domain::ProductSnapshot;
use vitrina_shared::contracts::{
    store::{SnapshotProducts, SnapshotRequest},
    Remote,
};
use vitrina_shared::Unavailable;

#[derive(Clone, Debug)]
pub struct StoreCatalog {
    pub snapshot: Remote<SnapshotProducts>,
}

impl StoreCatalog {
    /// Snapshots of the products that exist; unknown ids are simply absent.
    pub async fn snapshot(&self, ids: &[String]) -> Result<Vec<ProductSnapshot>, Unavailable> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let request = SnapshotRequest {
            product_ids: ids.to_vec(),
        };
        let answer = self
            .snapshot
            .call(&request)
            .await
            .map_err(Unavailable::new)?;
        Ok(answer.products)
    }
}
