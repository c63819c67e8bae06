//! `ValidatePodTemplateSpec` (pkg/apis/core/validation) on a defaulted
//! pod template, in upstream's order and words. It covers what a Job's pod
//! template meets in practice: labels and annotations, containers and init
//! containers (names, images, ports, env, mounts, probes, resources,
//! policies), volumes, and the pod-level fields with simple rules.

use super::names;
use super::quantity;
use super::tree::{Seen, get, int_at, list, str_at, string_map};
use super::validation::{FieldError, go_quote};
use crate::api::{ExitCodesOperator, RestartRuleAction};
use crate::sim::profile::{Gate, Profile};
use crate::yaml::Value;

type Errors = Vec<FieldError>;

/// One Invalid error per message of a name check.
fn each(errs: &mut Errors, path: &str, value: &str, msgs: Vec<String>) {
    for m in msgs {
        errs.push(FieldError::invalid_str(path, value, m));
    }
}

/// A required `name` that must be a DNS label (volumes, containers).
fn label_name<'a>(errs: &mut Errors, v: &'a Value, at: &str) -> &'a str {
    let name = str_at(v, "name").unwrap_or("");
    if name.is_empty() {
        errs.push(FieldError::required(format!("{at}.name"), ""));
    } else {
        each(
            errs,
            &format!("{at}.name"),
            name,
            names::dns1123_label(name),
        );
    }
    name
}

/// `ValidateLabels`: key and value messages at the map's path (no key).
pub fn labels(errs: &mut Errors, map: &[(String, String)], path: &str) {
    for (k, v) in map {
        each(errs, path, k, names::label_key(k));
        each(errs, path, v, names::label_value(v));
    }
}

/// `ValidateAnnotations`: keys are qualified names (lowercased first), and
/// all of them together may not exceed 256 KiB.
pub fn annotations(errs: &mut Errors, map: &[(String, String)], path: &str) {
    let mut total = 0;
    for (k, v) in map {
        each(errs, path, k, names::label_key(&k.to_ascii_lowercase()));
        total += k.len() + v.len();
    }
    if total > 262_144 {
        errs.push(FieldError::too_long(path, 262_144));
    }
}

/// `ValidatePodTemplateSpec` at `path` (`spec.template`), with the
/// validation options of the release's feature gates.
pub fn template(errs: &mut Errors, t: &Value, path: &str, profile: &Profile) {
    let meta = get(t, "metadata").unwrap_or(&Value::Null);
    labels(errs, &string_map(meta, "labels"), &format!("{path}.labels"));
    annotations(
        errs,
        &string_map(meta, "annotations"),
        &format!("{path}.annotations"),
    );
    let spec = get(t, "spec").unwrap_or(&Value::Null);
    pod_spec(errs, spec, &format!("{path}.spec"), profile);
    if !list(spec, "ephemeralContainers").is_empty() {
        errs.push(FieldError::forbidden(
            format!("{path}.spec.ephemeralContainers"),
            "ephemeral containers not allowed in pod template",
        ));
    }
}

/// `ValidatePodSpec`.
fn pod_spec(errs: &mut Errors, spec: &Value, path: &str, profile: &Profile) {
    let volumes = volumes(errs, list(spec, "volumes"), &format!("{path}.volumes"));
    let restart = str_at(spec, "restartPolicy").unwrap_or("");
    let pod = Pod {
        volumes: &volumes,
        restart,
        relaxed_env: profile.relaxed_env_names,
        restart_rules: RestartRuleOptions::of(profile),
    };
    containers(errs, spec, &pod, path);
    init_containers(errs, spec, &pod, path);
    let at = |f: &str| format!("{path}.{f}");
    match restart {
        "Always" | "OnFailure" | "Never" => {}
        "" => errs.push(FieldError::required(at("restartPolicy"), "")),
        other => errs.push(FieldError::unsupported(
            at("restartPolicy"),
            other,
            &["Always", "OnFailure", "Never"],
        )),
    }
    match str_at(spec, "dnsPolicy").unwrap_or("") {
        "ClusterFirstWithHostNet" | "ClusterFirst" | "Default" => {}
        "None" => dns_none(errs, spec, path),
        "" => errs.push(FieldError::required(at("dnsPolicy"), "")),
        other => errs.push(FieldError::unsupported(
            at("dnsPolicy"),
            other,
            &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
        )),
    }
    labels(errs, &string_map(spec, "nodeSelector"), &at("nodeSelector"));
    for key in ["serviceAccountName", "nodeName"] {
        if let Some(v) = str_at(spec, key).filter(|v| !v.is_empty()) {
            each(errs, &at(key), v, names::dns1123_subdomain(v));
        }
    }
    if let Some(v) = int_at(spec, "activeDeadlineSeconds")
        && !(1..=i64::from(i32::MAX)).contains(&v)
    {
        errs.push(FieldError::invalid(
            at("activeDeadlineSeconds"),
            v.to_string(),
            "must be between 1 and 2147483647, inclusive",
        ));
    }
    for key in ["hostname", "subdomain"] {
        if let Some(v) = str_at(spec, key).filter(|v| !v.is_empty()) {
            each(errs, &at(key), v, names::dns1123_label(v));
        }
    }
    if let Some(v) = str_at(spec, "priorityClassName").filter(|v| !v.is_empty()) {
        each(
            errs,
            &at("priorityClassName"),
            v,
            names::dns1123_subdomain(v),
        );
    }
    if let Some(v) = str_at(spec, "preemptionPolicy")
        && !matches!(v, "PreemptLowerPriority" | "Never")
    {
        errs.push(FieldError::unsupported(
            at("preemptionPolicy"),
            v,
            &["PreemptLowerPriority", "Never"],
        ));
    }
}

/// `validateDNSPolicy` for `None`.
fn dns_none(errs: &mut Errors, spec: &Value, path: &str) {
    match get(spec, "dnsConfig") {
        None => errs.push(FieldError::required(
            format!("{path}.dnsConfig"),
            "must provide `dnsConfig` when `dnsPolicy` is None",
        )),
        Some(config) if list(config, "nameservers").is_empty() => errs.push(FieldError::required(
            format!("{path}.dnsConfig.nameservers"),
            "must provide at least one DNS nameserver when `dnsPolicy` is None",
        )),
        Some(_) => {}
    }
}

/// Volume sources in the order `validateVolumeSource` checks them, with the
/// path segment it reports (`downwarAPI` and `persistentDisk` are sic).
const VOLUME_SOURCES: [(&str, &str); 30] = [
    ("emptyDir", "emptyDir"),
    ("hostPath", "hostPath"),
    ("gitRepo", "gitRepo"),
    ("gcePersistentDisk", "persistentDisk"),
    ("awsElasticBlockStore", "awsElasticBlockStore"),
    ("secret", "secret"),
    ("nfs", "nfs"),
    ("iscsi", "iscsi"),
    ("glusterfs", "glusterfs"),
    ("flocker", "flocker"),
    ("persistentVolumeClaim", "persistentVolumeClaim"),
    ("rbd", "rbd"),
    ("cinder", "cinder"),
    ("cephfs", "cephFS"),
    ("quobyte", "quobyte"),
    ("downwardAPI", "downwarAPI"),
    ("fc", "fc"),
    ("flexVolume", "flexVolume"),
    ("configMap", "configMap"),
    ("azureFile", "azureFile"),
    ("vsphereVolume", "vsphereVolume"),
    ("photonPersistentDisk", "photonPersistentDisk"),
    ("portworxVolume", "portworxVolume"),
    ("azureDisk", "azureDisk"),
    ("storageos", "storageos"),
    ("projected", "projected"),
    ("scaleIO", "scaleIO"),
    ("csi", "csi"),
    ("ephemeral", "ephemeral"),
    ("image", "image"),
];

/// `ValidateVolumes`: the names of the volumes without errors.
fn volumes(errs: &mut Errors, items: &[Value], path: &str) -> Seen {
    let mut valid = Seen::default();
    let mut seen = Seen::default();
    for (i, v) in items.iter().enumerate() {
        let at = format!("{path}[{i}]");
        let before = errs.len();
        let mut found = 0;
        for (key, reported) in VOLUME_SOURCES {
            let Some(source) = get(v, key) else { continue };
            found += 1;
            if found > 1 {
                errs.push(FieldError::forbidden(
                    format!("{at}.{reported}"),
                    "may not specify more than 1 volume type",
                ));
                continue;
            }
            volume_source(errs, key, source, &format!("{at}.{key}"));
        }
        if found == 0 {
            errs.push(FieldError::required(&at, "must specify a volume type"));
        }
        let name = label_name(errs, v, &at);
        if !seen.insert(name) {
            errs.push(FieldError::duplicate(format!("{at}.name"), go_quote(name)));
        } else if errs.len() == before {
            valid.insert(name);
        }
    }
    valid
}

const FILE_MODE: &str = "must be a number between 0 and 0777 (octal), both inclusive";

fn file_mode(errs: &mut Errors, v: &Value, key: &str, path: &str) {
    if let Some(mode) = int_at(v, key)
        && !(0..=0o777).contains(&mode)
    {
        errs.push(FieldError::invalid(
            format!("{path}.{key}"),
            mode.to_string(),
            FILE_MODE,
        ));
    }
}

fn volume_source(errs: &mut Errors, key: &str, s: &Value, path: &str) {
    let required = |errs: &mut Errors, field: &str| {
        if str_at(s, field).unwrap_or("").is_empty() {
            errs.push(FieldError::required(format!("{path}.{field}"), ""));
        }
    };
    match key {
        "hostPath" => required(errs, "path"),
        "persistentVolumeClaim" => required(errs, "claimName"),
        "gitRepo" => required(errs, "repository"),
        "nfs" => {
            required(errs, "server");
            required(errs, "path");
            if let Some(p) = str_at(s, "path").filter(|p| !p.is_empty() && !p.starts_with('/')) {
                errs.push(FieldError::invalid_str(
                    format!("{path}.path"),
                    p,
                    "must be an absolute path",
                ));
            }
        }
        "secret" | "configMap" => {
            required(
                errs,
                if key == "secret" {
                    "secretName"
                } else {
                    "name"
                },
            );
            file_mode(errs, s, "defaultMode", path);
            for (j, item) in list(s, "items").iter().enumerate() {
                let at = format!("{path}.items[{j}]");
                if str_at(item, "key").unwrap_or("").is_empty() {
                    errs.push(FieldError::required(format!("{at}.key"), ""));
                }
                if str_at(item, "path").unwrap_or("").is_empty() {
                    errs.push(FieldError::required(format!("{at}.path"), ""));
                }
                file_mode(errs, item, "mode", &at);
            }
        }
        "downwardAPI" | "projected" => file_mode(errs, s, "defaultMode", path),
        _ => {}
    }
}

/// What the container loops need from the pod.
struct Pod<'a> {
    volumes: &'a Seen,
    restart: &'a str,
    relaxed_env: bool,
    restart_rules: RestartRuleOptions,
}

/// `PodValidationOptions` for container restart rules, from the release's
/// gates (fields of a gate that is off were dropped before validation).
#[derive(Clone, Copy)]
struct RestartRuleOptions {
    /// AllowContainerRestartPolicyRules (ContainerRestartRules on).
    allow_rules: bool,
    /// AllowRestartAllContainers (RestartAllContainersOnContainerExits on):
    /// the action and rules on sidecars.
    allow_restart_all: bool,
    /// 1.36+ counts rules and values with TooMany (before: TooLong).
    too_many: bool,
}

impl RestartRuleOptions {
    fn of(p: &Profile) -> RestartRuleOptions {
        RestartRuleOptions {
            allow_rules: p.container_restart_rules == Gate::On,
            allow_restart_all: p.restart_all_containers == Gate::On,
            too_many: p.restart_rule_limits_too_many,
        }
    }

    /// At most 20 rules and 255 exit codes per rule.
    fn limit(&self, errs: &mut Errors, path: String, n: usize, max: usize) {
        if n > max {
            errs.push(if self.too_many {
                FieldError::too_many(path, n, max)
            } else {
                FieldError::too_long(path, max)
            });
        }
    }
}

/// `validateContainerRestartPolicy`: a container's own restart policy and
/// its `restartPolicyRules`.
fn container_restart_policy(errs: &mut Errors, c: &Value, o: RestartRuleOptions, at: &str) {
    let rules = list(c, "restartPolicyRules");
    match str_at(c, "restartPolicy") {
        None if rules.is_empty() => return,
        None => errs.push(FieldError::required(
            format!("{at}.restartPolicy"),
            "must specify restartPolicy when restart rules are used",
        )),
        Some("Always" | "Never" | "OnFailure") => {}
        Some(other) => errs.push(FieldError::unsupported(
            format!("{at}.restartPolicy"),
            other,
            &["Always", "Never", "OnFailure"],
        )),
    }
    o.limit(errs, format!("{at}.restartPolicyRules"), rules.len(), 20);
    let actions: &[&str] = if o.allow_restart_all {
        &RestartRuleAction::NAMES
    } else {
        &RestartRuleAction::NAMES[..1]
    };
    for (i, rule) in rules.iter().enumerate() {
        let at = format!("{at}.restartPolicyRules[{i}]");
        let action = str_at(rule, "action").unwrap_or("");
        if !actions.contains(&action) {
            errs.push(FieldError::unsupported(
                format!("{at}.action"),
                action,
                actions,
            ));
        }
        let Some(codes) = get(rule, "exitCodes") else {
            errs.push(FieldError::required(
                format!("{at}.exitCodes"),
                "must be specified",
            ));
            continue;
        };
        let operator = str_at(codes, "operator").unwrap_or("");
        if ExitCodesOperator::parse(operator).is_none() {
            errs.push(FieldError::unsupported(
                format!("{at}.exitCodes.operator"),
                operator,
                &ExitCodesOperator::NAMES,
            ));
        }
        let values = list(codes, "values").len();
        o.limit(errs, format!("{at}.exitCodes.values"), values, 255);
    }
}

/// `validateInitContainerRestartPolicy`: whether the init container is a
/// sidecar (`restartPolicy: Always`).
fn init_container_restart_policy(
    errs: &mut Errors,
    c: &Value,
    o: RestartRuleOptions,
    at: &str,
) -> bool {
    let Some(policy) = str_at(c, "restartPolicy") else {
        if !list(c, "restartPolicyRules").is_empty() {
            errs.push(FieldError::required(
                format!("{at}.restartPolicy"),
                "must specify restartPolicy when restart rules are used",
            ));
        }
        return false;
    };
    let sidecar = policy == "Always";
    if !o.allow_rules {
        if !sidecar {
            errs.push(FieldError::unsupported(
                format!("{at}.restartPolicy"),
                policy,
                &["Always"],
            ));
        }
    } else if sidecar && !o.allow_restart_all {
        if !list(c, "restartPolicyRules").is_empty() {
            errs.push(FieldError::forbidden(
                format!("{at}.restartPolicyRules"),
                "restartPolicyRules are not allowed for init containers with restart policy Always",
            ));
        }
    } else {
        container_restart_policy(errs, c, o, at);
    }
    sidecar
}

/// `validateContainers`.
fn containers(errs: &mut Errors, spec: &Value, pod: &Pod, path: &str) {
    let items = list(spec, "containers");
    let path = format!("{path}.containers");
    if items.is_empty() {
        errs.push(FieldError::required(path, ""));
        return;
    }
    let mut names = Seen::default();
    for (i, c) in items.iter().enumerate() {
        let at = format!("{path}[{i}]");
        common(errs, c, pod, &at);
        let name = str_at(c, "name").unwrap_or("");
        if !names.insert(name) {
            errs.push(FieldError::duplicate(format!("{at}.name"), go_quote(name)));
        }
        probes_and_lifecycle(errs, c, &at);
        if pod.restart_rules.allow_rules {
            container_restart_policy(errs, c, pod.restart_rules, &at);
        } else if get(c, "restartPolicy").is_some() {
            errs.push(FieldError::forbidden(
                format!("{at}.restartPolicy"),
                "may not be set for non-init containers",
            ));
        }
    }
    host_ports(errs, items, &path);
}

/// `validateInitContainers`.
fn init_containers(errs: &mut Errors, spec: &Value, pod: &Pod, path: &str) {
    let mut names = Seen::default();
    names.extend(
        list(spec, "containers")
            .iter()
            .filter_map(|c| str_at(c, "name")),
    );
    let path = format!("{path}.initContainers");
    for (i, c) in list(spec, "initContainers").iter().enumerate() {
        let at = format!("{path}[{i}]");
        common(errs, c, pod, &at);
        let sidecar = init_container_restart_policy(errs, c, pod.restart_rules, &at);
        let name = str_at(c, "name").unwrap_or("");
        if names.contains(name) {
            errs.push(FieldError::duplicate(format!("{at}.name"), go_quote(name)));
        } else if !name.is_empty() {
            names.insert(name);
        }
        host_ports(errs, std::slice::from_ref(c), &path);
        if sidecar {
            probes_and_lifecycle(errs, c, &at);
        } else {
            for key in [
                "lifecycle",
                "livenessProbe",
                "readinessProbe",
                "startupProbe",
            ] {
                if get(c, key).is_some() {
                    errs.push(FieldError::forbidden(
                        format!("{at}.{key}"),
                        "may not be set for init containers without restartPolicy=Always",
                    ));
                }
            }
        }
    }
}

/// `validateContainerCommon`.
fn common(errs: &mut Errors, c: &Value, pod: &Pod, at: &str) {
    label_name(errs, c, at);
    if str_at(c, "image").unwrap_or("").is_empty() {
        errs.push(FieldError::required(format!("{at}.image"), ""));
    }
    match str_at(c, "terminationMessagePolicy").unwrap_or("") {
        "File" | "FallbackToLogsOnError" => {}
        "" => errs.push(FieldError::required(
            format!("{at}.terminationMessagePolicy"),
            "",
        )),
        other => errs.push(FieldError::unsupported(
            format!("{at}.terminationMessagePolicy"),
            other,
            &["File", "FallbackToLogsOnError"],
        )),
    }
    ports(errs, list(c, "ports"), &format!("{at}.ports"));
    env(errs, list(c, "env"), pod.relaxed_env, &format!("{at}.env"));
    volume_mounts(
        errs,
        list(c, "volumeMounts"),
        pod,
        &format!("{at}.volumeMounts"),
    );
    match str_at(c, "imagePullPolicy").unwrap_or("") {
        "Always" | "IfNotPresent" | "Never" => {}
        "" => errs.push(FieldError::required(format!("{at}.imagePullPolicy"), "")),
        other => errs.push(FieldError::unsupported(
            format!("{at}.imagePullPolicy"),
            other,
            &["Always", "IfNotPresent", "Never"],
        )),
    }
    resources(errs, get(c, "resources"), &format!("{at}.resources"));
    resize_policy(
        errs,
        list(c, "resizePolicy"),
        pod.restart,
        &format!("{at}.resizePolicy"),
    );
}

fn ports(errs: &mut Errors, items: &[Value], path: &str) {
    let mut names = Seen::default();
    for (i, p) in items.iter().enumerate() {
        let at = format!("{path}[{i}]");
        if let Some(name) = str_at(p, "name").filter(|n| !n.is_empty()) {
            let msgs = names::port_name(name);
            if !msgs.is_empty() {
                each(errs, &format!("{at}.name"), name, msgs);
            } else if !names.insert(name) {
                errs.push(FieldError::duplicate(format!("{at}.name"), go_quote(name)));
            }
        }
        match int_at(p, "containerPort").unwrap_or(0) {
            0 => errs.push(FieldError::required(format!("{at}.containerPort"), "")),
            1..=65535 => {}
            n => errs.push(FieldError::invalid(
                format!("{at}.containerPort"),
                n.to_string(),
                "must be between 1 and 65535, inclusive",
            )),
        }
        if let Some(n) = int_at(p, "hostPort").filter(|&n| n != 0 && !(1..=65535).contains(&n)) {
            errs.push(FieldError::invalid(
                format!("{at}.hostPort"),
                n.to_string(),
                "must be between 1 and 65535, inclusive",
            ));
        }
        match str_at(p, "protocol").unwrap_or("") {
            "TCP" | "UDP" | "SCTP" => {}
            "" => errs.push(FieldError::required(format!("{at}.protocol"), "")),
            other => errs.push(FieldError::unsupported(
                format!("{at}.protocol"),
                other,
                &["SCTP", "TCP", "UDP"],
            )),
        }
    }
}

/// `checkHostPortConflicts` over the given containers.
fn host_ports(errs: &mut Errors, containers: &[Value], path: &str) {
    let mut seen = Seen::default();
    for (ci, c) in containers.iter().enumerate() {
        for (pi, p) in list(c, "ports").iter().enumerate() {
            let port = int_at(p, "hostPort").unwrap_or(0);
            if port == 0 {
                continue;
            }
            let key = format!(
                "{}/{}/{port}",
                str_at(p, "protocol").unwrap_or(""),
                str_at(p, "hostIP").unwrap_or("")
            );
            if !seen.insert(&key) {
                errs.push(FieldError::duplicate(
                    format!("{path}[{ci}].ports[{pi}].hostPort"),
                    go_quote(&key),
                ));
            }
        }
    }
}

/// Downward API fields an env var can read.
const ENV_FIELD_PATHS: [&str; 9] = [
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

/// `ValidateEnv` (relaxed names, GA in 1.34).
fn env(errs: &mut Errors, items: &[Value], relaxed: bool, path: &str) {
    for (i, e) in items.iter().enumerate() {
        let at = format!("{path}[{i}]");
        let name = str_at(e, "name").unwrap_or("");
        if name.is_empty() {
            errs.push(FieldError::required(format!("{at}.name"), ""));
        } else {
            let msgs = if relaxed {
                names::env_var_name(name)
            } else {
                names::c_env_var_name(name)
            };
            each(errs, &format!("{at}.name"), name, msgs);
        }
        let Some(from) = get(e, "valueFrom") else {
            continue;
        };
        let from_path = format!("{at}.valueFrom");
        let sources = [
            "fieldRef",
            "resourceFieldRef",
            "configMapKeyRef",
            "secretKeyRef",
        ];
        let count = sources.iter().filter(|s| get(from, s).is_some()).count();
        if count == 0 {
            errs.push(FieldError::invalid_str(
                &from_path,
                "",
                "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
            ));
            continue;
        }
        if !str_at(e, "value").unwrap_or("").is_empty() {
            errs.push(FieldError::invalid_str(
                &from_path,
                "",
                "may not be specified when `value` is not empty",
            ));
        } else if count > 1 {
            errs.push(FieldError::invalid_str(
                &from_path,
                "",
                "may not have more than one field specified at a time",
            ));
            continue;
        }
        if let Some(field_ref) = get(from, "fieldRef") {
            field_path(errs, field_ref, &format!("{from_path}.fieldRef"));
        }
        for key in ["configMapKeyRef", "secretKeyRef"] {
            if let Some(r) = get(from, key) {
                let at = format!("{from_path}.{key}");
                let name = str_at(r, "name").unwrap_or("");
                each(
                    errs,
                    &format!("{at}.name"),
                    name,
                    names::dns1123_subdomain(name),
                );
                let k = str_at(r, "key").unwrap_or("");
                if k.is_empty() {
                    errs.push(FieldError::required(format!("{at}.key"), ""));
                } else {
                    each(errs, &format!("{at}.key"), k, names::config_map_key(k));
                }
            }
        }
    }
}

fn field_path(errs: &mut Errors, field_ref: &Value, at: &str) {
    let path = str_at(field_ref, "fieldPath").unwrap_or("");
    if path.is_empty() {
        errs.push(FieldError::required(format!("{at}.fieldPath"), ""));
        return;
    }
    if let Some(rest) = path
        .strip_prefix("metadata.labels[")
        .or_else(|| path.strip_prefix("metadata.annotations["))
        && rest.ends_with(']')
    {
        return;
    }
    if !ENV_FIELD_PATHS.contains(&path) {
        errs.push(FieldError::unsupported(
            format!("{at}.fieldPath"),
            path,
            &ENV_FIELD_PATHS,
        ));
    }
}

/// `ValidateVolumeMounts`.
fn volume_mounts(errs: &mut Errors, items: &[Value], pod: &Pod, path: &str) {
    let mut paths = Seen::default();
    for (i, m) in items.iter().enumerate() {
        let at = format!("{path}[{i}]");
        let name = str_at(m, "name").unwrap_or("");
        if name.is_empty() {
            errs.push(FieldError::required(format!("{at}.name"), ""));
        }
        if !pod.volumes.contains(name) {
            errs.push(FieldError::not_found(
                format!("{at}.name"),
                go_quote(name),
                "",
            ));
        }
        let mount_path = str_at(m, "mountPath").unwrap_or("");
        if mount_path.is_empty() {
            errs.push(FieldError::required(format!("{at}.mountPath"), ""));
        }
        if !paths.insert(mount_path) {
            errs.push(FieldError::invalid_str(
                format!("{at}.mountPath"),
                mount_path,
                "must be unique",
            ));
        }
        if let (Some(_), Some(expr)) = (
            str_at(m, "subPath").filter(|s| !s.is_empty()),
            str_at(m, "subPathExpr").filter(|s| !s.is_empty()),
        ) {
            errs.push(FieldError::invalid_str(
                format!("{at}.subPathExpr"),
                expr,
                "subPathExpr and subPath are mutually exclusive",
            ));
        }
    }
}

/// Resources whose requests and limits may differ.
fn overcommittable(name: &str) -> bool {
    !name.contains('/') || name.starts_with("kubernetes.io/")
}

/// `ValidateContainerResourceRequirements`, for quantities.
fn resources(errs: &mut Errors, r: Option<&Value>, path: &str) {
    let Some(r) = r else { return };
    let quantities = |key: &str| -> Vec<(String, Option<quantity::Quantity>)> {
        string_map(r, key)
            .into_iter()
            .map(|(k, v)| {
                let q = quantity::parse(&v);
                (k, q)
            })
            .collect()
    };
    let limits = quantities("limits");
    let requests = quantities("requests");
    for (key, list) in [("limits", &limits), ("requests", &requests)] {
        for (name, q) in list {
            if let Some(q) = q
                && q.milli < 0
            {
                errs.push(FieldError::invalid_str(
                    format!("{path}.{key}[{name}]"),
                    &q.canonical(),
                    "must be greater than or equal to 0",
                ));
            }
        }
    }
    for (name, request) in &requests {
        let Some(request) = request else { continue };
        let limit = limits.iter().find(|(n, _)| n == name).and_then(|(_, q)| *q);
        match limit {
            Some(limit) if !overcommittable(name) && request.milli != limit.milli => {
                errs.push(FieldError::invalid_str(
                    format!("{path}.requests"),
                    &request.canonical(),
                    format!("must be equal to {name} limit of {}", limit.canonical()),
                ))
            }
            Some(limit) if request.milli > limit.milli => errs.push(FieldError::invalid_str(
                format!("{path}.requests"),
                &request.canonical(),
                format!(
                    "must be less than or equal to {name} limit of {}",
                    limit.canonical()
                ),
            )),
            None if !overcommittable(name) => errs.push(FieldError::required(
                format!("{path}.limits"),
                "Limit must be set for non overcommitable resources",
            )),
            _ => {}
        }
    }
}

fn resize_policy(errs: &mut Errors, items: &[Value], restart: &str, path: &str) {
    let mut seen = Seen::default();
    for (i, p) in items.iter().enumerate() {
        let at = format!("{path}[{i}]");
        let name = str_at(p, "resourceName").unwrap_or("");
        if !seen.insert(name) {
            errs.push(FieldError::duplicate(at.clone(), go_quote(name)));
        }
        match name {
            "cpu" | "memory" => {}
            "" => errs.push(FieldError::required(path, "")),
            other => errs.push(FieldError::unsupported(path, other, &["cpu", "memory"])),
        }
        let policy = str_at(p, "restartPolicy").unwrap_or("");
        match policy {
            "NotRequired" | "RestartContainer" => {}
            "" => errs.push(FieldError::required(path, "")),
            other => errs.push(FieldError::unsupported(
                path,
                other,
                &["NotRequired", "RestartContainer"],
            )),
        }
        if restart == "Never" && policy != "NotRequired" {
            errs.push(FieldError::invalid_str(
                path,
                policy,
                "must be 'NotRequired' when `restartPolicy` is 'Never'",
            ));
        }
    }
}

/// Probes and lifecycle hooks of a container that may have them.
fn probes_and_lifecycle(errs: &mut Errors, c: &Value, at: &str) {
    if let Some(lifecycle) = get(c, "lifecycle") {
        for key in ["postStart", "preStop"] {
            if let Some(h) = get(lifecycle, key) {
                handler(errs, h, &format!("{at}.lifecycle.{key}"));
            }
        }
    }
    for key in ["livenessProbe", "readinessProbe", "startupProbe"] {
        let Some(probe) = get(c, key) else { continue };
        let path = format!("{at}.{key}");
        handler(errs, probe, &path);
        for field in [
            "initialDelaySeconds",
            "timeoutSeconds",
            "periodSeconds",
            "successThreshold",
            "failureThreshold",
        ] {
            if let Some(v) = int_at(probe, field).filter(|v| *v < 0) {
                errs.push(FieldError::invalid(
                    format!("{path}.{field}"),
                    v.to_string(),
                    "must be greater than or equal to 0",
                ));
            }
        }
        if let Some(v) = int_at(probe, "terminationGracePeriodSeconds") {
            if key == "readinessProbe" {
                errs.push(FieldError::invalid(
                    format!("{path}.terminationGracePeriodSeconds"),
                    v.to_string(),
                    "must not be set for readinessProbes",
                ));
            } else if v <= 0 {
                errs.push(FieldError::invalid(
                    format!("{path}.terminationGracePeriodSeconds"),
                    v.to_string(),
                    "must be greater than 0",
                ));
            }
        }
        if key != "readinessProbe"
            && let Some(v) = int_at(probe, "successThreshold").filter(|v| *v != 1)
        {
            errs.push(FieldError::invalid(
                format!("{path}.successThreshold"),
                v.to_string(),
                "must be 1",
            ));
        }
    }
}

/// `validateHandler`: exactly one action.
fn handler(errs: &mut Errors, h: &Value, path: &str) {
    let mut found = 0;
    for key in ["exec", "httpGet", "tcpSocket", "grpc", "sleep"] {
        let Some(action) = get(h, key) else { continue };
        found += 1;
        let at = format!("{path}.{key}");
        if found > 1 {
            errs.push(FieldError::forbidden(
                at,
                "may not specify more than 1 handler type",
            ));
            continue;
        }
        match key {
            "exec" if list(action, "command").is_empty() => {
                errs.push(FieldError::required(format!("{at}.command"), ""))
            }
            "httpGet" | "tcpSocket" => {
                port_number_or_name(errs, get(action, "port"), &format!("{at}.port"));
                if let Some(scheme) = str_at(action, "scheme")
                    && !matches!(scheme, "HTTP" | "HTTPS")
                {
                    errs.push(FieldError::unsupported(
                        format!("{at}.scheme"),
                        scheme,
                        &["HTTP", "HTTPS"],
                    ));
                }
            }
            _ => {}
        }
    }
    if found == 0 {
        errs.push(FieldError::required(path, "must specify a handler type"));
    }
}

fn port_number_or_name(errs: &mut Errors, port: Option<&Value>, at: &str) {
    match port {
        Some(Value::Number(n)) => {
            let n = n.as_i64().unwrap_or(0);
            if !(1..=65535).contains(&n) {
                errs.push(FieldError::invalid(
                    at,
                    n.to_string(),
                    "must be between 1 and 65535, inclusive",
                ));
            }
        }
        Some(Value::String(name)) => each(errs, at, name, names::port_name(name)),
        _ => errs.push(FieldError::invalid(
            at,
            "0",
            "must be between 1 and 65535, inclusive",
        )),
    }
}
