//! Virtual time. The engine counts milliseconds from t=0 (`u64`); the
//! scenario's `clock.start` says which wall-clock instant t=0 is, so that
//! timestamps can be printed the way the API server prints them.
//!
//! The calendar arithmetic is the proleptic Gregorian one of Howard
//! Hinnant's `days_from_civil` / `civil_from_days` (UTC only): a few lines,
//! where a date-time crate cost about 80 KB of the wasm file (measured with
//! jiff 1.0; see ARCHITECTURE.md).

use std::fmt;

/// Milliseconds since t=0 (an instant) or a length of time (a duration).
pub type Ms = u64;

pub const SECOND: Ms = 1_000;
pub const MINUTE: Ms = 60 * SECOND;
pub const HOUR: Ms = 60 * MINUTE;

/// Seconds as the JSON output prints them (`11.0`, `0.25`).
pub fn secs(ms: Ms) -> f64 {
    ms as f64 / 1000.0
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's
/// `days_from_civil`; month 1-12, any day count).
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let (era, yoe) = (y.div_euclid(400), y.rem_euclid(400));
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

/// The civil date (year, month, day) of a day count since 1970-01-01
/// (Howard Hinnant's `civil_from_days`).
pub(crate) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let (era, doe) = (z.div_euclid(146_097), z.rem_euclid(146_097));
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        yoe + era * 400 + i64::from(m <= 2),
        m,
        doy - (153 * mp + 2) / 5 + 1,
    )
}

/// A wall-clock time broken into its fields.
pub(crate) struct Civil {
    pub year: i64,
    pub month: i64,
    pub day: i64,
    pub hour: i64,
    pub minute: i64,
    pub second: i64,
    /// 0 is Sunday.
    pub weekday: i64,
}

/// The fields of a local time given as seconds since 1970-01-01 00:00 of
/// that clock (UTC seconds plus the zone's offset).
pub(crate) fn civil(local_seconds: i64) -> Civil {
    let days = local_seconds.div_euclid(86_400);
    let rest = local_seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    Civil {
        year,
        month,
        day,
        hour: rest / 3600,
        minute: rest / 60 % 60,
        second: rest % 60,
        // 1970-01-01 was a Thursday.
        weekday: (days + 4).rem_euclid(7),
    }
}

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The wall-clock instant of t=0, in whole seconds since the Unix epoch
/// (sub-second parts of `clock.start` are dropped, as metav1.Time drops them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clock {
    start: i64,
}

impl Default for Clock {
    fn default() -> Self {
        Clock::parse(DEFAULT_CLOCK_START).expect("the default clock start is valid")
    }
}

/// t=0 when a scenario does not say otherwise.
pub const DEFAULT_CLOCK_START: &str = "2024-01-01T00:00:00Z";

fn number(text: &str, range: std::ops::RangeInclusive<i64>) -> Option<i64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|n| range.contains(n))
}

impl Clock {
    /// Parses an RFC 3339 timestamp such as `2024-01-01T00:00:00Z` or
    /// `2024-01-01T09:30:00.5+09:00`.
    pub fn parse(text: &str) -> Result<Clock, String> {
        let bad = || {
            format!("invalid RFC 3339 time {text:?}: expected a time such as 2024-01-01T00:00:00Z")
        };
        let b = text.as_bytes();
        if b.len() < 20
            || b[4] != b'-'
            || b[7] != b'-'
            || !matches!(b[10], b'T' | b't')
            || b[13] != b':'
            || b[16] != b':'
        {
            return Err(bad());
        }
        let year = number(&text[0..4], 0..=9999).ok_or_else(bad)?;
        let month = number(&text[5..7], 1..=12).ok_or_else(bad)?;
        let day = number(&text[8..10], 1..=31).ok_or_else(bad)?;
        let hour = number(&text[11..13], 0..=23).ok_or_else(bad)?;
        let minute = number(&text[14..16], 0..=59).ok_or_else(bad)?;
        let second = number(&text[17..19], 0..=60).ok_or_else(bad)?;
        let mut rest = &text[19..];
        if let Some(fraction) = rest.strip_prefix('.') {
            let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return Err(bad());
            }
            rest = &fraction[digits..];
        }
        let offset = match rest {
            "Z" | "z" => 0,
            _ if rest.len() == 6 && matches!(&rest[0..1], "+" | "-") && &rest[3..4] == ":" => {
                let hours = number(&rest[1..3], 0..=23).ok_or_else(bad)?;
                let minutes = number(&rest[4..6], 0..=59).ok_or_else(bad)?;
                let sign = if rest.starts_with('-') { -1 } else { 1 };
                sign * (hours * 3600 + minutes * 60)
            }
            _ => return Err(bad()),
        };
        let days = days_from_civil(year, month, day);
        if civil_from_days(days) != (year, month, day) {
            return Err(bad());
        }
        Ok(Clock {
            start: days * 86_400 + hour * 3600 + minute * 60 + second - offset,
        })
    }

    /// Seconds since the Unix epoch of the instant (for CronJob schedules).
    pub fn unix_seconds(&self, ms: Ms) -> i64 {
        self.start
            .saturating_add((ms / SECOND).min(i64::MAX as u64) as i64)
    }

    /// The instant as metav1.Time serialises it: RFC 3339, UTC, whole seconds.
    pub fn rfc3339(&self, ms: Ms) -> String {
        rfc3339_offset(self.unix_seconds(ms), 0)
    }

    /// The scenario time (ms from t=0) of a Unix second, clamped at t=0.
    pub fn ms_of(&self, unix_s: i64) -> Ms {
        (unix_s.saturating_sub(self.start).max(0) as Ms).saturating_mul(SECOND)
    }

    /// The instant as `kubectl describe` prints it (Go's RFC1123Z layout).
    pub fn rfc1123z(&self, ms: Ms) -> String {
        let c = civil(self.unix_seconds(ms));
        format!(
            "{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000",
            WEEKDAYS[c.weekday as usize],
            c.day,
            MONTHS[c.month as usize - 1],
            c.year,
            c.hour,
            c.minute,
            c.second
        )
    }
}

/// Go's `time.RFC3339` of a Unix second at a UTC offset (`Z` for 0):
/// `2024-01-01T09:30:00+05:30`.
pub fn rfc3339_offset(unix_s: i64, offset_s: i32) -> String {
    let c = civil(unix_s.saturating_add(i64::from(offset_s)));
    let zone = if offset_s == 0 {
        "Z".to_string()
    } else {
        let sign = if offset_s < 0 { '-' } else { '+' };
        let m = offset_s.unsigned_abs() / 60;
        format!("{sign}{:02}:{:02}", m / 60, m % 60)
    };
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{zone}",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// A duration printed the way kubectl prints ages (`0s`, `45s`, `2m10s`, `3h4m`).
pub struct Age(pub Ms);

impl fmt::Display for Age {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // k8s.io/apimachinery/pkg/util/duration.HumanDuration (a duration
        // is never negative here).
        let s = self.0 / SECOND;
        if s < 60 * 2 {
            return write!(f, "{s}s");
        }
        let m = s / 60;
        if m < 10 {
            let rem = s % 60;
            return if rem == 0 {
                write!(f, "{m}m")
            } else {
                write!(f, "{m}m{rem}s")
            };
        }
        if m < 60 * 3 {
            return write!(f, "{m}m");
        }
        let h = m / 60;
        if h < 8 {
            let rem = m % 60;
            return if rem == 0 {
                write!(f, "{h}h")
            } else {
                write!(f, "{h}h{rem}m")
            };
        }
        if h < 48 {
            return write!(f, "{h}h");
        }
        let (d, rem) = (h / 24, h % 24);
        if h < 24 * 8 {
            return if rem == 0 {
                write!(f, "{d}d")
            } else {
                write!(f, "{d}d{rem}h")
            };
        }
        if h < 24 * 365 * 2 {
            return write!(f, "{d}d");
        }
        let (y, days) = (d / 365, d % 365);
        if h < 24 * 365 * 8 && days != 0 {
            return write!(f, "{y}y{days}d");
        }
        write!(f, "{y}y")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_whole_utc_seconds() {
        let clock = Clock::parse("2024-01-01T00:00:00Z").unwrap();
        assert_eq!(clock.rfc3339(11_999), "2024-01-01T00:00:11Z");
        assert_eq!(clock.rfc3339(HOUR + 61 * SECOND), "2024-01-01T01:01:01Z");
        assert_eq!(clock.rfc1123z(0), "Mon, 01 Jan 2024 00:00:00 +0000");
        assert_eq!(clock.unix_seconds(60 * SECOND), 1_704_067_260);
    }

    #[test]
    fn calendar_arithmetic_crosses_leap_days_and_centuries() {
        for (text, unix) in [
            ("1970-01-01T00:00:00Z", 0),
            ("2000-02-29T12:00:00Z", 951_825_600),
            ("2100-03-01T00:00:00Z", 4_107_542_400),
            ("1969-12-31T23:59:59Z", -1),
        ] {
            let clock = Clock::parse(text).unwrap();
            assert_eq!(clock.unix_seconds(0), unix, "{text}");
            assert_eq!(clock.rfc3339(0), text);
        }
        assert_eq!(
            Clock::parse("2024-02-29T00:00:00Z").unwrap().rfc1123z(0),
            "Thu, 29 Feb 2024 00:00:00 +0000"
        );
    }

    #[test]
    fn offsets_and_fractions_are_converted_to_utc_seconds() {
        let clock = Clock::parse("2024-01-01T09:30:00.75+09:00").unwrap();
        assert_eq!(clock.rfc3339(0), "2024-01-01T00:30:00Z");
        assert_eq!(
            Clock::parse("2024-01-01T00:00:00-05:30")
                .unwrap()
                .rfc3339(0),
            "2024-01-01T05:30:00Z"
        );
    }

    #[test]
    fn rejects_what_is_not_rfc_3339() {
        for bad in [
            "yesterday",
            "2024-01-01",
            "2024-13-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-01-01T00:00:00",
            "2024-01-01T00:00:00+9:00",
            "2024-01-01T00:00:00.Z",
            "+024-01-01T00:00:00Z",
        ] {
            assert!(Clock::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ages_follow_kubectl() {
        assert_eq!(Age(0).to_string(), "0s");
        assert_eq!(Age(119 * SECOND).to_string(), "119s");
        assert_eq!(Age(130 * SECOND).to_string(), "2m10s");
        assert_eq!(Age(12 * MINUTE + 5 * SECOND).to_string(), "12m");
        assert_eq!(Age(3 * HOUR + 4 * MINUTE).to_string(), "3h4m");
        assert_eq!(Age(9 * HOUR).to_string(), "9h");
        assert_eq!(Age(50 * HOUR).to_string(), "2d2h");
        assert_eq!(Age(48 * HOUR).to_string(), "2d");
        // The year branches (expected values from HumanDuration's code:
        // whole days below 2 years, years and days below 8, then years).
        let day = 24 * HOUR;
        assert_eq!(Age(8 * day).to_string(), "8d");
        assert_eq!(Age(729 * day).to_string(), "729d");
        assert_eq!(Age(730 * day).to_string(), "2y");
        assert_eq!(Age((3 * 365 + 1) * day).to_string(), "3y1d");
        assert_eq!(Age((8 * 365 + 100) * day).to_string(), "8y");
        assert_eq!(Age(200 * HOUR).to_string(), "8d");
    }
}
