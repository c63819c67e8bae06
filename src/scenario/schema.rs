//! The scenario format's keys and value types, for strict checking with
//! paths (`crate::schema`). Fields are sorted by name.

use crate::schema::{Field as F, Kind as K, Type as T};

pub const SCENARIO: usize = 0;
const CLOCK: usize = 1;
const BEHAVIOR: usize = 2;
const CONTAINER: usize = 3;
const RULE: usize = 4;
const MATCH: usize = 5;
const ACTION: usize = 6;
const SELECTOR: usize = 7;

pub static TYPES: [T; 8] = [
    T {
        name: "scenario",
        package: "v1",
        fields: &[
            F {
                name: "actions",
                kind: K::Array(&K::Object(ACTION)),
            },
            F {
                name: "behavior",
                kind: K::Object(BEHAVIOR),
            },
            F {
                name: "clock",
                kind: K::Object(CLOCK),
            },
            F {
                name: "kubernetesVersion",
                kind: K::String,
            },
            F {
                name: "manifest",
                kind: K::Any,
            },
            F {
                name: "name",
                kind: K::String,
            },
            F {
                name: "scenario",
                kind: K::String,
            },
            F {
                name: "seed",
                kind: K::Uint64,
            },
            F {
                name: "until",
                kind: K::Duration,
            },
        ],
    },
    T {
        name: "clock",
        package: "v1",
        fields: &[F {
            name: "start",
            kind: K::String,
        }],
    },
    T {
        name: "behavior",
        package: "v1",
        fields: &[
            F {
                name: "containers",
                kind: K::Map(&K::Object(CONTAINER)),
            },
            F {
                name: "default",
                kind: K::Object(CONTAINER),
            },
            F {
                name: "pods",
                kind: K::Array(&K::Object(RULE)),
            },
        ],
    },
    T {
        name: "container behavior",
        package: "v1",
        fields: &[
            F {
                name: "exitCode",
                kind: K::Int32,
            },
            F {
                name: "reason",
                kind: K::String,
            },
            F {
                name: "runFor",
                kind: K::RunFor,
            },
            F {
                name: "sigtermDelay",
                kind: K::Duration,
            },
            F {
                name: "sigtermExitCode",
                kind: K::Int32,
            },
            F {
                name: "startDelay",
                kind: K::Duration,
            },
        ],
    },
    T {
        name: "pod rule",
        package: "v1",
        fields: &[
            F {
                name: "container",
                kind: K::String,
            },
            F {
                name: "exitCode",
                kind: K::Int32,
            },
            F {
                name: "match",
                kind: K::Object(MATCH),
            },
            F {
                name: "reason",
                kind: K::String,
            },
            F {
                name: "runFor",
                kind: K::RunFor,
            },
            F {
                name: "sigtermDelay",
                kind: K::Duration,
            },
            F {
                name: "sigtermExitCode",
                kind: K::Int32,
            },
            F {
                name: "startDelay",
                kind: K::Duration,
            },
        ],
    },
    T {
        name: "pod match",
        package: "v1",
        fields: &[
            F {
                name: "attempt",
                kind: K::Uint32,
            },
            F {
                name: "index",
                kind: K::Uint32,
            },
            F {
                name: "job",
                kind: K::Uint32,
            },
            F {
                name: "ordinal",
                kind: K::Uint32,
            },
            F {
                name: "run",
                kind: K::Uint32,
            },
        ],
    },
    T {
        name: "action",
        package: "v1",
        fields: &[
            F {
                name: "action",
                kind: K::String,
            },
            F {
                name: "at",
                kind: K::Duration,
            },
            F {
                name: "container",
                kind: K::String,
            },
            F {
                name: "exitCode",
                kind: K::Int32,
            },
            F {
                name: "gracePeriodSeconds",
                kind: K::Int64,
            },
            F {
                name: "patch",
                kind: K::Any,
            },
            F {
                name: "pod",
                kind: K::Object(SELECTOR),
            },
            F {
                name: "reason",
                kind: K::String,
            },
            F {
                name: "value",
                kind: K::Int32,
            },
        ],
    },
    T {
        name: "pod selector",
        package: "v1",
        fields: &[
            F {
                name: "index",
                kind: K::Uint32,
            },
            F {
                name: "job",
                kind: K::Uint32,
            },
            F {
                name: "name",
                kind: K::String,
            },
            F {
                name: "ordinal",
                kind: K::Uint32,
            },
        ],
    },
];

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
        for t in &TYPES {
            assert!(
                t.fields.windows(2).all(|w| w[0].name < w[1].name),
                "{}",
                t.name
            );
        }
    }
}
