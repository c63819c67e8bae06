//! YAML in and out, as kubectl reads and writes it. `parse` reads every
//! YAML text the crate reads (one tree visitor in the wasm). The emitter
//! writes kubectl's style (`-o yaml`: sigs.k8s.io/yaml over go-yaml):
//! block style, lists not indented under their key, strings in double
//! quotes only where a plain scalar would read as something else,
//! multi-line strings as literal blocks. Keys keep their order (kubectl's
//! objects arrive sorted). Used for every YAML the crate writes, so the
//! wasm carries no second emitter.

use serde::de::{self, Deserialize, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess};
use std::fmt;

/// The YAML crate, named here only: the rest of the crate uses these
/// names, so moving to another serde YAML crate is a change of this file.
pub use serde_yaml_ng::value::{Tag, TaggedValue};
pub use serde_yaml_ng::{Error, Mapping, Number, Value};

/// The tree of YAML text as kubectl's YAML-to-JSON step leaves it (every
/// YAML the crate reads goes through here): an
/// integer beyond 64 bits is a float (go-yaml's resolver), and a whole
/// float below 10^21 is an integer (encoding/json writes it without a
/// fraction: `3.0` and `1e3` arrive as 3 and 1000).
pub fn parse(text: &str) -> Result<Value, Error> {
    GoTree::deserialize(serde_yaml_ng::Deserializer::from_str(text)).map(|t| t.0)
}

struct GoTree(Value);

impl<'de> Deserialize<'de> for GoTree {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<GoTree, D::Error> {
        deserializer.deserialize_any(GoTreeVisitor).map(GoTree)
    }
}

/// A float as it comes back from encoding/json.
fn go_number(f: f64) -> Number {
    if f.fract() == 0.0 && f.abs() < 9.2e18 {
        Number::from(f as i64)
    } else {
        Number::from(f)
    }
}

/// The YAML crate's own tree visitor, with 128-bit integers and whole floats
/// read as above.
struct GoTreeVisitor;

impl<'de> de::Visitor<'de> for GoTreeVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Number(i.into()))
    }
    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Value, E> {
        Ok(Value::Number(u.into()))
    }
    fn visit_i128<E: de::Error>(self, i: i128) -> Result<Value, E> {
        Ok(Value::Number(go_number(i as f64)))
    }
    fn visit_u128<E: de::Error>(self, u: u128) -> Result<Value, E> {
        Ok(Value::Number(go_number(u as f64)))
    }
    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Value, E> {
        Ok(Value::Number(go_number(f)))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        GoTree::deserialize(deserializer).map(|t| t.0)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(GoTree(item)) = items.next_element()? {
            out.push(item);
        }
        Ok(Value::Sequence(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Value, A::Error> {
        let mut out = Mapping::new();
        while let Some(GoTree(key)) = entries.next_key()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(duplicate_key(&key)));
            }
            let GoTree(value) = entries.next_value()?;
            out.insert(key, value);
        }
        Ok(Value::Mapping(out))
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (tag, contents): (String, _) = data.variant()?;
        let GoTree(value) = contents.newtype_variant()?;
        Ok(Value::Tagged(Box::new(TaggedValue {
            tag: Tag::new(tag),
            value,
        })))
    }
}

/// The YAML crate's duplicate-entry error (serde_yaml's words).
fn duplicate_key(key: &Value) -> String {
    match key {
        Value::Null => "duplicate entry with null key".into(),
        Value::Bool(b) => format!("duplicate entry with key `{b}`"),
        Value::Number(n) => format!("duplicate entry with key {n}"),
        Value::String(s) => format!("duplicate entry with key {s:?}"),
        _ => "duplicate entry in YAML map".into(),
    }
}

/// The document for a value.
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Mapping(m) if !m.is_empty() => mapping(&mut out, m, 0),
        Value::Sequence(a) if !a.is_empty() => sequence(&mut out, a, 0),
        other => {
            out.push_str(&scalar(other, 0));
            out.push('\n');
        }
    }
    out
}

/// The value with every mapping's keys in order, as kubectl prints
/// objects.
pub fn sorted(v: Value) -> Value {
    match v {
        Value::Mapping(m) => {
            let mut entries: Vec<(Value, Value)> = m.into_iter().collect();
            crate::sort::sort_by(&mut entries, |a, b| {
                crate::schema::key_text(&a.0).cmp(&crate::schema::key_text(&b.0))
            });
            Value::Mapping(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Sequence(items) => Value::Sequence(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn mapping(out: &mut String, m: &Mapping, indent: usize) {
    for (i, (k, v)) in m.iter().enumerate() {
        if i > 0 {
            pad(out, indent);
        }
        let key = scalar(k, indent);
        if matches!(k, Value::Mapping(_) | Value::Sequence(_)) || key.contains('\n') {
            // A complex key: the flow form of JSON reads back as YAML.
            out.push_str("? ");
            out.push_str(&flow(k));
            out.push('\n');
            pad(out, indent);
        } else {
            out.push_str(&key);
        }
        out.push(':');
        match v {
            Value::Mapping(m) if !m.is_empty() => {
                out.push('\n');
                pad(out, indent + 2);
                mapping(out, m, indent + 2);
            }
            Value::Sequence(a) if !a.is_empty() => {
                out.push('\n');
                pad(out, indent);
                sequence(out, a, indent);
            }
            other => {
                out.push(' ');
                out.push_str(&scalar(other, indent + 2));
                out.push('\n');
            }
        }
    }
}

fn sequence(out: &mut String, a: &[Value], indent: usize) {
    for (i, v) in a.iter().enumerate() {
        if i > 0 {
            pad(out, indent);
        }
        out.push_str("- ");
        match v {
            Value::Mapping(m) if !m.is_empty() => mapping(out, m, indent + 2),
            Value::Sequence(inner) if !inner.is_empty() => sequence(out, inner, indent + 2),
            other => {
                out.push_str(&scalar(other, indent + 2));
                out.push('\n');
            }
        }
    }
}

/// A value in JSON's flow syntax (which YAML reads back), for complex keys.
fn flow(v: &Value) -> String {
    match v {
        Value::Mapping(m) => {
            let items: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}: {}", flow(k), flow(v)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
        Value::Sequence(items) => {
            let items: Vec<String> = items.iter().map(flow).collect();
            format!("[{}]", items.join(", "))
        }
        Value::String(s) => crate::json::quote(s),
        Value::Tagged(t) => flow(&t.value),
        other => scalar(other, 0),
    }
}

/// A YAML number's text: the YAML crate's own (itoa, and ryu for floats,
/// `.nan`, `.inf`), not the standard library's float formatting.
pub fn number_text(n: &Number) -> String {
    n.to_string()
}

/// A scalar (or an empty collection) in one piece.
pub fn scalar(v: &Value, indent: usize) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number_text(n),
        Value::String(s) => string(s, indent),
        Value::Sequence(_) => "[]".into(),
        Value::Mapping(_) => "{}".into(),
        Value::Tagged(t) => format!("{} {}", t.tag, scalar(&t.value, indent)),
    }
}

/// Plain when go-yaml would read it back as this string, else quoted; a
/// multi-line string as a literal block indented at `indent`.
fn string(s: &str, indent: usize) -> String {
    let block_ok = s.contains('\n')
        && !s.starts_with([' ', '\n'])
        && !s.contains(" \n")
        && !s.ends_with(' ')
        && !s.ends_with("\n\n")
        && !s.chars().any(|c| c != '\n' && c.is_control());
    if block_ok {
        let chomp = if s.ends_with('\n') { "" } else { "-" };
        let mut block = format!("|{chomp}");
        for line in s.trim_end_matches('\n').split('\n') {
            block.push('\n');
            if !line.is_empty() {
                pad(&mut block, indent);
                block.push_str(line);
            }
        }
        return block;
    }
    if plain_ok(s) {
        s.to_string()
    } else {
        crate::json::quote(s)
    }
}

fn plain_ok(s: &str) -> bool {
    const SPECIAL: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
        "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~",
        ".inf", ".Inf", ".INF", "-.inf", "+.inf", ".nan", ".NaN", ".NAN",
    ];
    let Some(first) = s.chars().next() else {
        return false;
    };
    let looks_numeric = {
        let t = s.trim_start_matches(['+', '-']);
        t.starts_with(|c: char| c.is_ascii_digit() || c == '.')
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || "._:+-".contains(c))
            && (t.parse::<f64>().is_ok()
                || t.starts_with("0x")
                || t.starts_with("0o")
                || t.starts_with("0b")
                || looks_like_timestamp(t)
                || t.replace('_', "").parse::<f64>().is_ok())
    };
    !(SPECIAL.contains(&s)
        || looks_numeric
        || ",[]{}#&*!|>'\"%@`".contains(first)
        || ("-?:".contains(first) && s[1..].starts_with([' ', '\t'])
            || s.len() == 1 && "-?:".contains(first))
        || first.is_whitespace()
        || s.ends_with(char::is_whitespace)
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.chars().any(|c| c.is_control()))
}

fn looks_like_timestamp(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() >= 10 && b[4] == b'-' && b[..4].iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn json_to_yaml(v: &serde_json::Value) -> String {
        to_yaml(&sorted(crate::yaml::parse(&v.to_string()).unwrap()))
    }

    fn yaml(text: &str) -> Value {
        crate::yaml::parse(text).unwrap()
    }

    #[test]
    fn like_kubectl_get_o_yaml() {
        let v = json!({
            "metadata": {"creationTimestamp": "2022-06-15T08:40:15Z", "resourceVersion": "987",
                         "annotations": {"a": ""}, "name": "pi"},
            "spec": {"template": {"metadata": {"creationTimestamp": null},
                     "spec": {"containers": [{"command": ["perl", "-wle"], "name": "pi",
                                              "resources": {}}]}}},
            "status": {"conditions": [{"status": "True", "type": "Complete"}],
                       "uncountedTerminatedPods": {}}
        });
        assert_eq!(
            json_to_yaml(&v),
            "metadata:\n  annotations:\n    a: \"\"\n  creationTimestamp: \"2022-06-15T08:40:15Z\"\n  name: pi\n  resourceVersion: \"987\"\nspec:\n  template:\n    metadata:\n      creationTimestamp: null\n    spec:\n      containers:\n      - command:\n        - perl\n        - -wle\n        name: pi\n        resources: {}\nstatus:\n  conditions:\n  - status: \"True\"\n    type: Complete\n  uncountedTerminatedPods: {}\n"
        );
    }

    #[test]
    fn scalars_that_need_quotes() {
        for s in [
            "",
            "true",
            "no",
            "1",
            "1.5",
            "0x1f",
            "2024-01-01",
            "- x",
            "a: b",
            "x #y",
            " x",
            "~",
        ] {
            assert!(!plain_ok(s), "{s:?}");
        }
        for s in [
            "pi",
            "perl:5.34.0",
            "/dev/termination-log",
            "-wle",
            "print bpi(2000)",
            "500m",
            "1Gi",
            "v1",
        ] {
            assert!(plain_ok(s), "{s:?}");
        }
        assert_eq!(json_to_yaml(&json!({"s": "a\nb\n"})), "s: |\n  a\n  b\n");
        assert_eq!(json_to_yaml(&json!({"s": "a\nb"})), "s: |-\n  a\n  b\n");
    }

    #[test]
    fn what_it_writes_reads_back_the_same() {
        for text in [
            "a: [1, '1', 'true', yes, '', ~, 1.5, '0x1f', '- x', 'a: b', 'x #y', ' x', \"line\\nline\\n\", \"tab\\tand\\u0001\"]",
            "nested: {list: [[1, 2], [], {}], map: {k: {v: [a, {b: c}]}}, empty: {}}",
            "? [complex]\n: key\n",
            "script: |\n  #!/bin/sh\n  echo hi\n    indented\n",
            "keys: {1: one, true: yes, null: nothing}",
        ] {
            let v = yaml(text);
            let written = to_yaml(&v);
            assert_eq!(yaml(&written), v, "{text} -> {written}");
        }
    }
}
