#[tokio::main]
async fn main() {
    vitrina_local::main_entry().await
}
