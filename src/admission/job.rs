//! Admission of a Job as the API server does it: decode (kubectl's REST
//! mapping, strict fields), default (`SetObjectDefaults_Job`), the registry
//! strategy (`PrepareForCreate`: generated selector and labels), validate
//! (`ValidateJob`, `ValidateJobUpdate`), warnings; and updates by actions.

use super::defaults;
use super::pod;
use super::tree::{bool_at, get, int_at, key_text, list, semantic_eq, str_at, string_map};
use super::validation::{FieldError, Invalid, go_quote, go_string_map, sorted};
use super::{names, warnings};
use crate::api::{CompletionMode, Job, JobSpec, PodReplacementPolicy};
use crate::scenario::ActionKind;
use crate::sim::profile::Profile;
use crate::yaml::{Mapping, Value};
use std::collections::BTreeMap;
use std::fmt;

/// Why a manifest was not accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AdmissionError {
    /// The manifest could not be decoded (wrong type, unknown field, not a
    /// Job ...), at these field paths.
    Decode { paths: Vec<String>, message: String },
    /// Validation failed.
    Invalid(Invalid),
}

impl fmt::Display for AdmissionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AdmissionError::Decode { message, .. } => f.write_str(message),
            AdmissionError::Invalid(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for AdmissionError {}

/// A Job the API server accepted and stored.
#[derive(Clone, Debug, PartialEq)]
pub struct AdmittedJob {
    /// The stored object (defaulted, with the generated selector and
    /// labels; no status), as `kubectl get job -o yaml` prints it.
    pub object: Value,
    pub name: String,
    pub namespace: String,
    pub uid: String,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    /// The typed view of `object.spec` the simulation reads.
    pub spec: JobSpec,
    /// What kubectl prints as `Warning:` lines.
    pub warnings: Vec<String>,
    /// What the playground adds: fields dropped because their feature gate
    /// is off in the chosen release.
    pub notes: Vec<String>,
}

pub const CONTROLLER_UID_LABEL: &str = "batch.kubernetes.io/controller-uid";
pub const JOB_NAME_LABEL: &str = "batch.kubernetes.io/job-name";
const LEGACY_CONTROLLER_UID_LABEL: &str = "controller-uid";
const LEGACY_JOB_NAME_LABEL: &str = "job-name";

/// kubectl's view of a manifest: which API resource it is (its REST
/// mapping), then the API server's strict decoding into the Go type.
/// `creating`: `kubectl create` names its source in the message; `kubectl
/// patch` does not.
pub fn check_kind(
    manifest: &Value,
    want: &str,
    root: usize,
    creating: bool,
    profile: &Profile,
) -> Result<(), AdmissionError> {
    let text = |key: &str| manifest.get(key).and_then(Value::as_str);
    let name = manifest
        .get("metadata")
        .and_then(|m| m.get("name"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let missing: Vec<&str> = ["apiVersion", "kind"]
        .into_iter()
        .filter(|k| text(k).is_none_or(str::is_empty))
        .collect();
    if !missing.is_empty() {
        let list: Vec<String> = missing.iter().map(|f| format!("{f} not set")).collect();
        let what = match list.as_slice() {
            [one] => one.clone(),
            _ => format!("[{}]", list.join(", ")),
        };
        return Err(AdmissionError::Decode {
            paths: missing.iter().map(|s| s.to_string()).collect(),
            message: format!(
                "error: error validating \"STDIN\": error validating data: {what}; if you choose to ignore these errors, turn validation off with --validate=false"
            ),
        });
    }
    let (api_version, kind) = (text("apiVersion").unwrap_or(""), text("kind").unwrap_or(""));
    if !matches!((api_version, kind), ("batch/v1", "Job" | "CronJob")) {
        return Err(AdmissionError::Decode {
            paths: vec!["kind".into()],
            message: format!(
                "error: resource mapping not found for name: {} namespace: \"\" from \"STDIN\": no matches for kind {} in version {}\nensure CRDs are installed first",
                go_quote(name),
                go_quote(kind),
                go_quote(api_version)
            ),
        });
    }
    if kind != want {
        return Err(AdmissionError::Decode {
            paths: vec!["kind".into()],
            message: format!(
                "error: the playground simulates a batch/v1 {want} here; got a {kind}"
            ),
        });
    }
    let source = if creating {
        "error when creating \"STDIN\": "
    } else {
        ""
    };
    let cannot = |message: String, paths: Vec<String>| AdmissionError::Decode {
        message: format!(
            "Error from server (BadRequest): {source}{kind} in version \"v1\" cannot be handled as a {kind}: {message}"
        ),
        paths,
    };
    super::strict::check(manifest, root).map_err(|(message, paths)| cannot(message, paths))?;
    // Fields of features newer than the release.
    let unknown = super::versions::unknown_fields(manifest, kind, profile);
    if unknown.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = unknown
        .iter()
        .map(|p| format!("unknown field {}", go_quote(p)))
        .collect();
    Err(cannot(
        format!("strict decoding error: {}", list.join(", ")),
        unknown,
    ))
}

/// `utilrand.String(5)`'s alphabet, for names from `generateName`.
const NAME_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// A name from `metadata.generateName`: the prefix and five characters
/// from the UID (deterministic, where the API server picks at random).
fn generated_name(prefix: &str, uid: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut name = prefix.to_string();
    for b in uid.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
    }
    for _ in 0..5 {
        name.push(NAME_ALPHABET[(h % NAME_ALPHABET.len() as u64) as usize] as char);
        h /= NAME_ALPHABET.len() as u64;
    }
    name
}

fn mapping(v: &mut Value) -> &mut Mapping {
    if !v.is_mapping() {
        *v = Value::Mapping(Mapping::new());
    }
    match v {
        Value::Mapping(m) => m,
        _ => unreachable!("made a mapping above"),
    }
}

/// `generateSelectorIfNeeded`: the four generated labels on the template
/// (where the user did not set them) and the selector on the controller
/// UID.
fn generate_selector(object: &mut Value, name: &str, uid: &str, batch_labels: bool) {
    let spec = super::tree::child(object, "spec");
    if bool_at(spec, "manualSelector") == Some(true) {
        return;
    }
    let labels = super::tree::child(
        super::tree::child(super::tree::child(spec, "template"), "metadata"),
        "labels",
    );
    let labels = mapping(labels);
    for (key, value) in generated_labels(name, uid, batch_labels) {
        labels.entry(key.into()).or_insert(value.into());
    }
    let selector = super::tree::child(spec, "selector");
    let match_labels = mapping(super::tree::child(selector, "matchLabels"));
    let key = if batch_labels {
        CONTROLLER_UID_LABEL
    } else {
        LEGACY_CONTROLLER_UID_LABEL
    };
    match_labels.entry(key.into()).or_insert(uid.into());
}

/// The labels the strategy puts on the template (the `batch.kubernetes.io/`
/// ones from 1.27).
fn generated_labels<'a>(
    name: &'a str,
    uid: &'a str,
    batch_labels: bool,
) -> Vec<(&'static str, &'a str)> {
    let mut labels = vec![
        (LEGACY_CONTROLLER_UID_LABEL, uid),
        (LEGACY_JOB_NAME_LABEL, name),
    ];
    if batch_labels {
        labels.extend([(CONTROLLER_UID_LABEL, uid), (JOB_NAME_LABEL, name)]);
    }
    labels
}

/// The object's name (from `generateName` when it has none) and its
/// namespace (kubectl's `default`), written into its metadata.
pub fn name_and_namespace(object: &mut Value, uid: &str) -> String {
    let meta = mapping(super::tree::child(object, "metadata"));
    let name = match meta.get("name").and_then(Value::as_str) {
        Some(n) if !n.is_empty() => n.to_string(),
        _ => match meta.get("generateName").and_then(Value::as_str) {
            Some(prefix) if !prefix.is_empty() => generated_name(prefix, uid),
            _ => String::new(),
        },
    };
    if !name.is_empty() {
        meta.insert("name".into(), name.clone().into());
    }
    if meta
        .get("namespace")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        meta.insert("namespace".into(), "default".into());
    }
    name
}

/// Decodes, defaults and validates a Job manifest (a YAML mapping) that
/// is created with this UID.
pub fn admit_job(
    manifest: &Value,
    uid: &str,
    profile: &Profile,
) -> Result<AdmittedJob, AdmissionError> {
    check_kind(manifest, "Job", super::strict::job(), true, profile)?;
    let mut object = manifest.clone();
    let notes = super::versions::drop_disabled(&mut object, "Job", profile);
    defaults::job(&mut object, profile);
    let name = name_and_namespace(&mut object, uid);
    generate_selector(&mut object, &name, uid, profile.batch_labels);
    if profile.job_tracking_annotation {
        let meta = super::tree::child(&mut object, "metadata");
        let annotations = mapping(super::tree::child(meta, "annotations"));
        annotations.insert("batch.kubernetes.io/job-tracking".into(), "".into());
    }
    let errors = validate_job(&object, uid, profile);
    if !errors.is_empty() {
        return Err(AdmissionError::Invalid(Invalid {
            kind: "Job",
            name,
            errors,
        }));
    }
    let warnings = warnings::job(&object, None);
    Ok(stored(object, uid, warnings, notes))
}

/// The admitted Job from a valid stored object, with the defaulting on
/// read that gives an unlabelled Job its template's labels.
fn stored(mut object: Value, uid: &str, warnings: Vec<String>, notes: Vec<String>) -> AdmittedJob {
    let template_labels = object
        .get("spec")
        .and_then(|s| s.get("template"))
        .and_then(|t| t.get("metadata"))
        .and_then(|m| get(m, "labels"))
        .cloned();
    let meta = mapping(super::tree::child(&mut object, "metadata"));
    let unlabelled = meta
        .get("labels")
        .and_then(Value::as_mapping)
        .is_none_or(Mapping::is_empty);
    if unlabelled && let Some(labels) = template_labels {
        meta.insert("labels".into(), labels);
    }
    let job = Job::read(&object);
    AdmittedJob {
        name: job.metadata.name.unwrap_or_default(),
        namespace: job.metadata.namespace.unwrap_or_default(),
        uid: uid.to_string(),
        labels: job.metadata.labels,
        annotations: job.metadata.annotations,
        spec: job.spec,
        object,
        warnings,
        notes,
    }
}

/// `ValidateObjectMeta` for a Job or CronJob (name is a DNS subdomain).
pub fn object_meta(errs: &mut Vec<FieldError>, object: &Value) {
    let meta = get(object, "metadata").unwrap_or(&Value::Null);
    let name = str_at(meta, "name").unwrap_or("");
    if name.is_empty() {
        errs.push(FieldError::required(
            "metadata.name",
            "name or generateName is required",
        ));
    } else {
        for m in names::dns1123_subdomain(name) {
            errs.push(FieldError::invalid_str("metadata.name", name, m));
        }
    }
    let namespace = str_at(meta, "namespace").unwrap_or("");
    for m in names::dns1123_label(namespace) {
        errs.push(FieldError::invalid_str("metadata.namespace", namespace, m));
    }
    pod::labels(errs, &string_map(meta, "labels"), "metadata.labels");
    pod::annotations(
        errs,
        &string_map(meta, "annotations"),
        "metadata.annotations",
    );
}

/// `ValidateJob`.
fn validate_job(object: &Value, uid: &str, profile: &Profile) -> Vec<FieldError> {
    let mut errs = Vec::new();
    object_meta(&mut errs, object);
    let spec = get(object, "spec").unwrap_or(&Value::Null);
    let name = object
        .get("metadata")
        .and_then(|m| str_at(m, "name"))
        .unwrap_or("");
    generated_selector(&mut errs, spec, name, uid, profile.batch_labels);
    job_spec(&mut errs, spec, "spec", profile);
    let selector = get(spec, "selector");
    match selector {
        None => errs.push(FieldError::required("spec.selector", "")),
        Some(s) => label_selector(&mut errs, s, "spec.selector"),
    }
    let template_labels = template_labels(spec);
    // LabelSelectorAsSelector(nil) selects nothing.
    let matches = selector.map_or(Some(false), |s| selector_matches(s, &template_labels));
    if matches == Some(false) {
        errs.push(FieldError::invalid(
            "spec.template.metadata.labels",
            go_string_map(
                template_labels
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str())),
            ),
            "`selector` does not match template `labels`",
        ));
    }
    if is_indexed(spec)
        && let Some(completions) = int_at(spec, "completions").filter(|c| *c > 0)
    {
        let hostname = format!("{name}-{}", completions - 1);
        if !names::dns1123_label(&hostname).is_empty() {
            errs.push(FieldError::invalid_str(
                "metadata.name",
                name,
                format!("will not able to create pod with invalid DNS label: {hostname}"),
            ));
        }
    }
    errs
}

fn template_labels(spec: &Value) -> Vec<(String, String)> {
    get(spec, "template")
        .and_then(|t| get(t, "metadata"))
        .map(|m| string_map(m, "labels"))
        .unwrap_or_default()
}

/// `validateGeneratedSelector`.
fn generated_selector(
    errs: &mut Vec<FieldError>,
    spec: &Value,
    name: &str,
    uid: &str,
    batch_labels: bool,
) {
    if bool_at(spec, "manualSelector") == Some(true) {
        return;
    }
    let Some(selector) = get(spec, "selector") else {
        return;
    };
    let labels = template_labels(spec);
    let expected = generated_labels(name, uid, batch_labels);
    for &(key, want) in &expected {
        let path = format!("spec.template.metadata.labels[{key}]");
        match labels.iter().find(|(k, _)| k == key) {
            None => errs.push(FieldError::required(path, format!("must be '{want}'"))),
            Some((_, v)) if v != want => errs.push(FieldError::invalid(
                path,
                go_string_map(labels.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
                format!("must be '{want}'"),
            )),
            Some(_) => {}
        }
    }
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    if selector_matches(selector, &expected) == Some(false) {
        errs.push(FieldError::invalid(
            "spec.selector",
            go_label_selector(selector),
            "`selector` not auto-generated",
        ));
    }
}

/// Whether a LabelSelector selects these labels; None when it does not
/// convert to a selector (a bad operator).
fn selector_matches(selector: &Value, labels: &[(String, String)]) -> Option<bool> {
    let value = |k: &str| {
        labels
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    let mut ok = string_map(selector, "matchLabels")
        .iter()
        .all(|(k, v)| value(k) == Some(v));
    for e in list(selector, "matchExpressions") {
        let key = str_at(e, "key").unwrap_or("");
        let values: Vec<&str> = list(e, "values").iter().filter_map(Value::as_str).collect();
        let have = value(key);
        ok &= match str_at(e, "operator").unwrap_or("") {
            "In" => have.is_some_and(|v| values.contains(&v)),
            "NotIn" => have.is_none_or(|v| !values.contains(&v)),
            "Exists" => have.is_some(),
            "DoesNotExist" => have.is_none(),
            _ => return None,
        };
    }
    Some(ok)
}

/// `ValidateLabelSelector`.
fn label_selector(errs: &mut Vec<FieldError>, s: &Value, path: &str) {
    for (i, e) in list(s, "matchExpressions").iter().enumerate() {
        let at = format!("{path}.matchExpressions[{i}]");
        let values = list(e, "values");
        match str_at(e, "operator").unwrap_or("") {
            "In" | "NotIn" if values.is_empty() => errs.push(FieldError::required(
                format!("{at}.values"),
                "must be specified when `operator` is 'In' or 'NotIn'",
            )),
            "Exists" | "DoesNotExist" if !values.is_empty() => errs.push(FieldError::forbidden(
                format!("{at}.values"),
                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            )),
            "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
            other => errs.push(FieldError::invalid_str(
                format!("{at}.operator"),
                other,
                "not a valid selector operator",
            )),
        }
        let key = str_at(e, "key").unwrap_or("");
        for m in names::label_key(key) {
            errs.push(FieldError::invalid_str(format!("{at}.key"), key, m));
        }
    }
    pod::labels(
        errs,
        &string_map(s, "matchLabels"),
        &format!("{path}.matchLabels"),
    );
}

/// Go's `%#v` of a `v1.LabelSelector`.
pub fn go_label_selector(s: &Value) -> String {
    let labels = match get(s, "matchLabels") {
        None => "map[string]string(nil)".to_string(),
        Some(_) => {
            let m = string_map(s, "matchLabels");
            go_string_map(m.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        }
    };
    let expressions = match get(s, "matchExpressions") {
        None => "[]v1.LabelSelectorRequirement(nil)".to_string(),
        Some(_) => {
            let items: Vec<String> = list(s, "matchExpressions")
                .iter()
                .map(|e| {
                    let values = match get(e, "values") {
                        None => "[]string(nil)".to_string(),
                        Some(_) => {
                            let v: Vec<String> = list(e, "values")
                                .iter()
                                .map(|v| go_quote(&key_text(v)))
                                .collect();
                            format!("[]string{{{}}}", v.join(", "))
                        }
                    };
                    format!(
                        "v1.LabelSelectorRequirement{{Key:{}, Operator:{}, Values:{values}}}",
                        go_quote(str_at(e, "key").unwrap_or("")),
                        go_quote(str_at(e, "operator").unwrap_or(""))
                    )
                })
                .collect();
            format!("[]v1.LabelSelectorRequirement{{{}}}", items.join(", "))
        }
    };
    format!("v1.LabelSelector{{MatchLabels:{labels}, MatchExpressions:{expressions}}}")
}

const MAX_PARALLELISM_INDEXED: i64 = 100_000;
const MAX_FAILED_INDEXES: i64 = 100_000;
const COMPLETIONS_SOFT_LIMIT: i64 = 100_000;
const PARALLELISM_LIMIT_HIGH_COMPLETIONS: i64 = 10_000;
const MAX_FAILED_INDEXES_HIGH_COMPLETIONS: i64 = 10_000;

/// `validateJobSpec` (shared by Jobs and CronJob job templates), at `path`.
pub fn job_spec(errs: &mut Vec<FieldError>, spec: &Value, path: &str, profile: &Profile) {
    let at = |f: &str| format!("{path}.{f}");
    let int = |f: &str| int_at(spec, f);
    for f in [
        "parallelism",
        "completions",
        "activeDeadlineSeconds",
        "backoffLimit",
        "ttlSecondsAfterFinished",
        "backoffLimitPerIndex",
        "maxFailedIndexes",
    ] {
        if let Some(v) = int(f).filter(|v| *v < 0) {
            errs.push(FieldError::invalid(
                at(f),
                v.to_string(),
                "must be greater than or equal to 0",
            ));
        }
        if f == "maxFailedIndexes" && int(f).is_some() && int("backoffLimitPerIndex").is_none() {
            errs.push(FieldError::required(
                at("backoffLimitPerIndex"),
                "when maxFailedIndexes is specified",
            ));
        }
    }
    if let Some(by) = get(spec, "managedBy").and_then(Value::as_str) {
        domain_prefixed_path(errs, by, &at("managedBy"));
        if by.len() > 63 {
            errs.push(FieldError::too_long(at("managedBy"), 63));
        }
    }
    let text = get(spec, "completionMode").and_then(Value::as_str);
    let mode = text.and_then(CompletionMode::parse);
    if let Some(text) = text
        && mode.is_none()
    {
        errs.push(FieldError::unsupported(
            at("completionMode"),
            text,
            &CompletionMode::NAMES,
        ));
    }
    let indexed = mode == Some(CompletionMode::Indexed);
    if indexed {
        indexed_limits(errs, spec, path);
    }
    if text.is_none() || mode == Some(CompletionMode::NonIndexed) {
        for f in ["backoffLimitPerIndex", "maxFailedIndexes"] {
            if let Some(v) = int(f) {
                errs.push(FieldError::invalid(
                    at(f),
                    v.to_string(),
                    "requires indexed completion mode",
                ));
            }
        }
    }
    if let Some(policy) = get(spec, "podFailurePolicy") {
        super::policy::pod_failure_policy(errs, spec, policy, &at("podFailurePolicy"));
    }
    if let Some(policy) = get(spec, "successPolicy") {
        if !indexed {
            errs.push(FieldError::invalid(
                at("successPolicy"),
                super::go_value::success_policy(profile, policy),
                "requires indexed completion mode",
            ));
        } else {
            super::policy::success_policy(errs, spec, policy, &at("successPolicy"));
        }
    }
    if let Some(policy) = get(spec, "podReplacementPolicy").and_then(Value::as_str) {
        if get(spec, "podFailurePolicy").is_some() {
            if policy != "Failed" {
                errs.push(FieldError::unsupported(
                    at("podReplacementPolicy"),
                    policy,
                    &["Failed"],
                ));
            }
        } else if PodReplacementPolicy::parse(policy).is_none() {
            errs.push(FieldError::unsupported(
                at("podReplacementPolicy"),
                policy,
                &sorted(PodReplacementPolicy::NAMES),
            ));
        }
    }
    let template = get(spec, "template").unwrap_or(&Value::Null);
    pod::template(errs, template, &at("template"), profile);
    let restart_path = at("template.spec.restartPolicy");
    let restart = get(template, "spec")
        .and_then(|s| str_at(s, "restartPolicy"))
        .unwrap_or("");
    match restart {
        "Always" | "" => errs.push(FieldError::required(
            restart_path,
            "valid values: \"OnFailure\", \"Never\"",
        )),
        "OnFailure" | "Never" => {
            if get(spec, "podFailurePolicy").is_some() && restart != "Never" {
                errs.push(FieldError::invalid_str(
                    restart_path,
                    restart,
                    "only \"Never\" is supported when podFailurePolicy is specified",
                ));
            }
        }
        other => errs.push(FieldError::unsupported(
            restart_path,
            other,
            &["OnFailure", "Never"],
        )),
    }
}

/// Whether a Job spec's tree says `completionMode: Indexed`.
pub fn is_indexed(spec: &Value) -> bool {
    str_at(spec, "completionMode").and_then(CompletionMode::parse) == Some(CompletionMode::Indexed)
}

/// The limits of Indexed Jobs.
fn indexed_limits(errs: &mut Vec<FieldError>, spec: &Value, path: &str) {
    let at = |f: &str| format!("{path}.{f}");
    let completions = int_at(spec, "completions");
    let parallelism = int_at(spec, "parallelism");
    let max_failed = int_at(spec, "maxFailedIndexes");
    if completions.is_none() {
        errs.push(FieldError::required(
            at("completions"),
            "when completion mode is Indexed",
        ));
    }
    if let Some(p) = parallelism.filter(|p| *p > MAX_PARALLELISM_INDEXED) {
        errs.push(FieldError::invalid(
            at("parallelism"),
            p.to_string(),
            format!("must be less than or equal to {MAX_PARALLELISM_INDEXED} when completion mode is Indexed"),
        ));
    }
    if let (Some(c), Some(m)) = (completions, max_failed)
        && m > c
    {
        errs.push(FieldError::invalid(
            at("maxFailedIndexes"),
            m.to_string(),
            "must be less than or equal to completions",
        ));
    }
    if let Some(m) = max_failed.filter(|m| *m > MAX_FAILED_INDEXES) {
        errs.push(FieldError::invalid(
            at("maxFailedIndexes"),
            m.to_string(),
            format!("must be less than or equal to {MAX_FAILED_INDEXES}"),
        ));
    }
    if completions.is_some_and(|c| c > COMPLETIONS_SOFT_LIMIT)
        && int_at(spec, "backoffLimitPerIndex").is_some()
    {
        let tail = format!(
            "when completions are above {COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index"
        );
        if max_failed.is_none() {
            errs.push(FieldError::required(
                at("maxFailedIndexes"),
                format!("must be specified when completions is above {COMPLETIONS_SOFT_LIMIT}"),
            ));
        }
        if let Some(p) = parallelism.filter(|p| *p > PARALLELISM_LIMIT_HIGH_COMPLETIONS) {
            errs.push(FieldError::invalid(
                at("parallelism"),
                p.to_string(),
                format!(
                    "must be less than or equal to {PARALLELISM_LIMIT_HIGH_COMPLETIONS} {tail}"
                ),
            ));
        }
        if let Some(m) = max_failed.filter(|m| *m > MAX_FAILED_INDEXES_HIGH_COMPLETIONS) {
            errs.push(FieldError::invalid(
                at("maxFailedIndexes"),
                m.to_string(),
                format!(
                    "must be less than or equal to {MAX_FAILED_INDEXES_HIGH_COMPLETIONS} {tail}"
                ),
            ));
        }
    }
}

/// `IsDomainPrefixedPath` (`spec.managedBy`).
fn domain_prefixed_path(errs: &mut Vec<FieldError>, v: &str, path: &str) {
    if v.is_empty() {
        errs.push(FieldError::required(path, ""));
        return;
    }
    let Some((host, rest)) = v
        .split_once('/')
        .filter(|(h, r)| !h.is_empty() && !r.is_empty())
    else {
        errs.push(FieldError::invalid_str(
            path,
            v,
            "must be a domain-prefixed path (such as \"acme.io/foo\")",
        ));
        return;
    };
    for m in names::dns1123_subdomain(host) {
        errs.push(FieldError::invalid_str(path, host, m));
    }
    let ok = rest
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"/-._~%!$&'()*+,;=:".contains(&b));
    if !ok {
        errs.push(FieldError::invalid_str(
            path,
            rest,
            names::regex_error("Invalid path", "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+", &[]),
        ));
    }
}

/// What the update rules need to know about the Job's state.
#[derive(Clone, Copy, Debug, Default)]
pub struct JobState {
    /// `status.startTime` is set.
    pub started: bool,
    /// Suspended=True and no active pods.
    pub safely_suspended: bool,
}

/// A change of a running Job by an action (suspend, resume,
/// set-parallelism, patch): a JSON merge patch of the stored object,
/// decoded, defaulted and validated as an update (`ValidateJobUpdate`).
pub fn update_job(
    old: &Value,
    state: JobState,
    uid: &str,
    action: &ActionKind,
    profile: &Profile,
) -> Result<AdmittedJob, AdmissionError> {
    let mut object = old.clone();
    let patch: Value = match action {
        ActionKind::Suspend => crate::yaml::parse("{spec: {suspend: true}}").expect("valid YAML"),
        ActionKind::Resume => crate::yaml::parse("{spec: {suspend: false}}").expect("valid YAML"),
        ActionKind::SetParallelism { value } => {
            crate::yaml::parse(&format!("{{spec: {{parallelism: {value}}}}}")).expect("valid YAML")
        }
        ActionKind::Patch { patch } => patch.clone(),
        _ => Value::Null,
    };
    super::patch::merge_patch(&mut object, &patch);
    check_kind(&object, "Job", super::strict::job(), false, profile)?;
    defaults::job(&mut object, profile);
    let name = old
        .get("metadata")
        .and_then(|m| str_at(m, "name"))
        .unwrap_or("")
        .to_string();
    let mut errors = validate_job(&object, uid, profile);
    spec_update(&mut errors, &object, old, state, profile);
    if !errors.is_empty() {
        return Err(AdmissionError::Invalid(Invalid {
            kind: "Job",
            name,
            errors,
        }));
    }
    let spec = |o: &Value| get(o, "spec").cloned().unwrap_or(Value::Null);
    let warnings = if semantic_eq(&spec(&object), &spec(old)) {
        Vec::new()
    } else {
        warnings::job(&object, Some(old))
    };
    Ok(stored(object, uid, warnings, Vec::new()))
}

/// `ValidateJobSpecUpdate` (after the full spec validation).
fn spec_update(
    errs: &mut Vec<FieldError>,
    new: &Value,
    old: &Value,
    state: JobState,
    profile: &Profile,
) {
    let null = Value::Null;
    let spec = get(new, "spec").unwrap_or(&null);
    let old_spec = get(old, "spec").unwrap_or(&null);
    let field = |s: &'_ Value, f: &str| get(s, f).cloned().unwrap_or(Value::Null);
    let int_text = |v: &Value| v.as_i64().map_or("null".to_string(), |n| n.to_string());
    let changed = |f: &str| !semantic_eq(&field(spec, f), &field(old_spec, f));
    if changed("completions") {
        let value = int_text(&field(spec, "completions"));
        if !is_indexed(spec) || !profile.elastic_indexed {
            errs.push(FieldError::invalid(
                "spec.completions",
                value,
                "field is immutable",
            ));
        } else if int_at(spec, "completions").is_some()
            && int_at(spec, "completions") != int_at(spec, "parallelism")
        {
            errs.push(FieldError::invalid(
                "spec.completions",
                value,
                "can only be modified in tandem with spec.parallelism",
            ));
        }
    }
    if changed("selector") {
        errs.push(FieldError::invalid(
            "spec.selector",
            go_label_selector(&field(spec, "selector")),
            "field is immutable",
        ));
    }
    // Scheduling directives (and, from 1.36, container resources) may
    // change while the Job is suspended and never started or safely
    // suspended (MutableSchedulingDirectivesForSuspendedJobs,
    // MutablePodResourcesForSuspendedJobs).
    let suspended = bool_at(old_spec, "suspend") == Some(true);
    let mutable =
        suspended && (!state.started || (profile.mutable_suspended_jobs && state.safely_suspended));
    let template = field(spec, "template");
    let mut old_template = field(old_spec, "template");
    if mutable {
        allow_scheduling_changes(&mut old_template, &template, profile.mutable_suspended_jobs);
    }
    if !semantic_eq(&template, &old_template) {
        errs.push(FieldError::invalid(
            "spec.template",
            "core.PodTemplateSpec{...}",
            "field is immutable",
        ));
    }
    type Print = fn(&Profile, &Value) -> String;
    for (f, print) in [
        ("completionMode", None),
        (
            "podFailurePolicy",
            Some(super::go_value::pod_failure_policy as Print),
        ),
        ("backoffLimitPerIndex", None),
        ("managedBy", None),
        (
            "successPolicy",
            Some(super::go_value::success_policy as Print),
        ),
    ] {
        if changed(f) {
            let v = field(spec, f);
            let text = match (print, &v) {
                (_, Value::Null) => "null".to_string(),
                (Some(print), v) => print(profile, v),
                (None, Value::String(s)) => go_quote(s),
                (None, v) => int_text(v),
            };
            errs.push(FieldError::invalid(
                format!("spec.{f}"),
                text,
                "field is immutable",
            ));
        }
    }
}

/// `validatePodTemplateUpdate`: copies what may change into the old
/// template before comparing.
fn allow_scheduling_changes(old: &mut Value, new: &Value, resources: bool) {
    let null = Value::Null;
    let copy = |old: &mut Value, new: &Value, key: &str| {
        let value = get(new, key).cloned().unwrap_or(Value::Null);
        let m = mapping(old);
        m.insert(key.into(), value);
    };
    let new_meta = get(new, "metadata").unwrap_or(&null);
    let old_meta = super::tree::child(old, "metadata");
    copy(old_meta, new_meta, "labels");
    copy(old_meta, new_meta, "annotations");
    let new_spec = get(new, "spec").unwrap_or(&null);
    let old_spec = super::tree::child(old, "spec");
    for key in ["nodeSelector", "tolerations", "schedulingGates"] {
        copy(old_spec, new_spec, key);
    }
    // Only nodeAffinity within affinity.
    let new_affinity = get(new_spec, "affinity");
    let node_affinity = new_affinity.and_then(|a| get(a, "nodeAffinity")).cloned();
    match (new_affinity, get(old_spec, "affinity").is_some()) {
        (None, true) => {
            let a = super::tree::child(old_spec, "affinity");
            mapping(a).remove("nodeAffinity");
            if a.as_mapping().is_some_and(Mapping::is_empty) {
                mapping(old_spec).remove("affinity");
            }
        }
        (Some(_), _) => {
            let a = mapping(super::tree::child(old_spec, "affinity"));
            match node_affinity {
                Some(n) => a.insert("nodeAffinity".into(), n),
                None => a.remove("nodeAffinity"),
            };
        }
        (None, false) => {}
    }
    // Container resources (requests, limits, claims), from 1.36.
    if !resources {
        return;
    }
    for key in ["initContainers", "containers"] {
        let new_list = list(new_spec, key);
        for (i, c) in super::tree::list_mut(old_spec, key).iter_mut().enumerate() {
            if let Some(new_c) = new_list.get(i) {
                copy(c, new_c, "resources");
            }
        }
    }
}
