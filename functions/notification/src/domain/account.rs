//! A client's notification account: the channels the shop reaches the client by.

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
        self.address(ChannelKind::Email)
    }

    /// The phone given at registration, as typed.
    pub fn phone(&self) -> Option<&str> {
        self.address(ChannelKind::Sms)
    }

    fn address(&self, kind: ChannelKind) -> Option<&str> {
        self.channels
            .iter()
            .find(|c| c.kind == kind)
            .map(|c| c.address.as_str())
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
}
