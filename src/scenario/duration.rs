//! Durations as scenario files write them: `1s`, `1.5s`, `250ms`, `1m30s`,
//! `2h`, or a bare number of seconds.

use crate::time::Ms;
use crate::yaml::Value;

/// A duration in milliseconds, written in the scenario syntax.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Duration(pub Ms);

/// How long a container runs by itself: a duration or `forever`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunFor {
    For(Ms),
    Forever,
}

const EXPECTED: &str = "a duration such as 10s, 1.5s, 250ms, 1m30s or 2h, or a number of seconds";

/// Parses the text form. Fractions of a millisecond are rounded to the
/// nearest millisecond.
pub fn parse(text: &str) -> Result<Ms, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(format!("empty duration: expected {EXPECTED}"));
    }
    if text.starts_with('-') {
        return Err(format!(
            "invalid duration {text:?}: a time in a scenario is never negative"
        ));
    }
    if let Ok(seconds) = text.parse::<f64>() {
        return from_seconds(seconds)
            .ok_or_else(|| format!("invalid duration {text:?}: expected {EXPECTED}"));
    }
    let bad = || format!("invalid duration {text:?}: expected {EXPECTED}");
    let mut total = 0f64;
    let mut rest = text;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(bad)?;
        let value: f64 = rest[..number_len].parse().map_err(|_| bad())?;
        rest = &rest[number_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit_ms = match &rest[..unit_len] {
            "ms" => 1.0,
            "s" => 1_000.0,
            "m" => 60_000.0,
            "h" => 3_600_000.0,
            _ => return Err(bad()),
        };
        rest = &rest[unit_len..];
        total += value * unit_ms;
    }
    from_seconds(total / 1000.0).ok_or_else(bad)
}

fn from_seconds(seconds: f64) -> Option<Ms> {
    // A century is far beyond any simulation; it keeps the arithmetic exact.
    const LIMIT_S: f64 = 100.0 * 365.0 * 86_400.0;
    (seconds.is_finite() && (0.0..=LIMIT_S).contains(&seconds))
        .then(|| (seconds * 1000.0).round() as Ms)
}

/// A duration from a YAML value: a number of seconds or the text form.
pub fn from_value(v: &Value) -> Option<Ms> {
    match v {
        Value::String(s) => parse(s).ok(),
        Value::Number(n) => n.as_f64().and_then(from_seconds),
        _ => None,
    }
}

/// `runFor`: a duration or `forever`.
pub fn run_for_from_value(v: &Value) -> Option<RunFor> {
    if v.as_str() == Some("forever") {
        Some(RunFor::Forever)
    } else {
        from_value(v).map(RunFor::For)
    }
}

/// Formats milliseconds in the scenario syntax (`1m30s`, `250ms`, `0s`).
pub fn format(ms: Ms) -> String {
    if ms == 0 {
        return "0s".to_string();
    }
    let mut out = String::new();
    let (h, rest) = (ms / 3_600_000, ms % 3_600_000);
    let (m, rest) = (rest / 60_000, rest % 60_000);
    let (s, milli) = (rest / 1000, rest % 1000);
    if h > 0 {
        out += &format!("{h}h");
    }
    if m > 0 {
        out += &format!("{m}m");
    }
    match (s, milli) {
        (0, 0) => {}
        (s, 0) => out += &format!("{s}s"),
        (0, milli) if out.is_empty() => out += &format!("{milli}ms"),
        (s, milli) => out += &format!("{}s", trim_fraction(s, milli)),
    }
    out
}

fn trim_fraction(s: u64, milli: u64) -> String {
    let text = format!("{s}.{milli:03}");
    text.trim_end_matches('0').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_combinations() {
        assert_eq!(parse("10s"), Ok(10_000));
        assert_eq!(parse("1.5s"), Ok(1_500));
        assert_eq!(parse("250ms"), Ok(250));
        assert_eq!(parse("1m30s"), Ok(90_000));
        assert_eq!(parse("2h"), Ok(7_200_000));
        assert_eq!(parse("1h1m1s1ms"), Ok(3_661_001));
        assert_eq!(parse("42"), Ok(42_000));
        assert_eq!(parse("0.25"), Ok(250));
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["", "s", "10x", "-1s", "1.2.3s", "ten", "1s-", "inf", "NaN"] {
            assert!(parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn formats_back() {
        for (ms, text) in [
            (0, "0s"),
            (250, "250ms"),
            (1_500, "1.5s"),
            (90_000, "1m30s"),
            (7_200_000, "2h"),
        ] {
            assert_eq!(format(ms), text);
            assert_eq!(parse(text), Ok(ms));
        }
    }

    #[test]
    fn yaml_numbers_strings_and_forever() {
        let v = |t: &str| crate::yaml::parse(t).unwrap();
        assert_eq!(from_value(&v("3")), Some(3_000));
        assert_eq!(from_value(&v("1.5")), Some(1_500));
        assert_eq!(run_for_from_value(&v("forever")), Some(RunFor::Forever));
        assert_eq!(run_for_from_value(&v("5m")), Some(RunFor::For(300_000)));
        assert_eq!(from_value(&v("-2")), None);
        assert_eq!(from_value(&v("1e12")), None);
        assert_eq!(from_value(&v("[1]")), None);
    }
}
