//! Reading and writing an object as a YAML tree, the way the API server's
//! Go structs see it: a missing key and `null` are both "unset". Validation
//! and defaulting work on the tree so that every field of the real schema
//! (checked by `strict`) is seen, and the stored object is what
//! `kubectl get -o yaml` prints.

use crate::yaml::{Mapping, Value};

/// A field of a mapping, `None` when absent or null.
/// A set for the admission's duplicate checks (a pod's names, ports,
/// paths, env names, exit codes). Ordered, so that a manifest with
/// thousands of entries is checked in n log n, not n². Of strings only:
/// each element type would be another copy of the B-tree in the wasm.
#[derive(Default)]
pub struct Seen(std::collections::BTreeSet<String>);

impl Seen {
    /// Adds `x`; false when it was there already.
    pub fn insert(&mut self, x: &str) -> bool {
        !self.0.contains(x) && self.0.insert(x.to_string())
    }

    pub fn contains(&self, x: &str) -> bool {
        self.0.contains(x)
    }
}

impl<'a> Extend<&'a str> for Seen {
    fn extend<I: IntoIterator<Item = &'a str>>(&mut self, items: I) {
        for x in items {
            self.insert(x);
        }
    }
}

pub fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.get(key).filter(|x| !x.is_null())
}

pub fn str_at<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    get(v, key).and_then(Value::as_str)
}

pub fn int_at(v: &Value, key: &str) -> Option<i64> {
    get(v, key).and_then(Value::as_i64)
}

pub fn bool_at(v: &Value, key: &str) -> Option<bool> {
    get(v, key).and_then(Value::as_bool)
}

/// The items of a list field (empty when absent).
pub fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    get(v, key)
        .and_then(Value::as_sequence)
        .map_or(&[], Vec::as_slice)
}

pub use crate::schema::key_text;

/// The entries of a `map[string]string` field, keys in order.
pub fn string_map(v: &Value, key: &str) -> Vec<(String, String)> {
    let Some(Value::Mapping(m)) = get(v, key) else {
        return Vec::new();
    };
    m.iter()
        .map(|(k, v)| {
            (
                key_text(k),
                v.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| key_text(v)),
            )
        })
        .collect()
}

/// The mapping at `key`, created (or replacing a null) when missing.
pub fn child<'a>(v: &'a mut Value, key: &str) -> &'a mut Value {
    if !v.is_mapping() {
        *v = Value::Mapping(Mapping::new());
    }
    let Value::Mapping(map) = v else {
        unreachable!("made a mapping above")
    };
    let slot = map
        .entry(Value::String(key.to_string()))
        .or_insert(Value::Null);
    if slot.is_null() {
        *slot = Value::Mapping(Mapping::new());
    }
    slot
}

/// Sets `key` when it is absent or null (a Go defaulter's `if x == nil`).
pub fn default(v: &mut Value, key: &str, value: impl Into<Value>) {
    set_if(v, key, value.into(), Value::is_null);
}

/// Sets a string `key` when it is absent, null or empty (`if x == ""`, for
/// Go fields that are plain strings, not pointers).
pub fn default_str(v: &mut Value, key: &str, value: &str) {
    set_if(v, key, Value::from(value), |x| {
        x.is_null() || x.as_str() == Some("")
    });
}

fn set_if(v: &mut Value, key: &str, value: Value, unset: impl Fn(&Value) -> bool) {
    if let Value::Mapping(map) = v {
        let slot = map
            .entry(Value::String(key.to_string()))
            .or_insert(Value::Null);
        if unset(slot) {
            *slot = value;
        }
    }
}

/// The items of a list field, mutable (nothing when absent).
pub fn list_mut<'a>(v: &'a mut Value, key: &str) -> &'a mut [Value] {
    match v.get_mut(key).and_then(Value::as_sequence_mut) {
        Some(items) => items.as_mut_slice(),
        None => &mut [],
    }
}

/// `apiequality.Semantic.DeepEqual` on trees: unset, null, empty maps and
/// empty lists are all the same.
pub fn semantic_eq(a: &Value, b: &Value) -> bool {
    let empty = |v: &Value| match v {
        Value::Null => true,
        Value::Mapping(m) => m.is_empty(),
        Value::Sequence(s) => s.is_empty(),
        _ => false,
    };
    match (a, b) {
        _ if empty(a) && empty(b) => true,
        (Value::Mapping(x), Value::Mapping(y)) => {
            let same = |x: &Mapping, y: &Mapping| {
                x.iter()
                    .all(|(k, v)| semantic_eq(v, y.get(k).unwrap_or(&Value::Null)))
            };
            same(x, y) && same(y, x)
        }
        (Value::Sequence(x), Value::Sequence(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| semantic_eq(a, b))
        }
        (Value::Tagged(x), Value::Tagged(y)) => x.tag == y.tag && semantic_eq(&x.value, &y.value),
        _ => a == b,
    }
}
