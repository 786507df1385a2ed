//! order: the client's orders; the cart is the order in status `draft`.

pub mod catalog;
pub mod delivery;
pub mod domain;
pub mod handlers;
pub mod store;

use std::sync::Arc;
use vitrina_shared::{
    contracts::Remote,
    runtime::{http_route, Env, Function},
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
            "POST",
            "/api/cart/items",
            true,
            svc.clone(),
            cart::add,
        ),
        http_route("cart-get", "GET", "/api/cart", true, svc.clone(), cart::get),
        http_route(
            "cart-item-patch",
            "PATCH",
            "/api/cart/items/{productId}",
            true,
            svc.clone(),
            cart::patch,
        ),
        http_route(
            "cart-item-delete",
            "DELETE",
            "/api/cart/items/{productId}",
            true,
            svc.clone(),
            cart::delete,
        ),
        http_route(
            "cart-delivery-put",
            "PUT",
            "/api/cart/delivery",
            true,
            svc.clone(),
            cart::set_delivery,
        ),
        http_route(
            "orders-list",
            "GET",
            "/api/orders",
            true,
            svc.clone(),
            handlers::orders::list,
        ),
        http_route(
            "order-get",
            "GET",
            "/api/orders/{id}",
            true,
            svc,
            handlers::orders::get,
        ),
    ]
}
