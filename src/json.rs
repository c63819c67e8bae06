//! A small JSON writer for the report: objects keep their fields in the
//! order written, and the text is exactly what serde_json's
//! `to_string_pretty` / `to_string` print (its string escapes, `60.0` for
//! whole seconds). Written by hand because serde derives and serde_json
//! cost the page about 25 KB of wasm for one report.

use crate::time::Ms;

#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// A number, already in its JSON text.
    Num(String),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    /// An object with these fields, in this order.
    pub fn obj(fields: Vec<(&str, Json)>) -> Json {
        Json::Obj(
            fields
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    }

    pub fn str(s: impl Into<String>) -> Json {
        Json::Str(s.into())
    }

    pub fn int(n: impl Into<i64>) -> Json {
        Json::Num(n.into().to_string())
    }

    /// Milliseconds as seconds, as serde_json prints the f64 `ms / 1000`:
    /// the shortest decimal, with `.0` when whole.
    pub fn secs(ms: Ms) -> Json {
        let frac = format!("{:03}", ms % 1000);
        let frac = frac.trim_end_matches('0');
        Json::Num(format!(
            "{}.{}",
            ms / 1000,
            if frac.is_empty() { "0" } else { frac }
        ))
    }

    /// `Some(v)` as `f(v)`, `None` as null.
    pub fn opt<T>(v: Option<T>, f: impl FnOnce(T) -> Json) -> Json {
        v.map_or(Json::Null, f)
    }

    /// A list of strings.
    pub fn strs<'a>(items: impl IntoIterator<Item = &'a String>) -> Json {
        Json::Arr(items.into_iter().map(|s| Json::str(s.as_str())).collect())
    }

    /// A map of strings, in its own order.
    pub fn map<'a>(items: impl IntoIterator<Item = (&'a str, &'a str)>) -> Json {
        Json::Obj(
            items
                .into_iter()
                .map(|(k, v)| (k.to_string(), Json::str(v)))
                .collect(),
        )
    }

    /// serde_json's `to_string_pretty` (the report streams through the same
    /// writer; this whole-value form is for the writer's test).
    #[cfg(test)]
    pub fn pretty(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, Some(0));
        out
    }

    /// serde_json's `to_string`.
    pub fn compact(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, None);
        out
    }

    /// Writes the value at nesting `indent` (None: compact).
    fn write(&self, out: &mut String, indent: Option<usize>) {
        let newline = |out: &mut String, level: usize| {
            if indent.is_some() {
                out.push('\n');
                out.push_str(&"  ".repeat(level));
            }
        };
        let level = indent.unwrap_or(0);
        let inner = indent.map(|i| i + 1);
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Num(n) => out.push_str(n),
            Json::Str(s) => out.push_str(&quote(s)),
            Json::Arr(items) if items.is_empty() => out.push_str("[]"),
            Json::Obj(fields) if fields.is_empty() => out.push_str("{}"),
            Json::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, level + 1);
                    item.write(out, inner);
                }
                newline(out, level);
                out.push(']');
            }
            Json::Obj(fields) => {
                out.push('{');
                for (i, (key, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, level + 1);
                    out.push_str(&quote(key));
                    out.push_str(if indent.is_some() { ": " } else { ":" });
                    value.write(out, inner);
                }
                newline(out, level);
                out.push('}');
            }
        }
    }
}

/// serde_json's pretty printing, one piece at a time: a large document
/// (a report of 100,000 pods) goes to its sink without ever being whole
/// in memory. Small values are written as `Json` trees.
pub struct Stream<'a> {
    sink: &'a mut dyn FnMut(&str),
    /// Per open array or object: whether it has no member yet.
    empty: Vec<bool>,
}

impl<'a> Stream<'a> {
    pub fn new(sink: &'a mut dyn FnMut(&str)) -> Stream<'a> {
        Stream {
            sink,
            empty: Vec::new(),
        }
    }

    /// Before a member of the innermost array or object.
    fn member(&mut self) {
        let level = self.empty.len();
        if let Some(empty) = self.empty.last_mut() {
            if !*empty {
                (self.sink)(",");
            }
            *empty = false;
            (self.sink)(&format!("\n{}", "  ".repeat(level)));
        }
    }

    /// Opens an array (`[`) or object (`{`), as an array's member or a
    /// key's value.
    pub fn open(&mut self, bracket: &str) {
        (self.sink)(bracket);
        self.empty.push(true);
    }

    /// Opens an array or object as the next member of the innermost array.
    pub fn open_item(&mut self, bracket: &str) {
        self.member();
        self.open(bracket);
    }

    /// Closes the innermost array (`]`) or object (`}`).
    pub fn close(&mut self, bracket: &str) {
        if self.empty.pop() == Some(false) {
            (self.sink)(&format!("\n{}", "  ".repeat(self.empty.len())));
        }
        (self.sink)(bracket);
    }

    /// A key of the innermost object; its value comes next (`value`,
    /// `open`).
    pub fn key(&mut self, key: &str) {
        self.member();
        (self.sink)(&quote(key));
        (self.sink)(": ");
    }

    /// A whole value: a key's, or the next member of an array.
    pub fn value(&mut self, value: &Json) {
        let mut text = String::new();
        value.write(&mut text, Some(self.empty.len()));
        (self.sink)(&text);
    }

    /// The next member of the innermost array.
    pub fn item(&mut self, value: &Json) {
        self.member();
        self.value(value);
    }

    /// A key and its value.
    pub fn field(&mut self, key: &str, value: &Json) {
        self.key(key);
        self.value(value);
    }
}

/// A JSON string literal, escaped as serde_json escapes.
pub fn quote(s: &str) -> String {
    quote_with(s, |c| match c {
        '\u{8}' => Some("\\b".into()),
        '\u{c}' => Some("\\f".into()),
        c if (c as u32) < 0x20 => Some(format!("\\u{:04x}", c as u32)),
        _ => None,
    })
}

/// `s` in double quotes with `"`, `\`, newline, return and tab escaped
/// with a backslash, and other characters as `other` escapes them (JSON
/// and Go's `%q` differ only there).
pub fn quote_with(s: &str, other: impl Fn(char) -> Option<String>) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => match other(c) {
                Some(escaped) => out.push_str(&escaped),
                None => out.push(c),
            },
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_what_serde_json_prints() {
        let v = Json::obj(vec![
            ("a", Json::secs(60_100)),
            (
                "b",
                Json::Arr(vec![Json::secs(91_000), Json::secs(5), Json::Null]),
            ),
            ("c", Json::Arr(vec![])),
            ("d", Json::Obj(vec![])),
            ("e", Json::str("q\"\\\n\t\u{1}\u{7f}ジョブ")),
            (
                "f",
                Json::obj(vec![("g", Json::Bool(true)), ("h", Json::int(-3))]),
            ),
        ]);
        let serde = serde_json::json!({
            "a": 60.1, "b": [91.0, 0.005, null], "c": [], "d": {},
            "e": "q\"\\\n\t\u{1}\u{7f}ジョブ", "f": {"g": true, "h": -3}
        });
        assert_eq!(v.pretty(), serde_json::to_string_pretty(&serde).unwrap());
        assert_eq!(v.compact(), serde_json::to_string(&serde).unwrap());
    }
}
