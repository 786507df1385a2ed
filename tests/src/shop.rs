//! The shop as one of its clients sees it over HTTP: a browser-like client (its cookie jar) and
//! a method per endpoint of the API, named after what the client does. The integration tests
//! and `make bench` both drive the shop through it; a test that needs a request no client would
//! make (a forged body, a wrong method) uses [`Shop::send`].

use crate::{base_url, browser, reply, unique, urlencode, NewUser, Reply};
use serde_json::{json, Value};

#[derive(Clone)]
pub struct Shop {
    base: String,
    http: reqwest::Client,
    user: Option<NewUser>,
}

/// The client underneath, for the helpers that take one (`call`, `start_payment`, …).
impl std::ops::Deref for Shop {
    type Target = reqwest::Client;

    fn deref(&self) -> &reqwest::Client {
        &self.http
    }
}

impl Shop {
    /// A visitor of the shop at `base` (`http://127.0.0.1:3010`), not logged in.
    pub fn at(base: impl Into<String>) -> Self {
        Self {
            base: base.into(),
            http: browser(),
            user: None,
        }
    }

    /// A visitor of the shop the tests' environment names (`VITRINA_URL`).
    pub fn anonymous() -> Self {
        Self::at(base_url())
    }

    /// A new client of the tests' shop: registered (S1) and logged in.
    pub async fn registered() -> Self {
        Self::anonymous().signed_up().await
    }

    /// This visitor registered with a fresh login and logged in.
    pub async fn signed_up(mut self) -> Self {
        let username = unique("u");
        let user = NewUser {
            email: format!("{username}@example.ru"),
            password: "Secret-123".into(),
            username,
        };
        let r = self
            .register(&json!({
                "username": user.username, "password": user.password, "email": user.email,
                "firstName": "Иван", "lastName": "Петров", "phone": "+7 999 123-45-67",
            }))
            .await;
        assert_eq!(r.status, 200, "register: {}", r.body);
        let r = self.login(&user.username, &user.password).await;
        assert_eq!(r.status, 200, "login: {}", r.body);
        self.user = Some(user);
        self
    }

    /// Who this client registered as (`signed_up`).
    pub fn user(&self) -> &NewUser {
        self.user.as_ref().expect("a client that signed up")
    }

    /// Any request to the shop's API, JSON in and out.
    pub async fn send(&self, method: &str, path: &str, body: Option<&Value>) -> Reply {
        self.send_keyed(method, path, body, None).await
    }

    /// A request with an `Idempotency-Key` (a payment, a purchase form): sent again with the
    /// same key, it is the same request.
    pub async fn send_keyed(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
        key: Option<&str>,
    ) -> Reply {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(b) = body {
            req = req
                .header("content-type", "application/json")
                .body(b.to_string());
        }
        if let Some(key) = key {
            req = req.header("idempotency-key", key);
        }
        reply(req.send().await.expect("the shop answers")).await
    }

    // ---------------------------------------------------------------- auth (the spec's contract)

    pub async fn register(&self, form: &Value) -> Reply {
        self.send("POST", "/api/register", Some(form)).await
    }

    pub async fn login(&self, username: &str, password: &str) -> Reply {
        let body = json!({"username": username, "password": password});
        self.send("POST", "/api/login", Some(&body)).await
    }

    pub async fn logout(&self) -> Reply {
        self.send("GET", "/api/logout", None).await
    }

    /// «Выйти на всех устройствах».
    pub async fn logout_everywhere(&self) -> Reply {
        self.send("POST", "/api/logout/all", None).await
    }

    pub async fn me(&self) -> Reply {
        self.send("GET", "/api/me", None).await
    }

    pub async fn update_me(&self, changes: &Value) -> Reply {
        self.send("PUT", "/api/me", Some(changes)).await
    }

    // ---------------------------------------------------------------- store

    pub async fn search(&self, query: &str) -> Reply {
        self.send(
            "GET",
            &format!("/api/products?q={}", urlencode(query)),
            None,
        )
        .await
    }

    pub async fn product(&self, id: &str) -> Reply {
        self.send("GET", &format!("/api/products/{id}"), None).await
    }

    pub async fn categories(&self) -> Reply {
        self.send("GET", "/api/categories", None).await
    }

    // ---------------------------------------------------------------- the cart and orders

    /// «Добавить в корзину».
    pub async fn add_to_cart(&self, product_id: &str, quantity: i64) -> Reply {
        let body = json!({"productId": product_id, "quantity": quantity});
        self.send("POST", "/api/cart/items", Some(&body)).await
    }

    pub async fn cart(&self) -> Reply {
        self.send("GET", "/api/cart", None).await
    }

    pub async fn set_quantity(&self, product_id: &str, quantity: i64) -> Reply {
        let body = json!({ "quantity": quantity });
        self.send(
            "PATCH",
            &format!("/api/cart/items/{product_id}"),
            Some(&body),
        )
        .await
    }

    pub async fn remove_from_cart(&self, product_id: &str) -> Reply {
        self.send("DELETE", &format!("/api/cart/items/{product_id}"), None)
            .await
    }

    pub async fn delivery_options(&self) -> Reply {
        self.send("GET", "/api/delivery/options", None).await
    }

    pub async fn quote(&self, request: &Value) -> Reply {
        self.send("POST", "/api/delivery/quote", Some(request))
            .await
    }

    /// The cart's delivery: `{"method": "pickup", "pickupPointId": …}` or a courier's.
    pub async fn choose_delivery(&self, choice: &Value) -> Reply {
        self.send("PUT", "/api/cart/delivery", Some(choice)).await
    }

    /// The cart's delivery: pickup at `point`.
    pub async fn pick_up_at(&self, point: &str) -> Reply {
        self.choose_delivery(&json!({"method": "pickup", "pickupPointId": point}))
            .await
    }

    /// «Оплатить заказ»: the cart becomes an order awaiting payment.
    pub async fn place_order(&self) -> Reply {
        self.send("POST", "/api/orders", Some(&json!({}))).await
    }

    pub async fn orders(&self) -> Reply {
        self.send("GET", "/api/orders", None).await
    }

    pub async fn order(&self, order_id: &str) -> Reply {
        self.send("GET", &format!("/api/orders/{order_id}"), None)
            .await
    }

    /// «Вернуться к редактированию заказа».
    pub async fn back_to_cart(&self, order_id: &str) -> Reply {
        self.send("POST", &format!("/api/orders/{order_id}/cart"), None)
            .await
    }

    /// «Отменить заказ».
    pub async fn cancel_order(&self, order_id: &str) -> Reply {
        self.send("POST", &format!("/api/orders/{order_id}/cancel"), None)
            .await
    }

    // ---------------------------------------------------------------- payment and billing

    /// `POST /api/payments` with its `Idempotency-Key`.
    pub async fn start_payment(&self, key: &str, body: &Value) -> Reply {
        self.send_keyed("POST", "/api/payments", Some(body), Some(key))
            .await
    }

    pub async fn payment(&self, payment_id: &str) -> Reply {
        self.send("GET", &format!("/api/payments/{payment_id}"), None)
            .await
    }

    /// «Оплатить».
    pub async fn confirm_payment(&self, payment_id: &str) -> Reply {
        self.send("POST", &format!("/api/payments/{payment_id}/confirm"), None)
            .await
    }

    pub async fn payment_methods(&self) -> Reply {
        self.send("GET", "/api/payment-methods", None).await
    }

    pub async fn wallet(&self) -> Reply {
        self.send("GET", "/api/wallet", None).await
    }

    pub async fn wallet_history(&self) -> Reply {
        self.send("GET", "/api/wallet/history", None).await
    }

    pub async fn gift_cards(&self) -> Reply {
        self.send("GET", "/api/gift-cards", None).await
    }

    /// «Активировать» a gift card by its code.
    pub async fn activate_gift_card(&self, code: &str) -> Reply {
        let body = json!({ "code": code });
        self.send("POST", "/api/gift-cards/activate", Some(&body))
            .await
    }

    // ---------------------------------------------------------------- notification

    /// «Уведомления»: the channels per kind of message.
    pub async fn notification_preferences(&self) -> Reply {
        self.send("GET", "/api/notifications/preferences", None)
            .await
    }

    /// Channels turned on or off: `[(kind, channel, on)]`.
    pub async fn choose_channels(&self, changes: &[(&str, &str, bool)]) -> Reply {
        let changes: Vec<Value> = changes
            .iter()
            .map(|(kind, channel, on)| json!({"kind": kind, "channel": channel, "on": on}))
            .collect();
        let body = json!({ "changes": changes });
        self.send("PUT", "/api/notifications/preferences", Some(&body))
            .await
    }

    /// The shop's VAPID public key and the client's devices.
    pub async fn push_devices(&self) -> Reply {
        self.send("GET", "/api/push/subscriptions", None).await
    }

    /// «Получать уведомления в браузере» with the browser's `PushSubscription.toJSON()`.
    pub async fn push_subscribe(&self, subscription: &Value) -> Reply {
        self.send("POST", "/api/push/subscriptions", Some(subscription))
            .await
    }

    pub async fn push_unsubscribe(&self, subscription_id: &str) -> Reply {
        self.send(
            "DELETE",
            &format!("/api/push/subscriptions/{subscription_id}"),
            None,
        )
        .await
    }
}
