//! Wrong gift-card codes are counted per client in fixed 15-minute windows; the fifth wrong
//! code in a window closes activation for that client until the window ends.

pub const WINDOW_SECONDS: i64 = 15 * 60;
pub const MAX_FAILURES: u32 = 5;

/// The window a moment (epoch seconds) falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Counts since the epoch; the counter item's sort key.
    pub index: i64,
    /// When the window ends (epoch seconds): the counter's TTL, and when the client may retry.
    pub ends_at: i64,
}

impl Window {
    pub fn at(now: i64) -> Self {
        let index = now.div_euclid(WINDOW_SECONDS);
        Self {
            index,
            ends_at: (index + 1) * WINDOW_SECONDS,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_runs_from_its_start_to_just_before_the_next() {
        let start = 1_795_737_600; // 2026-11-27T00:00:00Z, a multiple of 15 minutes
        assert_eq!(start % WINDOW_SECONDS, 0);
        let w = Window::at(start);
        assert_eq!(w.ends_at, start + WINDOW_SECONDS);
        assert_eq!(Window::at(start + WINDOW_SECONDS - 1), w);
        let next = Window::at(start + WINDOW_SECONDS);
        assert_eq!(next.index, w.index + 1);
        assert_eq!(Window::at(start - 1).index, w.index - 1);
    }
}
