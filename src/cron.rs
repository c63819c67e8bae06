//! CronJob schedules as Kubernetes reads them: robfig/cron v3
//! `ParseStandard` (vendor/github.com/robfig/cron/v3/parser.go), with
//! `SpecSchedule.Next` (spec.go) and `ConstantDelaySchedule.Next`
//! (constantdelay.go). Error texts are byte-identical to Go's `err.Error()`,
//! including the wrapped `strconv.Atoi`, `time.ParseDuration` and
//! `time.LoadLocation` errors.
//!
//! Times are whole Unix seconds. Time-zone data stays outside: the parser asks
//! a caller-supplied function whether a zone name exists, and `next` takes a
//! [`Zone`] giving the UTC offset in effect at an instant. `next` copies
//! robfig's walk field by field on top of Go's `time.Date` (normalisation, and
//! its choice of offset for a local time in a DST gap or overlap), `AddDate`,
//! `Add` and `Truncate` (which works on absolute time, not on the local clock).

use crate::time::{Civil, days_from_civil};
use std::fmt::Write as _;

/// A time zone: the UTC offset, in seconds, in effect at a UTC instant.
pub trait Zone {
    /// The offset (local minus UTC) in seconds at `utc_s` (Unix seconds).
    fn offset_at(&self, utc_s: i64) -> i32;

    /// Whether every offset and every transition is a whole minute (the
    /// local second is then the UTC second, which lets `next` skip to the
    /// next matching second instead of walking one second at a time).
    fn whole_minutes(&self) -> bool {
        false
    }
}

/// A zone with one fixed offset in seconds (Go's `time.FixedZone`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FixedZone(pub i32);

impl Zone for FixedZone {
    fn offset_at(&self, _utc_s: i64) -> i32 {
        self.0
    }

    fn whole_minutes(&self) -> bool {
        self.0 % 60 == 0
    }
}

/// Coordinated Universal Time.
pub const UTC: FixedZone = FixedZone(0);

/// robfig's `SpecSchedule`: one bit per allowed value (bit n = value n), plus
/// bit 63 (the "star bit") when the field was `*` or `?` (alone or with step
/// 1); a star in day-of-month or day-of-week makes the day rule AND, not OR.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecSchedule {
    /// Seconds 0-59 (`ParseStandard` always gives `0`).
    pub second: u64,
    /// Minutes 0-59.
    pub minute: u64,
    /// Hours 0-23.
    pub hour: u64,
    /// Days of the month 1-31.
    pub dom: u64,
    /// Months 1-12.
    pub month: u64,
    /// Days of the week 0-6 (Sunday is 0).
    pub dow: u64,
    /// Zone from a `TZ=`/`CRON_TZ=` prefix; `None` is Go's `time.Local`
    /// (no prefix, or `TZ=Local`); `TZ=` and `TZ=UTC` give `"UTC"`.
    pub location: Option<String>,
}

/// A parsed schedule (robfig's `Schedule` interface).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Schedule {
    /// A crontab line or a descriptor such as `@daily`.
    Spec(SpecSchedule),
    /// `@every <duration>` (robfig's `ConstantDelaySchedule`): the delay in
    /// whole seconds, at least 1. A `TZ=` prefix is dropped, as upstream.
    Every {
        /// The delay in seconds.
        seconds: i64,
    },
}

const STAR_BIT: u64 = 1 << 63;

struct Bounds {
    min: u64,
    max: u64,
    /// Names for `min`, `min + 1`, ... (matched lower-cased).
    names: &'static [&'static str],
}

const fn bounds(min: u64, max: u64, names: &'static [&'static str]) -> Bounds {
    Bounds { min, max, names }
}

const SECONDS: Bounds = bounds(0, 59, &[]);
const MINUTES: Bounds = bounds(0, 59, &[]);
const HOURS: Bounds = bounds(0, 23, &[]);
const DOM: Bounds = bounds(1, 31, &[]);
#[rustfmt::skip]
const MONTHS: Bounds = bounds(1, 12, &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
]);
const DOW: Bounds = bounds(0, 6, &["sun", "mon", "tue", "wed", "thu", "fri", "sat"]);

/// robfig `ParseStandard`: five fields (minute hour dom month dow) or a
/// descriptor, optionally after `TZ=Zone ` / `CRON_TZ=Zone `. `zone_exists`
/// stands in for the zone database of `time.LoadLocation` (it is not asked
/// about `""`, `UTC` or `Local`). The error is Go's `err.Error()` text; where
/// Go panics (a `TZ=` prefix with no space after it) it is the panic message.
pub fn parse_standard(spec: &str, zone_exists: &dyn Fn(&str) -> bool) -> Result<Schedule, String> {
    if spec.is_empty() {
        return Err("empty spec string".to_string());
    }
    let mut spec = spec;
    let mut location = None;
    if spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=") {
        let Some(i) = spec.find(' ') else {
            return Err("runtime error: slice bounds out of range [:-1]".to_string());
        };
        let eq = spec.find('=').unwrap_or(0);
        let name = spec.get(eq + 1..i).unwrap_or_default();
        let bad = |e: &str| Err(format!("provided bad location {name}: {e}"));
        location = match name {
            "" | "UTC" => Some("UTC".to_string()),
            "Local" => None,
            _ if name.contains("..") || name.starts_with(['/', '\\']) => {
                return bad("time: invalid location name");
            }
            _ if zone_exists(name) => Some(name.to_string()),
            _ => return bad(&format!("unknown time zone {name}")),
        };
        spec = spec.get(i..).unwrap_or_default().trim();
    }
    // robfig's descriptor table holds exactly the bits of these lines.
    let spec = match spec {
        "@yearly" | "@annually" => "0 0 1 1 *",
        "@monthly" => "0 0 1 * *",
        "@weekly" => "0 0 * * 0",
        "@daily" | "@midnight" => "0 0 * * *",
        "@hourly" => "0 * * * *",
        _ if spec.starts_with('@') => return parse_every(spec),
        _ => spec,
    };
    let fields: Vec<&str> = spec.split_whitespace().collect();
    let [minute, hour, dom, month, dow] = fields[..] else {
        let (n, list) = (fields.len(), fields.join(" "));
        return Err(format!("expected exactly 5 fields, found {n}: [{list}]"));
    };
    Ok(Schedule::Spec(SpecSchedule {
        second: get_field("0", &SECONDS)?,
        minute: get_field(minute, &MINUTES)?,
        hour: get_field(hour, &HOURS)?,
        dom: get_field(dom, &DOM)?,
        month: get_field(month, &MONTHS)?,
        dow: get_field(dow, &DOW)?,
        location,
    }))
}

/// `@every <duration>`, or robfig's error for an unknown descriptor.
fn parse_every(descriptor: &str) -> Result<Schedule, String> {
    let Some(d) = descriptor.strip_prefix("@every ") else {
        return Err(format!("unrecognized descriptor: {descriptor}"));
    };
    let nanos = parse_duration(d);
    let nanos = nanos.map_err(|e| format!("failed to parse duration {descriptor}: {e}"))?;
    // robfig `Every`: at least one second, the sub-second part dropped.
    let seconds = (nanos / 1_000_000_000).max(1);
    Ok(Schedule::Every { seconds })
}

/// robfig `getField`: comma-separated ranges (empty items are skipped).
fn get_field(field: &str, r: &Bounds) -> Result<u64, String> {
    let mut bits = 0;
    for expr in field.split(',').filter(|e| !e.is_empty()) {
        bits |= get_range(expr, r)?;
    }
    Ok(bits)
}

/// robfig `getRange`: `*`, `?`, `N` or `N-M`, each with an optional `/step`.
fn get_range(expr: &str, r: &Bounds) -> Result<u64, String> {
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let range = range_and_step.first().copied().unwrap_or_default();
    let low_and_high: Vec<&str> = range.split('-').collect();
    let (start, mut end, mut extra) = match low_and_high[..] {
        ["*" | "?", ..] => (r.min, r.max, STAR_BIT),
        [low] => {
            let start = parse_int_or_name(low, r)?;
            (start, start, 0)
        }
        [low, high] => (parse_int_or_name(low, r)?, parse_int_or_name(high, r)?, 0),
        [low, ..] => {
            parse_int_or_name(low, r)?;
            return Err(format!("too many hyphens: {expr}"));
        }
        [] => (0, 0, 0), // split always yields an item
    };
    let step = match range_and_step[..] {
        [_, step] => {
            let step = must_parse_int(step)?;
            if low_and_high.len() == 1 {
                end = r.max; // "N/step" means "N-max/step"
            }
            if step > 1 {
                extra = 0;
            }
            step
        }
        [_] | [] => 1,
        _ => return Err(format!("too many slashes: {expr}")),
    };
    let (min, max) = (r.min, r.max);
    let problem = if start < min {
        format!("beginning of range ({start}) below minimum ({min})")
    } else if end > max {
        format!("end of range ({end}) above maximum ({max})")
    } else if start > end {
        format!("beginning of range ({start}) beyond end of range ({end})")
    } else if step == 0 {
        "step of range should be a positive number".to_string()
    } else {
        return Ok(get_bits(start, end, step) | extra);
    };
    Err(format!("{problem}: {expr}"))
}

/// A name (case-insensitive; the first one stands for `r.min`) or a number.
fn parse_int_or_name(expr: &str, r: &Bounds) -> Result<u64, String> {
    // Go's strings.ToLower maps rune by rune; U+0130 becomes a plain 'i'.
    let lower = |c: char| c.to_lowercase().next().filter(|_| c != 'İ').unwrap_or('i');
    let lower: String = expr.chars().map(lower).collect();
    match r.names.iter().position(|name| *name == lower) {
        Some(i) => Ok(r.min + i as u64),
        None => must_parse_int(expr),
    }
}

fn must_parse_int(expr: &str) -> Result<u64, String> {
    let num = atoi(expr).map_err(|e| format!("failed to parse int from {expr}: {e}"))?;
    u64::try_from(num).map_err(|_| format!("negative number ({num}) not allowed: {expr}"))
}

/// Go's `strconv.Atoi` (64-bit `int`).
fn atoi(s: &str) -> Result<i64, String> {
    let err = |what: &str| format!("strconv.Atoi: parsing {}: {what}", strconv_quote(s));
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-' | b'+') => (s.starts_with('-'), s.get(1..).unwrap_or_default()),
        _ => (false, s),
    };
    if digits.is_empty() {
        return Err(err("invalid syntax"));
    }
    // ParseUint stops at the first bad byte or at the first overflow.
    let mut un: u64 = 0;
    for c in digits.bytes() {
        if !c.is_ascii_digit() {
            return Err(err("invalid syntax"));
        }
        un = push_digit(un, c).ok_or_else(|| err("value out of range"))?;
    }
    match (neg, i64::try_from(un)) {
        (false, Ok(n)) => Ok(n),
        (true, _) if un <= 1 << 63 => Ok(0i64.wrapping_sub_unsigned(un)),
        _ => Err(err("value out of range")),
    }
}

/// `n * 10 + digit c`, unless that overflows.
fn push_digit(n: u64, c: u8) -> Option<u64> {
    n.checked_mul(10)?.checked_add(u64::from(c - b'0'))
}

/// robfig `getBits`: min..=max by `step` (as in Go, a shift by 64 or more
/// gives 0).
fn get_bits(min: u64, max: u64, step: u64) -> u64 {
    let shl = |v: u64, n: u64| u32::try_from(n).ok().and_then(|n| v.checked_shl(n));
    if step == 1 {
        let high = shl(u64::MAX, max.saturating_add(1)).unwrap_or(0);
        return !high & shl(u64::MAX, min).unwrap_or(0);
    }
    let step = usize::try_from(step).unwrap_or(usize::MAX).max(1);
    let values = (min..=max).step_by(step);
    values.fold(0, |bits, i| bits | shl(1, i).unwrap_or(0))
}

/// Go's `time.ParseDuration`, in nanoseconds.
fn parse_duration(orig: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", time_quote(orig));
    let (neg, mut s) = match orig.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, orig.strip_prefix('+').unwrap_or(orig)),
    };
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let is_num = |c: u8| c == b'.' || c.is_ascii_digit();
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let mut d: u64 = 0;
    while let Some(c) = s.bytes().next() {
        if !is_num(c) {
            return Err(invalid());
        }
        let (pre, mut v) = (digits(s), 0u64);
        for c in s.bytes().take(pre) {
            v = push_digit(v, c)
                .filter(|&v| v <= 1 << 63)
                .ok_or_else(invalid)?;
        }
        s = s.get(pre..).unwrap_or_default();
        // The fraction stops gaining precision when it would overflow.
        let (mut f, mut scale, mut post, mut overflow) = (0u64, 1f64, 0, false);
        if let Some(rest) = s.strip_prefix('.') {
            post = digits(rest);
            for c in rest.bytes().take(post) {
                let y = push_digit(f, c);
                overflow |= y.is_none_or(|y| y > 1 << 63);
                if let (false, Some(y)) = (overflow, y) {
                    (f, scale) = (y, scale * 10.0);
                }
            }
            s = rest.get(post..).unwrap_or_default();
        }
        if pre == 0 && post == 0 {
            return Err(invalid());
        }
        let i = s.bytes().position(is_num).unwrap_or(s.len());
        let (u, rest) = s.split_at_checked(i).unwrap_or((s, ""));
        s = rest;
        let orig_q = time_quote(orig);
        let unit: u64 = match u {
            "" => return Err(format!("time: missing unit in duration {orig_q}")),
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => {
                let u = time_quote(u);
                return Err(format!("time: unknown unit {u} in duration {orig_q}"));
            }
        };
        v = v
            .checked_mul(unit)
            .filter(|&v| v <= 1 << 63)
            .ok_or_else(invalid)?;
        if f > 0 {
            v += (f as f64 * (unit as f64 / scale)) as u64;
        }
        d = d.wrapping_add(v); // Go's uint64 sum wraps too
        if v > 1 << 63 || d > 1 << 63 {
            return Err(invalid());
        }
    }
    match (neg, i64::try_from(d)) {
        (true, _) => Ok(0i64.wrapping_sub_unsigned(d)),
        (false, Ok(d)) => Ok(d),
        (false, Err(_)) => Err(invalid()),
    }
}

/// The `quote` of Go's time package: non-ASCII and control bytes as `\xNN`.
fn time_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if c.is_ascii() && c >= ' ' {
            let _ = write!(out, "{}{c}", if c == '"' || c == '\\' { "\\" } else { "" });
        } else {
            let mut buf = [0; 4];
            c.encode_utf8(&mut buf).bytes().for_each(|b| {
                let _ = write!(out, "\\x{b:02x}");
            });
        }
    }
    out + "\""
}

/// Go's `strconv.Quote`. `unicode.IsPrint` is approximated: controls, format
/// characters, separators, private use and noncharacters are escaped;
/// unassigned code points are not.
fn strconv_quote(s: &str) -> String {
    #[rustfmt::skip]
    const NOT_PRINT: &[(u32, u32)] = &[
        (0x7f, 0xa0), (0xad, 0xad), (0x600, 0x605), (0x61c, 0x61c), (0x6dd, 0x6dd),
        (0x70f, 0x70f), (0x1680, 0x1680), (0x180e, 0x180e), (0x2000, 0x200f),
        (0x2028, 0x202f), (0x205f, 0x206f), (0x3000, 0x3000), (0xe000, 0xf8ff),
        (0xfdd0, 0xfdef), (0xfeff, 0xfeff), (0xfff0, 0xfffb), (0xe0000, 0xe0fff),
        (0xf0000, 0x10ffff),
    ];
    let mut out = String::from("\"");
    for c in s.chars() {
        let r = u32::from(c);
        let odd = NOT_PRINT.iter().any(|&(lo, hi)| (lo..=hi).contains(&r));
        let _ = match c {
            '"' | '\\' => write!(out, "\\{c}"),
            _ if r >= 0x20 && r & 0xfffe != 0xfffe && !odd => write!(out, "{c}"),
            '\x07' => write!(out, "\\a"),
            '\x08' => write!(out, "\\b"),
            '\x0c' => write!(out, "\\f"),
            '\n' => write!(out, "\\n"),
            '\r' => write!(out, "\\r"),
            '\t' => write!(out, "\\t"),
            '\x0b' => write!(out, "\\v"),
            _ if r < 0x20 || r == 0x7f => write!(out, "\\x{r:02x}"),
            _ if r < 0x10000 => write!(out, "\\u{r:04x}"),
            _ => write!(out, "\\U{r:08x}"),
        };
    }
    out + "\""
}

impl Schedule {
    /// The zone named by a `TZ=` prefix (`None`: Go's `time.Local`, or an
    /// `@every` schedule, which ignores zones).
    pub fn location(&self) -> Option<&str> {
        match self {
            Schedule::Spec(spec) => spec.location.as_deref(),
            Schedule::Every { .. } => None,
        }
    }

    /// The first activation strictly after `after_utc_s`, or `None` where Go
    /// returns the zero time (nothing within five years). `zone` must be the
    /// zone of [`Schedule::location`] (the caller's local zone for `None`).
    /// Also `None` beyond ±10^15 s, and if a bizarre `zone` keeps the walk
    /// from settling.
    pub fn next(&self, after_utc_s: i64, zone: &dyn Zone) -> Option<i64> {
        match self {
            Schedule::Spec(spec) => spec.next(after_utc_s, zone),
            Schedule::Every { seconds } => after_utc_s.checked_add(*seconds),
        }
    }
}

/// The calendar fields of instant `t` on the zone's clock.
fn civil(t: i64, zone: &dyn Zone) -> Civil {
    crate::time::civil(t + i64::from(zone.offset_at(t)))
}

/// Go's `time.Date(y, mo, d, h, mi, s, 0, zone)`: fields may overflow, and a
/// local time in a gap or overlap gets Go's offset (looked up at the naive
/// time first, then at the instant that offset implies).
fn date(y: i64, mo: i64, d: i64, h: i64, mi: i64, s: i64, zone: &dyn Zone) -> i64 {
    let (y, mo) = (y + (mo - 1).div_euclid(12), (mo - 1).rem_euclid(12) + 1);
    let unix = (days_from_civil(y, mo, 1) + d - 1) * 86_400 + h * 3600 + mi * 60 + s;
    match i64::from(zone.offset_at(unix)) {
        0 => unix,
        off => unix - i64::from(zone.offset_at(unix - off)),
    }
}

/// Go's `1<<uint(n)&bits != 0` for a calendar field value.
fn has(bits: u64, n: i64) -> bool {
    let bit = u32::try_from(n).ok().and_then(|n| 1u64.checked_shl(n));
    bit.is_some_and(|b| bits & b != 0)
}

/// Inputs beyond this many seconds from 1970 (about 31 million years) get
/// `None`, which keeps all the arithmetic far from overflow.
const MAX_ABS: i64 = 1_000_000_000_000_000;

impl SpecSchedule {
    fn day_matches(&self, c: &Civil) -> bool {
        let (dom, dow) = (has(self.dom, c.day), has(self.dow, c.weekday));
        if (self.dom | self.dow) & STAR_BIT != 0 {
            dom && dow
        } else {
            dom || dow
        }
    }

    /// robfig `SpecSchedule.Next`, statement by statement.
    fn next(&self, after: i64, zone: &dyn Zone) -> Option<i64> {
        // No value in a field: Go walks five years to the zero time.
        let fields = [self.month, self.hour, self.minute, self.second];
        let empty = fields.iter().any(|bits| bits & !STAR_BIT == 0);
        if empty || !(-MAX_ABS..=MAX_ABS).contains(&after) {
            return None;
        }
        let at = |t| civil(t, zone);
        let mut budget = 10_000_000u32; // a five-year minute walk is ~3.2M steps
        let mut tick = || budget.checked_sub(1).map(|b| budget = b);
        let mut t = after + 1;
        let mut added = false;
        let year_limit = at(t).year + 5;
        'wrap: loop {
            tick()?;
            if at(t).year > year_limit {
                return None;
            }
            while !has(self.month, at(t).month) {
                tick()?;
                if !added {
                    added = true;
                    t = date(at(t).year, at(t).month, 1, 0, 0, 0, zone);
                }
                let c = at(t);
                t = date(c.year, c.month + 1, c.day, c.hour, c.minute, c.second, zone);
                if at(t).month == 1 {
                    continue 'wrap;
                }
            }
            while !self.day_matches(&at(t)) {
                tick()?;
                let c = at(t);
                if !added {
                    added = true;
                    t = date(c.year, c.month, c.day, 0, 0, 0, zone);
                }
                let c = at(t);
                t = date(c.year, c.month, c.day + 1, c.hour, c.minute, c.second, zone);
                // Where DST skipped midnight, go to the hour nearest to it.
                let hour = at(t).hour;
                t += (if hour > 12 { 24 - hour } else { -hour }) * 3600;
                if at(t).day == 1 {
                    continue 'wrap;
                }
            }
            while !has(self.hour, at(t).hour) {
                tick()?;
                let c = at(t);
                if !added {
                    added = true;
                    t = date(c.year, c.month, c.day, c.hour, 0, 0, zone);
                }
                t += 3600;
                if at(t).hour == 0 {
                    continue 'wrap;
                }
            }
            while !has(self.minute, at(t).minute) {
                tick()?;
                if !added {
                    added = true;
                    t -= t.rem_euclid(60); // Truncate(time.Minute): absolute time
                }
                t += 60;
                if at(t).minute == 0 {
                    continue 'wrap;
                }
            }
            if zone.whole_minutes() {
                // The walk below, in one step: to the next second in the
                // field within this minute, else to the minute's end.
                let s = at(t).second;
                if !has(self.second, s) {
                    tick()?;
                    added = true;
                    match (s + 1..60).find(|&n| has(self.second, n)) {
                        Some(n) => t += n - s,
                        None => {
                            t += 60 - s;
                            continue 'wrap;
                        }
                    }
                }
                return Some(t);
            }
            while !has(self.second, at(t).second) {
                tick()?;
                added = true;
                t += 1;
                if at(t).second == 0 {
                    continue 'wrap;
                }
            }
            return Some(t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known_zone(name: &str) -> bool {
        name.starts_with("America/") || name == "Asia/Tokyo"
    }

    fn parse(spec: &str) -> Result<Schedule, String> {
        parse_standard(spec, &known_zone)
    }

    /// A time as spec_test.go writes them, `2012-03-11T00:00:00-0500` or
    /// `2012-07-09 14:45[:05]` (UTC, where upstream uses `time.Local`): Unix
    /// seconds and the UTC offset.
    fn ts_off(s: &str) -> (i64, i64) {
        let n = |a, b| s.get(a..b).and_then(|x| x.parse::<i64>().ok()).unwrap_or(0);
        let sign = if s.get(19..20) == Some("-") { -1 } else { 1 };
        let off = sign * (n(20, 22) * 3600 + n(22, 24) * 60);
        let day = days_from_civil(n(0, 4), n(5, 7), n(8, 10));
        let unix = day * 86_400 + n(11, 13) * 3600 + n(14, 16) * 60 + n(17, 19) - off;
        (unix, off)
    }

    fn ts(s: &str) -> i64 {
        ts_off(s).0
    }

    /// America/New_York under the US rules of 2007 on: EDT from the second
    /// Sunday of March 02:00 EST to the first Sunday of November 02:00 EDT.
    struct NewYork;
    impl Zone for NewYork {
        fn offset_at(&self, t: i64) -> i32 {
            let (y, _, _) = crate::time::civil_from_days(t.div_euclid(86_400));
            let sunday = |m, d| {
                let days = days_from_civil(y, m, d);
                (days + (3 - days).rem_euclid(7)) * 86_400
            };
            let dst = (sunday(3, 8) + 7 * 3600..sunday(11, 1) + 6 * 3600).contains(&t);
            if dst { -4 * 3600 } else { -5 * 3600 }
        }
    }

    /// America/Sao_Paulo in 2017-2019, where DST began at local midnight.
    struct SaoPaulo;
    impl Zone for SaoPaulo {
        fn offset_at(&self, t: i64) -> i32 {
            let dst = [
                ("2017-10-15T03:00:00+0000", "2018-02-18T02:00:00+0000"),
                ("2018-11-04T03:00:00+0000", "2019-02-17T02:00:00+0000"),
            ];
            let dst = dst.iter().any(|(a, b)| (ts(a)..ts(b)).contains(&t));
            if dst { -2 * 3600 } else { -3 * 3600 }
        }
    }

    /// Go's `time.Parse` with a numeric offset gives a fixed zone, and a
    /// schedule without `TZ=` runs in the zone of the time it is given.
    fn zone_for(sched: &Schedule, time: &str) -> Box<dyn Zone> {
        let tz = time.strip_prefix("TZ=").and_then(|t| t.split(' ').next());
        match sched.location().or(tz) {
            Some("America/New_York") => Box::new(NewYork),
            Some("America/Sao_Paulo") => Box::new(SaoPaulo),
            _ => Box::new(FixedZone(ts_off(time).1 as i32)),
        }
    }

    /// Six fields (seconds first) as robfig's tests parse them with
    /// `secondParser`, else `ParseStandard`.
    fn schedule(spec: &str) -> Schedule {
        let six = spec.split(' ').count() == 6 && !spec.contains('=');
        let (second, rest) = spec.split_once(' ').unwrap_or_default();
        match parse(rest) {
            Ok(Schedule::Spec(s)) if six => {
                let second = get_field(second, &SECONDS).unwrap();
                Schedule::Spec(SpecSchedule { second, ..s })
            }
            _ => parse(spec).unwrap(),
        }
    }

    /// spec_test.go (v3) TestNext and TestNextWithTz: `after | spec | next`;
    /// `-` is Go's zero time. Extra rows after the upstream ones.
    const NEXT: &str = "
2012-07-09 14:45 | 0 0/15 * * * * | 2012-07-09 15:00
2012-07-09 14:59:59 | 0 0/15 * * * * | 2012-07-09 15:00
2012-07-09 15:45 | 0 20-35/15 * * * * | 2012-07-09 16:20
2012-07-09 23:46 | 0 */15 * * * * | 2012-07-10 00:00
2012-07-09 23:45 | 0 20-35/15 * * * * | 2012-07-10 00:20
2012-07-09 23:35:51 | 15/35 20-35/15 * * * * | 2012-07-10 00:20:15
2012-07-09 23:35:51 | 15/35 20-35/15 1/2 * * * | 2012-07-10 01:20:15
2012-07-09 23:35:51 | 15/35 20-35/15 1/2 */2 * * | 2012-07-11 01:20:15
2012-07-09 23:35:51 | 15/35 20-35/15 * 9-20 * * | 2012-07-10 00:20:15
2012-07-09 23:35:51 | 15/35 20-35/15 * 9-20 Jul * | 2012-07-10 00:20:15
2012-07-09 23:35 | 0 0 0 9 Apr-Oct ? | 2012-08-09 00:00
2012-07-09 23:35 | 0 0 0 */5 Apr,Aug,Oct Mon | 2012-08-01 00:00
2012-07-09 23:35 | 0 0 0 */5 Oct Mon | 2012-10-01 00:00
2012-07-09 23:35 | 0 0 0 * Feb Mon | 2013-02-04 00:00
2012-07-09 23:35 | 0 0 0 * Feb Mon/2 | 2013-02-01 00:00
2012-12-31 23:59:45 | 0 * * * * * | 2013-01-01 00:00:00
2012-07-09 23:35 | 0 0 0 29 Feb ? | 2016-02-29 00:00
2012-03-11T00:00:00-0500 | TZ=America/New_York 30 2 11 Mar ? | 2013-03-11T02:30:00-0400
2012-03-11T00:00:00-0500 | TZ=America/New_York 0 * * * ? | 2012-03-11T01:00:00-0500
2012-03-11T01:00:00-0500 | TZ=America/New_York 0 * * * ? | 2012-03-11T03:00:00-0400
2012-03-11T03:00:00-0400 | TZ=America/New_York 0 * * * ? | 2012-03-11T04:00:00-0400
2012-03-11T00:00:00-0500 | CRON_TZ=America/New_York 0 * * * ? | 2012-03-11T01:00:00-0500
2012-03-11T00:00:00-0500 | TZ=America/New_York 0 1 * * ? | 2012-03-11T01:00:00-0500
2012-03-11T01:00:00-0500 | TZ=America/New_York 0 1 * * ? | 2012-03-12T01:00:00-0400
2012-03-11T00:00:00-0500 | TZ=America/New_York 0 2 * * ? | 2012-03-12T02:00:00-0400
2012-11-04T00:00:00-0400 | TZ=America/New_York 30 2 04 Nov ? | 2012-11-04T02:30:00-0500
2012-11-04T01:45:00-0400 | TZ=America/New_York 30 1 04 Nov ? | 2012-11-04T01:30:00-0500
2012-11-04T00:00:00-0400 | TZ=America/New_York 0 * * * ? | 2012-11-04T01:00:00-0400
2012-11-04T01:00:00-0400 | TZ=America/New_York 0 * * * ? | 2012-11-04T01:00:00-0500
2012-11-04T01:00:00-0500 | TZ=America/New_York 0 * * * ? | 2012-11-04T02:00:00-0500
2012-11-04T01:00:00-0400 | TZ=America/New_York 0 1 * * ? | 2012-11-04T01:00:00-0500
2012-11-04T01:00:00-0500 | TZ=America/New_York 0 1 * * ? | 2012-11-05T01:00:00-0500
2012-11-04T00:00:00-0400 | TZ=America/New_York 0 2 * * ? | 2012-11-04T02:00:00-0500
2012-11-04T02:00:00-0500 | TZ=America/New_York 0 2 * * ? | 2012-11-05T02:00:00-0500
2012-11-04T00:00:00-0400 | TZ=America/New_York 0 3 * * ? | 2012-11-04T03:00:00-0500
TZ=America/New_York 2012-11-04T01:00:00-0400 | 0 * * * ? | 2012-11-04T01:00:00-0500
TZ=America/New_York 2012-11-04T00:00:00-0400 | 0 2 * * ? | 2012-11-04T02:00:00-0500
2012-07-09 23:35 | 0 0 0 30 Feb ? | -
2012-07-09 23:35 | 0 0 0 31 Apr ? | -
TZ=America/New_York 2012-11-04T00:00:00-0400 | 0 3 3 * ? | 2012-12-03T03:00:00-0500
2018-10-17T05:00:00-0400 | TZ=America/Sao_Paulo 0 9 10 * ? | 2018-11-10T06:00:00-0500
2018-02-14T05:00:00-0500 | TZ=America/Sao_Paulo 0 9 22 * ? | 2018-02-22T07:00:00-0500
2016-01-03T13:09:03+0530 | 14 14 * * * | 2016-01-03T14:14:00+0530
2016-01-03T04:09:03+0530 | 14 14 * * ? | 2016-01-03T14:14:00+0530
2016-01-03T14:00:00+0530 | 14 14 * * ? | 2016-01-03T14:14:00+0530
2026-05-31 12:00 | 0 0 1 * 1 | 2026-06-01 00:00
2026-06-01 00:00 | 0 0 1 * 1 | 2026-06-08 00:00
2026-06-29 00:00 | 0 0 1 * 1 | 2026-07-01 00:00
2026-06-19 17:50 | 10-50/20 9-17/4 * * mon-fri | 2026-06-22 09:10
2026-06-19 17:55 | @weekly | 2026-06-21 00:00
2026-06-19 17:55 | @yearly | 2027-01-01 00:00
2026-06-19 17:55 | 0 0 30 2 * | -
2026-06-19 17:55 | 0 0 , * * | -
2026-06-19 17:55 | , 0 * * * | -
";

    #[test]
    fn next_matches_spec_test_go() {
        for row in NEXT.lines().skip(1) {
            let cols: Vec<&str> = row.split(" | ").collect();
            let (after, sched, want) = (cols[0], schedule(cols[1]), cols[2]);
            let time = after.strip_prefix("TZ=America/New_York ").unwrap_or(after);
            let got = sched.next(ts(time), &*zone_for(&sched, after));
            assert_eq!(got, (want != "-").then(|| ts(want)), "{row}");
        }
        // The helper agrees with `date -u -d ... +%s`.
        let dates = [ts("2012-08-01 00:00"), ts("2012-03-11T00:00:00-0500")];
        assert_eq!(dates, [1_343_779_200, 1_331_442_000]);
    }

    /// spec_test.go (v3) TestActivation, in UTC: does `spec` fire at `time`?
    const ACTIVATION: &str = "
2012-07-09 15:00 | 0/15 * * * * | true
2012-07-09 15:40 | 0/15 * * * * | false
2012-07-09 15:05 | 5/15 * * * * | true
2012-07-15 15:00 | 0/15 * * Jul * | true
2012-07-15 15:00 | 0/15 * * Jun * | false
2012-07-15 08:30 | 30 08 ? Jul Sun | true
2012-07-16 08:30 | 30 08 ? Jul Sun | false
2012-07-09 15:00 | @hourly | true
2012-07-09 15:04 | @hourly | false
2012-07-09 00:00 | @daily | true
2012-07-09 00:00 | @weekly | false
2012-07-08 00:00 | @weekly | true
2012-07-08 00:00 | @monthly | false
2012-07-01 00:00 | @monthly | true
2012-07-15 00:00 | * * 1,15 * Sun | true
2012-08-01 00:00 | * * 1,15 * Sun | true
2012-07-15 00:00 | * * */10 * Sun | true
2012-07-15 00:00 | * * * * Mon | false
2012-07-09 00:00 | * * 1,15 * * | false
2012-07-15 00:00 | * * 1,15 * * | true
2012-07-15 00:00 | * * */2 * Sun | true
";

    #[test]
    fn activation_matches_spec_test_go() {
        for row in ACTIVATION.lines().skip(1) {
            let cols: Vec<&str> = row.split(" | ").collect();
            let (t, sched) = (ts(cols[0]), parse(cols[1]).unwrap());
            let fires = sched.next(t - 1, &UTC) == Some(t);
            assert_eq!(fires.to_string(), cols[2], "{row}");
        }
    }

    /// `spec|error`: the texts of Go's formats (parser.go, strconv, time).
    const ERRORS: &str = r#"
|empty spec string
   |expected exactly 5 fields, found 0: []
xyz|expected exactly 5 fields, found 1: [xyz]
* * * *|expected exactly 5 fields, found 4: [* * * *]
0 0 * * * *|expected exactly 5 fields, found 6: [0 0 * * * *]
 @daily|expected exactly 5 fields, found 1: [@daily]
60 0 * * *|end of range (60) above maximum (59): 60
0 24 * * *|end of range (24) above maximum (23): 24
* * 0 * *|beginning of range (0) below minimum (1): 0
* * * 13 *|end of range (13) above maximum (12): 13
* * * * 7|end of range (7) above maximum (6): 7
* * * * 5-7|end of range (7) above maximum (6): 5-7
5-1 * * * *|beginning of range (5) beyond end of range (1): 5-1
60/5 * * * *|beginning of range (60) beyond end of range (59): 60/5
*/0 * * * *|step of range should be a positive number: */0
TZ=America/New_York 15/0 * * * *|step of range should be a positive number: 15/0
1-2-3 * * * *|too many hyphens: 1-2-3
x-2-3 * * * *|failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax
1/2/3 * * * *|too many slashes: 1/2/3
*/-1 * * * *|negative number (-1) not allowed: -1
*/-9223372036854775808 * * * *|negative number (-9223372036854775808) not allowed: -9223372036854775808
-1 * * * *|failed to parse int from : strconv.Atoi: parsing "": invalid syntax
1-x * * * *|failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax
0 0 * * XYZ|failed to parse int from XYZ: strconv.Atoi: parsing "XYZ": invalid syntax
*/+ * * * *|failed to parse int from +: strconv.Atoi: parsing "+": invalid syntax
99999999999999999999 * * * *|failed to parse int from 99999999999999999999: strconv.Atoi: parsing "99999999999999999999": value out of range
9223372036854775807 * * * *|end of range (9223372036854775807) above maximum (59): 9223372036854775807
@often|unrecognized descriptor: @often
@every|unrecognized descriptor: @every
@Daily|unrecognized descriptor: @Daily
@every x|failed to parse duration @every x: time: invalid duration "x"
@every |failed to parse duration @every : time: invalid duration ""
@every .s|failed to parse duration @every .s: time: invalid duration ".s"
@every 1|failed to parse duration @every 1: time: missing unit in duration "1"
@every 1d|failed to parse duration @every 1d: time: unknown unit "d" in duration "1d"
@every 1h 30m|failed to parse duration @every 1h 30m: time: unknown unit "h " in duration "1h 30m"
@every 1é|failed to parse duration @every 1é: time: unknown unit "\xc3\xa9" in duration "1\xc3\xa9"
@every 9999999999h|failed to parse duration @every 9999999999h: time: invalid duration "9999999999h"
@every 9223372036854775808ns|failed to parse duration @every 9223372036854775808ns: time: invalid duration "9223372036854775808ns"
TZ=Mars/Olympus * * * * *|provided bad location Mars/Olympus: unknown time zone Mars/Olympus
CRON_TZ=../etc * * * * *|provided bad location ../etc: time: invalid location name
TZ=UTC|runtime error: slice bounds out of range [:-1]
TZ=UTC |expected exactly 5 fields, found 0: []
"#;

    #[test]
    fn errors_match_go_byte_for_byte() {
        for row in ERRORS.lines().skip(1) {
            let (spec, want) = row.split_once('|').unwrap();
            assert_eq!(parse(spec), Err(want.to_string()), "{spec:?}");
        }
        // strconv.Quote escapes what unicode.IsPrint rejects.
        for (raw, quoted) in [
            ("\u{1}\"\\", r#""\x01\"\\""#),
            ("é\u{200b}\u{9f}\u{10ffff}", r#""é\u200b\u009f\U0010ffff""#),
        ] {
            let want = format!("failed to parse int from {raw}: strconv.Atoi: parsing {quoted}");
            let got = parse(&format!("{raw} * * * *")).unwrap_err();
            assert_eq!(got, want + ": invalid syntax");
        }
        let tab = "provided bad location UTC\t0: unknown time zone UTC\t0";
        assert_eq!(parse("TZ=UTC\t0 * * * *").unwrap_err(), tab);
        let dur = r#"failed to parse duration @every 1"\: time: unknown unit "\"\\" in"#;
        let want = format!(r#"{dur} duration "1\"\\""#);
        assert_eq!(parse("@every 1\"\\").unwrap_err(), want);
    }

    /// parser_test.go (v3) TestParseSchedule, TestRange, TestField, TestBits.
    #[test]
    fn parses_like_parser_test_go() {
        let spec = |s: &str| match parse(s) {
            Ok(Schedule::Spec(s)) => s,
            other => panic!("{other:?}"),
        };
        let all = |r: &Bounds| get_bits(r.min, r.max, 1) | STAR_BIT;
        let (h, d, mo, w) = (all(&HOURS), all(&DOM), all(&MONTHS), all(&DOW));
        let bits = |s: &SpecSchedule| [s.second, s.minute, s.hour, s.dom, s.month, s.dow];
        let every5min = spec("5 * * * *");
        assert_eq!(bits(&every5min), [1, 1 << 5, h, d, mo, w]);
        assert_eq!(bits(&spec("@midnight")), [1, 1, 1, d, mo, w]);
        for (s, zone) in [
            ("5 * * * *", None),
            ("+5 * * * ?", None),
            ("TZ=UTC  5 * * * *", Some("UTC")),
            ("CRON_TZ=UTC  5 * * * *", Some("UTC")),
            ("TZ= 5 * * * *", Some("UTC")),
            ("TZ=Local 5 * * * *", None),
            ("TZ=Asia/Tokyo 5 * * * *", Some("Asia/Tokyo")),
        ] {
            let location = zone.map(str::to_string);
            let want = SpecSchedule {
                location,
                ..every5min.clone()
            };
            assert_eq!(parse(s), Ok(Schedule::Spec(want)), "{s}");
        }
        let tokyo = parse("TZ=Asia/Tokyo @midnight").unwrap();
        assert_eq!(tokyo.location(), Some("Asia/Tokyo"));
        // Names in any case, "?" for "*", empty list items skipped, "*-5" as "*".
        let s = bits(&spec("*-5 0 ,1,,15, JAN-mar SUN,sat/1"));
        assert_eq!(
            s[1..],
            [all(&MINUTES), 1, 1 << 1 | 1 << 15, 0b1110, 0b100_0001]
        );
        assert_eq!(bits(&spec("0 0 */1 ? */2"))[3..], [d, mo, 0b101_0101]);
        assert_eq!(spec("0 0 * * FRİ").dow, 1 << 5);
        let (r07, r13, r17) = (bounds(0, 7, &[]), bounds(1, 3, &[]), bounds(1, 7, &[]));
        let ranges = "5 0 7 5-5 5-6 5-7 5-6/2 5-7/2 5-7/1".split(' ');
        let got: Vec<u64> = ranges.map(|e| get_range(e, &r07).unwrap() >> 5).collect();
        assert_eq!(got, [1, 0, 4, 1, 3, 7, 1, 5, 7]);
        assert_eq!(get_range("0", &r07), Ok(1));
        assert_eq!(get_range("*", &r13), Ok(0b1110 | STAR_BIT));
        assert_eq!(get_range("*/2", &r13), Ok(0b1010));
        assert_eq!(get_field("1,5-7/2,3", &r17), Ok(0b1010_1010));
        let alls = [&MINUTES, &HOURS, &DOM, &MONTHS, &DOW].map(|r| all(r) & !STAR_BIT);
        assert_eq!(
            alls,
            [0xfff_ffff_ffff_ffff, 0xff_ffff, 0xffff_fffe, 0x1ffe, 0x7f]
        );
        let steps = [(0, 0, 1), (1, 1, 1), (1, 5, 2), (1, 4, 2)];
        assert_eq!(steps.map(|(a, b, s)| get_bits(a, b, s)), [1, 2, 0x2a, 0xa]);
    }

    #[test]
    fn every_is_a_constant_delay() {
        for (spec, seconds) in [
            ("@every 90s", 90),
            ("@every 1h30m", 5400),
            ("@every 1h.5m", 3630),
            ("@every 1.9s", 1),
            ("@every 500ms", 1),
            ("@every -5m", 1),
            ("@every 0", 1),
            ("@every 2562047h", 9_223_369_200),
            // Go's uint64 sum wraps to zero; Every makes that one second.
            ("@every 9223372036854775808ns9223372036854775808ns", 1),
        ] {
            let sched = parse(&format!("TZ=Asia/Tokyo {spec}")).unwrap();
            assert_eq!(sched, Schedule::Every { seconds }, "{spec}");
            assert_eq!(sched.location(), None);
            assert_eq!(sched.next(1_000, &UTC), Some(1_000 + seconds));
        }
        assert_eq!(parse("@every 90s").unwrap().next(i64::MAX, &UTC), None);
    }

    /// Go's `time.Date` in a gap (Sao Paulo's 2018-11-04 midnight), in an
    /// overlap (the earlier 01:30 in New York) and with fields out of range;
    /// `Time.Truncate`.
    #[test]
    fn date_is_go_time_date() {
        let gap = date(2018, 11, 4, 0, 0, 0, &SaoPaulo);
        assert_eq!(gap, ts("2018-11-03T23:00:00-0300"));
        let overlap = date(2012, 11, 4, 1, 30, 0, &NewYork);
        assert_eq!(overlap, ts("2012-11-04T01:30:00-0400"));
        assert_eq!(date(2018, 14, 0, 24, -1, 60, &UTC), ts("2019-02-01 00:00"));
        // Truncate(time.Minute) works on absolute time: in a zone 30 s ahead
        // of UTC the minute walk lands on :30 local seconds, so Go skips 10:30.
        let after = ts("2026-01-01 10:00") - 30;
        let next = parse("30 * * * *").unwrap().next(after, &FixedZone(30));
        assert_eq!(next, Some(ts("2026-01-01 11:30") - 30));
    }

    /// A zone as it is, but without the whole-minute promise: `next` then
    /// walks second by second.
    struct Stepwise<'a>(&'a dyn Zone);
    impl Zone for Stepwise<'_> {
        fn offset_at(&self, t: i64) -> i32 {
            self.0.offset_at(t)
        }
    }

    #[test]
    fn the_second_skip_finds_what_the_second_walk_finds() {
        let zones: Vec<Box<dyn Zone>> = [
            "UTC",
            "America/New_York",
            "Asia/Kolkata",
            "Australia/Lord_Howe",
            "Asia/Tokyo",
        ]
        .iter()
        .map(|n| Box::new(crate::tz::Tz::named(n).unwrap()) as Box<dyn Zone>)
        .chain([Box::new(FixedZone(-3600)) as Box<dyn Zone>])
        .collect();
        let specs = [
            "* * * * *",
            "*/7 * * * *",
            "0 9 * * 1-5",
            "30 2 * * *",
            "0 0 1 * *",
            "15 14 29 2 *",
            "59 23 31 12 *",
        ];
        let start = ts("2026-03-01 00:00");
        for zone in &zones {
            assert!(zone.whole_minutes());
            for spec in specs {
                let sched = parse(spec).unwrap();
                for k in 0..400 {
                    let t = start + k * 7_777 + k % 61;
                    assert_eq!(
                        sched.next(t, zone.as_ref()),
                        sched.next(t, &Stepwise(zone.as_ref())),
                        "{spec} after {t}"
                    );
                }
            }
        }
    }

    /// A zone no database has: the offset swings by days every few seconds.
    struct Chaos;
    impl Zone for Chaos {
        fn offset_at(&self, t: i64) -> i32 {
            if t % 7 < 3 { i32::MAX } else { -86_400 }
        }
    }

    #[test]
    fn never_panics_or_hangs() {
        let parts = "0 7 * ? / - , @ jan TZ= é \u{1} 99999999999999999999 ";
        let split = parts.split_inclusive(' ');
        let parts: Vec<&str> = split.flat_map(|p| [p.trim(), p]).collect();
        for a in &parts {
            for b in &parts {
                for c in &parts {
                    let specs = [format!("{a}{b}{c} * * *"), format!("@every {a}{b}{c}")];
                    for spec in specs {
                        let start = ts("2026-01-01 00:00");
                        parse(&spec).map(|sched| sched.next(start, &NewYork)).ok();
                    }
                }
            }
        }
        let sched = parse("0 0 * * *").unwrap();
        for t in [i64::MIN, i64::MAX, -MAX_ABS, MAX_ABS] {
            sched.next(t, &FixedZone(i32::MIN));
        }
        sched.next(0, &Chaos);
    }
}
