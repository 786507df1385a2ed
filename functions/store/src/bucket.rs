//! store's S3 bucket: the packed search index (`search/index-<version>.tar`) and the product
//! images (`images/<id>.svg`, served under `/images/*`). The only code of store that touches S3.

use aws_sdk_s3::{error::DisplayErrorContext, primitives::ByteStream};

#[derive(Clone, Debug)]
pub struct CatalogBucket {
    s3: aws_sdk_s3::Client,
    bucket: String,
}

impl CatalogBucket {
    pub fn new(s3: aws_sdk_s3::Client, bucket: impl Into<String>) -> Self {
        Self {
            s3,
            bucket: bucket.into(),
        }
    }

    pub async fn put_index(&self, key: &str, packed: Vec<u8>) -> Result<(), String> {
        self.s3
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .body(ByteStream::from(packed))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| format!("{key}: {}", DisplayErrorContext(e)))
    }

    pub async fn index(&self, key: &str) -> Result<Vec<u8>, String> {
        let object = self
            .s3
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
            .map_err(|e| format!("{key}: {}", DisplayErrorContext(e)))?;
        let bytes = object.body.collect().await.map_err(|e| e.to_string())?;
        Ok(bytes.into_bytes().to_vec())
    }

    /// A product's picture, cached a day by browsers and CloudFront.
    pub async fn put_image(&self, product_id: &str, svg: String) -> Result<(), String> {
        self.s3
            .put_object()
            .bucket(&self.bucket)
            .key(format!("images/{product_id}.svg"))
            .content_type("image/svg+xml")
            .cache_control("public, max-age=86400")
            .body(ByteStream::from(svg.into_bytes()))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| format!("image of {product_id}: {}", DisplayErrorContext(e)))
    }
}
