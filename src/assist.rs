//! The manifest editor's language services: completion of keys and values
//! at the cursor, hover docs, and diagnostics with quick fixes. Everything
//! comes from what the engine already knows: the API's field table
//! (`www/tables/schema.txt`), the API reference's descriptions
//! (`www/tables/docs.txt`, both generated from k8s-openapi by xtask), the
//! release profiles and admission (kubectl's own messages). The page's
//! worker answers the editor with these, as JSON (`to_json`).
//!
//! Positions are UTF-16 offsets, as JavaScript strings (and CodeMirror)
//! count them.

use crate::admission::{Frame, Outline, check_manifest, key_of, locate};
use crate::json::Json;
use crate::schema::{Kind, Type, go_type};
use crate::sim::profile::{Gate, Profile};

/// One completion: a key (`property`), a value (`enum`) or a block
/// (`snippet`).
#[derive(Clone, Debug, PartialEq)]
pub struct Completion {
    pub label: String,
    pub kind: &'static str,
    /// The Go type (`int32`, `[]v1.Container`).
    pub detail: String,
    /// The text that replaces what was typed.
    pub apply: String,
    /// Why it may not apply here (a field this release does not know).
    pub info: String,
}

/// What to offer at a position: the options replace `from..to`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Completions {
    pub from: usize,
    pub to: usize,
    pub options: Vec<Completion>,
}

/// A field's documentation, for the key under the cursor.
#[derive(Clone, Debug, PartialEq)]
pub struct Hover {
    pub from: usize,
    pub to: usize,
    /// `JobSpec.activeDeadlineSeconds`.
    pub field: String,
    pub type_: String,
    pub doc: String,
    /// The default the description states (`Defaults to 6`).
    pub default: String,
    /// The release the field appeared in (for fields newer than 1.25).
    pub since: String,
    /// What this release does with the field, when it is not just there.
    pub note: String,
}

/// A problem at `from..to`: an admission error or warning, in kubectl's words.
#[derive(Clone, Debug, PartialEq)]
pub struct Lint {
    pub from: usize,
    pub to: usize,
    pub severity: &'static str,
    pub message: String,
    pub fixes: Vec<Fix>,
}

/// A quick fix: replace `from..to` with `insert`.
#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    pub label: String,
    pub from: usize,
    pub to: usize,
    pub insert: String,
}

/// The byte offset of a UTF-16 offset (clamped to the text).
fn byte_of(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// The UTF-16 offset of a byte offset.
fn utf16_of(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())].encode_utf16().count()
}

fn types() -> &'static [Type] {
    crate::admission::strict::types()
}

/// The type the manifest's root is (by its `kind`).
fn root(text: &str) -> Option<usize> {
    let kind = text
        .lines()
        .find_map(|l| l.strip_prefix("kind:"))
        .map(|k| k.trim().trim_matches(['"', '\'']));
    Some(if kind == Some("CronJob") {
        crate::admission::strict::cron_job()
    } else {
        crate::admission::strict::job()
    })
}

/// The kind at a path of keys and `[i]` items from the root type.
fn kind_at<'a>(root: &'a Kind, segments: impl Iterator<Item = &'a str>) -> Option<&'a Kind> {
    let mut kind = root;
    for s in segments {
        kind = match kind {
            Kind::Array(inner) | Kind::Map(inner) if s.starts_with('[') => inner,
            Kind::Map(inner) => inner,
            Kind::Object(t) => &types()[*t].field(s)?.kind,
            _ => return None,
        };
    }
    Some(kind)
}

/// The line that holds a byte offset: its start, and the text before the
/// offset on it.
fn line_at(text: &str, at: usize) -> (usize, &str) {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (start, &text[start..at])
}

/// The outline of the lines before the one at `start`.
fn outline_before(text: &str, start: usize) -> Outline {
    let mut outline = Outline::default();
    for raw in text[..start].lines() {
        outline.line(raw, |_, _| {});
    }
    outline
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'
}

/// The values a string field takes (the API's enums, and the booleans).
fn values(type_name: &str, field: &str, kind: &Kind) -> Vec<&'static str> {
    use crate::api::*;
    match (type_name, field) {
        ("JobSpec", "completionMode") => CompletionMode::NAMES.to_vec(),
        ("JobSpec", "podReplacementPolicy") => PodReplacementPolicy::NAMES.to_vec(),
        ("CronJobSpec", "concurrencyPolicy") => ConcurrencyPolicy::NAMES.to_vec(),
        ("PodFailurePolicyRule", "action") => PodFailurePolicyAction::NAMES.to_vec(),
        (
            "PodFailurePolicyOnExitCodesRequirement" | "ContainerRestartRuleOnExitCodes",
            "operator",
        ) => ExitCodesOperator::NAMES.to_vec(),
        ("ContainerRestartRule", "action") => RestartRuleAction::NAMES.to_vec(),
        ("PodFailurePolicyOnPodConditionsPattern", "status") => vec!["True", "False", "Unknown"],
        ("PodFailurePolicyOnPodConditionsPattern", "type") => vec!["DisruptionTarget"],
        // A Job's pods may only be OnFailure or Never.
        ("PodSpec", "restartPolicy") => vec!["OnFailure", "Never"],
        ("Container", "restartPolicy") => vec!["Always", "OnFailure", "Never"],
        ("Container", "imagePullPolicy") => vec!["Always", "IfNotPresent", "Never"],
        ("ContainerPort", "protocol") => vec!["TCP", "UDP", "SCTP"],
        _ if *kind == Kind::Bool => vec!["true", "false"],
        _ => Vec::new(),
    }
}

/// Blocks worth typing at once, by the type they go in: (label, text with
/// `\n` followed by the indentation of the key line).
const SNIPPETS: &[(&str, &str, &str)] = &[
    (
        "JobSpec",
        "podFailurePolicy (rule)",
        "podFailurePolicy:\n  rules:\n  - action: FailJob\n    onExitCodes:\n      operator: In\n      values: [42]",
    ),
    (
        "JobSpec",
        "backoffLimitPerIndex (with maxFailedIndexes)",
        "completionMode: Indexed\nbackoffLimitPerIndex: 1\nmaxFailedIndexes: 2",
    ),
    (
        "PodSpec",
        "initContainers (native sidecar)",
        "initContainers:\n- name: sidecar\n  image: busybox:1.36\n  restartPolicy: Always",
    ),
];

/// The feature gate a field depends on in this release (None: the field
/// is there in every modelled release).
fn field_gate(type_name: &str, field: &str, p: &Profile) -> Option<Gate> {
    Some(match (type_name, field) {
        ("JobSpec", "podFailurePolicy") => p.pod_failure_policy,
        ("JobSpec", "backoffLimitPerIndex" | "maxFailedIndexes") => p.backoff_limit_per_index,
        ("JobSpec", "podReplacementPolicy") => p.pod_replacement_policy,
        ("JobSpec", "successPolicy") => p.success_policy,
        ("JobSpec", "managedBy") => p.managed_by,
        ("Container", "restartPolicy") => p.sidecars,
        ("Container", "restartPolicyRules") => p.container_restart_rules,
        _ => return None,
    })
}

/// What the release does with a field it does not simply have.
fn release_note(type_name: &str, field: &str, p: &Profile) -> String {
    match field_gate(type_name, field, p) {
        Some(Gate::Absent) => format!(
            "Kubernetes {} does not know this field (unknown field)",
            p.version
        ),
        Some(Gate::Off) => format!(
            "its feature gate is off in Kubernetes {}: dropped on create",
            p.version
        ),
        _ => String::new(),
    }
}

/// The release a gated field appeared in, and the one it is on from.
fn history(type_name: &str, field: &str) -> String {
    let gates: Vec<(&str, Gate)> = crate::sim::profile::versions()
        .iter()
        .filter_map(|v| {
            let p = crate::sim::profile::profile(v).ok()?;
            Some((*v, field_gate(type_name, field, &p)?))
        })
        .collect();
    let since = gates.iter().find(|(_, g)| *g != Gate::Absent);
    let on = gates.iter().find(|(_, g)| *g == Gate::On);
    match (since, on) {
        (Some((s, Gate::Off)), Some((o, _))) => {
            format!("New in Kubernetes {s} (alpha, off by default); on by default from {o}.")
        }
        (Some((s, _)), _) if Some(s) != gates.first().map(|(v, _)| v) => {
            format!("New in Kubernetes {s}.")
        }
        _ => String::new(),
    }
}

/// The default a description states ("Defaults to 6.").
fn default_of(doc: &str) -> String {
    let Some(at) = doc.find("Defaults to ").or_else(|| doc.find("Default to ")) else {
        return String::new();
    };
    let rest = &doc[at..];
    let end = rest
        .find(". ")
        .or_else(|| rest.find(".\n"))
        .unwrap_or(rest.len());
    rest[..end].trim_end_matches('.').to_string()
}

/// What to type for a key: `key: ` for a value, `key:` and a new line,
/// indented, for a mapping or a list.
fn key_text(name: &str, kind: &Kind, indent: usize) -> String {
    let pad = " ".repeat(indent);
    match kind {
        Kind::Object(_) | Kind::Map(_) => format!("{name}:\n{pad}  "),
        Kind::Array(Kind::Object(_)) => format!("{name}:\n{pad}- "),
        Kind::Array(_) => format!("{name}: []"),
        _ => format!("{name}: "),
    }
}

/// The keys already in the mapping the cursor's line is in (its parent is
/// `parent`), on the other lines: they are offered last, saying so.
fn keys_beside(text: &str, cursor_line: usize, parent: &[Frame]) -> Vec<String> {
    let mut present = Vec::new();
    let mut outline = Outline::default();
    let mut at = 0;
    for raw in text.split_inclusive('\n') {
        let line_start = at;
        at += raw.len();
        if line_start == cursor_line {
            continue;
        }
        let raw = raw.trim_end_matches(['\n', '\r']);
        let (col, _) = outline.line(raw, |_, _| {});
        let Some((last, enclosing)) = outline.frames.split_last() else {
            continue;
        };
        let same = !last.item
            && enclosing.len() == parent.len()
            && enclosing
                .iter()
                .zip(parent)
                .all(|(a, b)| a.segment == b.segment);
        if same && last.indent == col {
            present.push(last.segment.clone());
        }
    }
    present
}

/// The completions at `at` (a UTF-16 offset) for this release.
pub fn complete(text: &str, at: usize, p: &Profile) -> Completions {
    let at = byte_of(text, at);
    let (start, before) = line_at(text, at);
    let mut outline = outline_before(text, start);
    let (col, rest) = outline.line(before, |_, _| {});
    let none = Completions::default();
    let Some(root) = root(text) else { return none };
    let root_kind = Kind::Object(root);
    if let Some(key) = key_of(rest) {
        // A value: after `key: `.
        let typed = rest[rest.find(':').map_or(rest.len(), |i| i + 1)..].trim_start();
        if typed.contains(char::is_whitespace) {
            return none;
        }
        let path = outline.frames.iter().map(|f| f.segment.as_str());
        let parent = path.clone().take(outline.frames.len() - 1);
        let Some(Kind::Object(t)) = kind_at(&root_kind, parent) else {
            return none;
        };
        let Some(field) = types()[*t].field(&key) else {
            return none;
        };
        let options = values(types()[*t].name, &key, &field.kind)
            .into_iter()
            .map(|v| Completion {
                label: v.to_string(),
                kind: "enum",
                detail: go_type(types(), &field.kind),
                apply: v.to_string(),
                info: String::new(),
            })
            .collect();
        return Completions {
            from: utf16_of(text, at - typed.len()),
            to: utf16_of(text, at),
            options,
        };
    }
    // A key: what is typed so far is a word at `col`.
    if !rest.chars().all(is_word) {
        return none;
    }
    outline.enter(col);
    let path = outline.frames.iter().map(|f| f.segment.as_str());
    let Some(Kind::Object(t)) = kind_at(&root_kind, path) else {
        return none;
    };
    let ty = &types()[*t];
    let at_root = outline.frames.is_empty();
    let present = keys_beside(text, start, &outline.frames);
    let mut options: Vec<Completion> = ty
        .fields
        .iter()
        .filter(|f| !(at_root && f.name == "status"))
        .map(|f| Completion {
            label: f.name.to_string(),
            kind: "property",
            detail: go_type(types(), &f.kind),
            apply: key_text(f.name, &f.kind, col),
            info: if present.iter().any(|k| k == f.name) {
                "already set in this mapping".to_string()
            } else {
                release_note(ty.name, f.name, p)
            },
        })
        .collect();
    let pad = format!("\n{}", " ".repeat(col));
    options.extend(
        SNIPPETS
            .iter()
            .filter(|(ty_name, _, _)| *ty_name == ty.name)
            .map(|(_, label, body)| Completion {
                label: label.to_string(),
                kind: "snippet",
                detail: String::new(),
                apply: body.replace('\n', &pad),
                info: String::new(),
            }),
    );
    Completions {
        from: utf16_of(text, at - rest.len()),
        to: utf16_of(text, at),
        options,
    }
}

/// The description of `Type field` in the docs table.
fn doc(docs: &str, type_name: &str, field: &str) -> Option<String> {
    let key = format!("{type_name} {field}\t");
    let line = docs.lines().find(|l| l.starts_with(&key))?;
    Some(line[key.len()..].replace("\\n", "\n"))
}

/// The docs of the key under `at` (a UTF-16 offset), from the docs table.
pub fn hover(text: &str, at: usize, p: &Profile, docs: &str) -> Option<Hover> {
    let at = byte_of(text, at);
    let (start, _) = line_at(text, at);
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let mut outline = outline_before(text, start);
    let (col, rest) = outline.line(&text[start..end], |_, _| {});
    let key = key_of(rest)?;
    let (from, to) = (start + col, start + col + key.len());
    if !(from..=to).contains(&at) {
        return None;
    }
    let segments: Vec<&str> = outline.frames.iter().map(|f| f.segment.as_str()).collect();
    let root = Kind::Object(root(text)?);
    let Kind::Object(t) = kind_at(&root, segments[..segments.len() - 1].iter().copied())? else {
        return None;
    };
    let ty = &types()[*t];
    let field = ty.field(&key)?;
    let doc = doc(docs, ty.name, &key).unwrap_or_default();
    Some(Hover {
        from: utf16_of(text, from),
        to: utf16_of(text, to),
        field: format!("{}.{key}", ty.name),
        type_: go_type(types(), &field.kind),
        default: default_of(&doc),
        doc,
        since: history(ty.name, &key),
        note: release_note(ty.name, &key, p),
    })
}

/// Levenshtein distance (for "did you mean").
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (row[j + 1] + 1)
                .min(row[j] + 1)
                .min(prev + usize::from(ca != *cb));
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// The byte range of the line `line` (1-based) from column `col` to its
/// end, or of its key when one starts there.
fn range_at(text: &str, line: usize, col: usize) -> (usize, usize, Option<String>) {
    let start: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let from = (start + col.saturating_sub(1)).min(end);
    let key = key_of(text[from..end].trim_start_matches("- "));
    let from = from + (text[from..end].len() - text[from..end].trim_start_matches("- ").len());
    match key {
        Some(k) => (from, from + k.len(), Some(k)),
        None => (from, end.max(from), None),
    }
}

/// For a key the schema does not have: the closest keys valid at its place.
fn did_you_mean(text: &str, line_start: usize, key: &str) -> Option<&'static str> {
    let outline = outline_before(text, line_start);
    let mut outline = outline;
    let end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    outline.line(&text[line_start..end], |_, _| {});
    let segments: Vec<&str> = outline.frames.iter().map(|f| f.segment.as_str()).collect();
    let root = Kind::Object(root(text)?);
    let Kind::Object(t) = kind_at(
        &root,
        segments[..segments.len().saturating_sub(1)].iter().copied(),
    )?
    else {
        return None;
    };
    let ty = &types()[*t];
    if ty.field(key).is_some() {
        return None;
    }
    let (best, d) = ty
        .fields
        .iter()
        .map(|f| {
            (
                f.name,
                distance(&key.to_ascii_lowercase(), &f.name.to_ascii_lowercase()),
            )
        })
        .min_by_key(|(_, d)| *d)?;
    (d <= 2.max(key.len() / 4)).then_some(best)
}

/// The most diagnostics one lint gives (each is placed by a walk of the
/// text), and the most of them that get a "did you mean" (each walks the
/// outline again): a hostile text cannot keep the worker busy.
const MAX_LINTS: usize = crate::limits::MAX_MARKERS;
const MAX_FIXES: usize = 20;

/// The admission's errors and warnings of the manifest, placed in the text,
/// each unknown key with a fix when a valid key is close.
pub fn lint(text: &str, p: &Profile) -> Vec<Lint> {
    let place =
        |line: Option<usize>, col: Option<usize>| -> (usize, usize, Option<String>, usize) {
            match line {
                Some(line) if line >= 1 => {
                    let (from, to, key) = range_at(text, line, col.unwrap_or(1));
                    let start: usize = text
                        .split_inclusive('\n')
                        .take(line - 1)
                        .map(str::len)
                        .sum();
                    (from, to, key, start)
                }
                _ => (0, text.find('\n').unwrap_or(text.len()), None, 0),
            }
        };
    let mut out = Vec::new();
    match check_manifest(text, p) {
        Err(e) => {
            for (i, m) in e.markers.iter().take(MAX_LINTS).enumerate() {
                let (from, to, key, line_start) = place(m.line, m.column);
                let fixes = key
                    .as_deref()
                    .filter(|_| i < MAX_FIXES && m.message.contains("unknown field"))
                    .and_then(|k| did_you_mean(text, line_start, k))
                    .map(|best| Fix {
                        label: format!("Did you mean {best}?"),
                        from: utf16_of(text, from),
                        to: utf16_of(text, to),
                        insert: best.to_string(),
                    });
                out.push(Lint {
                    from: utf16_of(text, from),
                    to: utf16_of(text, to),
                    severity: "error",
                    message: m.message.clone(),
                    fixes: fixes.into_iter().collect(),
                });
            }
        }
        Ok((_, admitted)) => {
            let (warnings, notes) = match &admitted {
                crate::admission::Admitted::Job(j) => (&j.warnings, &j.notes),
                crate::admission::Admitted::CronJob(c) => (&c.warnings, &c.notes),
            };
            for (w, severity) in warnings
                .iter()
                .map(|w| (w, "warning"))
                .chain(notes.iter().map(|n| (n, "info")))
                .take(MAX_LINTS)
            {
                let path = w.split_once(": ").map_or("", |(p, _)| p);
                let at = locate(text, path);
                let (from, to, _, _) = place(at.map(|a| a.0), at.map(|a| a.1));
                out.push(Lint {
                    from: utf16_of(text, from),
                    to: utf16_of(text, to),
                    severity,
                    message: if severity == "warning" {
                        format!("Warning: {w}")
                    } else {
                        w.clone()
                    },
                    fixes: Vec::new(),
                });
            }
        }
    }
    out
}

impl Completions {
    pub fn to_json(&self) -> String {
        let option = |c: &Completion| {
            Json::obj(vec![
                ("label", Json::str(c.label.as_str())),
                ("type", Json::str(c.kind)),
                ("detail", Json::str(c.detail.as_str())),
                ("apply", Json::str(c.apply.as_str())),
                ("info", Json::str(c.info.as_str())),
            ])
        };
        Json::obj(vec![
            ("from", Json::int(self.from as i64)),
            ("to", Json::int(self.to as i64)),
            (
                "options",
                Json::Arr(self.options.iter().map(option).collect()),
            ),
        ])
        .compact()
    }
}

impl Hover {
    pub fn to_json(&self) -> String {
        Json::obj(vec![
            ("from", Json::int(self.from as i64)),
            ("to", Json::int(self.to as i64)),
            ("field", Json::str(self.field.as_str())),
            ("type", Json::str(self.type_.as_str())),
            ("doc", Json::str(self.doc.as_str())),
            ("default", Json::str(self.default.as_str())),
            ("since", Json::str(self.since.as_str())),
            ("note", Json::str(self.note.as_str())),
        ])
        .compact()
    }
}

/// The diagnostics as JSON (the worker's answer to `lint`).
pub fn lints_json(lints: &[Lint]) -> String {
    let fix = |f: &Fix| {
        Json::obj(vec![
            ("label", Json::str(f.label.as_str())),
            ("from", Json::int(f.from as i64)),
            ("to", Json::int(f.to as i64)),
            ("insert", Json::str(f.insert.as_str())),
        ])
    };
    let lint = |l: &Lint| {
        Json::obj(vec![
            ("from", Json::int(l.from as i64)),
            ("to", Json::int(l.to as i64)),
            ("severity", Json::str(l.severity)),
            ("message", Json::str(l.message.as_str())),
            ("fixes", Json::Arr(l.fixes.iter().map(fix).collect())),
        ])
    };
    Json::Arr(lints.iter().map(lint).collect()).compact()
}
