//! The client's choice of channels, as notification keeps it and the web client shows it: for
//! each kind of message, the channels it goes by.

crate::wire_enum! {
    /// What a message is about, as «Личный кабинет» → «Уведомления» groups them.
    pub enum NoticeKind {
        /// A payment's result, an order cancelled and its money on the way back.
        Orders = "orders",
        /// Where a paid order's goods are: handed to delivery, with the courier, at the pickup
        /// point, received.
        Delivery = "delivery",
        /// A bought gift card's code, to its recipient's e-mail.
        GiftCards = "gift_cards",
    }
}

crate::wire_enum! {
    /// How a message reaches the client.
    pub enum Channel {
        Email = "email",
        Sms = "sms",
        /// Web push to the client's devices.
        Push = "push",
    }
}
