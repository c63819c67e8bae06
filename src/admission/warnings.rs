//! What the API server sends back as warnings (kubectl prints each as a
//! `Warning:` line): the Job strategy's (`WarningsOnCreate`), the Job
//! spec's (`pkg/api/job/warnings.go`) and the pod template's
//! (`pkg/api/pod/warnings.go`).

use super::names;
use super::quantity;
use super::tree::{get, int_at, list, str_at, string_map};
use crate::yaml::Value;

/// Warnings for a Job being created (`old` None) or updated.
pub fn job(object: &Value, old: Option<&Value>) -> Vec<String> {
    let mut out = Vec::new();
    if old.is_none() {
        let name = get(object, "metadata")
            .and_then(|m| str_at(m, "name"))
            .unwrap_or("");
        name_warning(&mut out, name);
    }
    if let Some(spec) = get(object, "spec") {
        job_spec(&mut out, spec, "spec");
    }
    out
}

/// A Job or CronJob name that is not a DNS label.
pub fn name_warning(out: &mut Vec<String>, name: &str) {
    let msgs = names::dns1123_label(name);
    if !msgs.is_empty() && !name.is_empty() {
        out.push(format!(
            "metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [{}]",
            msgs.join(" ")
        ));
    }
}

/// `WarningsForJobSpec`.
pub fn job_spec(out: &mut Vec<String>, spec: &Value, path: &str) {
    let indexed = super::job::is_indexed(spec);
    if indexed
        && int_at(spec, "completions").unwrap_or(0) > 100_000
        && int_at(spec, "parallelism").unwrap_or(0) > 10_000
    {
        out.push(format!(
            "{path}: In Indexed Jobs with a number of completions higher than 10^5 and a parallelism higher than 10^4, Kubernetes might not be able to track completedIndexes when a big number of indexes fail"
        ));
    }
    if let Some(template) = get(spec, "template") {
        pod_template(out, template, &format!("{path}.template"));
    }
}

/// Deprecated node labels (`pkg/api/node/util.go`).
fn deprecated_node_label(key: &str) -> Option<&'static str> {
    Some(match key {
        "beta.kubernetes.io/arch" => "deprecated since v1.14; use \"kubernetes.io/arch\" instead",
        "beta.kubernetes.io/os" => "deprecated since v1.14; use \"kubernetes.io/os\" instead",
        "failure-domain.beta.kubernetes.io/region" => {
            "deprecated since v1.17; use \"topology.kubernetes.io/region\" instead"
        }
        "failure-domain.beta.kubernetes.io/zone" => {
            "deprecated since v1.17; use \"topology.kubernetes.io/zone\" instead"
        }
        "beta.kubernetes.io/instance-type" => {
            "deprecated since v1.17; use \"node.kubernetes.io/instance-type\" instead"
        }
        _ => return None,
    })
}

const DEPRECATED_VOLUMES: [(&str, &str); 9] = [
    (
        "photonPersistentDisk",
        "deprecated in v1.11, non-functional in v1.16+",
    ),
    ("gitRepo", "deprecated in v1.11"),
    ("scaleIO", "deprecated in v1.16, non-functional in v1.22+"),
    ("flocker", "deprecated in v1.22, non-functional in v1.25+"),
    ("storageos", "deprecated in v1.22, non-functional in v1.25+"),
    ("quobyte", "deprecated in v1.22, non-functional in v1.25+"),
    ("glusterfs", "deprecated in v1.25, non-functional in v1.26+"),
    ("cephfs", "deprecated in v1.28, non-functional in v1.31+"),
    ("rbd", "deprecated in v1.28, non-functional in v1.31+"),
];

/// `warningsForPodSpecAndMeta` on a template at `p` (`spec.template`).
fn pod_template(out: &mut Vec<String>, template: &Value, p: &str) {
    let null = Value::Null;
    let spec = get(template, "spec").unwrap_or(&null);
    let meta = get(template, "metadata").unwrap_or(&null);
    let mut selector = string_map(spec, "nodeSelector");
    crate::sort::sort_by(&mut selector, |a, b| a.cmp(b));
    for (key, _) in &selector {
        if let Some(msg) = deprecated_node_label(key) {
            out.push(format!("{p}.spec.nodeSelector[{key}]: {msg}"));
        }
    }
    if let Some(node) = get(spec, "affinity").and_then(|a| get(a, "nodeAffinity")) {
        let required = get(node, "requiredDuringSchedulingIgnoredDuringExecution")
            .map(|r| list(r, "nodeSelectorTerms"))
            .unwrap_or_default();
        for (i, term) in required.iter().enumerate() {
            affinity_keys(
                out,
                term,
                &format!(
                    "{p}.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[{i}]"
                ),
            );
        }
        let preferred = list(node, "preferredDuringSchedulingIgnoredDuringExecution");
        for (i, term) in preferred.iter().enumerate() {
            if let Some(pref) = get(term, "preference") {
                affinity_keys(
                    out,
                    pref,
                    &format!(
                        "{p}.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[{i}].preference"
                    ),
                );
            }
        }
    }
    let mut annotations = string_map(meta, "annotations");
    crate::sort::sort_by(&mut annotations, |a, b| a.cmp(b));
    for (key, _) in &annotations {
        let msg = match key.as_str() {
            "scheduler.alpha.kubernetes.io/critical-pod" => {
                "non-functional in v1.16+; use the \"priorityClassName\" field instead"
            }
            "security.alpha.kubernetes.io/sysctls"
            | "security.alpha.kubernetes.io/unsafe-sysctls" => {
                "non-functional in v1.11+; use the \"sysctls\" field instead"
            }
            _ => continue,
        };
        out.push(format!("{p}.metadata.annotations[{key}]: {msg}"));
    }
    for (i, v) in list(spec, "volumes").iter().enumerate() {
        for (plugin, msg) in DEPRECATED_VOLUMES {
            if get(v, plugin).is_some() {
                out.push(format!("{p}.spec.volumes[{i}].{plugin}: {msg}"));
            }
        }
    }
    let mut pull_secrets: Vec<&str> = Vec::new();
    for (i, s) in list(spec, "imagePullSecrets").iter().enumerate() {
        let name = str_at(s, "name").unwrap_or("");
        let at = format!("{p}.spec.imagePullSecrets[{i}].name");
        if name.is_empty() {
            out.push(format!("{at}: invalid empty name \"\""));
        } else if pull_secrets.contains(&name) {
            out.push(format!("{at}: duplicate name {name:?}"));
        } else {
            pull_secrets.push(name);
        }
    }
    containers(out, spec, p);
    if int_at(spec, "terminationGracePeriodSeconds").is_some_and(|g| g < 0) {
        out.push(format!(
            "{p}.spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1"
        ));
    }
}

fn affinity_keys(out: &mut Vec<String>, term: &Value, path: &str) {
    for (j, e) in list(term, "matchExpressions").iter().enumerate() {
        let key = str_at(e, "key").unwrap_or("");
        if let Some(msg) = deprecated_node_label(key) {
            out.push(format!("{path}.matchExpressions[{j}].key: {key} is {msg}"));
        }
    }
}

/// Per-container warnings, then the ports across all containers.
fn containers(out: &mut Vec<String>, spec: &Value, p: &str) {
    let mut ports: Vec<(String, String, i64, String)> = Vec::new();
    for key in ["initContainers", "containers"] {
        for (i, c) in list(spec, key).iter().enumerate() {
            let cpath = format!("{p}.spec.{key}[{i}]");
            let resources = get(c, "resources");
            for (res, list_key) in [
                ("memory", "limits"),
                ("memory", "requests"),
                ("ephemeral-storage", "limits"),
                ("ephemeral-storage", "requests"),
            ] {
                let value = resources
                    .map(|r| string_map(r, list_key))
                    .unwrap_or_default()
                    .into_iter()
                    .find(|(k, _)| k == res)
                    .and_then(|(_, v)| quantity::parse(&v));
                if let Some(q) = value.filter(|q| q.milli % 1000 != 0) {
                    out.push(format!(
                        "{cpath}.resources.{list_key}[{res}]: fractional byte value {:?} is invalid, must be an integer",
                        q.canonical()
                    ));
                }
            }
            env_hides(out, list(c, "env"), &cpath);
            for (j, port) in list(c, "ports").iter().enumerate() {
                ports.push((
                    format!("{cpath}.ports[{j}]"),
                    format!(
                        "{}/{}",
                        int_at(port, "containerPort").unwrap_or(0),
                        str_at(port, "protocol").unwrap_or("TCP")
                    ),
                    int_at(port, "hostPort").unwrap_or(0),
                    str_at(port, "hostIP").unwrap_or("").to_string(),
                ));
            }
        }
    }
    // The first port of each containerPort/protocol, by key.
    let mut first: std::collections::BTreeMap<&str, usize> = Default::default();
    for (i, (path, key, host_port, host_ip)) in ports.iter().enumerate() {
        if !host_ip.is_empty() && *host_port == 0 {
            out.push(format!("{path}: hostIP set without hostPort"));
        }
        let Some((other, _, other_port, other_ip)) = first.get(key.as_str()).map(|&o| &ports[o])
        else {
            first.insert(key, i);
            continue;
        };
        let kind = if other_ip == host_ip && other_port == host_port {
            "duplicate"
        } else if *other_port == 0 || *host_port == 0 {
            "overlapping"
        } else if other_port == host_port && (other_ip.is_empty() != host_ip.is_empty()) {
            "dangerously ambiguous"
        } else {
            continue;
        };
        out.push(format!("{path}: {kind} port definition with {other}"));
    }
}

/// A later env var with the same name hides the earlier one.
fn env_hides(out: &mut Vec<String>, env: &[Value], cpath: &str) {
    let mut names = super::tree::Seen::default();
    for (i, e) in env.iter().enumerate() {
        let name = str_at(e, "name").unwrap_or("");
        if names.insert(name) {
            continue;
        }
        let value = str_at(e, "value").unwrap_or("");
        let reference = format!("$({name})");
        if get(e, "valueFrom").is_some() || value == reference || !value.contains(&reference) {
            out.push(format!(
                "{cpath}.env[{i}]: hides previous definition of {name:?}, which may be dropped when using apply"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warnings(yaml: &str) -> Vec<String> {
        job(&crate::yaml::parse(yaml).unwrap(), None)
    }

    #[test]
    fn names_that_are_not_dns_labels() {
        assert_eq!(
            warnings("metadata: {name: my.job}"),
            [
                "metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]"
            ]
        );
        assert!(warnings("metadata: {name: pi}").is_empty());
    }

    #[test]
    fn pod_template_warnings() {
        let w = warnings(
            "metadata: {name: pi}\nspec:\n  template:\n    spec:\n      terminationGracePeriodSeconds: -5\n      nodeSelector: {beta.kubernetes.io/os: linux}\n      containers:\n      - name: a\n        ports: [{containerPort: 80, protocol: TCP}, {containerPort: 80, protocol: TCP}]\n        env: [{name: X, value: '1'}, {name: X, value: '2'}]\n        resources: {limits: {memory: 1500m}}\n",
        );
        assert_eq!(
            w,
            [
                "spec.template.spec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use \"kubernetes.io/os\" instead",
                "spec.template.spec.containers[0].resources.limits[memory]: fractional byte value \"1500m\" is invalid, must be an integer",
                "spec.template.spec.containers[0].env[1]: hides previous definition of \"X\", which may be dropped when using apply",
                "spec.template.spec.containers[0].ports[1]: duplicate port definition with spec.template.spec.containers[0].ports[0]",
                "spec.template.spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1",
            ]
        );
    }
}
