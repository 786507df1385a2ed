//! The client's choice of channels for each kind of message, and what the shop sends whatever
//! the choice: a payment's result and a gift card's code always go by e-mail (the client needs
//! them to act and to prove what was paid); a channel a kind of message never uses is not
//! offered.

use serde::{Deserialize, Serialize};
use vitrina_shared::contracts::{
    notification::{Channel, NoticeKind},
    order::OrderStatus,
};

/// The channels a kind of message goes by, in the order «Уведомления» shows them.
pub fn offered(kind: NoticeKind) -> &'static [Channel] {
    match kind {
        NoticeKind::Orders => &[Channel::Email, Channel::Push],
        NoticeKind::Delivery => &[Channel::Email, Channel::Sms, Channel::Push],
        // To the recipient's address, who need not be a client.
        NoticeKind::GiftCards => &[Channel::Email],
    }
}

/// Sent whatever the client chose.
pub fn required(kind: NoticeKind, channel: Channel) -> bool {
    channel == Channel::Email && matches!(kind, NoticeKind::Orders | NoticeKind::GiftCards)
}

/// What an order's status is news of.
pub fn kind_of(status: OrderStatus) -> NoticeKind {
    match status {
        OrderStatus::Cancelled => NoticeKind::Orders,
        _ => NoticeKind::Delivery,
    }
}

/// One kind of message's channels as the client chose them.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Choice {
    pub email: bool,
    pub sms: bool,
    pub push: bool,
}

impl Default for Choice {
    /// Every channel the client has, until the client says otherwise.
    fn default() -> Self {
        Self {
            email: true,
            sms: true,
            push: true,
        }
    }
}

impl Choice {
    fn get(&self, channel: Channel) -> bool {
        match channel {
            Channel::Email => self.email,
            Channel::Sms => self.sms,
            Channel::Push => self.push,
        }
    }

    fn set(&mut self, channel: Channel, on: bool) {
        match channel {
            Channel::Email => self.email = on,
            Channel::Sms => self.sms = on,
            Channel::Push => self.push = on,
        }
    }
}

/// The client's choice for every kind of message (a client who never chose has the default).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Preferences {
    #[serde(default)]
    pub orders: Choice,
    #[serde(default)]
    pub delivery: Choice,
    #[serde(default)]
    pub gift_cards: Choice,
    /// Each change counts one: a change is written only over the version it read.
    #[serde(default)]
    pub version: u64,
}

/// Why a change is refused; the client's 400.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChoiceRefused {
    #[error("{0} messages always go by e-mail")]
    Required(NoticeKind),
    #[error("{0} messages never go by {1}")]
    NotOffered(NoticeKind, Channel),
}

impl Preferences {
    fn choice(&self, kind: NoticeKind) -> &Choice {
        match kind {
            NoticeKind::Orders => &self.orders,
            NoticeKind::Delivery => &self.delivery,
            NoticeKind::GiftCards => &self.gift_cards,
        }
    }

    /// Whether a message of `kind` goes by `channel` (when the client has that channel).
    pub fn wants(&self, kind: NoticeKind, channel: Channel) -> bool {
        offered(kind).contains(&channel)
            && (required(kind, channel) || self.choice(kind).get(channel))
    }

    /// The preferences with `changes` made, one version on; nothing changed when one is refused.
    pub fn changed(&self, changes: &[(NoticeKind, Channel, bool)]) -> Result<Self, ChoiceRefused> {
        let mut next = self.clone();
        for &(kind, channel, on) in changes {
            if !offered(kind).contains(&channel) {
                return Err(ChoiceRefused::NotOffered(kind, channel));
            }
            if required(kind, channel) && !on {
                return Err(ChoiceRefused::Required(kind));
            }
            match kind {
                NoticeKind::Orders => next.orders.set(channel, on),
                NoticeKind::Delivery => next.delivery.set(channel, on),
                NoticeKind::GiftCards => next.gift_cards.set(channel, on),
            }
        }
        next.version = self.version + 1;
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_client_gets_every_offered_channel_and_never_an_unoffered_one() {
        let p = Preferences::default();
        for kind in NoticeKind::ALL {
            for channel in Channel::ALL {
                assert_eq!(
                    p.wants(*kind, *channel),
                    offered(*kind).contains(channel),
                    "{kind} {channel}"
                );
            }
        }
    }

    #[test]
    fn a_choice_turns_a_channel_off_but_never_the_required_email() {
        let p = Preferences::default()
            .changed(&[
                (NoticeKind::Delivery, Channel::Sms, false),
                (NoticeKind::Orders, Channel::Push, false),
            ])
            .expect("allowed");
        assert!(!p.wants(NoticeKind::Delivery, Channel::Sms));
        assert!(p.wants(NoticeKind::Delivery, Channel::Email));
        assert!(!p.wants(NoticeKind::Orders, Channel::Push));
        assert_eq!(p.version, 1);
        assert_eq!(
            p.changed(&[
                (NoticeKind::Delivery, Channel::Email, false),
                (NoticeKind::Orders, Channel::Email, false)
            ]),
            Err(ChoiceRefused::Required(NoticeKind::Orders)),
            "nothing of a refused change is made"
        );
        assert_eq!(
            p.changed(&[(NoticeKind::GiftCards, Channel::Sms, true)]),
            Err(ChoiceRefused::NotOffered(
                NoticeKind::GiftCards,
                Channel::Sms
            ))
        );
        // Turning the required one on is no change at all, but allowed.
        assert!(p
            .changed(&[(NoticeKind::Orders, Channel::Email, true)])
            .is_ok());
    }

    #[test]
    fn an_orders_cancellation_is_orders_news_and_the_rest_delivery() {
        assert_eq!(kind_of(OrderStatus::Cancelled), NoticeKind::Orders);
        for s in [
            OrderStatus::HandedToDelivery,
            OrderStatus::AtPickupPoint,
            OrderStatus::OutForDelivery,
            OrderStatus::Delivered,
        ] {
            assert_eq!(kind_of(s), NoticeKind::Delivery);
        }
    }
}
