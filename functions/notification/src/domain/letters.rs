//! What the letters and texts say: each message built from its event, in Russian.

use vitrina_shared::contracts::{order::OrderStatus, payment::PaymentFailure};

pub struct Letter {
    pub subject: String,
    pub text: String,
    pub html: String,
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Kopecks as people read them.
fn rub(kopecks: i64) -> String {
    vitrina_shared::money::format_rub(kopecks)
}

/// What a failed payment's reason means, in plain Russian.
pub fn failure_text(reason: PaymentFailure) -> &'static str {
    use PaymentFailure as F;
    match reason {
        F::InsufficientFunds => "на карте или в кошельке недостаточно средств",
        F::CardExpired => "срок действия карты истёк",
        F::ThreeDSecureFailed => "платёж не подтверждён кодом из SMS",
        F::FraudSuspected => "банк отклонил платёж из соображений безопасности",
        F::PaymentExpired => "время на оплату истекло",
        F::AuthorizationExpired => "оплата не была завершена вовремя, банк снял блокировку денег",
        F::WalletNotFound => "кошелёк ещё не открыт",
        F::CardNotFound => "подарочная карта не найдена среди ваших карт",
        F::OrderNotPayable => "заказ изменился или был отменён во время оплаты",
        F::OrderAlreadyPaid => "заказ уже оплачен другим платежом",
        F::NotConfirmedInTime => "оплата не была подтверждена вовремя",
        F::PaymentCancelled | F::PaymentDeclined | F::RefundDeclined => "банк отклонил платёж",
    }
}

/// The payment's result: on success the order's lines, total and delivery with "Оплачено"; on
/// failure what went wrong and a link to try again.
pub fn payment_letter(
    name: &str,
    outcome: &vitrina_shared::envelope::PaymentOutcome,
    paid: bool,
    shop_url: &str,
) -> Letter {
    let greeting = if name.trim().is_empty() {
        "Здравствуйте!".to_string()
    } else {
        format!("Здравствуйте, {}!", name.trim())
    };
    let number = &outcome.order_id[outcome.order_id.len().saturating_sub(8)..];
    if paid {
        let lines_text: Vec<String> = outcome
            .lines
            .iter()
            .map(|l| format!("  {} × {} — {}", l.name, l.quantity, rub(l.line_total)))
            .collect();
        let lines_html: String = outcome
            .lines
            .iter()
            .map(|l| {
                format!(
                    "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                    escape_html(&l.name),
                    l.quantity,
                    rub(l.line_total)
                )
            })
            .collect();
        Letter {
            subject: format!("Заказ № {number} оплачен"),
            text: format!(
                "{greeting}\n\nЗаказ № {number}: Оплачено.\n\n{}\n\nИтого: {}\nДоставка: {}\n\nСпасибо за покупку!",
                lines_text.join("\n"),
                rub(outcome.amount),
                outcome.delivery
            ),
            html: format!(
                "<p>{}</p><p>Заказ № {number}: <b>Оплачено</b>.</p><table>{lines_html}</table>\
                 <p>Итого: <b>{}</b><br>Доставка: {}</p><p>Спасибо за покупку!</p>",
                escape_html(&greeting),
                rub(outcome.amount),
                escape_html(&outcome.delivery)
            ),
        }
    } else {
        let why = failure_text(outcome.reason.unwrap_or(PaymentFailure::PaymentDeclined));
        let again = format!("{shop_url}/order/{}/pay", outcome.order_id);
        Letter {
            subject: format!("Оплата заказа № {number} не прошла"),
            text: format!(
                "{greeting}\n\nОплата заказа № {number} на {} не прошла: {why}.\n\
                 Заказ ждёт оплаты. Попробовать оплатить ещё раз: {again}",
                rub(outcome.amount)
            ),
            html: format!(
                "<p>{}</p><p>Оплата заказа № {number} на {} не прошла: {why}.</p>\
                 <p>Заказ ждёт оплаты. <a href=\"{}\">Попробовать оплатить ещё раз</a></p>",
                escape_html(&greeting),
                rub(outcome.amount),
                escape_html(&again)
            ),
        }
    }
}

/// Where a paid order went: handed to delivery (how it travels next), or cancelled with the
/// reason and the money on its way back.
pub fn order_status_letter(
    name: &str,
    change: &vitrina_shared::envelope::OrderStatusChanged,
    shop_url: &str,
) -> Option<Letter> {
    let greeting = if name.trim().is_empty() {
        "Здравствуйте!".to_string()
    } else {
        format!("Здравствуйте, {}!", name.trim())
    };
    let number = &change.order_id[change.order_id.len().saturating_sub(8)..];
    let link = format!("{shop_url}/orders");
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
    Some(Letter {
        subject,
        text: format!("{greeting}\n\n{body}\n\n{link}"),
        html: format!(
            "<p>{}</p><p>{}</p><p><a href=\"{}\">Мои заказы</a></p>",
            escape_html(&greeting),
            escape_html(&body),
            escape_html(&link)
        ),
    })
}

/// The most characters a text may have: Cyrillic travels as UCS-2, 70 characters in one
/// segment and 67 in each of a longer one's, and a text is never more than two segments.
pub const SMS_MAX_CHARS: usize = 2 * 67;

/// The text message beside the letter, for what the client acts on at once: the order waits at
/// the pickup point, or the courier is on the way. At most two segments: a long pickup point's
/// place is cut, with «…», never the order's number.
pub fn order_status_sms(change: &vitrina_shared::envelope::OrderStatusChanged) -> Option<String> {
    let number = &change.order_id[change.order_id.len().saturating_sub(8)..];
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

/// The recipient's letter with a bought gift card: the postcard's picture, who it is from, the
/// amount, the activation code, and where to activate it.
pub fn gift_card_letter(
    gift: &vitrina_shared::envelope::GiftCardIssued,
    from: &str,
    shop_url: &str,
) -> Letter {
    let design_name = vitrina_shared::contracts::order::GIFT_CARD_DESIGNS
        .iter()
        .find(|(id, _)| *id == gift.design)
        .map_or("Подарочная карта", |(_, name)| name);
    let greeting = format!("Здравствуйте, {}!", gift.recipient_name.trim());
    let from = if from.trim().is_empty() {
        "Клиент «Витрины»".to_string()
    } else {
        from.trim().to_string()
    };
    let activate = format!("{shop_url}/gift-cards/activate");
    let picture = format!("{shop_url}/gift-cards/{}.svg", gift.design);
    Letter {
        subject: format!("{from} дарит вам подарочную карту «Витрины»"),
        text: format!(
            "{greeting}\n\n{from} дарит вам подарочную карту «{design_name}» на {}.\n\n\
             Код активации: {}\n\nАктивируйте карту в личном кабинете: {activate}",
            rub(gift.amount),
            gift.code
        ),
        html: format!(
            "<p>{}</p><p><img src=\"{}\" alt=\"{}\" width=\"320\"></p>\
             <p>{} дарит вам подарочную карту «{}» на <b>{}</b>.</p>\
             <p>Код активации: <b data-code>{}</b></p><p><a href=\"{}\">Активировать подарочную карту</a></p>",
            escape_html(&greeting),
            escape_html(&picture),
            escape_html(design_name),
            escape_html(&from),
            escape_html(design_name),
            rub(gift.amount),
            escape_html(&gift.code),
            escape_html(&activate)
        ),
    }
}

pub fn welcome_letter(name: &str, username: &str) -> Letter {
    let greeting = if name.trim().is_empty() {
        "Здравствуйте!".to_string()
    } else {
        format!("Здравствуйте, {}!", name.trim())
    };
    Letter {
        subject: "Добро пожаловать в Витрину".into(),
        text: format!(
            "{greeting}\n\nВы зарегистрировались в интернет-магазине «Витрина» под логином {username}.\n\
             Ваш кошелёк открыт, баланс — 0,00 ₽.\n\nХороших покупок!"
        ),
        html: format!(
            "<p>{}</p><p>Вы зарегистрировались в интернет-магазине «Витрина» под логином \
             <b>{}</b>.</p><p>Ваш кошелёк открыт, баланс — 0,00&nbsp;₽.</p><p>Хороших покупок!</p>",
            escape_html(&greeting),
            escape_html(username)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(reason: Option<PaymentFailure>) -> vitrina_shared::envelope::PaymentOutcome {
        vitrina_shared::envelope::PaymentOutcome {
            payment_id: "p".into(),
            order_id: "0194f0a0-0000-7000-8000-0000abcd1234".into(),
            user_id: "u".into(),
            amount: 123_450,
            method: vitrina_shared::contracts::payment::PaymentMethod::Card,
            reason,
            lines: vec![vitrina_shared::contracts::order::PaidLine {
                name: "Чайник <стальной>".into(),
                quantity: 2,
                line_total: 100_000,
            }],
            delivery: "Пункт выдачи «Витрина на Тверской»: Москва".into(),
            kind: Default::default(),
            gift_card: None,
        }
    }

    #[test]
    fn a_paid_letter_lists_the_order_and_says_paid() {
        let l = payment_letter("Иван", &outcome(None), true, "https://shop");
        assert_eq!(l.subject, "Заказ № abcd1234 оплачен");
        assert!(l.text.contains("Оплачено"));
        assert!(l.text.contains("Чайник <стальной> × 2"));
        assert!(l.text.contains("1\u{202f}234,50"));
        assert!(l.html.contains("&lt;стальной&gt;"));
    }

    #[test]
    fn a_failed_letter_says_why_and_links_to_another_try() {
        let l = payment_letter(
            "",
            &outcome(Some(PaymentFailure::CardExpired)),
            false,
            "https://shop",
        );
        assert!(l.text.contains("срок действия карты истёк"));
        assert!(l
            .text
            .contains("https://shop/order/0194f0a0-0000-7000-8000-0000abcd1234/pay"));
        assert_eq!(
            failure_text(PaymentFailure::PaymentDeclined),
            "банк отклонил платёж"
        );
    }

    #[test]
    fn every_failure_is_worded_in_russian() {
        for failure in PaymentFailure::ALL {
            let text = failure_text(*failure);
            assert!(
                text.chars().any(|c| ('а'..='я').contains(&c)),
                "{failure}: {text}"
            );
        }
    }

    fn at(
        status: OrderStatus,
        place: Option<&str>,
    ) -> vitrina_shared::envelope::OrderStatusChanged {
        vitrina_shared::envelope::OrderStatusChanged {
            order_id: "0194f0a0-0000-7000-8000-0000abcd1234".into(),
            user_id: "u".into(),
            status,
            reason: None,
            place: place.map(str::to_string),
        }
    }

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
            let text = order_status_sms(&at(status, place)).expect("a text for this status");
            assert!(
                text.chars().count() <= SMS_MAX_CHARS,
                "{} chars: {text}",
                text.chars().count()
            );
            assert!(text.contains("abcd1234"), "{text}");
        }
        let short = order_status_sms(&at(
            OrderStatus::AtPickupPoint,
            Some("Москва, ул. Тверская, д. 7"),
        ));
        assert_eq!(
            short.as_deref(),
            Some("Витрина: заказ abcd1234 ждёт вас в пункте выдачи: Москва, ул. Тверская, д. 7")
        );
        let cut = order_status_sms(&at(OrderStatus::AtPickupPoint, Some(long))).unwrap();
        assert!(
            cut.ends_with('…') && cut.contains(": Москва, Пресненская"),
            "{cut}"
        );
        assert_eq!(order_status_sms(&at(OrderStatus::Paid, None)), None);
    }

    #[test]
    fn welcome_letter_is_russian_and_escaped() {
        let l = welcome_letter("<Иван>", "ivan");
        assert!(l.text.starts_with("Здравствуйте, <Иван>!"));
        assert!(l.html.contains("&lt;Иван&gt;"));
        assert!(!l.html.contains("<Иван>"));
        assert_eq!(
            welcome_letter(" ", "x").text.lines().next(),
            Some("Здравствуйте!")
        );
    }
}
