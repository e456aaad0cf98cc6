//! The countdown under a campaign's bar, in the reader's own calendar:
//! "11 days left until the end of September", "last day", "campaign ended".
//!
//! Days are counted between calendar dates where the reader is (a UTC offset
//! the widget sends), not in 24-hour spans: a campaign that ends at midnight
//! has one day left all through the day before, whatever the hour. The words
//! are the server's (translated); the numbers and dates come from here.

use crate::Timestamp;
pub use time::{Date, Month};
use time::{OffsetDateTime, UtcOffset};

/// The furthest a UTC offset goes, in minutes (UTC−14:00 … UTC+14:00).
pub const MAX_OFFSET_MINUTES: i32 = 14 * 60;

/// Where a campaign stands for a reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Countdown {
    /// It has not started; it starts on this (local) date.
    Upcoming(Date),
    /// It runs; `days` calendar days are left after today (at least 1), up
    /// to `until`.
    Running {
        /// Whole calendar days after today.
        days: i64,
        /// The last day of the campaign, as the reader knows it.
        until: Until,
    },
    /// Today is the campaign's last (local) day.
    LastDay,
    /// It has ended.
    Ended,
}

/// How the end is named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// It ends exactly when this month ends, locally: "until the end of
    /// September".
    EndOf(Month),
    /// It ends during this (local) day: "until 15 October".
    Date(Date),
}

/// Clamps an offset in minutes to the range clocks use.
pub fn offset(minutes: i32) -> UtcOffset {
    let clamped = minutes.clamp(-MAX_OFFSET_MINUTES, MAX_OFFSET_MINUTES);
    UtcOffset::from_whole_seconds(clamped * 60).unwrap_or(UtcOffset::UTC)
}

fn local(at: Timestamp, offset: UtcOffset) -> OffsetDateTime {
    let nanos = i128::from(at.0) * 1_000_000;
    OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(offset)
}

/// Where a campaign running from `starts` (inclusive) to `ends` (exclusive)
/// stands at `now` for a reader `offset_minutes` east of UTC.
pub fn countdown(
    now: Timestamp,
    starts: Timestamp,
    ends: Timestamp,
    offset_minutes: i32,
) -> Countdown {
    let tz = offset(offset_minutes);
    if now >= ends {
        return Countdown::Ended;
    }
    if now < starts {
        return Countdown::Upcoming(local(starts, tz).date());
    }
    // The campaign's last instant is one millisecond before its end.
    let last = local(Timestamp(ends.0 - 1), tz);
    let today = local(now, tz).date();
    let days = i64::from(last.date().to_julian_day() - today.to_julian_day());
    if days <= 0 {
        return Countdown::LastDay;
    }
    let end = local(ends, tz);
    let month_ends = end.day() == 1 && end.time() == time::Time::MIDNIGHT;
    let until = if month_ends {
        Until::EndOf(last.month())
    } else {
        Until::Date(last.date())
    };
    Countdown::Running { days, until }
}

/// The UTC month that holds `now`: its first instant and the next month's.
pub fn month_of(now: Timestamp) -> (Timestamp, Timestamp) {
    let today = local(now, UtcOffset::UTC).date();
    let first = today.replace_day(1).unwrap_or(today);
    let next = match first.month() {
        Month::December => Date::from_calendar_date(first.year() + 1, Month::January, 1),
        m => Date::from_calendar_date(first.year(), m.next(), 1),
    }
    .unwrap_or(first);
    let at = |d: Date| Timestamp(d.midnight().assume_utc().unix_timestamp() * 1000);
    (at(first), at(next))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn at(rfc3339: &str) -> Timestamp {
        Timestamp::parse_rfc3339(rfc3339).unwrap()
    }

    const START: &str = "2026-09-01T00:00:00Z";
    const END: &str = "2026-10-01T00:00:00Z";

    fn left(now: &str, offset: i32) -> Countdown {
        countdown(at(now), at(START), at(END), offset)
    }

    #[test]
    fn the_reference_pages_eleven_days_until_the_end_of_september() {
        assert_eq!(
            left("2026-09-19T12:00:00Z", 0),
            Countdown::Running {
                days: 11,
                until: Until::EndOf(Month::September)
            }
        );
        // All day long, whatever the hour.
        assert_eq!(
            left("2026-09-19T00:00:00Z", 0),
            left("2026-09-19T23:59:59Z", 0)
        );
    }

    #[test]
    fn the_last_day_and_the_end() {
        assert_eq!(left("2026-09-30T00:00:00Z", 0), Countdown::LastDay);
        assert_eq!(left("2026-09-30T23:59:59.999Z", 0), Countdown::LastDay);
        assert_eq!(left("2026-10-01T00:00:00Z", 0), Countdown::Ended);
        assert_eq!(left("2027-01-01T00:00:00Z", 0), Countdown::Ended);
        assert_eq!(
            left("2026-09-29T23:59:59Z", 0),
            Countdown::Running {
                days: 1,
                until: Until::EndOf(Month::September)
            }
        );
    }

    #[test]
    fn before_the_start() {
        assert_eq!(
            left("2026-08-31T23:00:00Z", 0),
            Countdown::Upcoming(Date::from_calendar_date(2026, Month::September, 1).unwrap())
        );
    }

    #[test]
    fn readers_count_in_their_own_time_zone() {
        // The campaign ends at midnight UTC: 20:00 on the 30th in New York
        // (UTC−4), 09:00 on 1 October in Tokyo (UTC+9). Neither reads "the
        // end of September".
        let date = |m, d| Date::from_calendar_date(2026, m, d).unwrap();
        assert_eq!(
            left("2026-09-29T22:00:00Z", -4 * 60),
            Countdown::Running {
                days: 1,
                until: Until::Date(date(Month::September, 30))
            }
        );
        assert_eq!(
            left("2026-09-29T22:00:00Z", 9 * 60),
            Countdown::Running {
                days: 1,
                until: Until::Date(date(Month::October, 1))
            }
        );
        // 22:00 UTC on the 30th is the last day everywhere west of Tokyo
        // and in Tokyo too (07:00 on 1 October, two hours before the end).
        assert_eq!(left("2026-09-30T22:00:00Z", -4 * 60), Countdown::LastDay);
        assert_eq!(left("2026-09-30T22:00:00Z", 9 * 60), Countdown::LastDay);
        // Ended is an instant, not a date: the same everywhere.
        assert_eq!(left("2026-10-01T00:00:00Z", 9 * 60), Countdown::Ended);
        assert_eq!(left("2026-10-01T00:00:00Z", -4 * 60), Countdown::Ended);
        // In Tokyo the end falls at 09:00 on 1 October: that is its last
        // day, twelve days after the 19th.
        assert_eq!(
            left("2026-09-19T12:00:00Z", 9 * 60),
            Countdown::Running {
                days: 12,
                until: Until::Date(date(Month::October, 1))
            }
        );
        // A campaign set to end at midnight in New York is "the end of
        // September" for readers there.
        let ny_end = at("2026-10-01T04:00:00Z");
        assert_eq!(
            countdown(at("2026-09-30T03:59:00Z"), at(START), ny_end, -4 * 60),
            Countdown::Running {
                days: 1,
                until: Until::EndOf(Month::September)
            }
        );
        assert_eq!(
            countdown(at("2026-09-30T04:00:00Z"), at(START), ny_end, -4 * 60),
            Countdown::LastDay
        );
    }

    #[test]
    fn the_month_of_an_instant() {
        assert_eq!(
            month_of(at("2026-09-19T12:00:00Z")),
            (at("2026-09-01T00:00:00Z"), at("2026-10-01T00:00:00Z"))
        );
        assert_eq!(
            month_of(at("2026-12-31T23:59:59Z")),
            (at("2026-12-01T00:00:00Z"), at("2027-01-01T00:00:00Z"))
        );
    }

    #[test]
    fn offsets_past_fourteen_hours_are_clamped() {
        assert_eq!(offset(10_000), offset(MAX_OFFSET_MINUTES));
        assert_eq!(offset(-10_000), offset(-MAX_OFFSET_MINUTES));
    }
}
