//! YAML text to typed objects, with the position of the first error.

use crate::api::Job;
use std::fmt;

/// An error found in a manifest, with its 1-based position when known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Diagnostic {
    fn at(message: String, location: Option<serde_yaml::Location>) -> Diagnostic {
        Diagnostic {
            message,
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
        }
    }

    /// A YAML syntax error, worded as kubectl words it
    /// (`error converting YAML to JSON: yaml: line 7: did not find expected key`).
    fn syntax(err: &serde_yaml::Error) -> Diagnostic {
        let location = err.location();
        // go-yaml (kubectl) says "line L: <problem>".
        let problem = serde_problem(err);
        let message = match &location {
            Some(l) => format!(
                "error converting YAML to JSON: yaml: line {}: {problem}",
                l.line()
            ),
            None => format!("error converting YAML to JSON: yaml: {problem}"),
        };
        Diagnostic::at(message, location)
    }
}

/// The problem a serde_yaml error describes, without the path prefix and
/// the " at line L column C" suffix it adds (both are reported separately).
pub(crate) fn serde_problem(err: &serde_yaml::Error) -> String {
    let text = err.to_string();
    let text = match text.find(" at line ") {
        Some(cut) => match text[cut..].split_once(", ") {
            Some((_, rest)) => format!("{}, {rest}", &text[..cut]),
            None => text[..cut].to_string(),
        },
        None => text,
    };
    // A leading "spec.completions: " is a path: it has no whitespace.
    match text.split_once(": ") {
        Some((head, rest)) if !head.contains(char::is_whitespace) => rest.to_string(),
        _ => text,
    }
}

/// Parses the YAML text of one Job manifest.
pub fn parse_job(text: &str) -> Result<Job, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic {
            message: "error: no objects passed to create".to_string(),
            line: None,
            column: None,
        });
    }
    // Syntax first, so that a broken document is reported as such.
    serde_yaml::from_str::<serde_yaml::Value>(text).map_err(|e| Diagnostic::syntax(&e))?;
    let de = serde_yaml::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let location = e.inner().location();
        let message = format!(
            "Job in version \"v1\" cannot be handled as a Job: {}: {}",
            e.path(),
            serde_problem(e.inner())
        );
        Diagnostic::at(message, location)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_job() {
        let job = parse_job("kind: Job\nmetadata:\n  name: pi\nspec:\n  completions: 3\n").unwrap();
        assert_eq!(job.metadata.name.as_deref(), Some("pi"));
        assert_eq!(job.spec.completions, Some(3));
    }

    #[test]
    fn syntax_error_has_its_position() {
        let err = parse_job("metadata:\n  name: pi\n   bad: x\n").unwrap_err();
        assert_eq!((err.line, err.column), (Some(3), Some(7)), "{err}");
        assert_eq!(
            err.message,
            "error converting YAML to JSON: yaml: line 3: mapping values are not allowed in this context"
        );
    }

    #[test]
    fn syntax_error_keeps_its_context() {
        let err = parse_job("kind: Job\nspec:\n  completions: 3\n backoffLimit: 2\n").unwrap_err();
        assert_eq!(
            err.message,
            "error converting YAML to JSON: yaml: line 4: did not find expected key, while parsing a block mapping"
        );
    }

    #[test]
    fn wrong_type_has_its_position() {
        let err = parse_job("spec:\n  completions: many\n").unwrap_err();
        assert_eq!(err.line, Some(2), "{err}");
        assert!(
            err.message.starts_with(
                "Job in version \"v1\" cannot be handled as a Job: spec.completions: invalid type"
            ),
            "{}",
            err.message
        );
    }

    #[test]
    fn empty_text_is_an_error() {
        assert!(parse_job("  \n").is_err());
    }
}
