//! Defaulting on decode, as the API server runs it before validation
//! (`pkg/apis/batch/v1/defaults.go`, `pkg/apis/core/v1/defaults.go` and
//! their generated walkers): it writes into the stored object, so `kubectl
//! get -o yaml` shows exactly these fields.

use super::quantity;
use super::tree::{child, default, default_str, get, list_mut, str_at};
use crate::sim::profile::{Gate, Profile};
use crate::yaml::Value;

/// `SetObjectDefaults_Job`: `SetDefaults_Job`, then the pod template.
pub fn job(object: &mut Value, profile: &Profile) {
    let spec = child(object, "spec");
    job_spec(spec, profile);
    let template_labels = get(spec, "template")
        .and_then(|t| get(t, "metadata"))
        .and_then(|m| get(m, "labels"))
        .cloned();
    // Job labels default to the template's (only the user's labels: the
    // strategy adds the generated ones later).
    if let Some(labels) = template_labels {
        let meta = child(object, "metadata");
        let empty = get(meta, "labels")
            .and_then(Value::as_mapping)
            .is_none_or(|m| m.is_empty());
        if empty && let Value::Mapping(m) = meta {
            m.insert("labels".into(), labels);
        }
    }
}

/// `SetDefaults_Job` on a JobSpec, and its pod template.
fn job_spec(spec: &mut Value, profile: &Profile) {
    let has = |spec: &Value, key: &str| get(spec, key).is_some();
    if !has(spec, "completions") && !has(spec, "parallelism") {
        default(spec, "completions", 1);
    }
    default(spec, "parallelism", 1);
    let per_index = has(spec, "backoffLimitPerIndex");
    default(
        spec,
        "backoffLimit",
        if per_index { i64::from(i32::MAX) } else { 6 },
    );
    default(spec, "completionMode", "NonIndexed");
    default(spec, "suspend", false);
    if profile.pod_replacement_policy == Gate::On {
        let replacement = if has(spec, "podFailurePolicy") {
            "Failed"
        } else {
            "TerminatingOrFailed"
        };
        default(spec, "podReplacementPolicy", replacement);
    }
    if profile.manual_selector_default {
        default(spec, "manualSelector", false);
    }
    pod_failure_policy(spec);
    pod_template(child(spec, "template"));
}

/// `SetDefaults_PodFailurePolicyOnPodConditionsPattern`: status "True".
fn pod_failure_policy(spec: &mut Value) {
    let Some(policy) = spec.get_mut("podFailurePolicy") else {
        return;
    };
    for rule in list_mut(policy, "rules") {
        for pattern in list_mut(rule, "onPodConditions") {
            default_str(pattern, "status", "True");
        }
    }
}

/// `SetObjectDefaults_CronJob`: `SetDefaults_CronJob` and the pod template
/// of the job template (the job template's own JobSpec is not defaulted:
/// the Jobs the controller creates are).
pub fn cron_job(object: &mut Value) {
    let spec = child(object, "spec");
    default_str(spec, "concurrencyPolicy", "Allow");
    default(spec, "suspend", false);
    default(spec, "successfulJobsHistoryLimit", 3);
    default(spec, "failedJobsHistoryLimit", 1);
    let job_spec = child(child(spec, "jobTemplate"), "spec");
    pod_failure_policy(job_spec);
    pod_template(child(job_spec, "template"));
}

/// The pod template: `SetDefaults_PodSpec` and what it embeds.
fn pod_template(template: &mut Value) {
    // An empty template still prints `metadata: {creationTimestamp: null}`.
    default(
        child(template, "metadata"),
        "creationTimestamp",
        Value::Null,
    );
    let pod = child(template, "spec");
    default_str(pod, "dnsPolicy", "ClusterFirst");
    default_str(pod, "restartPolicy", "Always");
    default(pod, "securityContext", Value::Mapping(Default::default()));
    default(pod, "terminationGracePeriodSeconds", 30);
    default_str(pod, "schedulerName", "default-scheduler");
    for volume in list_mut(pod, "volumes") {
        volume_source(volume);
    }
    for key in ["initContainers", "containers"] {
        for c in list_mut(pod, key) {
            container(c);
        }
    }
}

fn container(c: &mut Value) {
    let pull = pull_policy(str_at(c, "image").unwrap_or(""));
    default_str(c, "imagePullPolicy", pull);
    default_str(c, "terminationMessagePath", "/dev/termination-log");
    default_str(c, "terminationMessagePolicy", "File");
    // `resources: {}` is how an empty ResourceRequirements prints.
    let resources = child(c, "resources");
    for key in ["limits", "requests"] {
        if let Some(Value::Mapping(list)) = resources.get_mut(key) {
            for (_, q) in list.iter_mut() {
                if let Some(parsed) = q.as_str().and_then(quantity::parse) {
                    *q = Value::from(parsed.canonical());
                } else if let Value::Number(n) = q
                    && let Some(parsed) = quantity::parse(&crate::yaml::number_text(n))
                {
                    *q = Value::from(parsed.canonical());
                }
            }
        }
    }
    for port in list_mut(c, "ports") {
        default_str(port, "protocol", "TCP");
    }
    for env in list_mut(c, "env") {
        if let Some(field_ref) = env.get_mut("valueFrom").and_then(|v| v.get_mut("fieldRef")) {
            default_str(field_ref, "apiVersion", "v1");
        }
    }
    for key in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(probe) = c.get_mut(key).filter(|p| p.is_mapping()) {
            default_zero(probe, "timeoutSeconds", 1);
            default_zero(probe, "periodSeconds", 10);
            default_zero(probe, "successThreshold", 1);
            default_zero(probe, "failureThreshold", 3);
            handler(probe);
        }
    }
    if let Some(lifecycle) = c.get_mut("lifecycle") {
        for key in ["postStart", "preStop"] {
            if let Some(h) = lifecycle.get_mut(key) {
                handler(h);
            }
        }
    }
}

/// `SetDefaults_HTTPGetAction`.
fn handler(h: &mut Value) {
    if let Some(get) = h.get_mut("httpGet").filter(|g| g.is_mapping()) {
        default_str(get, "path", "/");
        default_str(get, "scheme", "HTTP");
    }
}

/// Probe counts are plain int32s: 0 means unset.
fn default_zero(v: &mut Value, key: &str, value: i64) {
    if get(v, key).and_then(Value::as_i64).unwrap_or(0) == 0
        && let Value::Mapping(m) = v
    {
        m.insert(key.into(), value.into());
    }
}

/// `SetDefaults_Volume` and the volume sources' defaults.
fn volume_source(volume: &mut Value) {
    const SOURCES: [&str; 30] = [
        "emptyDir",
        "hostPath",
        "gitRepo",
        "gcePersistentDisk",
        "awsElasticBlockStore",
        "secret",
        "nfs",
        "iscsi",
        "glusterfs",
        "flocker",
        "persistentVolumeClaim",
        "rbd",
        "cinder",
        "cephfs",
        "quobyte",
        "downwardAPI",
        "fc",
        "flexVolume",
        "configMap",
        "azureFile",
        "vsphereVolume",
        "photonPersistentDisk",
        "portworxVolume",
        "azureDisk",
        "storageos",
        "projected",
        "scaleIO",
        "csi",
        "ephemeral",
        "image",
    ];
    if !SOURCES.iter().any(|s| get(volume, s).is_some()) {
        default(volume, "emptyDir", Value::Mapping(Default::default()));
    }
    for key in ["secret", "configMap", "downwardAPI", "projected"] {
        if let Some(source) = volume.get_mut(key).filter(|s| s.is_mapping()) {
            default(source, "defaultMode", 420);
        }
    }
    if let Some(host_path) = volume.get_mut("hostPath").filter(|s| s.is_mapping()) {
        default(host_path, "type", "");
    }
    for items in [volume.get_mut("downwardAPI").map(|d| list_mut(d, "items"))]
        .into_iter()
        .flatten()
    {
        for item in items {
            if let Some(field_ref) = item.get_mut("fieldRef") {
                default_str(field_ref, "apiVersion", "v1");
            }
        }
    }
    if let Some(sources) = volume.get_mut("projected").map(|p| list_mut(p, "sources")) {
        for source in sources {
            if let Some(token) = source
                .get_mut("serviceAccountToken")
                .filter(|t| t.is_mapping())
            {
                default(token, "expirationSeconds", 3600);
            }
            if let Some(d) = source.get_mut("downwardAPI") {
                for item in list_mut(d, "items") {
                    if let Some(field_ref) = item.get_mut("fieldRef") {
                        default_str(field_ref, "apiVersion", "v1");
                    }
                }
            }
        }
    }
}

/// `imagePullPolicy` by tag (`parsers.ParseImageName`): `Always` for
/// `:latest` or no tag and no digest, else `IfNotPresent`; an image that
/// does not parse as a reference gets `IfNotPresent`.
pub fn pull_policy(image: &str) -> &'static str {
    let (name, digest) = match image.split_once('@') {
        Some((name, digest)) => (name, Some(digest)),
        None => (image, None),
    };
    // The tag is after a ':' in the last path component.
    let slash = name.rfind('/').map_or(0, |i| i + 1);
    let (repository, tag) = match name[slash..].split_once(':') {
        Some((last, tag)) => (&name[..slash + last.len()], Some(tag)),
        None => (name, None),
    };
    let mut parts: Vec<&str> = repository.split('/').collect();
    let domain = parts.len() > 1 && (parts[0].contains(['.', ':']) || parts[0] == "localhost");
    if domain {
        parts.remove(0);
    }
    let valid = parts.iter().all(|p| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
    });
    match (valid, tag, digest) {
        (false, _, _) => "IfNotPresent",
        (true, Some("latest"), _) | (true, None, None) => "Always",
        _ => "IfNotPresent",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pull_policy_by_tag() {
        assert_eq!(pull_policy("busybox"), "Always");
        assert_eq!(pull_policy("busybox:latest"), "Always");
        assert_eq!(pull_policy("busybox:1.36"), "IfNotPresent");
        assert_eq!(pull_policy("registry.k8s.io:5000/pause"), "Always");
        assert_eq!(
            pull_policy("registry.k8s.io:5000/pause:3.9"),
            "IfNotPresent"
        );
        assert_eq!(pull_policy("busybox@sha256:abc"), "IfNotPresent");
        assert_eq!(pull_policy("busybox:latest@sha256:abc"), "Always");
        assert_eq!(pull_policy("BusyBox"), "IfNotPresent");
        assert_eq!(pull_policy(""), "IfNotPresent");
    }

    #[test]
    fn a_job_gets_the_api_servers_defaults() {
        let mut job: Value = crate::yaml::parse(
            "metadata: {name: pi}\nspec:\n  template:\n    metadata: {labels: {app: pi}}\n    spec:\n      containers:\n      - name: pi\n        image: perl:5.34.0\n        ports: [{containerPort: 80}]\n        resources: {limits: {cpu: 0.5}}\n      restartPolicy: Never\n",
        )
        .unwrap();
        super::job(&mut job, &crate::sim::profile::newest());
        let spec = &job["spec"];
        assert_eq!(spec["completions"], 1);
        assert_eq!(spec["parallelism"], 1);
        assert_eq!(spec["backoffLimit"], 6);
        assert_eq!(spec["completionMode"], "NonIndexed");
        assert_eq!(spec["suspend"], false);
        assert_eq!(spec["manualSelector"], false);
        assert_eq!(spec["podReplacementPolicy"], "TerminatingOrFailed");
        assert_eq!(job["metadata"]["labels"]["app"], "pi");
        let pod = &spec["template"]["spec"];
        assert_eq!(pod["dnsPolicy"], "ClusterFirst");
        assert_eq!(pod["schedulerName"], "default-scheduler");
        assert_eq!(pod["terminationGracePeriodSeconds"], 30);
        assert_eq!(pod["restartPolicy"], "Never");
        let c = &pod["containers"][0];
        assert_eq!(c["imagePullPolicy"], "IfNotPresent");
        assert_eq!(c["terminationMessagePath"], "/dev/termination-log");
        assert_eq!(c["terminationMessagePolicy"], "File");
        assert_eq!(c["ports"][0]["protocol"], "TCP");
        assert_eq!(c["resources"]["limits"]["cpu"], "500m");
    }

    #[test]
    fn parallelism_alone_leaves_completions_unset_and_per_index_backoff_raises_the_limit() {
        let mut job: Value = crate::yaml::parse(
            "spec: {parallelism: 3, backoffLimitPerIndex: 1, completionMode: Indexed, podFailurePolicy: {rules: [{action: Ignore, onPodConditions: [{type: DisruptionTarget}]}]}}",
        )
        .unwrap();
        super::job(&mut job, &crate::sim::profile::newest());
        assert!(job["spec"].get("completions").is_none());
        assert_eq!(job["spec"]["backoffLimit"], 2147483647);
        assert_eq!(job["spec"]["podReplacementPolicy"], "Failed");
        assert_eq!(
            job["spec"]["podFailurePolicy"]["rules"][0]["onPodConditions"][0]["status"],
            "True"
        );
    }
}
