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

    pub async fn put_index(&self, key: &str, packed: Vec<u8>) -> Result<(), BucketError> {
        self.s3
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .body(ByteStream::from(packed))
            .send()
            .await
            .map_err(|e| BucketError::new(key, DisplayErrorContext(e)))?;
        Ok(())
    }

    pub async fn index(&self, key: &str) -> Result<Vec<u8>, BucketError> {
        let object = self
            .s3
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
            .map_err(|e| BucketError::new(key, DisplayErrorContext(e)))?;
        let bytes = object
            .body
            .collect()
            .await
            .map_err(|e| BucketError::new(key, e))?;
        Ok(bytes.into_bytes().to_vec())
    }

    /// A product's picture, cached a day by browsers and CloudFront.
    pub async fn put_image(&self, product_id: &str, svg: String) -> Result<(), BucketError> {
        let key = format!("images/{product_id}.svg");
        self.s3
            .put_object()
            .bucket(&self.bucket)
            .key(&key)
            .content_type("image/svg+xml")
            .cache_control("public, max-age=86400")
            .body(ByteStream::from(svg.into_bytes()))
            .send()
            .await
            .map_err(|e| BucketError::new(&key, DisplayErrorContext(e)))?;
        Ok(())
    }
}

/// S3 did not store or give back an object.
#[derive(Debug, thiserror::Error)]
#[error("S3 object {key}: {message}")]
pub struct BucketError {
    key: String,
    message: String,
}

impl BucketError {
    fn new(key: &str, cause: impl std::fmt::Display) -> Self {
        Self {
            key: key.to_string(),
            message: cause.to_string(),
        }
    }
}

impl From<BucketError> for vitrina_shared::ConsumeError {
    fn from(err: BucketError) -> Self {
        Self::unavailable(err)
    }
}
