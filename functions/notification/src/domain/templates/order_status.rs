//! A paid order's news — handed to delivery, with the courier, at the pickup point, received,
//! or cancelled with its money on the way back: by e-mail, by SMS for the two the client acts on
//! at once, and by push.

use super::{
    escape_html, greeting, layout, number, order_page, Letter, Push, Urgency, HOUR, SMS_MAX_CHARS,
};
use vitrina_shared::{contracts::order::OrderStatus, envelope::OrderStatusChanged};

/// The letter; `None` for a status the client is not written about. `unsubscribe` (a token)
/// for a letter the client may turn off: it gets a one-click `List-Unsubscribe` and a link.
pub fn email(
    name: &str,
    change: &OrderStatusChanged,
    shop_url: &str,
    unsubscribe: Option<&str>,
) -> Option<Letter> {
    let greeting = greeting(name);
    let number = number(&change.order_id);
    let link = format!("{shop_url}{}", order_page(&change.order_id));
    let (subject, body) = match change.status {
        OrderStatus::HandedToDelivery => (
            format!("Заказ № {number} передан в доставку"),
            "Мы собрали заказ и передали его в доставку. Статус заказа — в разделе «Мои заказы»."
                .to_string(),
        ),
        OrderStatus::Cancelled => (
            format!("Заказ № {number} отменён"),
            format!(
                "Заказ отменён: {}. Деньги вернутся тем же способом, которым вы платили.",
                change.reason.as_deref().unwrap_or("причина не указана")
            ),
        ),
        OrderStatus::AtPickupPoint => (
            format!("Заказ № {number} ждёт вас в пункте выдачи"),
            format!(
                "Заказ доставлен в пункт выдачи: {}. Возьмите с собой номер заказа.",
                change
                    .place
                    .as_deref()
                    .unwrap_or("адрес — в разделе «Мои заказы»")
            ),
        ),
        OrderStatus::OutForDelivery => (
            format!("Заказ № {number} передан курьеру"),
            format!(
                "Курьер{} везёт ваш заказ и позвонит перед приездом.",
                change
                    .place
                    .as_deref()
                    .map(|c| format!(" службы «{c}»"))
                    .unwrap_or_default()
            ),
        ),
        OrderStatus::Delivered => (
            format!("Заказ № {number} получен"),
            "Заказ получен. Спасибо за покупку!".to_string(),
        ),
        _ => return None,
    };
    let (page, one_click) = match unsubscribe {
        Some(token) => (
            Some(format!("{shop_url}/unsubscribe?token={token}")),
            Some(format!(
                "{shop_url}/api/notifications/unsubscribe?token={token}"
            )),
        ),
        None => (None, None),
    };
    let footer_text = page
        .as_deref()
        .map(|p| format!("\n\nНе хотите получать письма о доставке? Отписаться: {p}"))
        .unwrap_or_default();
    let footer_html = page
        .as_deref()
        .map(|p| {
            format!(
                "<p style=\"font-size:.8rem;color:#666\">Не хотите получать письма о доставке? \
                 <a href=\"{}\">Отписаться</a></p>",
                escape_html(p)
            )
        })
        .unwrap_or_default();
    Some(Letter {
        subject,
        text: format!("{greeting}\n\n{body}\n\nМои заказы: {link}{footer_text}"),
        html: layout(&format!(
            "<p>{}</p><p>{}</p><p><a href=\"{}\">Мои заказы</a></p>{footer_html}",
            escape_html(&greeting),
            escape_html(&body),
            escape_html(&link)
        )),
        unsubscribe: one_click,
    })
}

/// The text for what the client acts on at once: the order waits at the pickup point, or the
/// courier is on the way. At most two segments: a long pickup point's place is cut, with «…»,
/// never the order's number.
pub fn sms(change: &OrderStatusChanged) -> Option<String> {
    let number = number(&change.order_id);
    match change.status {
        OrderStatus::AtPickupPoint => {
            let text = format!("Витрина: заказ {number} ждёт вас в пункте выдачи");
            let Some(place) = change
                .place
                .as_deref()
                .map(str::trim)
                .filter(|p| !p.is_empty())
            else {
                return Some(text);
            };
            let room = SMS_MAX_CHARS.saturating_sub(text.chars().count() + 2);
            let place = if place.chars().count() <= room {
                place.to_string()
            } else {
                let cut: String = place.chars().take(room.saturating_sub(1)).collect();
                format!("{}…", cut.trim_end())
            };
            Some(format!("{text}: {place}"))
        }
        OrderStatus::OutForDelivery => Some(format!(
            "Витрина: заказ {number} у курьера, он позвонит перед приездом"
        )),
        _ => None,
    }
}

/// Where the goods are now, for the statuses a push is worth.
pub fn push(change: &OrderStatusChanged) -> Option<Push> {
    let number = number(&change.order_id);
    let (body, ttl_seconds, urgency) = match change.status {
        OrderStatus::HandedToDelivery => ("Передан в доставку", 24 * HOUR, Urgency::Normal),
        OrderStatus::OutForDelivery => ("Курьер везёт заказ", 4 * HOUR, Urgency::High),
        OrderStatus::AtPickupPoint => ("Ждёт вас в пункте выдачи", 72 * HOUR, Urgency::High),
        OrderStatus::Delivered => ("Получен. Спасибо за покупку!", 24 * HOUR, Urgency::Low),
        OrderStatus::Cancelled => (
            "Отменён, деньги вернутся тем же способом",
            72 * HOUR,
            Urgency::Normal,
        ),
        _ => return None,
    };
    Some(Push {
        title: format!("Заказ № {number}"),
        body: body.to_string(),
        url: order_page(&change.order_id),
        tag: format!("order-{}", change.order_id),
        ttl_seconds,
        urgency,
    })
}

#[cfg(test)]
mod tests {
    use super::{super::fixtures::*, *};

    #[test]
    fn every_text_fits_two_segments_and_keeps_the_order_number() {
        let long = "Москва, Пресненская набережная, д. 12, башня «Федерация Восток», \
                    подъезд 3, вход со стороны набережной, пункт выдачи на минус первом этаже";
        let cases = [
            (
                OrderStatus::AtPickupPoint,
                Some("Москва, ул. Тверская, д. 7"),
            ),
            (OrderStatus::AtPickupPoint, Some(long)),
            (OrderStatus::AtPickupPoint, Some("  ")),
            (OrderStatus::AtPickupPoint, None),
            (OrderStatus::OutForDelivery, None),
        ];
        for (status, place) in cases {
            let text = sms(&at(status, place)).expect("a text for this status");
            assert!(
                text.chars().count() <= SMS_MAX_CHARS,
                "{} chars: {text}",
                text.chars().count()
            );
            assert!(text.contains("abcd1234"), "{text}");
        }
        assert_eq!(
            sms(&at(
                OrderStatus::AtPickupPoint,
                Some("Москва, ул. Тверская, д. 7")
            ))
            .as_deref(),
            Some("Витрина: заказ abcd1234 ждёт вас в пункте выдачи: Москва, ул. Тверская, д. 7")
        );
        let cut = sms(&at(OrderStatus::AtPickupPoint, Some(long))).expect("a text");
        assert!(
            cut.ends_with('…') && cut.contains(": Москва, Пресненская"),
            "{cut}"
        );
        assert_eq!(sms(&at(OrderStatus::Paid, None)), None);
    }

    #[test]
    fn a_letter_the_client_may_turn_off_says_how_in_one_click() {
        let l = email(
            "Иван",
            &at(
                OrderStatus::AtPickupPoint,
                Some("Москва, ул. Тверская, д. 7"),
            ),
            SHOP,
            Some("T0K"),
        )
        .expect("a letter");
        assert_eq!(l.subject, "Заказ № abcd1234 ждёт вас в пункте выдачи");
        assert_eq!(
            l.unsubscribe.as_deref(),
            Some("https://shop.vitrina.example/api/notifications/unsubscribe?token=T0K")
        );
        assert!(
            l.text
                .ends_with("Отписаться: https://shop.vitrina.example/unsubscribe?token=T0K"),
            "{}",
            l.text
        );
        assert!(l
            .html
            .contains("href=\"https://shop.vitrina.example/unsubscribe?token=T0K\""));
        let cancelled =
            email("Иван", &at(OrderStatus::Cancelled, None), SHOP, None).expect("a letter");
        assert!(cancelled.text.contains("товар закончился на складе"));
        assert_eq!(cancelled.unsubscribe, None);
        assert_eq!(
            email("Иван", &at(OrderStatus::Paid, None), SHOP, None),
            None
        );
    }

    #[test]
    fn a_push_for_where_the_goods_are() {
        let p = push(&at(OrderStatus::OutForDelivery, Some("СДЭК"))).expect("a push");
        assert_eq!(
            (p.body.as_str(), p.ttl_seconds, p.urgency),
            ("Курьер везёт заказ", 4 * HOUR, Urgency::High)
        );
        assert!(
            !p.body.contains("СДЭК") && !p.title.contains("Тверская"),
            "no more than the news"
        );
        assert_eq!(push(&at(OrderStatus::Assembling, None)), None);
    }
}
