//! Admission of a Job manifest: decode, default (SetDefaults_Job and the
//! registry strategy's generated selector), validate (ValidateJob), and
//! updates by actions.

use super::validation::{FieldError, Invalid, non_negative};
use crate::api::{Job, JobSpec, LabelSelector};
use crate::scenario::ActionKind;
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

/// A Job the API server accepted: defaulted and valid, before it has a UID.
#[derive(Clone, Debug, PartialEq)]
pub struct AdmittedJob {
    /// The manifest as the user wrote it (updates patch it).
    pub manifest: serde_yaml::Value,
    pub name: String,
    pub namespace: String,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub spec: JobSpec,
}

pub const CONTROLLER_UID_LABEL: &str = "batch.kubernetes.io/controller-uid";
pub const JOB_NAME_LABEL: &str = "batch.kubernetes.io/job-name";
const LEGACY_CONTROLLER_UID_LABEL: &str = "controller-uid";
const LEGACY_JOB_NAME_LABEL: &str = "job-name";

impl AdmittedJob {
    /// The registry strategy's `generateSelector` (unless manualSelector),
    /// then the defaulting on read that copies the template labels to an
    /// unlabelled Job.
    pub fn with_uid(mut self, uid: &str) -> AdmittedJob {
        if self.spec.manual_selector != Some(true) {
            let labels = &mut self.spec.template.metadata.labels;
            labels.insert(CONTROLLER_UID_LABEL.into(), uid.into());
            labels.insert(JOB_NAME_LABEL.into(), self.name.clone());
            labels.insert(LEGACY_CONTROLLER_UID_LABEL.into(), uid.into());
            labels.insert(LEGACY_JOB_NAME_LABEL.into(), self.name.clone());
            self.spec.selector = Some(LabelSelector {
                match_labels: [(CONTROLLER_UID_LABEL.to_string(), uid.to_string())].into(),
            });
        }
        if self.labels.is_empty() {
            self.labels = self.spec.template.metadata.labels.clone();
        }
        self
    }
}

/// kubectl's view of a manifest: which API resource it is (its REST
/// mapping), then the API server's strict decoding into the Go type.
pub fn decode<T: serde::de::DeserializeOwned>(
    manifest: &serde_yaml::Value,
    want: &str,
    root: usize,
) -> Result<T, AdmissionError> {
    let text = |key: &str| manifest.get(key).and_then(serde_yaml::Value::as_str);
    let name = manifest
        .get("metadata")
        .and_then(|m| m.get("name"))
        .and_then(serde_yaml::Value::as_str)
        .unwrap_or("");
    let missing = |field: &str| AdmissionError::Decode {
        paths: vec![field.into()],
        message: format!(
            "error: error validating \"STDIN\": error validating data: {field} not set; if you choose to ignore these errors, turn validation off with --validate=false"
        ),
    };
    let api_version = text("apiVersion").ok_or_else(|| missing("apiVersion"))?;
    let kind = text("kind").ok_or_else(|| missing("kind"))?;
    let known = matches!((api_version, kind), ("batch/v1", "Job" | "CronJob"));
    if !known {
        return Err(AdmissionError::Decode {
            paths: vec!["kind".into()],
            message: format!(
                "error: resource mapping not found for name: {name:?} namespace: \"\" from \"STDIN\": no matches for kind {kind:?} in version {api_version:?}\nensure CRDs are installed first"
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
    let cannot = |detail: String| {
        format!(
            "Error from server (BadRequest): error when creating \"STDIN\": {kind} in version \"v1\" cannot be handled as a {kind}: {detail}"
        )
    };
    super::strict::check(manifest, root).map_err(|(message, paths)| AdmissionError::Decode {
        message: cannot(message),
        paths,
    })?;
    // The schema check passed, so the typed subset decodes.
    serde_yaml::from_value(manifest.clone()).map_err(|e| AdmissionError::Decode {
        paths: Vec::new(),
        message: cannot(super::serde_problem(&e)),
    })
}

/// Decodes, defaults and validates a Job manifest (a YAML mapping).
pub fn admit_job(manifest: &serde_yaml::Value) -> Result<AdmittedJob, AdmissionError> {
    let job: Job = decode(manifest, "Job", super::strict::JOB)?;
    let name = job.metadata.name.clone().unwrap_or_default();
    let namespace = job
        .metadata
        .namespace
        .clone()
        .unwrap_or_else(|| "default".to_string());
    let mut spec = job.spec;
    set_defaults(&mut spec);
    let errors = validate(&name, &spec);
    if !errors.is_empty() {
        return Err(AdmissionError::Invalid(Invalid {
            kind: "Job",
            name,
            errors,
        }));
    }
    Ok(AdmittedJob {
        manifest: manifest.clone(),
        name,
        namespace,
        labels: job.metadata.labels,
        annotations: job.metadata.annotations,
        spec,
    })
}

/// `SetDefaults_Job` and the pod-template defaults the simulation reads.
pub fn set_defaults(spec: &mut JobSpec) {
    match (spec.completions, spec.parallelism) {
        (None, None) => {
            spec.completions = Some(1);
            spec.parallelism = Some(1);
        }
        (_, None) => spec.parallelism = Some(1),
        _ => {}
    }
    if spec.backoff_limit.is_none() {
        spec.backoff_limit = Some(if spec.backoff_limit_per_index.is_some() {
            i32::MAX
        } else {
            6
        });
    }
    spec.completion_mode
        .get_or_insert_with(|| "NonIndexed".into());
    spec.suspend.get_or_insert(false);
    if spec.pod_replacement_policy.is_none() {
        let policy = if spec.pod_failure_policy.is_some() {
            "Failed"
        } else {
            "TerminatingOrFailed"
        };
        spec.pod_replacement_policy = Some(policy.into());
    }
    if let Some(policy) = &mut spec.pod_failure_policy {
        for rule in &mut policy.rules {
            for pattern in &mut rule.on_pod_conditions {
                pattern.status.get_or_insert_with(|| "True".into());
            }
        }
    }
    let pod = &mut spec.template.spec;
    pod.restart_policy.get_or_insert_with(|| "Always".into());
    pod.termination_grace_period_seconds.get_or_insert(30);
}

/// The checks of `ValidateJob` that decide whether a simulation can run.
pub fn validate(name: &str, spec: &JobSpec) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if name.is_empty() {
        errors.push(FieldError::required(
            "metadata.name",
            "name or generateName is required",
        ));
    }
    non_negative(
        &mut errors,
        "spec.parallelism",
        spec.parallelism.map(i64::from),
    );
    non_negative(
        &mut errors,
        "spec.completions",
        spec.completions.map(i64::from),
    );
    non_negative(
        &mut errors,
        "spec.activeDeadlineSeconds",
        spec.active_deadline_seconds,
    );
    non_negative(
        &mut errors,
        "spec.backoffLimit",
        spec.backoff_limit.map(i64::from),
    );
    non_negative(
        &mut errors,
        "spec.ttlSecondsAfterFinished",
        spec.ttl_seconds_after_finished.map(i64::from),
    );
    non_negative(
        &mut errors,
        "spec.backoffLimitPerIndex",
        spec.backoff_limit_per_index.map(i64::from),
    );
    non_negative(
        &mut errors,
        "spec.maxFailedIndexes",
        spec.max_failed_indexes.map(i64::from),
    );
    let mode = spec.completion_mode.as_deref().unwrap_or("NonIndexed");
    let indexed = mode == "Indexed";
    if !matches!(mode, "NonIndexed" | "Indexed") {
        errors.push(FieldError::unsupported(
            "spec.completionMode",
            mode,
            &["NonIndexed", "Indexed"],
        ));
    }
    if indexed && spec.completions.is_none() {
        errors.push(FieldError::required(
            "spec.completions",
            "when completion mode is Indexed",
        ));
    }
    if let Some(limit) = spec.backoff_limit_per_index
        && !indexed
    {
        errors.push(FieldError::invalid(
            "spec.backoffLimitPerIndex",
            limit.to_string(),
            "requires indexed completion mode",
        ));
    }
    if spec.max_failed_indexes.is_some() && spec.backoff_limit_per_index.is_none() {
        errors.push(FieldError::required(
            "spec.backoffLimitPerIndex",
            "when maxFailedIndexes is specified",
        ));
    }
    if spec.success_policy.is_some() && !indexed {
        errors.push(FieldError::invalid(
            "spec.successPolicy",
            "...",
            "requires indexed completion mode",
        ));
    }
    let restart = spec
        .template
        .spec
        .restart_policy
        .as_deref()
        .unwrap_or("Always");
    match restart {
        "OnFailure" | "Never" => {}
        "Always" => errors.push(FieldError::required(
            "spec.template.spec.restartPolicy",
            "valid values: \"OnFailure\", \"Never\"",
        )),
        other => {
            errors.push(FieldError::unsupported(
                "spec.template.spec.restartPolicy",
                other,
                &["Always", "OnFailure", "Never"],
            ));
            errors.push(FieldError::unsupported(
                "spec.template.spec.restartPolicy",
                other,
                &["OnFailure", "Never"],
            ));
        }
    }
    if let Some(policy) = &spec.pod_failure_policy {
        if restart == "OnFailure" {
            errors.push(FieldError::invalid(
                "spec.template.spec.restartPolicy",
                "\"OnFailure\"",
                "only \"Never\" is supported when podFailurePolicy is specified",
            ));
        }
        for (i, rule) in policy.rules.iter().enumerate() {
            let path = format!("spec.podFailurePolicy.rules[{i}]");
            if !matches!(
                rule.action.as_str(),
                "FailJob" | "FailIndex" | "Ignore" | "Count"
            ) {
                errors.push(FieldError::unsupported(
                    format!("{path}.action"),
                    &rule.action,
                    &["Count", "FailIndex", "FailJob", "Ignore"],
                ));
            }
            if rule.action == "FailIndex" && spec.backoff_limit_per_index.is_none() {
                errors.push(FieldError::invalid(
                    format!("{path}.action"),
                    "\"FailIndex\"",
                    "requires the backoffLimitPerIndex to be set",
                ));
            }
            if let Some(codes) = &rule.on_exit_codes {
                if !matches!(codes.operator.as_str(), "In" | "NotIn") {
                    errors.push(FieldError::unsupported(
                        format!("{path}.onExitCodes.operator"),
                        &codes.operator,
                        &["In", "NotIn"],
                    ));
                }
                for (j, v) in codes.values.iter().enumerate() {
                    if *v == 0 && codes.operator == "In" {
                        errors.push(FieldError::invalid(
                            format!("{path}.onExitCodes.values[{j}]"),
                            "0",
                            "must not be 0 for the In operator",
                        ));
                    }
                }
            }
        }
    }
    match spec.pod_replacement_policy.as_deref() {
        None | Some("Failed") => {}
        Some(other) if spec.pod_failure_policy.is_some() => {
            errors.push(FieldError::unsupported(
                "spec.podReplacementPolicy",
                other,
                &["Failed"],
            ));
        }
        Some("TerminatingOrFailed") => {}
        Some(other) => {
            errors.push(FieldError::unsupported(
                "spec.podReplacementPolicy",
                other,
                &["Failed", "TerminatingOrFailed"],
            ));
        }
    }
    let pod = &spec.template.spec;
    if pod.containers.is_empty() {
        errors.push(FieldError::required("spec.template.spec.containers", ""));
    }
    for (kind, list) in [
        ("initContainers", &pod.init_containers),
        ("containers", &pod.containers),
    ] {
        for (i, c) in list.iter().enumerate() {
            if c.name.is_empty() {
                errors.push(FieldError::required(
                    format!("spec.template.spec.{kind}[{i}].name"),
                    "",
                ));
            }
            if c.image.as_deref().is_none_or(str::is_empty) {
                errors.push(FieldError::required(
                    format!("spec.template.spec.{kind}[{i}].image"),
                    "",
                ));
            }
        }
    }
    non_negative(
        &mut errors,
        "spec.template.spec.terminationGracePeriodSeconds",
        pod.termination_grace_period_seconds,
    );
    errors
}

/// A change of a running Job by an action (suspend, resume,
/// set-parallelism, patch): a merge patch of its manifest, admitted again
/// and validated as an update of `old` (immutable fields stay).
pub fn update_job(
    old_manifest: &serde_yaml::Value,
    old: &JobSpec,
    uid: &str,
    action: &ActionKind,
) -> Result<AdmittedJob, AdmissionError> {
    let patch: serde_yaml::Value = match action {
        ActionKind::Suspend => serde_yaml::from_str("{spec: {suspend: true}}").expect("valid YAML"),
        ActionKind::Resume => serde_yaml::from_str("{spec: {suspend: false}}").expect("valid YAML"),
        ActionKind::SetParallelism { value } => {
            serde_yaml::from_str(&format!("{{spec: {{parallelism: {value}}}}}"))
                .expect("valid YAML")
        }
        ActionKind::Patch { patch } => patch.clone(),
        _ => serde_yaml::Value::Null,
    };
    let mut manifest = old_manifest.clone();
    super::patch::merge_patch(&mut manifest, &patch);
    let new = admit_job(&manifest)?.with_uid(uid);
    let spec = &new.spec;
    let mut errors = Vec::new();
    let elastic =
        spec.completion_mode.as_deref() == Some("Indexed") && spec.parallelism != old.parallelism;
    if spec.completions != old.completions {
        let value = spec.completions.map_or("null".into(), |c| c.to_string());
        let detail = if spec.completion_mode.as_deref() == Some("Indexed") && !elastic {
            "can only be modified in tandem with spec.parallelism"
        } else {
            "field is immutable"
        };
        if !elastic {
            errors.push(FieldError::invalid("spec.completions", value, detail));
        }
    }
    // ValidateJobSpecUpdate: fields that never change.
    let immutable = [
        (
            spec.completion_mode != old.completion_mode,
            "spec.completionMode",
            format!("{:?}", spec.completion_mode.as_deref().unwrap_or("")),
        ),
        (
            spec.template != old.template,
            "spec.template",
            "core.PodTemplateSpec{...}".to_string(),
        ),
        (
            spec.pod_failure_policy != old.pod_failure_policy,
            "spec.podFailurePolicy",
            "...".to_string(),
        ),
        (
            spec.backoff_limit_per_index != old.backoff_limit_per_index,
            "spec.backoffLimitPerIndex",
            "...".to_string(),
        ),
        (
            spec.success_policy != old.success_policy,
            "spec.successPolicy",
            "...".to_string(),
        ),
    ];
    for (changed, path, value) in immutable {
        if changed {
            errors.push(FieldError::invalid(path, value, "field is immutable"));
        }
    }
    if errors.is_empty() {
        Ok(new)
    } else {
        Err(AdmissionError::Invalid(Invalid {
            kind: "Job",
            name: new.name,
            errors,
        }))
    }
}
