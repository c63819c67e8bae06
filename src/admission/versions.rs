//! What an older API server does with fields of newer features: a field its
//! release does not know is an unknown field to kubectl's strict decoding;
//! a field whose feature gate exists but is off is dropped silently on
//! create (the strategies' `PrepareForCreate` / `DropDisabledTemplateFields`).

use super::tree::get;
use crate::sim::profile::{Gate, Profile};
use crate::yaml::Value;

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

/// The container lists of a pod spec, in document order, with their keys.
fn container_lists(pod: &Value) -> impl Iterator<Item = (&str, &[Value])> {
    pod.as_mapping().into_iter().flatten().filter_map(|(k, v)| {
        let key = k
            .as_str()
            .filter(|k| matches!(*k, "containers" | "initContainers"))?;
        Some((key, v.as_sequence().map_or(&[][..], Vec::as_slice)))
    })
}

/// Container fields this release does not know: a container's own
/// `restartPolicy` came with sidecars (1.28), `restartPolicyRules` with
/// ContainerRestartRules (1.34).
fn unknown_container_field(p: &Profile, field: &str) -> bool {
    match field {
        "restartPolicy" => p.sidecars == Gate::Absent,
        "restartPolicyRules" => p.container_restart_rules == Gate::Absent,
        _ => false,
    }
}

/// Paths of fields this release does not know, in document order.
pub fn unknown_fields(object: &Value, kind: &str, p: &Profile) -> Vec<String> {
    let mut out = Vec::new();
    let Some(spec) = job_spec_of(object, kind).and_then(Value::as_mapping) else {
        return out;
    };
    let base = spec_path(kind);
    let absent = fields_in(p, Gate::Absent);
    for (key, value) in spec {
        let Some(key) = key.as_str() else { continue };
        if absent.iter().any(|(f, _)| *f == key) {
            out.push(format!("{base}.{key}"));
        }
        if key != "template" {
            continue;
        }
        let pod = get(value, "spec").unwrap_or(&Value::Null);
        for (list_key, containers) in container_lists(pod) {
            for (i, c) in containers.iter().enumerate() {
                for field in c
                    .as_mapping()
                    .into_iter()
                    .flatten()
                    .filter_map(|(k, _)| k.as_str())
                {
                    if unknown_container_field(p, field) {
                        out.push(format!("{base}.template.spec.{list_key}[{i}].{field}"));
                    }
                }
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
    let Some(pod) = spec.get_mut("template").and_then(|t| t.get_mut("spec")) else {
        return notes;
    };
    for list_key in ["initContainers", "containers"] {
        let containers = pod.get_mut(list_key).and_then(Value::as_sequence_mut);
        for (i, c) in containers.into_iter().flatten().enumerate() {
            let Value::Mapping(c) = c else { continue };
            let at = format!("{base}.template.spec.{list_key}[{i}]");
            let sidecar = list_key == "initContainers"
                && c.get("restartPolicy").and_then(Value::as_str) == Some("Always");
            if p.sidecars == Gate::Off && sidecar && c.remove("restartPolicy").is_some() {
                notes.push(format!(
                    "{at}.restartPolicy was dropped: the SidecarContainers feature gate is off by default in {version}, so the container is an ordinary init container"
                ));
            }
            // dropContainerRestartRules: the rules everywhere, and a
            // container's own restartPolicy unless it makes a sidecar.
            if p.container_restart_rules != Gate::Off {
                continue;
            }
            let gate =
                format!("the ContainerRestartRules feature gate is off by default in {version}");
            if c.remove("restartPolicyRules").is_some() {
                notes.push(format!("{at}.restartPolicyRules was dropped: {gate}"));
            }
            if !sidecar && c.remove("restartPolicy").is_some() {
                notes.push(format!("{at}.restartPolicy was dropped: {gate}"));
            }
        }
    }
    notes
}
