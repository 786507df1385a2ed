//! The shop's own couriers' delivery windows: two hours each, offered for the next days, with a
//! capacity per zone and window (how many orders its couriers take in one). A client's choice
//! holds a place until it is time to pay; the saga confirms the hold of a paid order, and a hold
//! nobody paid for lapses — its place goes to whoever needs it next.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Utc};

/// The first hour of each window.
pub const START_HOURS: [u32; 6] = [10, 12, 14, 16, 18, 20];
pub const WINDOW_HOURS: u32 = 2;
/// Windows are offered from tomorrow for this many days.
pub const DAYS_AHEAD: i64 = 3;
/// Orders one zone's couriers take in one window.
pub const CAPACITY: i64 = 20;
/// A hold lasts as long as the price it was chosen with: the time to pay.
pub const HOLD_MINUTES: i64 = super::QUOTE_MINUTES;

const MONTHS: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

/// Couriers drive by Moscow time, whatever the server's zone.
fn moscow() -> FixedOffset {
    FixedOffset::east_opt(3 * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).expect("UTC"))
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    pub date: NaiveDate,
    pub hour: u32,
}

impl Window {
    /// `2026-11-28T10`: sorts by time, so a range of days is a range of keys.
    pub fn id(&self) -> String {
        format!("{}T{:02}", self.date.format("%Y-%m-%d"), self.hour)
    }

    /// A window of the shop's grid, or nothing (a client's id is never trusted as it is).
    pub fn parse(id: &str) -> Option<Self> {
        let (day, hour) = id.split_once('T')?;
        let date = NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
        let hour: u32 = hour.parse().ok().filter(|_| hour.len() == 2)?;
        START_HOURS.contains(&hour).then_some(Self { date, hour })
    }

    /// "28 ноября, 10:00–12:00".
    pub fn label(&self) -> String {
        format!(
            "{} {}, {:02}:00–{:02}:00",
            self.date.day(),
            MONTHS[self.date.month0() as usize],
            self.hour,
            self.hour + WINDOW_HOURS
        )
    }

    /// When the window ends, epoch seconds.
    pub fn ends_at(&self) -> i64 {
        let end = self.date.and_hms_opt(0, 0, 0).unwrap_or_default()
            + Duration::hours(i64::from(self.hour + WINDOW_HOURS));
        moscow()
            .from_local_datetime(&end)
            .single()
            .map(|t| t.timestamp())
            .unwrap_or_default()
    }
}

/// The windows offered at `now`, in time order: every window of the next `DAYS_AHEAD` days,
/// tomorrow first (Moscow time).
pub fn offered(now: DateTime<Utc>) -> Vec<Window> {
    let today = now.with_timezone(&moscow()).date_naive();
    (1..=DAYS_AHEAD)
        .filter_map(|d| today.checked_add_signed(Duration::days(d)))
        .flat_map(|date| START_HOURS.iter().map(move |&hour| Window { date, hour }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_offered_from_tomorrow_moscow_time_and_parsed_back() {
        // 22:30 UTC is already the next day in Moscow.
        let now = Utc.with_ymd_and_hms(2026, 11, 27, 22, 30, 0).unwrap();
        let windows = offered(now);
        assert_eq!(windows.len(), 18);
        assert_eq!(windows[0].id(), "2026-11-29T10");
        assert_eq!(windows[0].label(), "29 ноября, 10:00–12:00");
        assert_eq!(windows[17].id(), "2026-12-01T20");
        assert_eq!(Window::parse("2026-11-29T10"), Some(windows[0].clone()));
        for bad in [
            "2026-11-29T11",
            "2026-11-29T9",
            "2026-11-29",
            "tomorrow",
            "2026-13-01T10",
        ] {
            assert_eq!(Window::parse(bad), None, "{bad}");
        }
        // 12:00 Moscow is 09:00 UTC.
        assert_eq!(
            windows[0].ends_at(),
            Utc.with_ymd_and_hms(2026, 11, 29, 9, 0, 0)
                .unwrap()
                .timestamp()
        );
    }
}
