//! orchestra's rules: which run of the order saga a message asks for, and what its execution
//! is named — by the order, so that Step Functions itself refuses a second one.

use vitrina_shared::envelope::{ORDER_CANCEL_REQUESTED, ORDER_PAID};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Run {
    /// A paid order: payment confirmed, stock reserved, the delivery case opened.
    Forward,
    /// The client's cancellation of a paid order: the compensations only.
    Cancellation,
}

impl Run {
    /// The run a message's type asks for; `None` for a type orchestra does not take.
    pub fn of_message(kind: &str) -> Option<Self> {
        match kind {
            ORDER_PAID => Some(Self::Forward),
            ORDER_CANCEL_REQUESTED => Some(Self::Cancellation),
            _ => None,
        }
    }

    /// The execution's name: the order id, and `<order id>-cancel` for its cancellation.
    pub fn execution_name(self, order_id: &str) -> String {
        match self {
            Self::Forward => order_id.to_string(),
            Self::Cancellation => format!("{order_id}-cancel"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_order_has_one_forward_run_and_one_cancellation() {
        assert_eq!(Run::of_message(ORDER_PAID), Some(Run::Forward));
        assert_eq!(
            Run::of_message(ORDER_CANCEL_REQUESTED),
            Some(Run::Cancellation)
        );
        assert_eq!(Run::of_message("payment.succeeded"), None);
        assert_eq!(Run::Forward.execution_name("o1"), "o1");
        assert_eq!(Run::Cancellation.execution_name("o1"), "o1-cancel");
    }
}
