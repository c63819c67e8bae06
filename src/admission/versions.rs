//! What an older API server does with fields of newer features: a field its
//! release does not know is an unknown field to kubectl's strict decoding;
//! a field whose feature gate exists but is off is dropped silently on
//! create (the strategies' `PrepareForCreate` / `DropDisabledTemplateFields`).

use super::tree::{get, list};
use crate::sim::profile::{Gate, Profile};
use serde_yaml::Value;

/// JobSpec fields and the gate that governs them.
fn job_fields(p: &Profile) -> [(&'static str, Gate, &'static str); 6] {
    [
        (
            "podFailurePolicy",
            p.pod_failure_policy,
            "JobPodFailurePolicy",
        ),
        (
            "backoffLimitPerIndex",
            p.backoff_limit_per_index,
            "JobBackoffLimitPerIndex",
        ),
        (
            "maxFailedIndexes",
            p.backoff_limit_per_index,
            "JobBackoffLimitPerIndex",
        ),
        (
            "podReplacementPolicy",
            p.pod_replacement_policy,
            "JobPodReplacementPolicy",
        ),
        ("successPolicy", p.success_policy, "JobSuccessPolicy"),
        ("managedBy", p.managed_by, "JobManagedBy"),
    ]
}

/// Where the JobSpec is in a Job or a CronJob.
fn spec_path(kind: &str) -> &'static str {
    if kind == "CronJob" {
        "spec.jobTemplate.spec"
    } else {
        "spec"
    }
}

fn job_spec_of<'a>(object: &'a Value, kind: &str) -> Option<&'a Value> {
    let spec = get(object, "spec")?;
    if kind == "CronJob" {
        get(get(spec, "jobTemplate")?, "spec")
    } else {
        Some(spec)
    }
}

fn job_spec_of_mut<'a>(object: &'a mut Value, kind: &str) -> Option<&'a mut Value> {
    let spec = object.get_mut("spec")?;
    if kind == "CronJob" {
        spec.get_mut("jobTemplate")?.get_mut("spec")
    } else {
        Some(spec)
    }
}

/// The JobSpec fields with this gate state, with the gate's name.
fn fields_in(p: &Profile, state: Gate) -> Vec<(&'static str, &'static str)> {
    job_fields(p)
        .into_iter()
        .filter(|(_, g, _)| *g == state)
        .map(|(f, _, gate)| (f, gate))
        .collect()
}

/// Paths of fields this release does not know, in document order.
pub fn unknown_fields(object: &Value, kind: &str, p: &Profile) -> Vec<String> {
    let mut out = Vec::new();
    let Some(spec) = job_spec_of(object, kind) else {
        return out;
    };
    let base = spec_path(kind);
    for (field, _) in fields_in(p, Gate::Absent) {
        if spec.get(field).is_some() {
            out.push(format!("{base}.{field}"));
        }
    }
    if p.sidecars == Gate::Absent {
        let pod = get(spec, "template").and_then(|t| get(t, "spec"));
        let inits = pod.map_or(&[][..], |p| list(p, "initContainers"));
        for (i, c) in inits.iter().enumerate() {
            if c.get("restartPolicy").is_some() {
                out.push(format!(
                    "{base}.template.spec.initContainers[{i}].restartPolicy"
                ));
            }
        }
    }
    out
}

/// Drops the fields whose gate is off; returns a note for each.
pub fn drop_disabled(object: &mut Value, kind: &str, p: &Profile) -> Vec<String> {
    let mut notes = Vec::new();
    let version = p.version;
    let base = spec_path(kind);
    let dropped = fields_in(p, Gate::Off);
    let Some(Value::Mapping(spec)) = job_spec_of_mut(object, kind) else {
        return notes;
    };
    for (field, gate) in dropped {
        if spec.remove(field).is_some() {
            notes.push(format!(
                "{base}.{field} was dropped: the {gate} feature gate is off by default in {version}"
            ));
        }
    }
    if p.sidecars == Gate::Off {
        let inits = spec
            .get_mut("template")
            .and_then(|t| t.get_mut("spec"))
            .and_then(|s| s.get_mut("initContainers"))
            .and_then(Value::as_sequence_mut);
        for (i, c) in inits.into_iter().flatten().enumerate() {
            if let Value::Mapping(c) = c
                && c.remove("restartPolicy").is_some()
            {
                notes.push(format!(
                    "{base}.template.spec.initContainers[{i}].restartPolicy was dropped: the SidecarContainers feature gate is off by default in {version}, so the container is an ordinary init container"
                ));
            }
        }
    }
    notes
}
