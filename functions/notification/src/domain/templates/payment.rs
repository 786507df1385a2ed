//! A payment's result: by e-mail (always — the client's proof of what was paid, or why not)
//! and by push.

use super::{escape_html, greeting, layout, number, order_page, rub, Letter, Push, Urgency, HOUR};
use vitrina_shared::{contracts::payment::PaymentFailure, envelope::PaymentOutcome};

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

/// On success the order's lines, total and delivery with «Оплачено»; on failure what went wrong
/// and a link to try again.
pub fn email(name: &str, outcome: &PaymentOutcome, paid: bool, shop_url: &str) -> Letter {
    let greeting = greeting(name);
    let number = number(&outcome.order_id);
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
            html: layout(&format!(
                "<p>{}</p><p>Заказ № {number}: <b>Оплачено</b>.</p><table>{lines_html}</table>\
                 <p>Итого: <b>{}</b><br>Доставка: {}</p><p>Спасибо за покупку!</p>",
                escape_html(&greeting),
                rub(outcome.amount),
                escape_html(&outcome.delivery)
            )),
            unsubscribe: None,
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
            html: layout(&format!(
                "<p>{}</p><p>Оплата заказа № {number} на {} не прошла: {why}.</p>\
                 <p>Заказ ждёт оплаты. <a href=\"{}\">Попробовать оплатить ещё раз</a></p>",
                escape_html(&greeting),
                rub(outcome.amount),
                escape_html(&again)
            )),
            unsubscribe: None,
        }
    }
}

/// «Оплачено», or the order waiting for another try.
pub fn push(outcome: &PaymentOutcome, paid: bool) -> Push {
    let number = number(&outcome.order_id);
    let money = rub(outcome.amount);
    let (title, body, url) = if paid {
        (
            format!("Заказ № {number}: Оплачено"),
            format!("Оплачено {money}. Мы начали собирать заказ."),
            order_page(&outcome.order_id),
        )
    } else {
        (
            format!("Оплата заказа № {number} не прошла"),
            format!("Заказ на {money} ждёт оплаты."),
            format!("/order/{}/pay", outcome.order_id),
        )
    };
    Push {
        title,
        body,
        url,
        tag: format!("order-{}", outcome.order_id),
        ttl_seconds: 24 * HOUR,
        urgency: Urgency::High,
    }
}

#[cfg(test)]
mod tests {
    use super::{super::fixtures::*, *};

    #[test]
    fn a_paid_letter_lists_the_order_and_says_paid() {
        let l = email("Иван", &outcome(None), true, SHOP);
        assert_eq!(l.subject, "Заказ № abcd1234 оплачен");
        assert!(l.text.contains("Оплачено"));
        assert!(l.text.contains("Чайник <стальной> × 2"));
        assert!(l.text.contains("1\u{202f}234,50"));
        assert!(l.html.contains("&lt;стальной&gt;"));
        assert_eq!(l.unsubscribe, None, "a payment's result is always sent");
    }

    #[test]
    fn a_failed_letter_says_why_and_links_to_another_try() {
        let l = email("", &outcome(Some(PaymentFailure::CardExpired)), false, SHOP);
        assert!(l.text.contains("срок действия карты истёк"));
        assert!(l.text.contains(&format!("{SHOP}/order/{ORDER_ID}/pay")));
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

    #[test]
    fn the_push_says_paid_and_opens_the_order_or_the_next_try() {
        let p = push(&outcome(None), true);
        assert_eq!(
            (p.title.as_str(), p.url.as_str()),
            (
                "Заказ № abcd1234: Оплачено",
                "/orders#order-0194f0a0-0000-7000-8000-0000abcd1234"
            )
        );
        assert_eq!(p.urgency, Urgency::High);
        let p = push(&outcome(Some(PaymentFailure::CardExpired)), false);
        assert_eq!(p.url, format!("/order/{ORDER_ID}/pay"));
        assert!(
            !serde_json::to_string(&p).expect("JSON").contains("ttl"),
            "TTL is a header, not the payload"
        );
    }
}
