//! Field errors as the API server words them (apimachinery field.Error) and
//! as kubectl prints them.

use std::fmt;

/// The kind of a field error, with the value where the API shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Required,
    /// `Invalid value: <value>` (the value already formatted: strings
    /// quoted, numbers bare).
    Invalid(String),
    /// `Unsupported value: "<v>": supported values: "A", "B"`.
    Unsupported(String, Vec<&'static str>),
    Forbidden,
}

/// One field error (`field.Error`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub path: String,
    pub kind: ErrorKind,
    pub detail: String,
}

impl FieldError {
    pub fn required(path: impl Into<String>, detail: impl Into<String>) -> FieldError {
        FieldError {
            path: path.into(),
            kind: ErrorKind::Required,
            detail: detail.into(),
        }
    }

    pub fn invalid(
        path: impl Into<String>,
        value: impl Into<String>,
        detail: impl Into<String>,
    ) -> FieldError {
        FieldError {
            path: path.into(),
            kind: ErrorKind::Invalid(value.into()),
            detail: detail.into(),
        }
    }

    pub fn unsupported(
        path: impl Into<String>,
        value: &str,
        supported: &[&'static str],
    ) -> FieldError {
        FieldError {
            path: path.into(),
            kind: ErrorKind::Unsupported(format!("{value:?}"), supported.to_vec()),
            detail: String::new(),
        }
    }

    pub fn forbidden(path: impl Into<String>, detail: impl Into<String>) -> FieldError {
        FieldError {
            path: path.into(),
            kind: ErrorKind::Forbidden,
            detail: detail.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.path)?;
        match &self.kind {
            ErrorKind::Required => f.write_str("Required value")?,
            ErrorKind::Invalid(v) => write!(f, "Invalid value: {v}")?,
            ErrorKind::Unsupported(v, supported) => {
                let list: Vec<String> = supported.iter().map(|s| format!("{s:?}")).collect();
                write!(
                    f,
                    "Unsupported value: {v}: supported values: {}",
                    list.join(", ")
                )?
            }
            ErrorKind::Forbidden => f.write_str("Forbidden")?,
        }
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

/// `The Job "pi" is invalid: ...`, as kubectl prints an Invalid status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    pub kind: &'static str,
    pub name: String,
    pub errors: Vec<FieldError>,
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "The {} {:?} is invalid: ", self.kind, self.name)?;
        if let [one] = self.errors.as_slice() {
            return write!(f, "{one}");
        }
        for e in &self.errors {
            write!(f, "\n* {e}")?;
        }
        Ok(())
    }
}

/// `ValidateNonnegativeField`.
pub fn non_negative(errors: &mut Vec<FieldError>, path: &str, value: Option<i64>) {
    if let Some(v) = value
        && v < 0
    {
        errors.push(FieldError::invalid(
            path,
            v.to_string(),
            "must be greater than or equal to 0",
        ));
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
