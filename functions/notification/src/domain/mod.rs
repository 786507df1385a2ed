//! notification's rules: which channels a client has and what the letters say.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ChannelKind {
    Email,
    Sms,
    Push,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Channel {
    pub kind: ChannelKind,
    pub address: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub user_id: String,
    pub name: String,
    pub channels: Vec<Channel>,
}

impl Account {
    /// E-mail always (registration requires it); SMS when the client gave a phone.
    pub fn for_new_client(user_id: &str, name: &str, email: &str, phone: &str) -> Self {
        let mut channels = vec![Channel {
            kind: ChannelKind::Email,
            address: email.to_string(),
        }];
        if !phone.is_empty() {
            channels.push(Channel {
                kind: ChannelKind::Sms,
                address: phone.to_string(),
            });
        }
        Self {
            user_id: user_id.to_string(),
            name: name.to_string(),
            channels,
        }
    }

    pub fn email(&self) -> Option<&str> {
        self.channels
            .iter()
            .find(|c| c.kind == ChannelKind::Email)
            .map(|c| c.address.as_str())
    }
}

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

    #[test]
    fn account_channels_follow_what_the_client_gave() {
        let a = Account::for_new_client("u", "Иван", "i@example.ru", "+79990000000");
        assert_eq!(a.channels.len(), 2);
        assert_eq!(a.email(), Some("i@example.ru"));
        let b = Account::for_new_client("u", "Иван", "i@example.ru", "");
        assert_eq!(b.channels.len(), 1);
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
