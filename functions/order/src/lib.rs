//! order: the client's orders; the cart is the order in status `draft`, "Оплатить заказ"
//! places it (`awaiting_payment`), payment's events make it `paid`.

pub mod catalog;
pub mod delivery;
pub mod domain;
pub mod flow;
pub mod handlers;
pub mod orchestra;
pub mod store;

use vitrina_shared::{
    config::SettingsError,
    contracts::{
        order::{PayableOrder, ReportOrderStatus},
        payment::{PaymentOfOrder, RefundPayment},
        store::{HoldStock, ReleaseStock},
        Remote,
    },
    runtime::{http_route, internal, sqs_consumer, Env, Function, Route},
};

/// The order routes' part of the API's OpenAPI document (`vitrina-openapi` merges it).
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        handlers::cart_get::handle,
        handlers::cart_add::handle,
        handlers::cart_item_patch::handle,
        handlers::cart_item_delete::handle,
        handlers::cart_delivery_put::handle,
        handlers::order_place::handle,
        handlers::orders_list::handle,
        handlers::order_get::handle,
        handlers::order_cancel::handle,
        handlers::order_back_to_cart::handle,
        handlers::gift_card_order::handle,
        handlers::top_up_order::handle,
    ),
    tags((name = "order", description = "The cart, placing an order, «Мои заказы», gift-card and top-up orders"))
)]
pub struct OrderApi;

/// What every order handler shares: the orders and store's product snapshots.
pub struct Orders {
    pub store: store::OrderStore,
    pub catalog: catalog::StoreCatalog,
}

impl Orders {
    pub fn new(env: &Env) -> Result<Self, SettingsError> {
        Ok(Self {
            store: store::OrderStore::new(env.aws.dynamodb(), env.config.table_name.clone()),
            catalog: catalog::StoreCatalog {
                snapshot: Remote::new(
                    env.aws.lambda(),
                    env.config.require("STORE_SNAPSHOT_FUNCTION")?,
                ),
            },
        })
    }
}

/// Payment's outcomes: a paid order goes on to orchestra (its queue); a payment that arrives for
/// an order taken back into the cart is refunded.
pub struct PaidOrders {
    pub order: Orders,
    pub orchestra: orchestra::ToOrchestra,
    pub refund: Remote<RefundPayment>,
}

impl PaidOrders {
    pub fn new(env: &Env) -> Result<Self, SettingsError> {
        Ok(Self {
            order: Orders::new(env)?,
            orchestra: orchestra::ToOrchestra::new(env)?,
            refund: Remote::new(
                env.aws.lambda(),
                env.config.require("PAYMENT_REFUND_FUNCTION")?,
            ),
        })
    }
}

/// The client's cancellation of a paid order: orchestra undoes it. payment says whether an
/// order not yet heard of as paid has its money already.
pub struct Cancellations {
    pub order: Orders,
    pub orchestra: orchestra::ToOrchestra,
    pub payment_of: Remote<PaymentOfOrder>,
}

impl Cancellations {
    pub fn new(env: &Env) -> Result<Self, SettingsError> {
        Ok(Self {
            order: Orders::new(env)?,
            orchestra: orchestra::ToOrchestra::new(env)?,
            payment_of: Remote::new(
                env.aws.lambda(),
                env.config.require("PAYMENT_OF_ORDER_FUNCTION")?,
            ),
        })
    }
}

/// "Оплатить заказ" asks store to put the order's units aside while the client pays;
/// "Вернуться к редактированию заказа" gives them back.
pub struct Placing {
    pub order: Orders,
    pub hold: Remote<HoldStock>,
    pub release: Remote<ReleaseStock>,
}

impl Placing {
    pub fn new(env: &Env) -> Result<Self, SettingsError> {
        Ok(Self {
            order: Orders::new(env)?,
            hold: Remote::new(
                env.aws.lambda(),
                env.config.require("STORE_STOCK_HOLD_FUNCTION")?,
            ),
            release: Remote::new(
                env.aws.lambda(),
                env.config.require("STORE_STOCK_RELEASE_FUNCTION")?,
            ),
        })
    }
}

/// Checkout also asks delivery to settle the client's choice.
pub struct Checkout {
    pub order: Orders,
    pub delivery: delivery::DeliveryService,
}

impl Checkout {
    pub fn new(env: &Env) -> Result<Self, SettingsError> {
        Ok(Self {
            order: Orders::new(env)?,
            delivery: Remote::new(
                env.aws.lambda(),
                env.config.require("DELIVERY_CHOOSE_FUNCTION")?,
            ),
        })
    }
}

pub fn functions() -> Vec<Function> {
    use handlers::*;
    vec![
        http_route(
            "cart-add",
            Route::post("/api/cart/items").authorized(),
            Orders::new,
            cart_add::handle,
        ),
        http_route(
            "cart-get",
            Route::get("/api/cart").authorized(),
            Orders::new,
            cart_get::handle,
        ),
        http_route(
            "cart-item-patch",
            Route::patch("/api/cart/items/{productId}").authorized(),
            Orders::new,
            cart_item_patch::handle,
        ),
        http_route(
            "cart-item-delete",
            Route::delete("/api/cart/items/{productId}").authorized(),
            Orders::new,
            cart_item_delete::handle,
        ),
        http_route(
            "cart-delivery-put",
            Route::put("/api/cart/delivery").authorized(),
            Checkout::new,
            cart_delivery_put::handle,
        ),
        http_route(
            "orders-list",
            Route::get("/api/orders").authorized(),
            Orders::new,
            orders_list::handle,
        ),
        http_route(
            "order-get",
            Route::get("/api/orders/{id}").authorized(),
            Orders::new,
            order_get::handle,
        ),
        http_route(
            "order-place",
            Route::post("/api/orders").authorized(),
            Placing::new,
            order_place::handle,
        ),
        http_route(
            "gift-card-order",
            Route::post("/api/gift-card-orders").authorized(),
            Orders::new,
            gift_card_order::handle,
        ),
        http_route(
            "top-up-order",
            Route::post("/api/top-up-orders").authorized(),
            Orders::new,
            top_up_order::handle,
        ),
        http_route(
            "order-cancel",
            Route::post("/api/orders/{id}/cancel").authorized(),
            Cancellations::new,
            order_cancel::handle,
        ),
        http_route(
            "order-back-to-cart",
            Route::post("/api/orders/{id}/cart").authorized(),
            Placing::new,
            order_back_to_cart::handle,
        ),
        internal(PayableOrder, Orders::new, order_payable::handle),
        internal(ReportOrderStatus, Orders::new, order_status::handle),
        sqs_consumer(
            "payment-events",
            "OrderPaymentQueue",
            PaidOrders::new,
            payment_events::handle,
        ),
    ]
}
