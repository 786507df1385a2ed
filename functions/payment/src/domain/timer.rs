//! The payment timer's decision table (docs/ARCHITECTURE.md §7): what the shop does with a
//! payment when its timer comes back, once the bank's word has been applied. Pure: the caller
//! reads the payment, the clock and the order's claim, and carries out the answer.

use super::payment::Status;
use std::time::Duration;

/// A payment still with the payer this long is the bank's problem to report: an operator looks.
pub const PAYER_AT_MOST: Duration = Duration::from_secs(24 * 3600);

/// What the timer does with the payment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Its refund is not finished: read it again from the bank (and look again, or tell an
    /// operator of a refusal).
    FollowRefund,
    /// Given up: its claim of the order dropped and the bank's hold released (again: both are
    /// harmless twice, and the write that ended it may have stopped before them).
    ReleaseGivenUp,
    /// Failed: its claim of the order dropped, should the write that failed it have stopped
    /// before that.
    ReleaseClaim,
    /// Paid or refunded: nothing left to do.
    Nothing,
    /// «Оплатить» claimed the order and broke off before taking the money: take it now, as the
    /// client asked.
    TakeMoney,
    /// Nobody confirmed it in time (or the bank was never reached): give it up, unless
    /// «Оплатить» claims it first.
    GiveUp,
    /// Look again this much later.
    LookAgain(Duration),
    /// Still with the payer after [`PAYER_AT_MOST`]: the bank does not settle it; the message
    /// goes to the DLQ for an operator.
    Stuck,
}

/// What the timer knows when it decides.
#[derive(Clone, Copy, Debug)]
pub struct Look {
    pub status: Status,
    /// Since the payment was recorded.
    pub age: Duration,
    /// Since its status last moved.
    pub waited: Duration,
    /// Whether the order's claim is this payment's («Оплатить» pressed). Read only for a
    /// payment holding money ([`needs_claim`]); `false` otherwise.
    pub claimed: bool,
    /// How long money may be held without «Оплатить».
    pub hold: Duration,
}

/// Whether [`decide`] needs to know who has claimed the order: only while the money is held.
pub fn needs_claim(status: Status) -> bool {
    matches!(status, Status::Authorized | Status::Ready)
}

pub fn decide(look: Look) -> Step {
    match look.status {
        Status::Refunding | Status::RefundFailed => Step::FollowRefund,
        Status::Cancelled => Step::ReleaseGivenUp,
        Status::Failed => Step::ReleaseClaim,
        Status::Paid | Status::Refunded => Step::Nothing,
        Status::Created | Status::AwaitingPayer if look.age > PAYER_AT_MOST => Step::Stuck,
        // The bank was never reached (the client's request broke off): nothing is held.
        Status::Created if look.age >= look.hold => Step::GiveUp,
        Status::Created | Status::AwaitingPayer => Step::LookAgain(look.hold),
        Status::Authorized | Status::Ready if look.claimed => Step::TakeMoney,
        Status::Authorized | Status::Ready if look.waited < look.hold => {
            Step::LookAgain(look.hold - look.waited)
        }
        Status::Authorized | Status::Ready => Step::GiveUp,
    }
}

/// How long ago an RFC 3339 time was, from `now` (zero if it is unreadable or in the future).
pub fn since(time: &str, now: chrono::DateTime<chrono::Utc>) -> Duration {
    chrono::DateTime::parse_from_rfc3339(time)
        .ok()
        .and_then(|t| (now - t.with_timezone(&chrono::Utc)).to_std().ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOLD: Duration = Duration::from_secs(900);
    const MIN: Duration = Duration::from_secs(60);

    fn look(status: Status, age: Duration, waited: Duration, claimed: bool) -> Step {
        decide(Look {
            status,
            age,
            waited,
            claimed,
            hold: HOLD,
        })
    }

    #[test]
    fn money_held_is_taken_when_claimed_and_released_after_the_hold_otherwise() {
        for held in [Status::Authorized, Status::Ready] {
            assert!(needs_claim(held));
            assert_eq!(look(held, MIN, MIN, true), Step::TakeMoney);
            assert_eq!(
                look(held, HOLD * 2, HOLD * 2, true),
                Step::TakeMoney,
                "a claim is honoured however late"
            );
            assert_eq!(look(held, MIN, MIN, false), Step::LookAgain(HOLD - MIN));
            assert_eq!(look(held, HOLD, HOLD, false), Step::GiveUp);
        }
    }

    #[test]
    fn a_payment_with_the_payer_is_looked_at_again_until_a_day_has_passed() {
        assert_eq!(
            look(Status::AwaitingPayer, HOLD * 3, HOLD * 3, false),
            Step::LookAgain(HOLD),
            "the bank ends its own page"
        );
        assert_eq!(
            look(Status::Created, MIN, MIN, false),
            Step::LookAgain(HOLD)
        );
        assert_eq!(
            look(Status::Created, HOLD, HOLD, false),
            Step::GiveUp,
            "never reached the bank: nothing is held"
        );
        let day = PAYER_AT_MOST + MIN;
        assert_eq!(look(Status::AwaitingPayer, day, day, false), Step::Stuck);
        assert_eq!(look(Status::Created, day, day, false), Step::Stuck);
    }

    #[test]
    fn a_payment_over_is_only_cleaned_up_after() {
        assert_eq!(
            look(Status::Cancelled, MIN, MIN, false),
            Step::ReleaseGivenUp
        );
        assert_eq!(look(Status::Failed, MIN, MIN, false), Step::ReleaseClaim);
        assert_eq!(look(Status::Paid, MIN, MIN, false), Step::Nothing);
        assert_eq!(look(Status::Refunded, MIN, MIN, false), Step::Nothing);
        assert_eq!(look(Status::Refunding, MIN, MIN, false), Step::FollowRefund);
        assert_eq!(
            look(Status::RefundFailed, MIN, MIN, false),
            Step::FollowRefund
        );
        for over in [
            Status::Paid,
            Status::Failed,
            Status::Cancelled,
            Status::Refunding,
        ] {
            assert!(!needs_claim(over));
        }
    }

    #[test]
    fn time_since_is_zero_for_the_unreadable_and_the_future() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-06T10:00:00Z")
            .map(|t| t.with_timezone(&chrono::Utc))
            .expect("a time");
        assert_eq!(since("2026-12-06T09:59:00Z", now), MIN);
        assert_eq!(since("2026-12-06T10:01:00Z", now), Duration::ZERO);
        assert_eq!(since("yesterday", now), Duration::ZERO);
    }
}
