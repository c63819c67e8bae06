//! The `jobsim run --output json` report (SCENARIO.md "Output").

use crate::run::Outcome;
use crate::sim::world::{ContainerKind, CronJobStatus, JobCondition, JobObject, JobStatus, Pod};
use crate::sim::{HistoryEntry, Simulation};
use crate::time::{Clock, Ms, secs};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub scenario: Option<String>,
    pub ended_at: f64,
    pub warnings: Vec<String>,
    pub cron_job: Option<CronJobReport>,
    pub jobs: Vec<JobReport>,
    pub events: Vec<EventReport>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobReport {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub created_at: f64,
    pub finished_at: Option<f64>,
    pub deleted_at: Option<f64>,
    pub status: StatusReport,
    pub history: Vec<HistoryEntry>,
    pub pods: Vec<PodReport>,
}

/// batch/v1 JobStatus with the API's field names, order and omissions.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusReport {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<ConditionReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completion_time: Option<String>,
    #[serde(skip_serializing_if = "is_zero")]
    pub active: i32,
    #[serde(skip_serializing_if = "is_zero")]
    pub succeeded: i32,
    #[serde(skip_serializing_if = "is_zero")]
    pub failed: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terminating: Option<i32>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub completed_indexes: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed_indexes: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uncounted_terminated_pods: Option<BTreeMap<String, Vec<String>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ready: Option<i32>,
}

fn is_zero(n: &i32) -> bool {
    *n == 0
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConditionReport {
    #[serde(rename = "type")]
    pub type_: String,
    pub status: &'static str,
    pub last_probe_time: String,
    pub last_transition_time: String,
    pub reason: String,
    pub message: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodReport {
    pub name: String,
    pub index: Option<u32>,
    pub attempt: u32,
    pub ordinal: u32,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub hostname: String,
    pub created_at: f64,
    pub started_at: Option<f64>,
    pub finished_at: Option<f64>,
    pub deletion_timestamp: Option<f64>,
    pub deleted_at: Option<f64>,
    pub phase: &'static str,
    pub exit_code: Option<i32>,
    pub reason: Option<String>,
    pub containers: Vec<ContainerReport>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerReport {
    pub name: String,
    pub init: bool,
    pub sidecar: bool,
    pub restart_count: u32,
    pub runs: Vec<RunReport>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunReport {
    pub started_at: f64,
    pub finished_at: Option<f64>,
    pub exit_code: Option<i32>,
    pub reason: Option<String>,
}

#[derive(Serialize)]
pub struct EventReport {
    pub at: f64,
    #[serde(rename = "type")]
    pub type_: &'static str,
    pub reason: String,
    pub object: String,
    pub message: String,
}

/// The API's JobStatus at its `clock` times.
pub fn status_report(clock: &Clock, s: &JobStatus) -> StatusReport {
    StatusReport {
        conditions: s
            .conditions
            .iter()
            .map(|c| condition_report(clock, c))
            .collect(),
        start_time: s.start_time.map(|t| clock.rfc3339(t)),
        completion_time: s.completion_time.map(|t| clock.rfc3339(t)),
        active: s.active,
        succeeded: s.succeeded,
        failed: s.failed,
        terminating: s.terminating,
        completed_indexes: s.completed_indexes.clone(),
        failed_indexes: s.failed_indexes.clone(),
        // Set on the first sync, and always empty between syncs.
        uncounted_terminated_pods: s.ready.map(|_| BTreeMap::new()),
        ready: s.ready,
    }
}

fn condition_report(clock: &Clock, c: &JobCondition) -> ConditionReport {
    ConditionReport {
        type_: c.type_.clone(),
        status: if c.status { "True" } else { "False" },
        last_probe_time: clock.rfc3339(c.last_probe_time),
        last_transition_time: clock.rfc3339(c.last_transition_time),
        reason: c.reason.clone(),
        message: c.message.clone(),
    }
}

/// When the Job's Complete or Failed condition was set.
pub fn finished_at(job: &JobObject) -> Option<Ms> {
    job.status
        .conditions
        .iter()
        .find(|c| c.status && (c.type_ == "Complete" || c.type_ == "Failed"))
        .map(|c| c.last_transition_time)
}

/// The exit code and reason of the pod's last terminated regular container.
pub fn pod_exit(pod: &Pod) -> Option<(i32, String)> {
    pod.regular_containers()
        .filter_map(|c| c.terminated())
        .max_by_key(|&(_, _, at)| at)
        .map(|(code, reason, _)| (code, reason.to_string()))
}

fn pod_report(pod: &Pod) -> PodReport {
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
    PodReport {
        name: pod.name.clone(),
        index: pod.index,
        attempt: pod.attempt,
        ordinal: pod.ordinal,
        labels: pod.labels.clone(),
        annotations: pod.annotations.clone(),
        hostname: pod.hostname.clone().unwrap_or_else(|| pod.name.clone()),
        created_at: secs(pod.created_at),
        started_at: started_at.map(secs),
        finished_at: finished_at.map(secs),
        deletion_timestamp: pod.deletion_timestamp.map(secs),
        deleted_at: pod.gone_at.map(secs),
        phase: pod.phase.as_str(),
        exit_code: exit.as_ref().map(|e| e.0),
        reason: exit.map(|e| e.1),
        containers: pod
            .containers
            .iter()
            .map(|c| ContainerReport {
                name: c.name.clone(),
                init: c.kind != ContainerKind::Regular,
                sidecar: c.kind == ContainerKind::Sidecar,
                restart_count: c.restart_count,
                runs: c
                    .runs
                    .iter()
                    .map(|r| RunReport {
                        started_at: secs(r.started_at),
                        finished_at: r.finished_at.map(secs),
                        exit_code: r.exit_code,
                        reason: r.reason.clone(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn job_report(sim: &Simulation, clock: &Clock, id: usize) -> JobReport {
    let job = &sim.world.jobs[id];
    JobReport {
        name: job.name.clone(),
        labels: job.labels.clone(),
        annotations: job.annotations.clone(),
        created_at: secs(job.created_at),
        finished_at: finished_at(job).map(secs),
        deleted_at: job.gone_at.map(secs),
        status: status_report(clock, &job.status),
        history: sim.history[id].clone(),
        pods: job
            .pods
            .iter()
            .map(|&p| pod_report(&sim.world.pods[p]))
            .collect(),
    }
}

/// The report's `cronJob`.
#[derive(Serialize)]
pub struct CronJobReport {
    pub name: String,
    pub status: CronJobStatusReport,
}

/// batch/v1 CronJobStatus as the API shows it: `active` object
/// references, RFC 3339 times, empty fields left out.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CronJobStatusReport {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub active: Vec<ObjectReference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_schedule_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_successful_time: Option<String>,
}

/// core/v1 ObjectReference to a Job.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectReference {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub name: String,
    pub namespace: String,
    pub uid: String,
}

pub fn cron_job_status(sim: &Simulation, s: &CronJobStatus) -> CronJobStatusReport {
    let time = |unix: Option<i64>| unix.map(|u| crate::time::rfc3339_offset(u, 0));
    CronJobStatusReport {
        active: s
            .active
            .iter()
            .map(|&j| {
                let job = &sim.world.jobs[j];
                ObjectReference {
                    api_version: "batch/v1",
                    kind: "Job",
                    name: job.name.clone(),
                    namespace: job.namespace.clone(),
                    uid: job.uid.clone(),
                }
            })
            .collect(),
        last_schedule_time: time(s.last_schedule_time),
        last_successful_time: time(s.last_successful_time),
    }
}

/// The whole report of a run.
pub fn report(outcome: &Outcome) -> Report {
    let sim = &outcome.sim;
    let clock = &outcome.scenario.clock;
    Report {
        scenario: outcome.scenario.name.clone(),
        ended_at: secs(outcome.ended_at),
        warnings: outcome.sim.warnings.clone(),
        cron_job: sim.world.cron_jobs.first().map(|c| CronJobReport {
            name: c.name.clone(),
            status: cron_job_status(sim, &c.status),
        }),
        jobs: (0..sim.world.jobs.len())
            .map(|id| job_report(sim, clock, id))
            .collect(),
        events: sim
            .world
            .events
            .iter()
            .map(|e| EventReport {
                at: secs(e.at),
                type_: if e.warning { "Warning" } else { "Normal" },
                reason: e.reason.clone(),
                object: e.object.clone(),
                message: e.message.clone(),
            })
            .collect(),
    }
}

/// The report as pretty-printed JSON (the CLI's `--output json`).
pub fn to_json(outcome: &Outcome) -> String {
    serde_json::to_string_pretty(&report(outcome)).expect("the report serialises")
}
