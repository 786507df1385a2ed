//! The new client's welcome, by e-mail.

use super::{escape_html, greeting, layout, Letter};

pub fn email(name: &str, username: &str) -> Letter {
    let greeting = greeting(name);
    Letter {
        subject: "Добро пожаловать в Витрину".into(),
        text: format!(
            "{greeting}\n\nВы зарегистрировались в интернет-магазине «Витрина» под логином {username}.\n\
             Ваш кошелёк открыт, баланс — 0,00 ₽.\n\nХороших покупок!"
        ),
        html: layout(&format!(
            "<p>{}</p><p>Вы зарегистрировались в интернет-магазине «Витрина» под логином \
             <b>{}</b>.</p><p>Ваш кошелёк открыт, баланс — 0,00&nbsp;₽.</p><p>Хороших покупок!</p>",
            escape_html(&greeting),
            escape_html(username)
        )),
        unsubscribe: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_welcome_is_russian_and_escaped() {
        let l = email("<Иван>", "ivan");
        assert!(l.text.starts_with("Здравствуйте, <Иван>!"));
        assert!(l.html.contains("&lt;Иван&gt;"));
        assert!(!l.html.contains("<Иван>"));
        assert_eq!(email(" ", "x").text.lines().next(), Some("Здравствуйте!"));
    }
}
