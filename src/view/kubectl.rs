//! kubectl-style text views of a run: `kubectl get pods -w` as a timeline,
//! `kubectl get pods` and `kubectl describe job` at an instant.

use super::pods::{PodRow, change_times, row_at, watch_row_at};
use crate::sim::Simulation;
use crate::sim::world::{JobId, JobObject, Pod};
use crate::time::{Age, Clock, Ms};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Columns padded like kubectl's tabwriter (minimum width 6, padding 3).
pub fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if c + 1 < row.len() {
                let width = (widths[c] + 3).max(6);
                line.push_str(&" ".repeat(width - cell.chars().count()));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn restarts(row: &PodRow, t: Ms) -> String {
    match row.last_restart {
        Some(at) if row.restarts > 0 => {
            format!("{} ({} ago)", row.restarts, Age(t.saturating_sub(at)))
        }
        _ => row.restarts.to_string(),
    }
}

fn pod_cells(pod: &Pod, row: &PodRow, t: Ms) -> Vec<String> {
    vec![
        pod.name.clone(),
        format!("{}/{}", row.ready, row.total),
        row.status.clone(),
        restarts(row, t),
        Age(t.saturating_sub(pod.created_at)).to_string(),
    ]
}

/// `kubectl get pods -w` over the whole run: a line whenever a pod's row
/// changes, with the virtual time in front.
pub fn pods_watch(sim: &Simulation, job: JobId, until: Ms) -> String {
    let mut lines: Vec<(Ms, u32, Vec<String>)> = Vec::new();
    for &p in &sim.world.jobs[job].pods {
        let pod = &sim.world.pods[p];
        let mut last: Option<(usize, usize, String, u32)> = None;
        for t in change_times(pod).into_iter().filter(|&t| t <= until) {
            let Some(row) = watch_row_at(pod, t) else {
                continue;
            };
            let key = (row.ready, row.total, row.status.clone(), row.restarts);
            if last.as_ref() != Some(&key) {
                let mut cells = vec![Age(t).to_string()];
                cells.extend(pod_cells(pod, &row, t));
                lines.push((t, pod.ordinal, cells));
                last = Some(key);
            }
        }
    }
    crate::sort::sort_by_key(&mut lines, |(t, ordinal, _)| (*t, *ordinal));
    let mut rows = vec![
        ["TIME", "NAME", "READY", "STATUS", "RESTARTS", "AGE"]
            .map(String::from)
            .to_vec(),
    ];
    rows.extend(lines.into_iter().map(|(_, _, cells)| cells));
    table(&rows)
}

/// `kubectl get pods` at an instant.
pub fn get_pods(sim: &Simulation, job: JobId, t: Ms) -> String {
    let mut rows = vec![
        ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
            .map(String::from)
            .to_vec(),
    ];
    for &p in &sim.world.jobs[job].pods {
        let pod = &sim.world.pods[p];
        if let Some(row) = row_at(pod, t) {
            rows.push(pod_cells(pod, &row, t));
        }
    }
    if rows.len() == 1 {
        return "No resources found in default namespace.\n".into();
    }
    table(&rows)
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

/// `kubectl describe` lines: a key and its value, aligned by a tabwriter
/// (padding 2) over the whole block.
#[derive(Default)]
struct Describe {
    lines: Vec<(String, String)>,
}

impl Describe {
    fn field(&mut self, key: &str, value: impl Into<String>) {
        self.lines.push((format!("{key}:"), value.into()));
    }

    /// A map printed one `key=value` per line (`<none>` when empty).
    fn map(&mut self, key: &str, map: &BTreeMap<String, String>) {
        if map.is_empty() {
            self.field(key, "<none>");
        }
        for (i, (k, v)) in map.iter().enumerate() {
            let head = if i == 0 {
                format!("{key}:")
            } else {
                String::new()
            };
            self.lines.push((head, format!("{k}={v}")));
        }
    }

    fn section(&mut self, text: String) {
        self.lines.push((text, String::new()));
    }

    fn render(&self) -> String {
        let width = self
            .lines
            .iter()
            .filter(|(k, v)| !v.is_empty() && !k.starts_with(' '))
            .map(|(k, _)| k.chars().count())
            .max()
            .unwrap_or(0)
            + 2;
        let mut out = String::new();
        for (k, v) in &self.lines {
            if v.is_empty() {
                let _ = writeln!(out, "{k}");
            } else {
                let _ = writeln!(out, "{k:<width$}{v}");
            }
        }
        out
    }
}

fn indent(text: &str, by: &str) -> String {
    text.lines().map(|l| format!("{by}{l}\n")).collect()
}

/// `kubectl describe job` as the Job stood at `t` (the end of the run),
/// with a Conditions table added.
pub fn describe_job(sim: &Simulation, clock: &Clock, job: JobId, t: Ms) -> String {
    let j: &JobObject = &sim.world.jobs[job];
    let status = sim.status_at(job, t).cloned().unwrap_or_default();
    let spec = sim.job_at(job, t).spec;
    let mut d = Describe::default();
    d.field("Name", j.name.clone());
    d.field("Namespace", j.namespace.clone());
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
    d.field("Selector", selector);
    d.map("Labels", &j.labels);
    d.map("Annotations", &j.annotations);
    d.field("Parallelism", spec.parallelism.unwrap_or(1).to_string());
    d.field(
        "Completions",
        spec.completions.map_or("<unset>".into(), |c| c.to_string()),
    );
    d.field(
        "Completion Mode",
        spec.completion_mode.clone().unwrap_or_default(),
    );
    d.field("Suspend", spec.suspend.unwrap_or(false).to_string());
    d.field("Backoff Limit", spec.backoff_limit.unwrap_or(6).to_string());
    if let Some(ttl) = spec.ttl_seconds_after_finished {
        d.field("TTL Seconds After Finished", ttl.to_string());
    }
    if let Some(start) = status.start_time {
        d.field("Start Time", clock.rfc1123z(start));
    }
    if let Some(done) = status.completion_time {
        d.field("Completed At", clock.rfc1123z(done));
        if let Some(start) = status.start_time {
            d.field("Duration", Age(done.saturating_sub(start)).to_string());
        }
    }
    if let Some(ads) = spec.active_deadline_seconds {
        d.field("Active Deadline Seconds", format!("{ads}s"));
    }
    d.field(
        "Pods Statuses",
        format!(
            "{} Active ({} Ready) / {} Succeeded / {} Failed",
            status.active,
            status.ready.unwrap_or(0),
            status.succeeded,
            status.failed
        ),
    );
    if spec.completion_mode.as_deref() == Some("Indexed") {
        d.field(
            "Completed Indexes",
            cap_indexes(&status.completed_indexes, 50),
        );
    }
    d.section("Pod Template:".into());
    let mut template = Describe::default();
    template.map("Labels", &spec.template.metadata.labels);
    let mut out = d.render();
    out.push_str(&indent(&template.render(), "  "));
    let pod = &spec.template.spec;
    for (title, list) in [
        ("Init Containers", &pod.init_containers),
        ("Containers", &pod.containers),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "  {title}:");
        for c in list {
            let _ = writeln!(out, "   {}:", c.name);
            let _ = writeln!(
                out,
                "    Image:      {}",
                c.image.clone().unwrap_or_default()
            );
        }
    }
    // kubectl describe job has no Conditions section; the playground adds one.
    out.push_str("Conditions:\n");
    if status.conditions.is_empty() {
        out.push_str("  <none>\n");
    } else {
        let mut rows = vec![vec![
            "Type".into(),
            "Status".into(),
            "Reason".into(),
            "Message".into(),
        ]];
        rows.push(vec![
            "----".into(),
            "------".into(),
            "------".into(),
            "-------".into(),
        ]);
        for c in &status.conditions {
            let value = if c.status { "True" } else { "False" };
            rows.push(vec![
                c.type_.clone(),
                value.into(),
                c.reason.clone(),
                c.message.clone(),
            ]);
        }
        out.push_str(&indent(&table(&rows), "  "));
    }
    let key = j.key();
    let events: Vec<_> = sim
        .world
        .events
        .iter()
        .filter(|e| e.object == key && e.at <= t)
        .collect();
    if events.is_empty() {
        out.push_str("Events:           <none>\n");
    } else {
        out.push_str("Events:\n");
        let mut rows = vec![
            ["Type", "Reason", "Age", "From", "Message"]
                .map(String::from)
                .to_vec(),
        ];
        rows.push(
            ["----", "------", "----", "----", "-------"]
                .map(String::from)
                .to_vec(),
        );
        for e in events {
            rows.push(vec![
                if e.warning { "Warning" } else { "Normal" }.into(),
                e.reason.clone(),
                Age(t.saturating_sub(e.at)).to_string(),
                e.source.into(),
                e.message.clone(),
            ]);
        }
        out.push_str(&indent(&table(&rows), "  "));
    }
    out
}

/// `kubectl get job -o yaml` at `t`: the stored object (the manifest with
/// the API server's defaults and generated fields) and its status then.
/// Keys are sorted, as kubectl prints them.
pub fn get_job_yaml(sim: &Simulation, clock: &Clock, job: JobId, t: Ms) -> String {
    use serde_yaml::Value;
    let j = &sim.world.jobs[job];
    let status = sim.status_at(job, t).cloned().unwrap_or_default();
    let version = sim.job_at(job, t);
    let mut object = version.object.clone();
    if let Some(Value::Mapping(meta)) = object.get_mut("metadata") {
        meta.insert(
            "creationTimestamp".into(),
            clock.rfc3339(j.created_at).into(),
        );
        meta.insert("generation".into(), version.generation.into());
        let labels = j
            .labels
            .iter()
            .map(|(k, v)| (Value::from(k.as_str()), Value::from(v.as_str())))
            .collect();
        meta.insert("labels".into(), Value::Mapping(labels));
        meta.insert("uid".into(), j.uid.as_str().into());
    }
    // The status as the report writes it (JSON is YAML).
    let status = serde_yaml::from_str(&super::report::status_report(clock, &status).compact())
        .unwrap_or(Value::Null);
    if let Value::Mapping(map) = &mut object {
        map.insert("status".into(), status);
    }
    crate::yaml::to_yaml(&crate::yaml::sorted(object))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::run_text;

    #[test]
    fn get_job_yaml_shows_defaults_generated_labels_and_the_status_then() {
        let text = std::fs::read_to_string("www/scenarios/pi.yaml").unwrap();
        let o = run_text(&text).unwrap();
        let yaml = get_job_yaml(&o.sim, &o.scenario.clock, 0, o.ended_at);
        let v: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap();
        assert_eq!(v["spec"]["backoffLimit"], 4);
        assert_eq!(v["spec"]["completionMode"], "NonIndexed");
        assert_eq!(
            v["spec"]["template"]["metadata"]["labels"]["job-name"],
            "pi"
        );
        assert_eq!(v["status"]["succeeded"], 1);
        assert_eq!(v["status"]["conditions"][1]["type"], "Complete");
        // Keys sorted as kubectl prints them.
        assert!(
            yaml.starts_with("apiVersion: batch/v1\nkind: Job\nmetadata:\n"),
            "{yaml}"
        );
        let early = get_job_yaml(&o.sim, &o.scenario.clock, 0, 5_000);
        let v: serde_yaml::Value = serde_yaml::from_str(&early).unwrap();
        assert_eq!(v["status"]["active"], 1);
        assert!(v["status"]["conditions"].is_null());
    }

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
    fn get_pods_at_an_instant() {
        let text = std::fs::read_to_string("www/scenarios/pi.yaml").unwrap();
        let o = run_text(&text).unwrap();
        let name = &o.sim.world.pods[0].name;
        assert_eq!(
            get_pods(&o.sim, 0, 5_000),
            format!(
                "NAME       READY   STATUS    RESTARTS   AGE\n{name}   1/1     Running   0          5s\n"
            )
        );
        assert_eq!(
            get_pods(&o.sim, 0, 0),
            format!(
                "NAME       READY   STATUS              RESTARTS   AGE\n{name}   0/1     ContainerCreating   0          0s\n"
            )
        );
    }
}
