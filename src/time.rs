//! Virtual time. The engine counts milliseconds from t=0 (`u64`); the
//! scenario's `clock.start` says which wall-clock instant t=0 is, so that
//! timestamps can be printed the way the API server prints them.

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

/// Serialises milliseconds as seconds (for `#[serde(serialize_with)]`).
pub fn serialize_secs<S: serde::Serializer>(ms: &Ms, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(secs(*ms))
}

/// The wall-clock instant of t=0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clock {
    start: jiff::Timestamp,
}

impl Default for Clock {
    fn default() -> Self {
        Clock::parse(DEFAULT_CLOCK_START).expect("the default clock start is valid")
    }
}

/// t=0 when a scenario does not say otherwise.
pub const DEFAULT_CLOCK_START: &str = "2024-01-01T00:00:00Z";

impl Clock {
    /// Parses an RFC 3339 timestamp such as `2024-01-01T00:00:00Z`.
    pub fn parse(text: &str) -> Result<Clock, String> {
        text.parse::<jiff::Timestamp>()
            .map(|start| Clock { start })
            .map_err(|e| format!("invalid RFC 3339 time {text:?}: {e}"))
    }

    fn at(&self, ms: Ms) -> jiff::Timestamp {
        // Saturate far beyond any simulated time rather than fail.
        let delta = jiff::SignedDuration::from_millis(ms.min(i64::MAX as u64) as i64);
        self.start
            .checked_add(delta)
            .unwrap_or(jiff::Timestamp::MAX)
    }

    /// The instant as metav1.Time serialises it: RFC 3339, UTC, whole seconds.
    pub fn rfc3339(&self, ms: Ms) -> String {
        self.at(ms).strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
    }

    /// The instant as `kubectl describe` prints it (Go's RFC1123Z layout).
    pub fn rfc1123z(&self, ms: Ms) -> String {
        self.at(ms)
            .strftime("%a, %d %b %Y %H:%M:%S +0000")
            .to_string()
    }

    /// Seconds since the Unix epoch of the instant (for CronJob schedules).
    pub fn unix_seconds(&self, ms: Ms) -> i64 {
        self.at(ms).as_second()
    }
}

/// A duration printed the way kubectl prints ages (`0s`, `45s`, `2m10s`, `3h4m`).
pub struct Age(pub Ms);

impl fmt::Display for Age {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // k8s.io/apimachinery/pkg/util/duration.HumanDuration, for the ranges
        // a simulation reaches.
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
        if h < 24 * 8 && rem != 0 {
            return write!(f, "{d}d{rem}h");
        }
        write!(f, "{d}d")
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
    fn offsets_are_converted_to_utc() {
        let clock = Clock::parse("2024-01-01T09:30:00+09:00").unwrap();
        assert_eq!(clock.rfc3339(0), "2024-01-01T00:30:00Z");
        assert!(Clock::parse("yesterday").is_err());
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
        assert_eq!(Age(200 * HOUR).to_string(), "8d");
    }
}
