//! The `jobsim run --output json` report (SCENARIO.md "Output").

use crate::json::{Json, Stream};
use crate::run::Outcome;
use crate::sim::world::{ContainerKind, CronJobStatus, JobCondition, JobObject, JobStatus, Pod};
use crate::time::{Clock, Ms};
use crate::trace::{HistoryEntry, Trace};

/// batch/v1 JobStatus with the API's field names, order and omissions.
pub fn status_report(clock: &Clock, s: &JobStatus) -> Json {
    let mut f: Vec<(&str, Json)> = Vec::new();
    if !s.conditions.is_empty() {
        let conditions = s
            .conditions
            .iter()
            .map(|c| condition_report(clock, c))
            .collect();
        f.push(("conditions", Json::Arr(conditions)));
    }
    let time = |t: Option<Ms>| t.map(|t| Json::str(clock.rfc3339(t)));
    f.extend(time(s.start_time).map(|t| ("startTime", t)));
    f.extend(time(s.completion_time).map(|t| ("completionTime", t)));
    for (name, n) in [
        ("active", s.active),
        ("succeeded", s.succeeded),
        ("failed", s.failed),
    ] {
        if n != 0 {
            f.push((name, Json::int(n)));
        }
    }
    f.extend(s.terminating.map(|n| ("terminating", Json::int(n))));
    if !s.completed_indexes.is_empty() {
        f.push(("completedIndexes", Json::str(s.completed_indexes.as_str())));
    }
    f.extend(
        s.failed_indexes
            .as_ref()
            .map(|x| ("failedIndexes", Json::str(x.as_str()))),
    );
    // Set on the first sync, and always empty between syncs.
    f.extend(
        s.ready
            .map(|_| ("uncountedTerminatedPods", Json::Obj(Vec::new()))),
    );
    f.extend(s.ready.map(|n| ("ready", Json::int(n))));
    Json::obj(f)
}

fn condition_report(clock: &Clock, c: &JobCondition) -> Json {
    Json::obj(vec![
        ("type", Json::str(c.type_.as_str())),
        ("status", Json::str(if c.status { "True" } else { "False" })),
        ("lastProbeTime", Json::str(clock.rfc3339(c.last_probe_time))),
        (
            "lastTransitionTime",
            Json::str(clock.rfc3339(c.last_transition_time)),
        ),
        ("reason", Json::str(c.reason.as_str())),
        ("message", Json::str(c.message.as_str())),
    ])
}

/// When the Job's Complete or Failed condition was set.
pub fn finished_at(job: &JobObject) -> Option<Ms> {
    job.status
        .conditions
        .iter()
        .find(|c| c.status && c.type_.is_final())
        .map(|c| c.last_transition_time)
}

/// The exit code and reason of the pod's last terminated regular container.
pub fn pod_exit(pod: &Pod) -> Option<(i32, String)> {
    pod.regular_containers()
        .filter_map(|c| c.terminated())
        .max_by_key(|&(_, _, at)| at)
        .map(|(code, reason, _)| (code, reason.to_string()))
}

fn pod_report(pod: &Pod) -> Json {
    let started_at = pod
        .containers
        .iter()
        .flat_map(|c| c.runs.first())
        .map(|r| r.started_at)
        .min();
    let finished_at = pod
        .phase_history
        .iter()
        .find(|(_, p)| p.is_terminal())
        .map(|(t, _)| *t);
    let exit = pod_exit(pod);
    let containers = pod
        .containers
        .iter()
        .map(|c| {
            let runs = c
                .runs
                .iter()
                .map(|r| {
                    Json::obj(vec![
                        ("startedAt", Json::secs(r.started_at)),
                        ("finishedAt", Json::opt(r.finished_at, Json::secs)),
                        ("exitCode", Json::opt(r.exit_code, Json::int)),
                        ("reason", Json::opt(r.reason.as_deref(), Json::str)),
                    ])
                })
                .collect();
            Json::obj(vec![
                ("name", Json::str(&*c.name)),
                ("init", Json::Bool(c.kind != ContainerKind::Regular)),
                ("sidecar", Json::Bool(c.kind == ContainerKind::Sidecar)),
                ("restartCount", Json::int(c.restart_count)),
                ("runs", Json::Arr(runs)),
            ])
        })
        .collect();
    Json::obj(vec![
        ("name", Json::str(pod.name.as_str())),
        ("index", Json::opt(pod.index, Json::int)),
        ("attempt", Json::int(pod.attempt)),
        ("ordinal", Json::int(pod.ordinal)),
        ("labels", Json::map(pod.template.labels.iter())),
        ("annotations", Json::map(pod.template.annotations.iter())),
        (
            "hostname",
            Json::str(pod.template.hostname.as_deref().unwrap_or(&pod.name)),
        ),
        ("createdAt", Json::secs(pod.created_at)),
        ("startedAt", Json::opt(started_at, Json::secs)),
        ("finishedAt", Json::opt(finished_at, Json::secs)),
        (
            "deletionTimestamp",
            Json::opt(pod.deletion_timestamp, Json::secs),
        ),
        ("deletedAt", Json::opt(pod.gone_at, Json::secs)),
        ("phase", Json::str(pod.phase.as_str())),
        ("exitCode", Json::opt(exit.as_ref().map(|e| e.0), Json::int)),
        ("reason", Json::opt(exit.map(|e| e.1), Json::str)),
        ("containers", Json::Arr(containers)),
    ])
}

fn history_entry(h: &HistoryEntry) -> Json {
    Json::obj(vec![
        ("at", Json::secs(h.at)),
        ("active", Json::int(h.active)),
        ("ready", Json::int(h.ready)),
        ("succeeded", Json::int(h.succeeded)),
        ("failed", Json::int(h.failed)),
        ("terminating", Json::int(h.terminating)),
        ("conditions", Json::strs(&h.conditions)),
    ])
}

/// One Job of the report, its pods one by one.
fn write_job(out: &mut Stream, trace: &Trace, clock: &Clock, id: usize) {
    let job = &trace.jobs[id];
    let pairs = |m: &'_ std::collections::BTreeMap<String, String>| {
        Json::map(m.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    };
    out.open_item("{");
    out.field("name", &Json::str(job.name.as_str()));
    out.field("labels", &pairs(&job.labels));
    out.field("annotations", &pairs(&job.annotations));
    out.field("createdAt", &Json::secs(job.created_at));
    out.field("finishedAt", &Json::opt(finished_at(job), Json::secs));
    out.field("deletedAt", &Json::opt(job.gone_at, Json::secs));
    out.field("status", &status_report(clock, &job.status));
    out.key("history");
    out.open("[");
    for h in &trace.log.history[id] {
        out.item(&history_entry(h));
    }
    out.close("]");
    out.key("pods");
    out.open("[");
    for &p in &job.pods {
        out.item(&pod_report(&trace.pods[p]));
    }
    out.close("]");
    out.close("}");
}

/// batch/v1 CronJobStatus as the API shows it: `active` object
/// references (core/v1 ObjectReference), RFC 3339 times, empty fields left
/// out.
pub fn cron_job_status(trace: &Trace, s: &CronJobStatus) -> Json {
    let mut f: Vec<(&str, Json)> = Vec::new();
    if !s.active.is_empty() {
        let refs = s
            .active
            .iter()
            .map(|&j| {
                let job = &trace.jobs[j];
                Json::obj(vec![
                    ("apiVersion", Json::str("batch/v1")),
                    ("kind", Json::str("Job")),
                    ("name", Json::str(job.name.as_str())),
                    ("namespace", Json::str(job.namespace.as_str())),
                    ("uid", Json::str(job.uid.as_str())),
                ])
            })
            .collect();
        f.push(("active", Json::Arr(refs)));
    }
    let time = |unix: Option<i64>| unix.map(|u| Json::str(crate::time::rfc3339_offset(u, 0)));
    f.extend(time(s.last_schedule_time).map(|t| ("lastScheduleTime", t)));
    f.extend(time(s.last_successful_time).map(|t| ("lastSuccessfulTime", t)));
    Json::obj(f)
}

/// The whole report of a run, written piece by piece to `sink`.
pub fn write_report(outcome: &Outcome, sink: &mut dyn FnMut(&str)) {
    let trace = &outcome.trace;
    let clock = &outcome.scenario.clock;
    let out = &mut Stream::new(sink);
    out.open("{");
    out.field(
        "scenario",
        &Json::opt(outcome.scenario.name.as_deref(), Json::str),
    );
    out.field("endedAt", &Json::secs(outcome.ended_at));
    // Only a run that stopped part-way says why (docs/scenario.md).
    if let Some(stopped) = &outcome.stopped {
        out.field(
            "error",
            &Json::obj(vec![
                ("at", Json::secs(stopped.at)),
                (
                    "action",
                    Json::opt(stopped.action, |(i, _)| Json::int(i as i64)),
                ),
                ("message", Json::str(stopped.to_string())),
            ]),
        );
    }
    out.field("warnings", &Json::strs(&trace.log.warnings));
    let cron_job = trace.cron_jobs.first().map(|c| {
        Json::obj(vec![
            ("name", Json::str(c.name.as_str())),
            ("status", cron_job_status(trace, &c.status)),
        ])
    });
    out.field("cronJob", &Json::opt(cron_job, |c| c));
    out.key("jobs");
    out.open("[");
    for id in 0..trace.jobs.len() {
        write_job(out, trace, clock, id);
    }
    out.close("]");
    out.key("events");
    out.open("[");
    for e in &trace.events {
        out.item(&Json::obj(vec![
            ("at", Json::secs(e.at)),
            (
                "type",
                Json::str(if e.warning { "Warning" } else { "Normal" }),
            ),
            ("reason", Json::str(&*e.reason)),
            ("object", Json::str(&*e.object)),
            ("message", Json::str(e.message.as_str())),
        ]));
    }
    out.close("]");
    out.close("}");
}

/// The report as pretty-printed JSON (the CLI's `--output json`).
pub fn to_json(outcome: &Outcome) -> String {
    let mut text = String::new();
    write_report(outcome, &mut |piece| text.push_str(piece));
    text
}
