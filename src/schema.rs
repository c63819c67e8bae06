//! Strict decoding of YAML trees against a table of types: every field is
//! known, so a misspelled key is caught wherever it is, with its path, and
//! a value of the wrong type is reported where it is. The API's table
//! (`www/tables/schema.txt`, generated from k8s-openapi by `cargo run -p
//! xtask -- schema`) gives the API server's strict decoding; the scenario
//! format has a small hand-written one in the same text form. Once a tree
//! passes, it is read into typed structs without surprises.

use crate::yaml::Value;

/// The type of a field's value.
#[derive(Debug, PartialEq, Eq)]
pub enum Kind {
    String,
    Bool,
    Int32,
    Int64,
    Float,
    IntOrString,
    Quantity,
    Time,
    /// Anything (FieldsV1, RawExtension).
    Any,
    /// Scenario files: an unsigned integer.
    Uint32,
    Uint64,
    /// Scenario files: `10s`, `1m30s`, a number of seconds.
    Duration,
    /// Scenario files: a duration or `forever`.
    RunFor,
    /// A struct, by its index in `TYPES`.
    Object(usize),
    Array(&'static Kind),
    Map(&'static Kind),
}

#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
}

/// A Go struct of the API.
#[derive(Debug)]
pub struct Type {
    pub name: &'static str,
    pub package: &'static str,
    /// Sorted by name.
    pub fields: &'static [Field],
}

impl Kind {
    /// A kind from a table's code (xtask `kind` writes the API's): `s`,
    /// `b`, `i`, `I`, `f`, `x`, `q`, `t`, `a`, `o<type>`, `[<kind>`,
    /// `{<kind>`; for scenario files also `u` (uint32), `U` (uint64), `d`
    /// (duration), `r` (a duration or forever).
    fn decode(code: &str) -> Kind {
        let inner = || -> &'static Kind { Box::leak(Box::new(Kind::decode(&code[1..]))) };
        match code.as_bytes().first() {
            Some(b's') => Kind::String,
            Some(b'b') => Kind::Bool,
            Some(b'i') => Kind::Int32,
            Some(b'I') => Kind::Int64,
            Some(b'f') => Kind::Float,
            Some(b'x') => Kind::IntOrString,
            Some(b'q') => Kind::Quantity,
            Some(b't') => Kind::Time,
            Some(b'u') => Kind::Uint32,
            Some(b'U') => Kind::Uint64,
            Some(b'd') => Kind::Duration,
            Some(b'r') => Kind::RunFor,
            Some(b'o') => Kind::Object(code[1..].parse().unwrap_or(0)),
            Some(b'[') => Kind::Array(inner()),
            Some(b'{') => Kind::Map(inner()),
            _ => Kind::Any,
        }
    }
}

/// The types of a generated table (one line per type: `Name package
/// field:kind ...`), built once: the table lives as long as the program.
pub fn read_table(table: &'static str) -> Vec<Type> {
    table
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| {
            let mut words = line.split(' ');
            let name = words.next().unwrap_or_default();
            let package = words.next().unwrap_or_default();
            let fields: Vec<Field> = words
                .filter_map(|w| w.split_once(':'))
                .map(|(name, kind)| Field {
                    name,
                    kind: Kind::decode(kind),
                })
                .collect();
            Type {
                name,
                package,
                fields: Box::leak(fields.into_boxed_slice()),
            }
        })
        .collect()
}

impl Type {
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields
            .binary_search_by(|f| f.name.cmp(name))
            .ok()
            .map(|i| &self.fields[i])
    }
}

/// The Go type's name as encoding/json prints it (`int32`, `[]v1.Container`).
pub fn go_type(types: &[Type], k: &Kind) -> String {
    match k {
        Kind::String => "string".into(),
        Kind::Bool => "bool".into(),
        Kind::Int32 => "int32".into(),
        Kind::Int64 => "int64".into(),
        Kind::Float => "float64".into(),
        Kind::IntOrString => "intstr.IntOrString".into(),
        Kind::Quantity => "resource.Quantity".into(),
        Kind::Time => "v1.Time".into(),
        Kind::Any => "interface {}".into(),
        Kind::Uint32 => "uint32".into(),
        Kind::Uint64 => "uint64".into(),
        Kind::Duration => "duration".into(),
        Kind::RunFor => "duration or forever".into(),
        Kind::Object(t) => format!("{}.{}", types[*t].package, types[*t].name),
        Kind::Array(k) => format!("[]{}", go_type(types, k)),
        Kind::Map(k) => format!("map[string]{}", go_type(types, k)),
    }
}

/// Why a tree does not fit its type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// A value of the wrong type (the first one met).
    Type(Box<TypeError>),

    /// Keys the types do not have: their paths, and the type each was
    /// found in (an index into the table).
    Unknown(Vec<(String, usize)>),
}

/// A value of the wrong type, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeError {
    /// With list indices: `spec.template.spec.containers[0].image`.
    pub path: String,
    /// The dotted field names encoding/json reports (no indices).
    pub go_path: String,
    /// The innermost struct's name.
    pub owner: &'static str,
    /// What the value was: `string`, `number 1.5`, `object` ...
    pub found: String,
    /// The expected type, as Go names it.
    pub expected: String,
    /// The value is a string that is not a valid quantity.
    pub quantity: bool,
    /// What exactly is wrong with a string that should have been a
    /// duration (the scenario format's own message).
    pub detail: Option<String>,
}

struct Walk<'t> {
    types: &'t [Type],
    unknown: Vec<(String, usize)>,
    /// Where the walk is: with list indices, and as encoding/json names it.
    path: String,
    go_path: String,
}

/// How a YAML value reads to encoding/json when it does not fit.
fn describe(v: &Value, target: &Kind) -> String {
    match v {
        Value::String(_) => "string".into(),
        Value::Bool(_) => "bool".into(),
        Value::Number(n) if matches!(target, Kind::Int32 | Kind::Int64) => match n.as_f64() {
            Some(f) if n.is_f64() => format!("number {}", go_json_float(f)),
            _ => format!("number {n}"),
        },
        Value::Number(_) => "number".into(),
        Value::Sequence(_) => "array".into(),
        Value::Mapping(_) => "object".into(),
        Value::Tagged(t) => describe(&t.value, target),
        Value::Null => "null".into(),
    }
}

/// A float as encoding/json writes it: the shortest digits, without an
/// exponent from 10^-6 up to 10^21, else with one (`1e+21`, `2.5e-7`).
/// Built from ryu's shortest digits (the crate's one float printer).
fn go_json_float(f: f64) -> String {
    let mut buffer = ryu::Buffer::new();
    let text = buffer.format(f);
    let (sign, text) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (mantissa, exponent) = match text.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (text, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let fraction = fraction.trim_end_matches('0');
    let digits = format!("{whole}{fraction}");
    let leading_zeros = digits.len() - digits.trim_start_matches('0').len();
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return format!("{sign}0");
    }
    // The value is 0.<digits> × 10^point.
    let point = whole.len() as i32 - leading_zeros as i32 + exponent;
    let n = digits.len() as i32;
    if (-5..=21).contains(&point) {
        return match point {
            p if p >= n => format!("{sign}{digits}{}", "0".repeat((p - n) as usize)),
            p if p > 0 => format!("{sign}{}.{}", &digits[..p as usize], &digits[p as usize..]),
            p => format!("{sign}0.{}{digits}", "0".repeat((-p) as usize)),
        };
    }
    let e = point - 1;
    let rest = if n > 1 {
        format!(".{}", &digits[1..])
    } else {
        String::new()
    };
    let exp = if e < 0 {
        format!("-{}", -e)
    } else {
        format!("+{e:02}")
    };
    format!("{sign}{}{rest}e{exp}", &digits[..1])
}

/// An integer in `min..=max`. (Whole floats were made integers when the
/// text was read, `yaml::parse`; a float left has a fraction or is beyond
/// 64 bits.)
fn fits_integer(v: &Value, min: i64, max: i64) -> bool {
    v.as_i64().is_some_and(|i| (min..=max).contains(&i))
}

/// Quantity's unmarshalling: a number, or a string that parses as one.
fn is_quantity(v: &Value) -> bool {
    match v {
        Value::Number(_) => true,
        Value::String(s) => crate::admission::quantity::parse(s).is_some(),
        _ => false,
    }
}

impl Walk<'_> {
    /// Checks `v` against `kind`. `self.path` has list indices (for
    /// messages about unknown fields and for placing errors in the text),
    /// `self.go_path` the dotted field names encoding/json reports, `owner`
    /// the innermost struct. The paths are buffers: a child appends its
    /// part and takes it off again, so no node costs an allocation.
    fn check(&mut self, v: &Value, kind: &Kind, owner: &str) -> Result<(), DecodeError> {
        if let Value::Tagged(t) = v {
            return self.check(&t.value, kind, owner);
        }
        if v.is_null() {
            return Ok(());
        }
        let ok = match kind {
            Kind::Any => true,
            Kind::String => v.is_string(),
            Kind::Bool => v.is_bool(),
            Kind::Int32 => fits_integer(v, i64::from(i32::MIN), i64::from(i32::MAX)),
            Kind::Int64 => fits_integer(v, i64::MIN, i64::MAX),
            Kind::Float => v.is_number(),
            Kind::IntOrString => {
                v.is_string() || fits_integer(v, i64::from(i32::MIN), i64::from(i32::MAX))
            }
            Kind::Quantity => is_quantity(v),
            Kind::Uint32 => fits_integer(v, 0, i64::from(u32::MAX)),
            Kind::Uint64 => fits_integer(v, 0, i64::MAX),
            Kind::Duration => duration_ok(v),
            Kind::RunFor => v.as_str() == Some("forever") || duration_ok(v),
            Kind::Time => v
                .as_str()
                .is_some_and(|s| crate::time::Clock::parse(s).is_ok()),
            Kind::Object(t) => {
                let Value::Mapping(map) = v else {
                    return Err(self.type_error(v, kind, owner));
                };
                let ty = &self.types[*t];
                for (key, value) in map {
                    let name = key_text(key);
                    let mark = self.enter(&name, true);
                    match ty.field(&name) {
                        Some(f) => {
                            let go_mark = self.go_path.len();
                            if go_mark > 0 {
                                self.go_path.push('.');
                            }
                            self.go_path.push_str(&name);
                            self.check(value, &f.kind, ty.name)?;
                            self.go_path.truncate(go_mark);
                        }
                        None => self.unknown.push((self.path.clone(), *t)),
                    }
                    self.path.truncate(mark);
                }
                return Ok(());
            }
            Kind::Array(item) => {
                let Value::Sequence(items) = v else {
                    return Err(self.type_error(v, kind, owner));
                };
                for (i, value) in items.iter().enumerate() {
                    let mark = self.path.len();
                    self.path.push('[');
                    self.path.push_str(&i.to_string());
                    self.path.push(']');
                    self.check(value, item, owner)?;
                    self.path.truncate(mark);
                }
                return Ok(());
            }
            Kind::Map(item) => {
                let Value::Mapping(map) = v else {
                    return Err(self.type_error(v, kind, owner));
                };
                for (key, value) in map {
                    let mark = self.enter(&key_text(key), false);
                    self.check(value, item, owner)?;
                    self.path.truncate(mark);
                }
                return Ok(());
            }
        };
        if ok {
            Ok(())
        } else {
            Err(self.type_error(v, kind, owner))
        }
    }

    /// Appends `.name` to the path (just `name` at the top of an object);
    /// returns the length to truncate back to.
    fn enter(&mut self, name: &str, object: bool) -> usize {
        let mark = self.path.len();
        if !(object && mark == 0) {
            self.path.push('.');
        }
        self.path.push_str(name);
        mark
    }

    fn type_error(&self, v: &Value, kind: &Kind, owner: &str) -> DecodeError {
        let owner = self
            .types
            .iter()
            .find(|t| t.name == owner)
            .map_or("", |t| t.name);
        DecodeError::Type(Box::new(TypeError {
            path: self.path.clone(),
            go_path: self.go_path.clone(),
            owner,
            found: describe(v, kind),
            expected: go_type(self.types, kind),
            quantity: matches!(kind, Kind::Quantity) && v.is_string(),
            detail: match (kind, v.as_str()) {
                (Kind::Duration | Kind::RunFor, Some(s)) => {
                    crate::scenario::duration::parse(s).err()
                }
                _ => None,
            },
        }))
    }
}

/// What a scenario duration accepts (see `scenario::duration`).
fn duration_ok(v: &Value) -> bool {
    crate::scenario::duration::from_value(v).is_some()
}

/// YAML keys become JSON object keys (strings): `1` -> "1".
pub fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        Value::Number(n) => crate::yaml::number_text(n),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".into(),
        other => crate::yaml::to_yaml(other).trim().to_string(),
    }
}

/// Checks `value` against type `root` of `types`: the first type error
/// (as a JSON decoder stops at it), else every unknown key.
pub fn check(value: &Value, types: &[Type], root: usize) -> Result<(), DecodeError> {
    let mut walk = Walk {
        types,
        unknown: Vec::new(),
        path: String::new(),
        go_path: String::new(),
    };
    walk.check(value, &Kind::Object(root), types[root].name)?;
    if walk.unknown.is_empty() {
        Ok(())
    } else {
        Err(DecodeError::Unknown(walk.unknown))
    }
}

#[cfg(test)]
mod tests {

    /// encoding/json's float form (strconv 'f' or 'e' with the shortest
    /// digits; e-07 cleaned to e-7).
    #[test]
    fn floats_read_as_encoding_json_writes_them() {
        for (f, go) in [
            (1.5, "1.5"),
            (18446744073709551616.0, "18446744073709552000"),
            (-18446744073709551616.0, "-18446744073709552000"),
            (1e21, "1e+21"),
            (1e23, "1e+23"),
            (1.2345e22, "1.2345e+22"),
            (999999999999999900000.0, "999999999999999900000"),
            (2.5e-7, "2.5e-7"),
            (1e-6, "0.000001"),
            (0.001, "0.001"),
            (123.45, "123.45"),
            (1e-100, "1e-100"),
            (0.0, "0"),
        ] {
            assert_eq!(go_json_float(f), go, "{f:e}");
        }
    }
    use super::*;

    const TYPES: [Type; 2] = [
        Type {
            name: "Outer",
            package: "t",
            fields: &[
                Field {
                    name: "count",
                    kind: Kind::Int32,
                },
                Field {
                    name: "items",
                    kind: Kind::Array(&Kind::Object(1)),
                },
                Field {
                    name: "wait",
                    kind: Kind::Duration,
                },
            ],
        },
        Type {
            name: "Inner",
            package: "t",
            fields: &[Field {
                name: "name",
                kind: Kind::String,
            }],
        },
    ];

    fn check_text(yaml: &str) -> Result<(), DecodeError> {
        check(&crate::yaml::parse(yaml).unwrap(), &TYPES, 0)
    }

    #[test]
    fn unknown_keys_are_all_collected() {
        assert_eq!(
            check_text("count: 1\nextra: 2\nitems: [{name: a}, {nmae: b}]\n"),
            Err(DecodeError::Unknown(vec![
                ("extra".into(), 0),
                ("items[1].nmae".into(), 1)
            ]))
        );
    }

    #[test]
    fn the_first_type_error_names_the_field() {
        let e = check_text("items: [{name: a}, {name: 7}]\ncount: x\n").unwrap_err();
        assert_eq!(
            e,
            DecodeError::Type(Box::new(TypeError {
                path: "items[1].name".into(),
                go_path: "items.name".into(),
                owner: "Inner",
                found: "number".into(),
                expected: "string".into(),
                quantity: false,
                detail: None,
            }))
        );
        assert!(matches!(
            check_text("wait: 10x\n"),
            Err(DecodeError::Type(_))
        ));
        assert_eq!(check_text("wait: 1m30s\ncount: ~\n"), Ok(()));
    }
}
