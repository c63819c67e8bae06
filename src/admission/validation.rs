//! Field errors as the API server words them (apimachinery field.Error) and
//! as kubectl prints them.

use crate::limits::quoted;
use std::fmt;

/// The kind of a field error, with the value where the API shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Required,
    /// `Invalid value: <value>` (the value already formatted as Go prints
    /// it: strings quoted, numbers bare, maps as `map[string]string{...}`).
    Invalid(String),
    /// `Invalid value: <detail>` (field.OmitValueType).
    InvalidOmitValue,
    /// `Unsupported value: "<v>": supported values: "A", "B"`.
    Unsupported(String, Vec<&'static str>),
    Duplicate(String),
    NotFound(String),
    Forbidden,
    /// `Too long: may not be more than <n> bytes`.
    TooLong(usize),
    /// `Too many: <n>: must have at most <max> items`.
    TooMany(usize, usize),
}

/// One field error (`field.Error`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub path: String,
    pub kind: ErrorKind,
    pub detail: String,
}

/// Go's `%q` of a string (strconv.Quote).
pub fn go_quote(s: &str) -> String {
    crate::json::quote_with(s, |c| {
        ((c as u32) < 0x20 || c as u32 == 0x7f).then(|| format!("\\x{:02x}", c as u32))
    })
}

/// Go's `%#v` of a `map[string]string` (keys sorted, as fmt prints maps).
pub fn go_string_map<'a>(entries: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut entries: Vec<(&str, &str)> = entries.into_iter().collect();
    crate::sort::sort_by(&mut entries, |a, b| a.cmp(b));
    let inner: Vec<String> = entries
        .iter()
        .map(|(k, v)| format!("{}:{}", go_quote(k), go_quote(v)))
        .collect();
    format!("map[string]string{{{}}}", inner.join(", "))
}

/// An enum's values as upstream lists a set of them (`sets.List`: sorted).
pub fn sorted<const N: usize>(names: [&'static str; N]) -> [&'static str; N] {
    let mut names = names;
    names.sort_unstable();
    names
}

impl FieldError {
    fn new(path: impl Into<String>, kind: ErrorKind, detail: impl Into<String>) -> FieldError {
        FieldError {
            path: path.into(),
            kind,
            detail: detail.into(),
        }
    }

    pub fn required(path: impl Into<String>, detail: impl Into<String>) -> FieldError {
        FieldError::new(path, ErrorKind::Required, detail)
    }

    /// `Invalid value: <value>: <detail>` with the value already formatted.
    pub fn invalid(
        path: impl Into<String>,
        value: impl Into<String>,
        detail: impl Into<String>,
    ) -> FieldError {
        FieldError::new(path, ErrorKind::Invalid(value.into()), detail)
    }

    /// `Invalid value: "<s>": <detail>` for a string value.
    pub fn invalid_str(
        path: impl Into<String>,
        value: &str,
        detail: impl Into<String>,
    ) -> FieldError {
        FieldError::invalid(path, go_quote(value), detail)
    }

    pub fn invalid_omit_value(path: impl Into<String>, detail: impl Into<String>) -> FieldError {
        FieldError::new(path, ErrorKind::InvalidOmitValue, detail)
    }

    pub fn unsupported(
        path: impl Into<String>,
        value: &str,
        supported: &[&'static str],
    ) -> FieldError {
        FieldError::unsupported_value(path, go_quote(value), supported)
    }

    /// NotSupported with a value that is not a string (`true`, `5`).
    pub fn unsupported_value(
        path: impl Into<String>,
        value: String,
        supported: &[&'static str],
    ) -> FieldError {
        FieldError::new(path, ErrorKind::Unsupported(value, supported.to_vec()), "")
    }

    pub fn duplicate(path: impl Into<String>, value: String) -> FieldError {
        FieldError::new(path, ErrorKind::Duplicate(value), "")
    }

    pub fn not_found(
        path: impl Into<String>,
        value: String,
        detail: impl Into<String>,
    ) -> FieldError {
        FieldError::new(path, ErrorKind::NotFound(value), detail)
    }

    pub fn forbidden(path: impl Into<String>, detail: impl Into<String>) -> FieldError {
        FieldError::new(path, ErrorKind::Forbidden, detail)
    }

    pub fn too_long(path: impl Into<String>, max: usize) -> FieldError {
        FieldError::new(path, ErrorKind::TooLong(max), "")
    }

    pub fn too_many(path: impl Into<String>, n: usize, max: usize) -> FieldError {
        FieldError::new(path, ErrorKind::TooMany(n, max), "")
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.path)?;
        match &self.kind {
            ErrorKind::Required => f.write_str("Required value")?,
            ErrorKind::Invalid(v) => write!(f, "Invalid value: {}", quoted(v))?,
            ErrorKind::InvalidOmitValue => f.write_str("Invalid value")?,
            ErrorKind::Unsupported(v, supported) => {
                let list: Vec<String> = supported.iter().map(|s| go_quote(s)).collect();
                write!(f, "Unsupported value: {}", quoted(v))?;
                if !list.is_empty() {
                    write!(f, ": supported values: {}", list.join(", "))?
                }
            }
            ErrorKind::Duplicate(v) => write!(f, "Duplicate value: {}", quoted(v))?,
            ErrorKind::NotFound(v) => write!(f, "Not found: {}", quoted(v))?,
            ErrorKind::Forbidden => f.write_str("Forbidden")?,
            ErrorKind::TooLong(max) => write!(f, "Too long: may not be more than {max} bytes")?,
            ErrorKind::TooMany(n, max) => {
                write!(f, "Too many: {n}: must have at most {max} items")?
            }
        }
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

/// `The Job "pi" is invalid: ...`, as kubectl prints an Invalid status:
/// one error on the line, several as a `* ` list, exact repeats dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    pub kind: &'static str,
    pub name: String,
    pub errors: Vec<FieldError>,
}

impl Invalid {
    /// The errors as lines, without exact repeats (ErrorList.ToAggregate
    /// and kubectl both drop them).
    pub fn lines(&self) -> Vec<String> {
        let mut seen = super::tree::Seen::default();
        let mut lines = Vec::new();
        for e in &self.errors {
            let line = e.to_string();
            if seen.insert(&line) {
                lines.push(line);
            }
        }
        lines
    }

    /// The API server's own Status message (`Job.batch "pi" is invalid:
    /// [a, b]`), which kubectl reformats.
    pub fn api_message(&self) -> String {
        let lines = self.lines();
        let list = match lines.as_slice() {
            [one] => one.clone(),
            _ => format!("[{}]", lines.join(", ")),
        };
        format!(
            "{}.batch {} is invalid: {list}",
            self.kind,
            go_quote(&self.name)
        )
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "The {} {} is invalid: ",
            self.kind,
            quoted(&go_quote(&self.name))
        )?;
        let lines = self.lines();
        if let [one] = lines.as_slice() {
            return f.write_str(one);
        }
        for line in lines {
            write!(f, "\n* {line}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_error_on_one_line() {
        let e = Invalid {
            kind: "Job",
            name: "pi".into(),
            errors: vec![FieldError::invalid(
                "spec.parallelism",
                "-1",
                "must be greater than or equal to 0",
            )],
        };
        assert_eq!(
            e.to_string(),
            "The Job \"pi\" is invalid: spec.parallelism: Invalid value: -1: must be greater than or equal to 0"
        );
    }

    #[test]
    fn several_errors_as_a_list() {
        let e = Invalid {
            kind: "Job",
            name: "pi".into(),
            errors: vec![
                FieldError::required(
                    "spec.template.spec.restartPolicy",
                    "valid values: \"OnFailure\", \"Never\"",
                ),
                FieldError::unsupported(
                    "spec.completionMode",
                    "Random",
                    &["NonIndexed", "Indexed"],
                ),
            ],
        };
        assert_eq!(
            e.to_string(),
            "The Job \"pi\" is invalid: \n* spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"\n* spec.completionMode: Unsupported value: \"Random\": supported values: \"NonIndexed\", \"Indexed\""
        );
    }
}
