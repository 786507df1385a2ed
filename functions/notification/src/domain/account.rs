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
    /// The version of the client's profile these contacts are from (0: an account opened before
    /// versions were kept).
    #[serde(default)]
    pub profile_version: u64,
}

impl Account {
    /// E-mail always (registration requires it); SMS when the client gave a phone.
    pub fn for_new_client(user_id: &str, name: &str, email: &str, phone: &str) -> Self {
        Self {
            user_id: user_id.to_string(),
            name: name.to_string(),
            channels: contacts(email, phone),
            profile_version: 0,
        }
    }

    /// The account as the client's profile of `version` has it: the name, the e-mail and the
    /// phone replaced (a phone removed takes SMS away), any other channel kept. `None` when the
    /// account already follows that version or a newer one: a duplicate or a late message.
    pub fn following(&self, name: &str, email: &str, phone: &str, version: u64) -> Option<Account> {
        if version <= self.profile_version {
            return None;
        }
        let mut channels = contacts(email, phone);
        channels.extend(
            self.channels
                .iter()
                .filter(|c| !matches!(c.kind, ChannelKind::Email | ChannelKind::Sms))
                .cloned(),
        );
        Some(Self {
            user_id: self.user_id.clone(),
            name: name.to_string(),
            channels,
            profile_version: version,
        })
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

/// The channels a profile's contacts give: e-mail always, SMS with a phone.
fn contacts(email: &str, phone: &str) -> Vec<Channel> {
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
    channels
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
    fn an_account_follows_only_a_newer_profile() {
        let mut a = Account::for_new_client("u", "Иван", "old@example.ru", "+79990000000");
        a.profile_version = 1;
        a.channels.push(Channel {
            kind: ChannelKind::Push,
            address: "https://push.example/sub/1".into(),
        });
        let b = a
            .following("Пётр", "new@example.ru", "", 3)
            .expect("a newer profile is followed");
        assert_eq!(
            (b.name.as_str(), b.email(), b.phone(), b.profile_version),
            ("Пётр", Some("new@example.ru"), None, 3)
        );
        assert!(
            b.channels.iter().any(|c| c.kind == ChannelKind::Push),
            "a channel the profile does not hold is kept"
        );
        // The same version again (a duplicate) and an older one (a late retry) change nothing.
        assert_eq!(b.following("Иван", "old@example.ru", "", 3), None);
        assert_eq!(b.following("Иван", "old@example.ru", "", 2), None);
    }
}
