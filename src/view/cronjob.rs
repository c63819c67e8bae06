//! Views of a CronJob run: `kubectl get cronjob`, `kubectl get jobs`, the
//! CronJob's events, and one row per Job it created for the playground's
//! CronJob view (created, ran, finished, skipped, replaced, cleaned up).

use super::kubectl::table;
use crate::api::CronJobSpec;
use crate::sim::world::ConditionType;
use crate::sim::world::{CronJobStatus, JobId};
use crate::time::{Age, Clock, Ms};
use crate::trace::Trace;

/// The CronJob's spec and status at `t`.
pub fn state_at(trace: &Trace, id: usize, t: Ms) -> Option<(&CronJobSpec, &CronJobStatus)> {
    let history = trace.log.cron_history.get(id)?;
    let upto = history.partition_point(|(at, _, _)| *at <= t);
    let (_, spec, status) = history.get(upto.checked_sub(1)?)?;
    Some((spec, status))
}

/// The next `n` schedule times after `t` (Unix seconds) of the CronJob's
/// schedule as it was at `t`.
pub fn upcoming(trace: &Trace, id: usize, t: Ms, n: usize) -> Vec<i64> {
    state_at(trace, id, t).map_or_else(Vec::new, |(spec, _)| {
        crate::sim::cronjob::upcoming(spec, trace.clock, t, n)
    })
}

/// `kubectl get cronjob` at `t`.
pub fn get_cronjob(trace: &Trace, clock: &Clock, id: usize, t: Ms) -> String {
    let c = &trace.cron_jobs[id];
    if c.created_at > t || c.gone_at.is_some_and(|g| g <= t) {
        return format!(
            "Error from server (NotFound): cronjobs.batch {:?} not found\n",
            c.name
        );
    }
    let Some((spec, status)) = state_at(trace, id, t) else {
        return String::new();
    };
    let last = status.last_schedule_time.map_or("<none>".to_string(), |s| {
        Age(t.saturating_sub(clock.ms_of(s))).to_string()
    });
    table(&[
        [
            "NAME",
            "SCHEDULE",
            "TIMEZONE",
            "SUSPEND",
            "ACTIVE",
            "LAST SCHEDULE",
            "AGE",
        ]
        .map(String::from)
        .to_vec(),
        vec![
            c.name.clone(),
            spec.schedule.clone(),
            spec.time_zone.clone().unwrap_or_else(|| "<none>".into()),
            if spec.suspend { "True" } else { "False" }.into(),
            status.active.len().to_string(),
            last,
            Age(t.saturating_sub(c.created_at)).to_string(),
        ],
    ])
}

/// kubectl's STATUS column of a Job (printJob).
pub fn job_status_word(trace: &Trace, job: JobId, t: Ms) -> &'static str {
    let j = &trace.jobs[job];
    let Some(s) = trace.status_at(job, t) else {
        return "Running";
    };
    if s.is_true(ConditionType::Complete) {
        "Complete"
    } else if s.is_true(ConditionType::Failed) {
        "Failed"
    } else if j.deletion_timestamp.is_some_and(|d| d <= t) {
        "Terminating"
    } else if s.is_true(ConditionType::Suspended) {
        "Suspended"
    } else if s.is_true(ConditionType::FailureTarget) {
        "FailureTarget"
    } else if s.is_true(ConditionType::SuccessCriteriaMet) {
        "SuccessCriteriaMet"
    } else {
        "Running"
    }
}

/// `kubectl get jobs` at `t`: the Jobs that exist then.
pub fn get_jobs(trace: &Trace, t: Ms) -> String {
    let mut rows = vec![
        ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"]
            .map(String::from)
            .to_vec(),
    ];
    for (id, j) in trace.jobs.iter().enumerate() {
        if j.created_at > t || j.gone_at.is_some_and(|g| g <= t) {
            continue;
        }
        let status = trace.status_at(id, t);
        let succeeded = status.map_or(0, |s| s.succeeded);
        let completions = match j.spec.completions {
            Some(c) => format!("{succeeded}/{c}"),
            None => match j.spec.parallelism.unwrap_or(0) {
                p if p > 1 => format!("{succeeded}/1 of {p}"),
                _ => format!("{succeeded}/1"),
            },
        };
        let duration = status
            .and_then(|s| s.start_time.map(|start| (start, s.completion_time)))
            .map_or(String::new(), |(start, done)| {
                Age(done.unwrap_or(t).saturating_sub(start)).to_string()
            });
        rows.push(vec![
            j.name.clone(),
            job_status_word(trace, id, t).to_string(),
            completions,
            duration,
            Age(t.saturating_sub(j.created_at)).to_string(),
        ]);
    }
    if rows.len() == 1 {
        return "No resources found in default namespace.\n".to_string();
    }
    table(&rows)
}

/// The CronJob's events up to `t`, oldest first (`kubectl events --for`).
pub fn events(trace: &Trace, id: usize, t: Ms) -> String {
    let key = trace.cron_jobs[id].key();
    let mut rows = vec![
        ["TIME", "TYPE", "REASON", "MESSAGE"]
            .map(String::from)
            .to_vec(),
    ];
    for e in trace
        .events
        .iter()
        .filter(|e| *e.object == *key && e.at <= t)
    {
        rows.push(vec![
            Age(e.at).to_string(),
            if e.warning { "Warning" } else { "Normal" }.into(),
            e.reason.to_string(),
            e.message.clone(),
        ]);
    }
    table(&rows)
}

/// What became of one Job of the CronJob, for its row in the UI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobRow {
    pub job: JobId,
    pub name: String,
    /// Made by `trigger` (kubectl create job --from), not by the schedule.
    pub manual: bool,
    pub created_at: Ms,
    /// When its Complete or Failed condition was set.
    pub finished_at: Option<Ms>,
    pub complete: bool,
    /// When it left the API, and why: "replaced" (Replace), "cleaned up"
    /// (history limit), "TTL" or "deleted".
    pub deleted: Option<(Ms, &'static str)>,
}

/// A moment worth a marker on the CronJob's timeline: a schedule time it
/// skipped (JobAlreadyActive, Forbid) or any Warning event it recorded
/// (TooManyMissedTimes, MissSchedule, UnexpectedJob, ...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    pub at: Ms,
    pub reason: String,
    pub message: String,
}

/// One row per Job the CronJob created, in creation order, and its marks.
pub fn rows(trace: &Trace, id: usize) -> (Vec<JobRow>, Vec<Mark>) {
    let key = trace.cron_jobs[id].key();
    let deleted_by_cronjob = |name: &str| {
        trace.events.iter().any(|e| {
            *e.object == *key
                && &*e.reason == "SuccessfulDelete"
                && e.message == format!("Deleted job {name}")
        })
    };
    let rows = trace
        .jobs
        .iter()
        .enumerate()
        .filter(|(_, j)| j.owner == Some(id))
        .map(|(job, j)| {
            let finished = trace.log.statuses.get(job).and_then(|s| {
                s.iter()
                    .find(|(_, st)| st.is_finished())
                    .map(|(at, st)| (*at, st.is_true(ConditionType::Complete)))
            });
            let deleted = j.gone_at.map(|at| {
                let why = if deleted_by_cronjob(&j.name) {
                    if finished.is_some_and(|(f, _)| f <= at) {
                        "cleaned up"
                    } else {
                        "replaced"
                    }
                } else if j.spec.ttl_seconds_after_finished.is_some() {
                    "TTL"
                } else {
                    "deleted"
                };
                (at, why)
            });
            JobRow {
                job,
                name: j.name.clone(),
                manual: j
                    .annotations
                    .contains_key("cronjob.kubernetes.io/instantiate"),
                created_at: j.created_at,
                finished_at: finished.map(|(at, _)| at),
                complete: finished.is_some_and(|(_, c)| c),
                deleted,
            }
        })
        .collect();
    let marks = trace
        .events
        .iter()
        .filter(|e| *e.object == *key && (e.warning || &*e.reason == "JobAlreadyActive"))
        .map(|e| Mark {
            at: e.at,
            reason: e.reason.to_string(),
            message: e.message.clone(),
        })
        .collect();
    (rows, marks)
}
