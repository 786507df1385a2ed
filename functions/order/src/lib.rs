//! order: the client's orders; the cart is the order in status `draft`.

pub mod catalog;
pub mod delivery;
pub mod domain;
pub mod handlers;
pub mod store;

use std::sync::Arc;
use vitrina_shared::{
    contracts::Remote,
    runtime::{http_route, Env, Function, Route},
};

pub struct OrderService {
    pub store: store::OrderStore,
    pub catalog: catalog::StoreCatalog,
    pub delivery: delivery::DeliveryService,
}

pub fn functions(env: Arc<Env>) -> Vec<Function> {
    let svc = Arc::new(OrderService {
        store: store::OrderStore::new(env.clients.dynamodb.clone(), env.config.table_name.clone()),
        catalog: catalog::StoreCatalog {
            snapshot: Remote::new(
                env.clients.lambda.clone(),
                env.config
                    .var("STORE_SNAPSHOT_FUNCTION")
                    .unwrap_or_default(),
            ),
        },
        delivery: Remote::new(
            env.clients.lambda.clone(),
            env.config
                .var("DELIVERY_CHOOSE_FUNCTION")
                .unwrap_or_default(),
        ),
    });
    use handlers::cart;
    vec![
        http_route(
            "cart-add",
            Route::post("/api/cart/items").authorized(),
            svc.clone(),
            cart::add,
        ),
        http_route(
            "cart-get",
            Route::get("/api/cart").authorized(),
            svc.clone(),
            cart::get,
        ),
        http_route(
            "cart-item-patch",
            Route::patch("/api/cart/items/{productId}").authorized(),
            svc.clone(),
            cart::patch,
        ),
        http_route(
            "cart-item-delete",
            Route::delete("/api/cart/items/{productId}").authorized(),
            svc.clone(),
            cart::delete,
        ),
        http_route(
            "cart-delivery-put",
            Route::put("/api/cart/delivery").authorized(),
            svc.clone(),
            cart::set_delivery,
        ),
        http_route(
            "orders-list",
            Route::get("/api/orders").authorized(),
            svc.clone(),
            handlers::orders::list,
        ),
        http_route(
            "order-get",
            Route::get("/api/orders/{id}").authorized(),
            svc,
            handlers::orders::get,
        ),
    ]
}
