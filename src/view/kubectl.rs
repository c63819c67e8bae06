//! kubectl-style text views of a run: `kubectl get pods -w` as a timeline,
//! `kubectl get pods` and `kubectl describe job` at an instant.

use super::pods::{PodRow, change_times, row_at, watch_row_at};
use crate::sim::world::{JobId, Pod};
use crate::time::{Age, Clock, Ms};
use crate::trace::Trace;

/// Rows as `kubectl get` prints them (its tab writer: minimum width 6,
/// padding 3).
pub fn table(rows: &[Vec<String>]) -> String {
    let text: String = rows.iter().map(|r| r.join("\t") + "\n").collect();
    super::tabwriter::GET.format(&text)
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
pub fn pods_watch(trace: &Trace, job: JobId, until: Ms) -> String {
    let mut lines: Vec<(Ms, u32, Vec<String>)> = Vec::new();
    for &p in &trace.jobs[job].pods {
        let pod = &trace.pods[p];
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
pub fn get_pods(trace: &Trace, job: JobId, t: Ms) -> String {
    let mut rows = vec![
        ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
            .map(String::from)
            .to_vec(),
    ];
    for &p in &trace.jobs[job].pods {
        let pod = &trace.pods[p];
        if let Some(row) = row_at(pod, t) {
            rows.push(pod_cells(pod, &row, t));
        }
    }
    if rows.len() == 1 {
        return "No resources found in default namespace.\n".into();
    }
    table(&rows)
}

pub use super::describe::describe_job;

/// `kubectl get job -o yaml` at `t`: the stored object (the manifest with
/// the API server's defaults and generated fields) and its status then.
/// Keys are sorted, as kubectl prints them.
pub fn get_job_yaml(trace: &Trace, clock: &Clock, job: JobId, t: Ms) -> String {
    use crate::yaml::Value;
    let j = &trace.jobs[job];
    let status = trace.status_at(job, t).cloned().unwrap_or_default();
    let version = trace.job_at(job, t);
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
    let status = crate::yaml::parse(&super::report::status_report(clock, &status).compact())
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
        let yaml = get_job_yaml(&o.trace, &o.scenario.clock, 0, o.ended_at);
        let v: crate::yaml::Value = crate::yaml::parse(&yaml).unwrap();
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
        let early = get_job_yaml(&o.trace, &o.scenario.clock, 0, 5_000);
        let v: crate::yaml::Value = crate::yaml::parse(&early).unwrap();
        assert_eq!(v["status"]["active"], 1);
        assert!(v["status"]["conditions"].is_null());
    }

    #[test]
    fn get_pods_at_an_instant() {
        let text = std::fs::read_to_string("www/scenarios/pi.yaml").unwrap();
        let o = run_text(&text).unwrap();
        let name = &o.trace.pods[0].name;
        assert_eq!(
            get_pods(&o.trace, 0, 5_000),
            format!(
                "NAME       READY   STATUS    RESTARTS   AGE\n{name}   1/1     Running   0          5s\n"
            )
        );
        assert_eq!(
            get_pods(&o.trace, 0, 0),
            format!(
                "NAME       READY   STATUS              RESTARTS   AGE\n{name}   0/1     ContainerCreating   0          0s\n"
            )
        );
    }
}
