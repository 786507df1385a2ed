//! A bought gift card's code, by e-mail to the recipient the buyer named (who need not be a
//! client: e-mail is its only channel).

use super::{escape_html, layout, rub, Letter};
use vitrina_shared::{contracts::order::GIFT_CARD_DESIGNS, envelope::GiftCardIssued};

/// The postcard's picture, who it is from, the amount, the activation code, and where to
/// activate it.
pub fn email(gift: &GiftCardIssued, from: &str, shop_url: &str) -> Letter {
    let design_name = GIFT_CARD_DESIGNS
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
        html: layout(&format!(
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
        )),
        unsubscribe: None,
    }
}

#[cfg(test)]
mod tests {
    use super::{super::fixtures::*, *};

    #[test]
    fn the_recipient_gets_the_code_the_design_and_where_to_activate() {
        let l = email(&gift(), "Иван", SHOP);
        assert_eq!(l.subject, "Иван дарит вам подарочную карту «Витрины»");
        assert!(
            l.text.contains("«С днём рождения» на 3\u{202f}000,00")
                && l.text.contains("Код активации: GIFT-ABCD-EFGH"),
            "{}",
            l.text
        );
        assert!(
            l.html.contains("<b data-code>GIFT-ABCD-EFGH</b>")
                && l.html.contains("/gift-cards/birthday.svg")
        );
        assert!(email(&gift(), " ", SHOP)
            .subject
            .starts_with("Клиент «Витрины»"));
    }
}
