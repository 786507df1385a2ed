#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    vitrina_shared::runtime::run_service(vitrina_orchestra::functions).await
}
