//! Developer tasks. `fuzz`: see fuzz.rs. `tz`: see tz.rs. `precompress`:
//! see precompress.rs.
//!
//! `cargo run -p xtask -- schema [--check]`: writes www/tables/schema.txt,
//! the field table of batch/v1 Job and CronJob and every type they reach,
//! from k8s-openapi's JSON schemas (Kubernetes 1.37). The engine reads only
//! this table, not k8s-openapi (about 184 KB gzipped just to decode a Job);
//! the web build fetches it after the first render (src/tables.rs).
//! In the same run it writes src/api/enums.rs: the API's string enums
//! (completion mode, condition types, the policies ...) as Rust enums with
//! their readers, each checked against the schema (the field exists, is a
//! string, and its description names values of the enum).
//! `--check` fails when either committed file is out of date.

mod fuzz;
mod precompress;
mod tz;

use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write;

const OUT: &str = "www/tables/schema.txt";
const ENUMS_OUT: &str = "src/api/enums.rs";
const DOCS_OUT: &str = "www/tables/docs.txt";

/// The API's string enums the engine matches on: (Rust name, upstream's Go
/// type, the schema type and field that holds it, the values in upstream's
/// declaration order).
const ENUMS: &[(&str, &str, &str, &str, &[&str])] = &[
    (
        "CompletionMode",
        "batch/v1 CompletionMode",
        "io.k8s.api.batch.v1.JobSpec",
        "completionMode",
        &["NonIndexed", "Indexed"],
    ),
    (
        "ConditionType",
        "batch/v1 JobConditionType",
        "io.k8s.api.batch.v1.JobCondition",
        "type",
        &[
            "Suspended",
            "Complete",
            "Failed",
            "FailureTarget",
            "SuccessCriteriaMet",
        ],
    ),
    (
        "PodFailurePolicyAction",
        "batch/v1 PodFailurePolicyAction",
        "io.k8s.api.batch.v1.PodFailurePolicyRule",
        "action",
        &["FailJob", "FailIndex", "Ignore", "Count"],
    ),
    (
        "ExitCodesOperator",
        "batch/v1 PodFailurePolicyOnExitCodesOperator (core/v1 ContainerRestartRuleOnExitCodesOperator has the same values)",
        "io.k8s.api.batch.v1.PodFailurePolicyOnExitCodesRequirement",
        "operator",
        &["In", "NotIn"],
    ),
    (
        "PodReplacementPolicy",
        "batch/v1 PodReplacementPolicy",
        "io.k8s.api.batch.v1.JobSpec",
        "podReplacementPolicy",
        &["TerminatingOrFailed", "Failed"],
    ),
    (
        "ConcurrencyPolicy",
        "batch/v1 ConcurrencyPolicy",
        "io.k8s.api.batch.v1.CronJobSpec",
        "concurrencyPolicy",
        &["Allow", "Forbid", "Replace"],
    ),
    (
        "RestartRuleAction",
        "core/v1 ContainerRestartRuleAction",
        "io.k8s.api.core.v1.ContainerRestartRule",
        "action",
        &["Restart", "RestartAllContainers"],
    ),
];
const ROOTS: [&str; 2] = ["io.k8s.api.batch.v1.Job", "io.k8s.api.batch.v1.CronJob"];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("schema") => schema(args.get(1).map(String::as_str) == Some("--check")),
        Some("fuzz") => fuzz::main(&args[1..]),
        Some("tz") => tz::main(&args[1..]),
        Some("precompress") => precompress::main(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo run -p xtask -- schema [--check]\n       cargo run -p xtask -- tz [--check]\n       cargo run -p xtask -- precompress DIR\n       cargo run -p xtask --profile fuzz -- fuzz [--seconds N] [--seed S]"
            );
            std::process::exit(2);
        }
    }
}

fn definitions() -> BTreeMap<String, Value> {
    let mut defs = BTreeMap::new();
    for (schema, root) in [
        (
            serde_json::to_value(schemars::schema_for!(k8s_openapi::api::batch::v1::Job)).unwrap(),
            ROOTS[0],
        ),
        (
            serde_json::to_value(schemars::schema_for!(k8s_openapi::api::batch::v1::CronJob))
                .unwrap(),
            ROOTS[1],
        ),
    ] {
        if let Some(Value::Object(d)) = schema.get("$defs") {
            for (k, v) in d {
                defs.insert(k.clone(), v.clone());
            }
        }
        let mut top = schema.clone();
        if let Some(o) = top.as_object_mut() {
            o.remove("$defs");
        }
        defs.insert(root.to_string(), top);
    }
    defs
}

/// A field's kind in the table's compact code (see src/schema.rs
/// `Kind::decode`): `s` string, `b` bool, `i` int32, `I` int64, `f` float,
/// `x` IntOrString, `q` Quantity, `t` Time, `a` any, `o<n>` object `n`,
/// `[<kind>` array of, `{<kind>` map of.
fn kind(v: &Value, index: &BTreeMap<String, usize>) -> String {
    if let Some(r) = v.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/$defs/");
        return match name {
            "io.k8s.apimachinery.pkg.util.intstr.IntOrString" => "x".into(),
            "io.k8s.apimachinery.pkg.api.resource.Quantity" => "q".into(),
            "io.k8s.apimachinery.pkg.apis.meta.v1.Time"
            | "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime" => "t".into(),
            "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1"
            | "io.k8s.apimachinery.pkg.runtime.RawExtension" => "a".into(),
            _ => format!("o{}", index[name]),
        };
    }
    if v.get("x-kubernetes-int-or-string").is_some() {
        return "x".into();
    }
    match v.get("type").and_then(Value::as_str) {
        Some("string") if v.get("format").and_then(Value::as_str) == Some("date-time") => {
            "t".into()
        }
        Some("string") => "s".into(),
        Some("boolean") => "b".into(),
        Some("integer") if v.get("format").and_then(Value::as_str) == Some("int32") => "i".into(),
        Some("integer") => "I".into(),
        Some("number") => "f".into(),
        Some("array") => format!("[{}", kind(&v["items"], index)),
        Some("object") if v.get("additionalProperties").is_some() => {
            format!("{{{}", kind(&v["additionalProperties"], index))
        }
        _ => "a".into(),
    }
}

fn render() -> String {
    let defs = definitions();
    let objects: Vec<(&String, &Value)> = defs
        .iter()
        .filter(|(_, v)| {
            v.get("properties").is_some() || v.get("type").and_then(Value::as_str) == Some("object")
        })
        .collect();
    let index: BTreeMap<String, usize> = objects
        .iter()
        .enumerate()
        .map(|(i, (k, _))| ((*k).clone(), i))
        .collect();
    let mut out = String::new();
    out.push_str(
        "# Generated by `cargo run -p xtask -- schema` from k8s-openapi 0.29 (Kubernetes 1.37); do not edit.\n",
    );
    out.push_str("# The field table of batch/v1 Job and CronJob and every type they reach, one type per line:\n");
    out.push_str("# `Name package field:kind ...`, fields sorted; kinds as src/schema.rs `Kind::decode` reads them.\n");
    let _ = writeln!(out, "# {} types.", objects.len());
    // The roots are found by name (src/admission/strict.rs).
    for name in ROOTS {
        assert!(index.contains_key(name), "{name} is in the table");
    }
    for (name, v) in &objects {
        let short = name.rsplit('.').next().unwrap();
        let package = name.rsplit('.').nth(1).unwrap();
        let empty = serde_json::Map::new();
        let props = v
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let mut keys: Vec<&String> = props.keys().collect();
        keys.sort();
        let mut line = format!("{short} {package}");
        for key in keys {
            let _ = write!(line, " {key}:{}", kind(&props[key], &index));
        }
        let _ = writeln!(out, "{line}");
    }
    out
}

/// www/tables/docs.txt: each field's description from the API reference
/// (the doc comments k8s-openapi carries), for the editor's hover docs.
/// One field per line, `Type field<TAB>description`, newlines written `\n`,
/// types and fields in the order of the schema table.
fn render_docs() -> String {
    let defs = definitions();
    let mut out = String::from(
        "# Generated by `cargo run -p xtask -- schema` from k8s-openapi 0.29 (Kubernetes 1.37); do not edit.\n\
         # Each field's description (the API reference), `Type field<TAB>description`; newlines as \\n.\n",
    );
    for (name, v) in &defs {
        let Some(props) = v.get("properties").and_then(Value::as_object) else {
            continue;
        };
        let short = name.rsplit('.').next().unwrap();
        let mut keys: Vec<&String> = props.keys().collect();
        keys.sort();
        for key in keys {
            let Some(text) = props[key].get("description").and_then(Value::as_str) else {
                continue;
            };
            let text = text.trim().replace('\t', " ").replace('\n', "\\n");
            let _ = writeln!(out, "{short} {key}\t{text}");
        }
    }
    out
}

/// The field's schema, or a message saying why it is not a string field.
fn string_field<'a>(defs: &'a BTreeMap<String, Value>, ty: &str, field: &str) -> &'a Value {
    let v = defs
        .get(ty)
        .and_then(|d| d.get("properties"))
        .and_then(|p| p.get(field))
        .unwrap_or_else(|| panic!("{ty} has no field {field}"));
    assert_eq!(
        v.get("type").and_then(Value::as_str),
        Some("string"),
        "{ty}.{field} is a string"
    );
    v
}

/// src/api/enums.rs.
fn render_enums() -> String {
    let defs = definitions();
    let mut out = String::from(
        "//! The API's string enums, generated by `cargo run -p xtask -- schema`\n\
         //! with the schema table (xtask/src/main.rs `ENUMS`); do not edit.\n\
         //! Each field was checked in k8s-openapi's schema (Kubernetes 1.37).\n",
    );
    for (name, go, ty, field, values) in ENUMS {
        let description = string_field(&defs, ty, field)
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or_default();
        // The field is the one meant: its description names values of the
        // enum (not always all: JobCondition's still says "Complete or
        // Failed").
        assert!(
            values.iter().any(|v| description
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == *v)),
            "{ty}.{field}: its description names none of {values:?}"
        );
        let short = ty.rsplit('.').next().unwrap();
        let _ = write!(
            out,
            "\n/// {go}: `{short}.{field}`.\n#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]\npub enum {name} {{\n"
        );
        for v in *values {
            let _ = writeln!(out, "    {v},");
        }
        let names: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
        let _ = write!(
            out,
            "}}\n\nimpl {name} {{\n    /// Every value's text, in upstream's declaration order.\n    pub const NAMES: [&'static str; {}] = [{}];\n\n",
            values.len(),
            names.join(", ")
        );
        let _ = write!(
            out,
            "    pub fn as_str(self) -> &'static str {{\n        {name}::NAMES[self as usize]\n    }}\n\n\
             \x20   /// The value of this text (None for a value the API does not know).\n\
             \x20   pub fn parse(text: &str) -> Option<{name}> {{\n        match text {{\n"
        );
        for v in *values {
            let _ = writeln!(out, "            \"{v}\" => Some({name}::{v}),");
        }
        let _ = write!(
            out,
            "            _ => None,\n        }}\n    }}\n}}\n\nimpl std::fmt::Display for {name} {{\n    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{\n        f.write_str(self.as_str())\n    }}\n}}\n"
        );
    }
    out
}

fn schema(check: bool) {
    for (path, text) in [
        (OUT, render()),
        (ENUMS_OUT, render_enums()),
        (DOCS_OUT, render_docs()),
    ] {
        if check {
            let current = std::fs::read_to_string(path).unwrap_or_default();
            if current != text {
                eprintln!("{path} is out of date: run `cargo run -p xtask -- schema`");
                std::process::exit(1);
            }
            println!("{path} is up to date ({} lines)", text.lines().count());
        } else {
            std::fs::write(path, &text).unwrap();
            println!("wrote {path} ({} lines)", text.lines().count());
        }
    }
}
