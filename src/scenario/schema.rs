//! The scenario format's keys and value types, for strict checking with
//! paths (`crate::schema`). Fields are sorted by name.

use crate::schema::{Type, read_table};

pub const SCENARIO: usize = 0;

/// One type per line, `name package field:kind ...`, fields sorted by name,
/// read by `crate::schema::read_table` (kinds as `Kind::decode` reads
/// them: `o<n>` is the type on line n, from 0).
const TABLE: &str = "\
scenario v1 about:o8 actions:[o6 behavior:o2 clock:o1 kubernetesVersion:s manifest:a name:s scenario:s seed:U until:d
clock v1 start:s
behavior v1 containers:{o3 default:o3 pods:[o4
container_behavior v1 exitCode:i reason:s runFor:r sigtermDelay:d sigtermExitCode:i startDelay:d
pod_rule v1 container:s exitCode:i match:o5 reason:s runFor:r sigtermDelay:d sigtermExitCode:i startDelay:d
pod_match v1 attempt:u index:u job:u ordinal:u run:u
action v1 action:s at:d container:s exitCode:i gracePeriodSeconds:I patch:a pod:o7 reason:s value:i
pod_selector v1 index:u job:u name:s ordinal:u
about v1 docs:s notice:o9 try:o9
text v1 en:s ja:s";

/// The scenario format's types, read once.
pub fn types() -> &'static [Type] {
    static TYPES: std::sync::OnceLock<Vec<Type>> = std::sync::OnceLock::new();
    TYPES.get_or_init(|| read_table(TABLE))
}

/// What a value of a type (as `crate::schema::go_type` names it) looks
/// like, for messages.
pub fn expected(go_type: &str) -> &'static str {
    match go_type {
        "duration" => "a duration such as 10s, 1.5s, 250ms, 1m30s or 2h, or a number of seconds",
        "duration or forever" => "a duration such as 10s, 1m30s or 2h, or forever",
        "uint32" | "uint64" => "a non-negative integer",
        "int32" | "int64" => "an integer",
        "string" => "a string",
        t if t.starts_with("[]") => "a list",
        _ => "a mapping",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_sorted_for_lookup() {
        assert_eq!(types().len(), 10);
        for t in types() {
            assert!(
                t.fields.windows(2).all(|w| w[0].name < w[1].name),
                "{}",
                t.name
            );
        }
    }
}
