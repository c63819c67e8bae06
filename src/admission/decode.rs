//! YAML text to a YAML tree, and errors placed in the text.

use super::job::AdmissionError;
use super::locate::locate;
use super::{Admitted, admit};
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

/// The problem a serde_yaml error describes, without the path prefix and
/// the " at line L column C" suffix it adds (both are reported separately).
fn serde_problem(err: &crate::yaml::Error) -> String {
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

/// Parses YAML text; a syntax error is worded as kubectl words it
/// (`error converting YAML to JSON: yaml: line 7: did not find expected key`).
pub fn parse_yaml(text: &str) -> Result<crate::yaml::Value, Diagnostic> {
    // A byte-order mark (Windows Notepad writes one) is not part of the
    // document, as kubectl reads it.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    crate::limits::check_text(text).map_err(|(message, line)| Diagnostic {
        message,
        line,
        column: line.map(|_| 1),
    })?;
    if text.trim().is_empty() {
        return Err(Diagnostic {
            message: "error: no objects passed to create".to_string(),
            line: None,
            column: None,
        });
    }
    crate::yaml::parse(text).map_err(|err| {
        let location = err.location();
        let problem = serde_problem(&err);
        let message = match &location {
            Some(l) => format!(
                "error converting YAML to JSON: yaml: line {}: {problem}",
                l.line()
            ),
            None => format!("error converting YAML to JSON: yaml: {problem}"),
        };
        Diagnostic {
            message,
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
        }
    })
}

/// A manifest the editor holds that the API server would not take: the
/// whole message as kubectl prints it, and where each problem is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestError {
    pub message: String,
    pub markers: Vec<Diagnostic>,
}

/// Parses and admits the editor's text: the YAML tree and the admitted Job
/// or CronJob, or the errors with their positions in the text.
pub fn check_manifest(
    text: &str,
    profile: &crate::sim::profile::Profile,
) -> Result<(crate::yaml::Value, Admitted), ManifestError> {
    let value = parse_yaml(text).map_err(|d| ManifestError {
        message: d.message.clone(),
        markers: vec![d],
    })?;
    match admit(&value, &crate::sim::world::uid(1), profile) {
        Ok(job) => Ok((value, job)),
        Err(err) => {
            let marker = |path: &str, message: String| {
                let at = locate(text, path);
                Diagnostic {
                    message,
                    line: at.map(|a| a.0),
                    column: at.map(|a| a.1),
                }
            };
            let markers = match &err {
                AdmissionError::Decode { paths, message } if paths.is_empty() => {
                    vec![marker("", message.clone())]
                }
                // (Each is placed by a walk of the text: at most
                // MAX_MARKERS of them, however many errors there are.)
                AdmissionError::Decode { paths, message } => paths
                    .iter()
                    .take(crate::limits::MAX_MARKERS)
                    .map(|p| marker(p, message.clone()))
                    .collect(),
                AdmissionError::Invalid(invalid) => invalid
                    .errors
                    .iter()
                    .take(crate::limits::MAX_MARKERS)
                    .map(|e| marker(&e.path, e.to_string()))
                    .collect(),
            };
            Err(ManifestError {
                message: err.to_string(),
                markers,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_are_worded_like_kubectl_with_their_position() {
        let err = parse_yaml("metadata:\n  name: pi\n   bad: x\n").unwrap_err();
        assert_eq!((err.line, err.column), (Some(3), Some(7)));
        assert_eq!(
            err.message,
            "error converting YAML to JSON: yaml: line 3: mapping values are not allowed in this context"
        );
        let err = parse_yaml("kind: Job\nspec:\n  completions: 3\n backoffLimit: 2\n").unwrap_err();
        assert_eq!(
            err.message,
            "error converting YAML to JSON: yaml: line 4: did not find expected key, while parsing a block mapping"
        );
        assert!(parse_yaml("  \n").is_err());
    }

    #[test]
    fn invalid_fields_are_placed_at_their_line() {
        let text = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: pi\nspec:\n  parallelism: -1\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: pi, image: perl}]\n";
        let err = check_manifest(text, &crate::sim::profile::newest()).unwrap_err();
        assert_eq!(
            err.message,
            "The Job \"pi\" is invalid: spec.parallelism: Invalid value: -1: must be greater than or equal to 0"
        );
        assert_eq!(
            (err.markers[0].line, err.markers[0].column),
            (Some(6), Some(3))
        );
    }

    #[test]
    fn wrong_types_are_placed_at_their_line() {
        let text =
            "apiVersion: batch/v1\nkind: Job\nmetadata: {name: pi}\nspec:\n  completions: many\n";
        let err = check_manifest(text, &crate::sim::profile::newest()).unwrap_err();
        assert_eq!(
            err.message,
            "Error from server (BadRequest): error when creating \"STDIN\": Job in version \"v1\" cannot be handled as a Job: json: cannot unmarshal string into Go struct field JobSpec.spec.completions of type int32"
        );
        assert_eq!(err.markers[0].line, Some(5));
    }

    #[test]
    fn every_unknown_field_is_marked() {
        let text = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: pi}\nspec:\n  backofLimit: 3\n  template:\n    spec:\n      containers:\n      - name: c\n        imagePullPolicyy: Always\n";
        let err = check_manifest(text, &crate::sim::profile::newest()).unwrap_err();
        assert!(err.message.ends_with("strict decoding error: unknown field \"spec.backofLimit\", unknown field \"spec.template.spec.containers[0].imagePullPolicyy\""), "{}", err.message);
        let lines: Vec<Option<usize>> = err.markers.iter().map(|m| m.line).collect();
        assert_eq!(lines, [Some(5), Some(10)]);
    }

    #[test]
    fn kind_and_api_version_follow_kubectl() {
        let err = check_manifest(
            "apiVersion: batch/v1\nkind: Jobs\nmetadata: {name: pi}\n",
            &crate::sim::profile::newest(),
        )
        .unwrap_err();
        assert_eq!(
            err.message,
            "error: resource mapping not found for name: \"pi\" namespace: \"\" from \"STDIN\": no matches for kind \"Jobs\" in version \"batch/v1\"\nensure CRDs are installed first"
        );
        assert_eq!(err.markers[0].line, Some(2));
        let err = check_manifest(
            "kind: Job\nmetadata: {name: pi}\n",
            &crate::sim::profile::newest(),
        )
        .unwrap_err();
        assert!(
            err.message
                .contains("error validating data: apiVersion not set"),
            "{}",
            err.message
        );
    }

    /// sigs.k8s.io/yaml reads the YAML with go-yaml v2 (whose resolver makes
    /// an integer beyond 64 bits a float) and writes JSON with encoding/json
    /// (whole floats without a fraction, `e+` exponents from 10^21).
    #[test]
    fn numbers_reach_the_api_server_as_kubectls_json_carries_them() {
        let spec = |completions: &str| {
            let text = format!(
                "apiVersion: batch/v1\nkind: Job\nmetadata: {{name: pi}}\nspec:\n  completions: {completions}\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{{name: c, image: busybox}}]\n"
            );
            check_manifest(&text, &crate::sim::profile::newest())
        };
        let refused = |completions: &str| {
            let err = spec(completions).unwrap_err();
            let message = err.message.split_once("json: ").unwrap().1.to_string();
            assert_eq!(err.markers[0].line, Some(5), "{message}");
            message
        };
        let unmarshal = |number: &str| {
            format!(
                "cannot unmarshal number {number} into Go struct field JobSpec.spec.completions of type int32"
            )
        };
        assert_eq!(
            refused("18446744073709551616"),
            unmarshal("18446744073709552000")
        );
        assert_eq!(
            refused("-18446744073709551616"),
            unmarshal("-18446744073709552000")
        );
        assert_eq!(refused("99999999999999999999999"), unmarshal("1e+23"));
        assert_eq!(refused("4294967296"), unmarshal("4294967296"));
        assert_eq!(refused("1.5"), unmarshal("1.5"));
        assert_eq!(refused("2.5e-7"), unmarshal("2.5e-7"));
        for whole in ["3.0", "3", "0.3e1", "+3"] {
            let (value, _) = spec(whole).unwrap();
            assert_eq!(value["spec"]["completions"].as_i64(), Some(3), "{whole}");
        }
    }

    #[test]
    fn the_tree_keeps_serde_yamls_tags_and_duplicate_key_error() {
        use crate::yaml::{Tag, Value};
        let tree = parse_yaml("a: !custom {b: [1, null, x]}\n").unwrap();
        let Value::Tagged(tagged) = &tree["a"] else {
            panic!("{tree:?}")
        };
        assert_eq!(tagged.tag, Tag::new("custom"));
        assert_eq!(tagged.value["b"][2].as_str(), Some("x"));
        let err = parse_yaml("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert!(
            err.message.ends_with("duplicate entry with key \"a\""),
            "{}",
            err.message
        );
    }
}
