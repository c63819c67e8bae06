//! `kubectl describe job` as kubectl prints it: the same lines, in the same
//! order, through the same tab writer, following
//! staging/src/k8s.io/kubectl/pkg/describe/describe.go (`describeJob`,
//! `DescribePodTemplate`, `describeContainers` and its helpers,
//! `describeVolumes`, `printLabelsMultiline`, `printAnnotationsMultiline`,
//! `printTolerationsMultilineWithIndent`, `DescribeEvents`). Each line is
//! written with upstream's format string and `PrefixWriter` level, and the
//! whole text is aligned by one `tabbedString` writer, so the alignment of
//! every block matches too.

use super::tabwriter::DESCRIBE;
use crate::admission::quantity;
use crate::admission::tree::{get, int_at, list, str_at};
use crate::sim::world::JobId;
use crate::time::{Age, Clock, Ms};
use crate::trace::Trace;
use crate::yaml::Value;
use std::collections::BTreeMap;

/// `PrefixWriter`: each level indents by two spaces.
#[derive(Default)]
struct Writer {
    text: String,
}

impl Writer {
    fn write(&mut self, level: usize, s: &str) {
        self.line(level, &[s]);
    }

    /// The parts, at `level` (no newline added). Out of line: it is called
    /// from some seventy places.
    #[inline(never)]
    fn line(&mut self, level: usize, parts: &[&str]) {
        for _ in 0..level {
            self.text.push_str("  ");
        }
        for part in parts {
            self.text.push_str(part);
        }
    }

    /// `key:\tvalue\n` at `level`.
    #[inline(never)]
    fn kv(&mut self, level: usize, key: &str, value: &str) {
        self.line(level, &[key, ":\t", value, "\n"]);
    }
}

/// `printLabelsMultiline`: `title:\t` and one `key=value` per line.
fn labels(w: &mut Writer, title: &str, map: &BTreeMap<String, String>) {
    w.line(0, &[title, ":\t"]);
    if map.is_empty() {
        w.write(0, "<none>\n");
    }
    for (i, (k, v)) in map.iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        w.line(0, &[k, "=", v, "\n"]);
    }
}

/// `printAnnotationsMultiline`: `key: value`, long or multi-line values
/// on their own lines, shortened to 138 characters.
fn annotations(w: &mut Writer, title: &str, map: &BTreeMap<String, String>) {
    const MAX: usize = 140;
    w.line(0, &[title, ":\t"]);
    let keys: Vec<&String> = map
        .keys()
        .filter(|k| *k != "kubectl.kubernetes.io/last-applied-configuration")
        .collect();
    if keys.is_empty() {
        w.write(0, "<none>\n");
    }
    for (i, key) in keys.into_iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        let value = map[key].strip_suffix('\n').unwrap_or(&map[key]);
        if value.len() + key.len() + 2 > MAX || value.contains('\n') {
            w.line(0, &[key, ":\n"]);
            for line in value.split('\n') {
                w.line(0, &["\t  ", &shorten(line, MAX - 2), "\n"]);
            }
        } else {
            w.line(0, &[key, ": ", value, "\n"]);
        }
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &s[..end])
}

fn string_map(v: &Value, key: &str) -> BTreeMap<String, String> {
    // `extend`, not `collect` (another copy of the standard sort).
    let mut map = BTreeMap::new();
    map.extend(crate::admission::tree::string_map(v, key));
    map
}

/// `capIndexesListOrNone`: the index list cut after the first comma at or
/// beyond `limit` characters.
fn cap_indexes(indexes: &str, limit: usize) -> String {
    if indexes.is_empty() {
        return "<none>".into();
    }
    match indexes.get(limit..).and_then(|rest| rest.find(',')) {
        Some(comma) => format!("{}...", &indexes[..limit + comma + 1]),
        None => indexes.to_string(),
    }
}

/// `kubectl describe job` as the Job stood at `t`.
pub fn describe_job(trace: &Trace, clock: &Clock, job: JobId, t: Ms) -> String {
    let j = &trace.jobs[job];
    let status = trace.status_at(job, t).cloned().unwrap_or_default();
    let version = trace.job_at(job, t);
    let spec = version.spec;
    let object_spec = get(version.object, "spec").unwrap_or(&Value::Null);
    let mut w = Writer::default();
    w.kv(0, "Name", &j.name);
    w.kv(0, "Namespace", &j.namespace);
    let selector = spec
        .selector
        .as_ref()
        .map(|s| {
            s.match_labels
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default();
    w.kv(0, "Selector", &selector);
    labels(&mut w, "Labels", &j.labels);
    annotations(&mut w, "Annotations", &j.annotations);
    if let Some(owner) = j.owner {
        let name = &trace.cron_jobs[owner].name;
        w.kv(0, "Controlled By", &format!("CronJob/{name}"));
    }
    if let Some(p) = spec.parallelism {
        w.kv(0, "Parallelism", &p.to_string());
    }
    match spec.completions {
        Some(c) => w.kv(0, "Completions", &c.to_string()),
        None => w.kv(0, "Completions", "<unset>"),
    }
    if let Some(mode) = spec.completion_mode {
        w.kv(0, "Completion Mode", mode.as_str());
    }
    if let Some(suspend) = spec.suspend {
        w.kv(0, "Suspend", &suspend.to_string());
    }
    if let Some(limit) = spec.backoff_limit {
        w.kv(0, "Backoff Limit", &limit.to_string());
    }
    if let Some(ttl) = spec.ttl_seconds_after_finished {
        w.kv(0, "TTL Seconds After Finished", &ttl.to_string());
    }
    if let Some(start) = status.start_time {
        w.kv(0, "Start Time", &clock.rfc1123z(start));
    }
    if let Some(done) = status.completion_time {
        w.kv(0, "Completed At", &clock.rfc1123z(done));
    }
    if let (Some(start), Some(done)) = (status.start_time, status.completion_time) {
        // Both are whole seconds in the API.
        let d = done / 1000 * 1000 - start / 1000 * 1000;
        w.kv(0, "Duration", &Age(d).to_string());
    }
    if let Some(ads) = spec.active_deadline_seconds {
        w.kv(0, "Active Deadline Seconds", &format!("{ads}s"));
    }
    match status.ready {
        None => w.write(
            0,
            &format!(
                "Pods Statuses:\t{} Active / {} Succeeded / {} Failed\n",
                status.active, status.succeeded, status.failed
            ),
        ),
        Some(ready) => w.write(
            0,
            &format!(
                "Pods Statuses:\t{} Active ({ready} Ready) / {} Succeeded / {} Failed\n",
                status.active, status.succeeded, status.failed
            ),
        ),
    }
    if spec.is_indexed() {
        w.write(
            0,
            &format!(
                "Completed Indexes:\t{}\n",
                cap_indexes(&status.completed_indexes, 50)
            ),
        );
    }
    let template = get(object_spec, "template").unwrap_or(&Value::Null);
    pod_template(&mut w, template, &spec.template.metadata.labels);
    events(&mut w, trace, &j.key(), t);
    DESCRIBE.format(&w.text)
}

/// `DescribePodTemplate`.
fn pod_template(w: &mut Writer, template: &Value, template_labels: &BTreeMap<String, String>) {
    w.write(0, "Pod Template:\n");
    let meta = get(template, "metadata").unwrap_or(&Value::Null);
    let pod = get(template, "spec").unwrap_or(&Value::Null);
    labels(w, "  Labels", template_labels);
    let notes = string_map(meta, "annotations");
    if !notes.is_empty() {
        annotations(w, "  Annotations", &notes);
    }
    if let Some(sa) = str_at(pod, "serviceAccountName").filter(|s| !s.is_empty()) {
        w.kv(1, "Service Account", sa);
    }
    let inits = list(pod, "initContainers");
    if !inits.is_empty() {
        containers(w, "Init Containers", inits);
    }
    containers(w, "Containers", list(pod, "containers"));
    volumes(w, list(pod, "volumes"));
    if let Some(class) = str_at(pod, "priorityClassName").filter(|s| !s.is_empty()) {
        w.write(1, &format!("Priority Class Name:\t{class}\n"));
    }
    labels(w, "  Node-Selectors", &string_map(pod, "nodeSelector"));
    tolerations(w, list(pod, "tolerations"));
}

/// `describeContainers` for a template (no statuses).
fn containers(w: &mut Writer, label: &str, items: &[Value]) {
    let none = if items.is_empty() { " <none>" } else { "" };
    w.line(0, &["  ", label, ":", none, "\n"]);
    for c in items {
        w.line(1, &[" ", str_at(c, "name").unwrap_or(""), ":\n"]);
        w.kv(2, "Image", str_at(c, "image").unwrap_or(""));
        ports(w, list(c, "ports"));
        if let Some(seccomp) = get(c, "securityContext").and_then(|s| get(s, "seccompProfile")) {
            let kind = str_at(seccomp, "type").unwrap_or("");
            w.kv(2, "SeccompProfile", kind);
            if kind == "Localhost" {
                let profile = str_at(seccomp, "localhostProfile").unwrap_or("");
                w.kv(3, "LocalhostProfile", profile);
            }
        }
        for (title, key) in [("Command", "command"), ("Args", "args")] {
            let items = list(c, key);
            if !items.is_empty() {
                w.line(2, &[title, ":\n"]);
                for line in items
                    .iter()
                    .filter_map(Value::as_str)
                    .flat_map(|s| s.split('\n'))
                {
                    w.line(3, &[line, "\n"]);
                }
            }
        }
        resources(w, c);
        for (title, key) in [
            ("Liveness", "livenessProbe"),
            ("Readiness", "readinessProbe"),
            ("Startup", "startupProbe"),
        ] {
            if let Some(probe) = get(c, key) {
                w.kv(2, title, &describe_probe(probe));
            }
        }
        env_from(w, list(c, "envFrom"));
        env(w, c);
        mounts(w, c);
    }
}

/// Port and Host Port (`describeContainerPorts`, `describeContainerHostPorts`).
fn ports(w: &mut Writer, items: &[Value]) {
    for (title, key) in [("Port", "containerPort"), ("Host Port", "hostPort")] {
        let text: Vec<String> = items
            .iter()
            .map(|p| {
                let n = int_at(p, key).unwrap_or(0);
                let protocol = str_at(p, "protocol").unwrap_or("");
                match str_at(p, "name").filter(|n| !n.is_empty()) {
                    Some(name) => format!("{n}/{protocol} ({name})"),
                    None => format!("{n}/{protocol}"),
                }
            })
            .collect();
        let text = text.join(", ");
        if text.contains(',') {
            w.kv(2, &format!("{title}s"), &text);
        } else if text.is_empty() {
            w.kv(2, title, "<none>");
        } else {
            w.kv(2, title, &text);
        }
    }
}

/// `describeResources`: limits, then requests, by resource name.
fn resources(w: &mut Writer, c: &Value) {
    let r = get(c, "resources").unwrap_or(&Value::Null);
    for (title, key) in [("Limits", "limits"), ("Requests", "requests")] {
        let items = string_map(r, key);
        if items.is_empty() {
            continue;
        }
        w.line(2, &[title, ":\n"]);
        for (name, q) in items {
            let q = quantity::parse(&q).map_or(q, |q| q.canonical());
            w.kv(3, &name, &q);
        }
    }
}

/// `DescribeProbe`.
fn describe_probe(p: &Value) -> String {
    let n = |k: &str| int_at(p, k).unwrap_or(0);
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        n("initialDelaySeconds"),
        n("timeoutSeconds"),
        n("periodSeconds"),
        n("successThreshold"),
        n("failureThreshold")
    );
    let port = |v: &Value| match get(v, "port") {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    };
    if let Some(exec) = get(p, "exec") {
        let command: Vec<&str> = list(exec, "command")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        return format!("exec [{}] {attrs}", command.join(" "));
    }
    if let Some(h) = get(p, "httpGet") {
        let scheme = str_at(h, "scheme").unwrap_or("").to_ascii_lowercase();
        let host = str_at(h, "host").unwrap_or("");
        let port = port(h);
        // net.JoinHostPort brackets an IPv6 host.
        let host = if port.is_empty() {
            host.to_string()
        } else if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        let path = str_at(h, "path").unwrap_or("");
        let sep = if path.is_empty() || path.starts_with('/') {
            ""
        } else {
            "/"
        };
        let url = if scheme.is_empty() {
            format!("//{host}{sep}{path}")
        } else {
            format!("{scheme}://{host}{sep}{path}")
        };
        return format!("http-get {url} {attrs}");
    }
    if let Some(tcp) = get(p, "tcpSocket") {
        let host = str_at(tcp, "host").unwrap_or("");
        return format!("tcp-socket {host}:{} {attrs}", port(tcp));
    }
    if let Some(grpc) = get(p, "grpc") {
        let service = str_at(grpc, "service").unwrap_or("");
        return format!("grpc <pod>:{} {service} {attrs}", port(grpc));
    }
    format!("unknown {attrs}")
}

/// `describeContainerEnvFrom`.
fn env_from(w: &mut Writer, items: &[Value]) {
    if items.is_empty() {
        return;
    }
    w.write(2, "Environment Variables from:\n");
    for e in items {
        let (from, source) = match (get(e, "configMapRef"), get(e, "secretRef")) {
            (Some(r), _) => ("ConfigMap", r),
            (None, Some(r)) => ("Secret", r),
            (None, None) => ("", &Value::Null),
        };
        let name = str_at(source, "name").unwrap_or("");
        let optional = get(source, "optional").and_then(Value::as_bool) == Some(true);
        match str_at(e, "prefix").filter(|p| !p.is_empty()) {
            None => w.write(3, &format!("{name}\t{from}\tOptional: {optional}\n")),
            Some(prefix) => w.write(
                3,
                &format!("{name}\t{from} with prefix '{prefix}'\tOptional: {optional}\n"),
            ),
        }
    }
}

/// `describeContainerEnvVars` (a template has no pod to resolve fieldRefs).
fn env(w: &mut Writer, c: &Value) {
    let items = list(c, "env");
    let none = if items.is_empty() { "\t<none>" } else { "" };
    w.line(2, &["Environment:", none, "\n"]);
    for e in items {
        let name = str_at(e, "name").unwrap_or("");
        let Some(from) = get(e, "valueFrom") else {
            for (i, line) in str_at(e, "value").unwrap_or("").split('\n').enumerate() {
                if i == 0 {
                    w.kv(3, name, line);
                } else {
                    w.line(3, &["\t", line, "\n"]);
                }
            }
            continue;
        };
        let optional = |r: &Value| get(r, "optional").and_then(Value::as_bool) == Some(true);
        if let Some(f) = get(from, "fieldRef") {
            let api = str_at(f, "apiVersion").unwrap_or("");
            let path = str_at(f, "fieldPath").unwrap_or("");
            w.line(3, &[name, ":\t (", api, ":", path, ")\n"]);
        } else if let Some(r) = get(from, "resourceFieldRef") {
            let resource = str_at(r, "resource").unwrap_or("");
            let value = resource_value(c, r);
            w.line(3, &[name, ":\t", &value, " (", resource, ")\n"]);
        } else if let Some(r) = get(from, "secretKeyRef") {
            let (key, secret) = (
                str_at(r, "key").unwrap_or(""),
                str_at(r, "name").unwrap_or(""),
            );
            w.write(
                3,
                &format!(
                    "{name}:\t<set to the key '{key}' in secret '{secret}'>\tOptional: {}\n",
                    optional(r)
                ),
            );
        } else if let Some(r) = get(from, "configMapKeyRef") {
            let (key, map) = (
                str_at(r, "key").unwrap_or(""),
                str_at(r, "name").unwrap_or(""),
            );
            w.write(
                3,
                &format!(
                    "{name}:\t<set to the key '{key}' of config map '{map}'>\tOptional: {}\n",
                    optional(r)
                ),
            );
        }
    }
}

/// `ExtractContainerResourceValue`: the container's own limit or request
/// divided by the divisor, rounded up; an unset limit of CPU or memory is
/// "node allocatable".
fn resource_value(c: &Value, r: &Value) -> String {
    let resource = str_at(r, "resource").unwrap_or("");
    let Some((kind, name)) = resource.split_once('.') else {
        return String::new();
    };
    let section = match kind {
        "limits" => "limits",
        "requests" => "requests",
        _ => return String::new(),
    };
    let set = get(c, "resources")
        .and_then(|res| get(res, section))
        .and_then(|m| str_at(m, name))
        .and_then(quantity::parse)
        .map_or(0, |q| q.milli);
    let divisor = str_at(r, "divisor")
        .and_then(quantity::parse)
        .map(|q| q.milli)
        .filter(|&d| d != 0)
        .unwrap_or(1000);
    let value = match name {
        // CPU counts in milli-units, the others in whole units.
        "cpu" => ceil_div(set, divisor),
        "memory" | "ephemeral-storage" => {
            ceil_div(ceil_div(set, 1000), ceil_div(divisor, 1000).max(1))
        }
        _ => return String::new(),
    };
    if value == 0 && kind == "limits" && matches!(name, "cpu" | "memory") {
        return "node allocatable".into();
    }
    value.to_string()
}

fn ceil_div(a: i128, b: i128) -> i128 {
    if b == 0 {
        return 0;
    }
    a / b + i128::from(a % b != 0 && (a > 0) == (b > 0))
}

/// `describeContainerVolumes`: mounts by mount path, then devices.
fn mounts(w: &mut Writer, c: &Value) {
    let mut items: Vec<&Value> = list(c, "volumeMounts").iter().collect();
    let none = if items.is_empty() { "\t<none>" } else { "" };
    w.line(2, &["Mounts:", none, "\n"]);
    crate::sort::sort_by_key(&mut items, |m| str_at(m, "mountPath").unwrap_or(""));
    for m in items {
        let mut flags = vec![
            if get(m, "readOnly").and_then(Value::as_bool) == Some(true) {
                "ro".to_string()
            } else {
                "rw".to_string()
            },
        ];
        if let Some(sub) = str_at(m, "subPath").filter(|s| !s.is_empty()) {
            flags.push(format!("path={}", crate::admission::go_quote(sub)));
        }
        w.write(
            3,
            &format!(
                "{} from {} ({})\n",
                str_at(m, "mountPath").unwrap_or(""),
                str_at(m, "name").unwrap_or(""),
                flags.join(",")
            ),
        );
    }
    let mut devices: Vec<&Value> = list(c, "volumeDevices").iter().collect();
    if !devices.is_empty() {
        w.line(2, &["Devices:", none, "\n"]);
        crate::sort::sort_by_key(&mut devices, |d| str_at(d, "devicePath").unwrap_or(""));
        for d in devices {
            w.write(
                3,
                &format!(
                    "{} from {}\n",
                    str_at(d, "devicePath").unwrap_or(""),
                    str_at(d, "name").unwrap_or("")
                ),
            );
        }
    }
}

/// `describeVolumes` with the printers of the volume types a Job's pods
/// use (hostPath, emptyDir, secret, configMap, persistentVolumeClaim,
/// downwardAPI, projected, nfs); any other type prints `<unknown>`, where
/// kubectl has a printer of its own.
fn volumes(w: &mut Writer, items: &[Value]) {
    if items.is_empty() {
        w.write(0, "  Volumes:\t<none>\n");
        return;
    }
    w.write(0, "  Volumes:\n");
    for v in items {
        w.line(1, &[" ", str_at(v, "name").unwrap_or(""), ":\n"]);
        let s = |src: &Value, k: &str| str_at(src, k).unwrap_or("").to_string();
        let b = |src: &Value, k: &str| get(src, k).and_then(Value::as_bool) == Some(true);
        let text = if let Some(h) = get(v, "hostPath") {
            let kind = str_at(h, "type").unwrap_or("<none>");
            format!(
                "Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{kind}\n",
                s(h, "path")
            )
        } else if let Some(e) = get(v, "emptyDir") {
            let limit = str_at(e, "sizeLimit")
                .and_then(quantity::parse)
                .filter(|q| q.milli > 0)
                .map_or("<unset>".to_string(), |q| q.canonical());
            format!(
                "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{limit}\n",
                s(e, "medium")
            )
        } else if let Some(sec) = get(v, "secret") {
            format!(
                "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n",
                s(sec, "secretName"),
                b(sec, "optional")
            )
        } else if let Some(cm) = get(v, "configMap") {
            format!(
                "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n",
                s(cm, "name"),
                b(cm, "optional")
            )
        } else if let Some(pvc) = get(v, "persistentVolumeClaim") {
            format!(
                "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n",
                s(pvc, "claimName"),
                b(pvc, "readOnly")
            )
        } else if let Some(d) = get(v, "downwardAPI") {
            let mut t = "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n".to_string();
            for item in list(d, "items") {
                if let Some(f) = get(item, "fieldRef") {
                    t.push_str(&format!(
                        "      {} -> {}\n",
                        s(f, "fieldPath"),
                        s(item, "path")
                    ));
                }
                if let Some(r) = get(item, "resourceFieldRef") {
                    t.push_str(&format!(
                        "      {} -> {}\n",
                        s(r, "resource"),
                        s(item, "path")
                    ));
                }
            }
            t
        } else if let Some(p) = get(v, "projected") {
            let mut t =
                "Type:\tProjected (a volume that contains injected data from multiple sources)\n"
                    .to_string();
            for source in list(p, "sources") {
                if let Some(sec) = get(source, "secret") {
                    t.push_str(&format!(
                        "    SecretName:\t{}\n    Optional:\t{}\n",
                        s(sec, "name"),
                        b(sec, "optional")
                    ));
                } else if get(source, "downwardAPI").is_some() {
                    t.push_str("    DownwardAPI:\ttrue\n");
                } else if let Some(cm) = get(source, "configMap") {
                    t.push_str(&format!(
                        "    ConfigMapName:\t{}\n    Optional:\t{}\n",
                        s(cm, "name"),
                        b(cm, "optional")
                    ));
                } else if let Some(token) = get(source, "serviceAccountToken") {
                    let secs = int_at(token, "expirationSeconds").unwrap_or(0);
                    t.push_str(&format!("    TokenExpirationSeconds:\t{secs}\n"));
                }
            }
            t
        } else if let Some(nfs) = get(v, "nfs") {
            format!(
                "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t{}\n    Path:\t{}\n    ReadOnly:\t{}\n",
                s(nfs, "server"),
                s(nfs, "path"),
                b(nfs, "readOnly")
            )
        } else {
            w.write(1, "<unknown>\n");
            continue;
        };
        w.write(2, &text);
    }
}

/// `printTolerationsMultilineWithIndent`, sorted by key.
fn tolerations(w: &mut Writer, items: &[Value]) {
    w.write(0, "  Tolerations:\t");
    if items.is_empty() {
        w.write(0, "<none>\n");
        return;
    }
    let mut items: Vec<&Value> = items.iter().collect();
    crate::sort::sort_by_key(&mut items, |t| str_at(t, "key").unwrap_or(""));
    for (i, t) in items.into_iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        let key = str_at(t, "key").unwrap_or("");
        let value = str_at(t, "value").unwrap_or("");
        let effect = str_at(t, "effect").unwrap_or("");
        let mut line = key.to_string();
        if !value.is_empty() {
            line.push_str(&format!("={value}"));
        }
        if !effect.is_empty() {
            line.push_str(&format!(":{effect}"));
        }
        // An Exists toleration without a value says so.
        if str_at(t, "operator") == Some("Exists") && value.is_empty() {
            if !key.is_empty() || !effect.is_empty() {
                line.push(' ');
            }
            line.push_str("op=Exists");
        }
        if let Some(s) = int_at(t, "tolerationSeconds") {
            line.push_str(&format!(" for {s}s"));
        }
        w.line(0, &[&line, "\n"]);
    }
}

/// `DescribeEvents`: the object's events up to `t`, oldest first.
fn events(w: &mut Writer, trace: &Trace, key: &str, t: Ms) {
    let events: Vec<_> = trace
        .events
        .iter()
        .filter(|e| *e.object == *key && e.at <= t)
        .collect();
    if events.is_empty() {
        w.write(0, "Events:\t<none>\n");
        return;
    }
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.write(1, "----\t------\t----\t----\t-------\n");
    for e in events {
        let kind = if e.warning { "Warning" } else { "Normal" };
        w.write(
            1,
            &format!(
                "{kind}\t{}\t{}\t{}\t{}\n",
                e.reason,
                Age(t.saturating_sub(e.at)),
                e.source,
                e.message.trim()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_index_lists_are_capped_like_kubectl() {
        let long: String = (0..40)
            .map(|i| (i * 2).to_string())
            .collect::<Vec<_>>()
            .join(",");
        let capped = cap_indexes(&long, 50);
        assert!(capped.ends_with(",..."), "{capped}");
        assert!(capped.len() >= 50 && capped.len() < 60, "{capped}");
        assert_eq!(cap_indexes("0-4", 50), "0-4");
        assert_eq!(cap_indexes("", 50), "<none>");
    }

    #[test]
    fn probes_print_as_describe_probe_does() {
        let p = |y: &str| describe_probe(&crate::yaml::parse(y).unwrap());
        let attrs =
            "timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3";
        assert_eq!(
            p(&format!("{{exec: {{command: [cat, /tmp/ok]}}, {attrs}}}")),
            "exec [cat /tmp/ok] delay=0s timeout=1s period=10s #success=1 #failure=3"
        );
        assert_eq!(
            p(&format!(
                "{{httpGet: {{path: /healthz, port: 8080, scheme: HTTP}}, {attrs}}}"
            )),
            "http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3"
        );
        assert_eq!(
            p(&format!(
                "{{tcpSocket: {{port: db}}, initialDelaySeconds: 5, {attrs}}}"
            )),
            "tcp-socket :db delay=5s timeout=1s period=10s #success=1 #failure=3"
        );
    }
}
