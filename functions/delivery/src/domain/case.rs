//! A delivery case's moves (`DELIVERYCASE#<order>`): the rules, as pure functions.

pub use vitrina_shared::contracts::delivery::DeliveryStatus::{self, *};
use vitrina_shared::contracts::{delivery::DeliveryMethod, order::OrderStatus};

/// Whether an operator may move a case of this method of delivery from `from` to `to`:
/// forward only, one step at a time; a pickup order waits at its point, a courier's goes
/// out for delivery. A cancelled or delivered case moves no more.
pub fn move_allowed(from: DeliveryStatus, to: DeliveryStatus, method: DeliveryMethod) -> bool {
    matches!(
        (from, to, method),
        (Created, InTransit, _)
            | (InTransit, AtPickupPoint, DeliveryMethod::Pickup)
            | (InTransit, OutForDelivery, DeliveryMethod::Courier)
            | (AtPickupPoint | OutForDelivery, Delivered, _)
    )
}

/// What the client is told of a status by letter: a case on its way between the warehouse
/// and the point is the shop's business.
pub fn tells_the_client(status: DeliveryStatus) -> bool {
    matches!(status, AtPickupPoint | OutForDelivery | Delivered)
}

/// What order hears of (the order's own status of the same name): every move, from the
/// goods leaving on — after which the order is no longer cancelled.
pub fn tells_the_order(status: DeliveryStatus) -> bool {
    order_status(status).is_some()
}

/// The order's status a case in `status` stands for, if the order has one for it.
pub fn order_status(status: DeliveryStatus) -> Option<OrderStatus> {
    match status {
        InTransit => Some(OrderStatus::InTransit),
        AtPickupPoint => Some(OrderStatus::AtPickupPoint),
        OutForDelivery => Some(OrderStatus::OutForDelivery),
        Delivered => Some(OrderStatus::Delivered),
        Created | Cancelled => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DeliveryMethod::{Courier, Pickup};

    #[test]
    fn a_case_moves_forward_one_step_and_by_its_method() {
        assert!(move_allowed(Created, InTransit, Pickup));
        assert!(move_allowed(InTransit, AtPickupPoint, Pickup));
        assert!(!move_allowed(InTransit, OutForDelivery, Pickup));
        assert!(move_allowed(InTransit, OutForDelivery, Courier));
        assert!(move_allowed(OutForDelivery, Delivered, Courier));
        assert!(!move_allowed(Created, Delivered, Courier), "no skipping");
        assert!(!move_allowed(Delivered, InTransit, Courier), "no way back");
        assert!(!move_allowed(Cancelled, InTransit, Pickup));
        assert!(
            !move_allowed(InTransit, Cancelled, Pickup),
            "cancelling is the saga's"
        );
        for method in [DeliveryMethod::Email, DeliveryMethod::Wallet] {
            assert!(
                !move_allowed(InTransit, AtPickupPoint, method)
                    && !move_allowed(InTransit, OutForDelivery, method),
                "{method} has no courier and no point"
            );
        }
    }

    #[test]
    fn the_client_hears_of_the_last_mile_and_the_order_of_every_move_of_the_goods() {
        let told: Vec<_> = DeliveryStatus::ALL
            .iter()
            .copied()
            .filter(|s| tells_the_client(*s))
            .collect();
        assert_eq!(told, [AtPickupPoint, OutForDelivery, Delivered]);
        for status in DeliveryStatus::ALL.iter().copied() {
            assert_eq!(
                tells_the_order(status),
                !matches!(status, Created | Cancelled),
                "{status}"
            );
            if let Some(order) = order_status(status) {
                assert_eq!(
                    order.as_str(),
                    status.as_str(),
                    "the same name on both sides"
                );
            }
        }
    }
}
