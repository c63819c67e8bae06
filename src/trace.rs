//! What a run leaves behind for the views: the API server's objects as
//! they ended (each pod with its lifecycle times, every event) and the log
//! of how they got there: every controller and kubelet decision with the
//! rule and the numbers behind it, each Job's statuses and history, the
//! waits before replacement pods, the controllers' outages, kubectl's
//! warnings. The engine writes the `Log` while it runs; `Simulation::
//! into_trace` hands both over, and no view reads a live simulation.

use crate::api::{ConditionType, CronJobSpec, JobSpec};
use crate::sim::job::SYNC_JOB_BATCH_PERIOD;
use crate::sim::job::backoff::Backoff;
use crate::sim::profile::Profile;
use crate::sim::world::{
    CronJobId, CronJobObject, CronJobStatus, Event, JobId, JobObject, JobStatus, Pod, PodId,
};
use crate::time::{Clock, Ms};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::rc::Rc;

/// A finished run: the objects and the log. Views read only this.
#[derive(Clone)]
pub struct Trace {
    /// The wall-clock time of t = 0.
    pub clock: Clock,
    /// The release the run simulated.
    pub profile: Profile,
    /// Every Job, CronJob and pod the run made (by id, deleted ones too,
    /// with `gone_at`), as they were at the end.
    pub jobs: Vec<JobObject>,
    pub cron_jobs: Vec<CronJobObject>,
    pub pods: Vec<Pod>,
    pub events: Vec<Event>,
    /// How many wake-ups the engine processed.
    pub steps: u64,
    pub log: Log,
}

impl Trace {
    /// The Job's status at `t`: the last one written by then (None before
    /// the Job existed).
    pub fn status_at(&self, job: JobId, t: Ms) -> Option<&JobStatus> {
        let statuses = self.log.statuses.get(job)?;
        let upto = statuses.partition_point(|(at, _)| *at <= t);
        statuses.get(upto.checked_sub(1)?).map(|(_, s)| s)
    }

    /// The Job's stored object, spec and generation as they were at `t`.
    pub fn job_at(&self, job: JobId, t: Ms) -> JobVersion<'_> {
        let j = &self.jobs[job];
        match self
            .log
            .superseded
            .iter()
            .find(|s| s.job == job && s.at > t)
        {
            Some(s) => JobVersion {
                object: &s.object,
                spec: &s.spec,
                generation: s.generation,
            },
            None => JobVersion {
                object: &j.object,
                spec: &j.spec,
                generation: j.generation,
            },
        }
    }
}

/// A Job's stored object as it was at some instant.
pub struct JobVersion<'a> {
    pub object: &'a crate::yaml::Value,
    pub spec: &'a JobSpec,
    pub generation: u64,
}

/// What the components wrote down while the run went on, besides the
/// objects themselves. The engine only appends to it; views explain from
/// these facts only.
#[derive(Clone, Debug, Default)]
pub struct Log {
    pub decisions: Vec<Decision>,
    pub replacements: Replacements,
    /// When the controllers were down: (stopped, started again).
    pub outages: Vec<(Ms, Option<Ms>)>,
    /// Per Job: its history entries.
    pub history: Vec<Vec<HistoryEntry>>,
    /// Per Job: every status it had, with the time it was written.
    pub statuses: Vec<Vec<(Ms, JobStatus)>>,
    /// Per CronJob: its spec and status after each change (a spec that did
    /// not change is shared with the entry before).
    pub cron_history: Vec<Vec<(Ms, Rc<CronJobSpec>, CronJobStatus)>>,
    /// What kubectl printed as `Warning:` lines for creates and updates.
    pub warnings: Vec<String>,
    /// The playground's own remarks (fields dropped by the release).
    pub notes: Vec<String>,
    /// Per `behavior.pods` rule: how many container starts it decided
    /// (shorter than the rules when the last ones never matched).
    pub rule_starts: Vec<u32>,
    /// Earlier versions of the Jobs' objects, replaced by updates.
    superseded: Vec<Superseded>,
}

/// A Job's object before an update at `at`.
#[derive(Clone, Debug)]
struct Superseded {
    job: JobId,
    at: Ms,
    object: crate::yaml::Value,
    spec: JobSpec,
    generation: u64,
}

impl Log {
    /// The controllers stopped.
    pub fn controllers_down(&mut self, at: Ms) {
        self.outages.push((at, None));
    }

    /// The controllers started again: the Job controller's in-memory
    /// backoff records are gone.
    pub fn controllers_up(&mut self, at: Ms) {
        if let Some((_, up @ None)) = self.outages.last_mut() {
            *up = Some(at);
        }
        self.replacements.restarted(at);
    }

    /// A container started with the behaviour of this pod rule (or none).
    pub fn rule_applied(&mut self, rule: Option<usize>) {
        if let Some(rule) = rule {
            if self.rule_starts.len() <= rule {
                self.rule_starts.resize(rule + 1, 0);
            }
            self.rule_starts[rule] += 1;
        }
    }

    /// How many container starts the pod rule decided.
    pub fn starts_of_rule(&self, rule: usize) -> u32 {
        self.rule_starts.get(rule).copied().unwrap_or(0)
    }

    /// The Job's object is about to be replaced by an update at `at`.
    pub fn supersede(&mut self, job: JobId, at: Ms, old: &JobObject) {
        self.superseded.push(Superseded {
            job,
            at,
            object: old.object.clone(),
            spec: old.spec.clone(),
            generation: old.generation,
        });
    }

    /// The Job was added or its status written at `now`.
    pub fn record_job(&mut self, job: JobId, now: Ms, status: &JobStatus) {
        while self.history.len() <= job {
            self.history.push(Vec::new());
            self.statuses.push(Vec::new());
        }
        let entry = HistoryEntry::of(now, status);
        let history = &mut self.history[job];
        match history.last_mut() {
            Some(last) if last.same_state(&entry) => {}
            Some(last) if last.at == now => *last = entry,
            _ => history.push(entry),
        }
        let statuses = &mut self.statuses[job];
        match statuses.last_mut() {
            Some((_, last)) if last == status => {}
            Some((at, last)) if *at == now => *last = status.clone(),
            _ => statuses.push((now, status.clone())),
        }
    }

    /// The CronJob was added or changed at `now`.
    pub fn record_cron_job(&mut self, id: CronJobId, now: Ms, c: &CronJobObject) {
        while self.cron_history.len() <= id {
            self.cron_history.push(Vec::new());
        }
        let history = &mut self.cron_history[id];
        let spec = match history.last() {
            Some((_, spec, _)) if **spec == c.spec => spec.clone(),
            _ => Rc::new(c.spec.clone()),
        };
        let entry = (now, spec, c.status.clone());
        match history.last_mut() {
            Some(last) if last.0 == now => *last = entry,
            _ => history.push(entry),
        }
    }
}

/// One point of a Job's history: the counters and True conditions (the
/// report prints it as is, with `at` in seconds).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryEntry {
    pub at: Ms,
    pub active: i32,
    pub ready: i32,
    pub succeeded: i32,
    pub failed: i32,
    pub terminating: i32,
    pub conditions: Vec<String>,
}

impl HistoryEntry {
    fn of(at: Ms, s: &JobStatus) -> HistoryEntry {
        HistoryEntry {
            at,
            active: s.active,
            ready: s.ready.unwrap_or(0),
            succeeded: s.succeeded,
            failed: s.failed,
            terminating: s.terminating.unwrap_or(0),
            conditions: s
                .conditions
                .iter()
                .filter(|c| c.status)
                .map(|c| c.type_.as_str().to_string())
                .collect(),
        }
    }

    fn same_state(&self, other: &HistoryEntry) -> bool {
        (
            self.active,
            self.ready,
            self.succeeded,
            self.failed,
            self.terminating,
            &self.conditions,
        ) == (
            other.active,
            other.ready,
            other.succeeded,
            other.failed,
            other.terminating,
            &other.conditions,
        )
    }
}

/// One decision of a component at a virtual time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub at: Ms,
    pub job: JobId,
    /// The pods it is about (created, deleted, counted, restarted ...).
    pub pods: Vec<PodId>,
    pub why: Why,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Why {
    /// manageJob created pods: wantActive − active (− terminating) = diff.
    Created {
        want_active: i64,
        active: i64,
        terminating: i64,
        /// Terminating pods hold back replacements (podReplacementPolicy Failed).
        terminating_blocks: bool,
        parallelism: i32,
        completions: Option<i32>,
        succeeded: i64,
        /// Slow-start batch sizes (1, 2, 4 ...).
        batches: Vec<usize>,
    },
    /// Replacements wait for the pod-failure backoff (with
    /// backoffLimitPerIndex, `index` waits for its own).
    BackoffWait {
        index: Option<u32>,
        backoff: Backoff,
    },
    /// More active pods than wanted (parallelism lowered, or completions near).
    ScaledDown { active: i64, want_active: i64 },
    /// The Job is suspended: its active pods are deleted, not counted as failed.
    SuspendDeleted,
    /// The Job is finishing: its remaining pods are deleted.
    FinishDeleted {
        condition: ConditionType,
        reason: String,
    },
    /// The pod was added to status.failed.
    CountedFailed { cause: FailCause },
    /// A podFailurePolicy Ignore rule kept the failure out of status.failed.
    IgnoredFailure { rule: usize },
    /// The pod was added to status.succeeded (or completedIndexes).
    CountedSucceeded,
    /// A Job condition was set.
    Condition {
        type_: ConditionType,
        reason: String,
        detail: ConditionDetail,
    },
    /// The API server rejected the status update that finishes the Job
    /// (`condition`): it has no startTime (suspended from 1.36).
    StatusRejected { condition: &'static str },
    /// The kubelet restarted a container in place (restartPolicy OnFailure,
    /// a sidecar, or the container's own restartPolicy or rules).
    Restarted {
        container: String,
        exit_code: i32,
        delay: Ms,
        restart_count: u32,
        /// The `restartPolicyRules` entry (action Restart) that matched.
        rule: Option<usize>,
    },
    /// A `RestartAllContainers` rule matched the container's exit: every
    /// container of the pod is stopped, removed and started again.
    RestartingAll {
        container: String,
        exit_code: i32,
        rule: usize,
    },
    /// The kubelet stopped a container: SIGTERM, then SIGKILL at the end of
    /// the grace period.
    Killed {
        container: String,
        sigkill: bool,
        grace_seconds: i64,
        cause: KillCause,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailCause {
    /// The pod reached phase Failed.
    PhaseFailed,
    /// It was being deleted while not Succeeded (podReplacementPolicy
    /// TerminatingOrFailed counts that as a failure at once).
    Terminating,
    /// The Job is failing: every pod not yet terminated counts as failed.
    JobFailing,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KillCause {
    /// The pod was deleted (or evicted).
    PodDeleted,
    /// The regular containers finished; the sidecars are stopped.
    SidecarsAfterMain,
    /// The pod's own activeDeadlineSeconds passed.
    PodDeadline,
    /// A `RestartAllContainers` rule matched another container's exit.
    RestartAllContainers,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConditionDetail {
    /// failed > backoffLimit.
    BackoffLimit {
        failed: i64,
        backoff_limit: i32,
    },
    /// restartPolicy OnFailure: container restarts reached backoffLimit.
    OnFailureRestarts {
        restarts: i64,
        backoff_limit: i32,
    },
    /// now − startTime ≥ activeDeadlineSeconds.
    Deadline {
        start_time: Ms,
        active_deadline_seconds: i64,
    },
    /// A podFailurePolicy FailJob rule matched a failed pod.
    PodFailurePolicy {
        rule: usize,
        pod: PodId,
    },
    MaxFailedIndexes {
        failed_indexes: u64,
        max_failed_indexes: i32,
    },
    FailedIndexes {
        failed_indexes: u64,
        succeeded_indexes: u64,
        completions: i32,
    },
    SuccessPolicy {
        rule: usize,
    },
    /// succeeded ≥ completions (or, for a work queue, one success) and no active pod.
    Completions {
        succeeded: i64,
        completions: Option<i32>,
    },
    /// Failed/Complete follow FailureTarget/SuccessCriteriaMet once no pod
    /// is left terminating.
    Final {
        interim: ConditionType,
    },
    Suspended,
    Resumed,
}

/// Why a pod that replaces a failed one came when it did, as the Job
/// controller recorded it when it created the pod: the timeline's gap and
/// its Explain text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replacement {
    pub job: JobId,
    /// The failed pod.
    pub failed: PodId,
    /// Its replacement; None while the Job was still waiting when the run
    /// ended.
    pub pod: Option<PodId>,
    pub index: Option<u32>,
    /// The failure as the controller counts it (`getFinishedTime`, whole
    /// seconds): the wait began here.
    pub since: Ms,
    /// When the replacement was created (else the end of the run).
    pub created: Ms,
    pub reason: WaitReason,
    /// The last pod-failure backoff the controller applied while it waited.
    pub backoff: Option<Backoff>,
}

/// What decided when a replacement came.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitReason {
    /// The pod-failure backoff, served in full.
    Backoff,
    /// A success reset the backoff (at `at`), so the wait was cut short.
    ResetBySuccess { at: Option<Ms> },
    /// The controller restarted at `at` and lost its in-memory backoff
    /// record, which held replacements until `forgotten.until()`.
    ControllerRestart { at: Ms, forgotten: Backoff },
    /// The controllers were down from `down` to `up`.
    ControllerDown { down: Ms, up: Ms },
    /// The Job was suspended; the pod came when it was resumed.
    Suspended,
    /// podReplacementPolicy Failed: terminating pods held the slot.
    WaitingForTerminating,
    /// No free slot: parallelism was reached (Indexed Jobs).
    WaitingForSlot,
}

impl WaitReason {
    /// The `data-reason` of the timeline's gap.
    pub fn as_str(self) -> &'static str {
        match self {
            WaitReason::Backoff => "backoff",
            WaitReason::ResetBySuccess { .. } => "reset-by-success",
            WaitReason::ControllerRestart { .. } => "controller-restart",
            WaitReason::ControllerDown { .. } => "controller-down",
            WaitReason::Suspended => "suspended",
            WaitReason::WaitingForTerminating => "waiting-for-terminating",
            WaitReason::WaitingForSlot => "waiting-for-slot",
        }
    }
}

/// What last held a waiting replacement back.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Blocker {
    #[default]
    None,
    Suspended,
    Terminating,
    NoSlot,
}

/// A failure whose replacement is not created yet.
#[derive(Clone, Debug)]
struct Pending {
    job: JobId,
    failed: PodId,
    index: Option<u32>,
    since: Ms,
    /// The latest backoff announced for it.
    last: Option<Backoff>,
    /// The latest backoff announced before a controller restart, and when
    /// the controller restarted.
    forgotten: Option<(Backoff, Ms)>,
    blocker: Blocker,
    success_at: Option<Ms>,
}

/// The Job controller's record of failures and their replacements. It is
/// the simulator's, not the controller's memory: it survives restarts.
#[derive(Clone, Debug, Default)]
pub struct Replacements {
    /// The failures awaiting a replacement, oldest first, per Job and
    /// completion index (None for a NonIndexed Job).
    pending: BTreeMap<(JobId, Option<u32>), VecDeque<Pending>>,
    /// Failed pods already recorded (a failure is recorded once).
    seen: BTreeSet<PodId>,
    pub done: Vec<Replacement>,
}

impl Replacements {
    /// The controller counted a failure (or ignored it by podFailurePolicy:
    /// it is still replaced) that finished at `since`.
    pub fn failed(&mut self, job: JobId, failed: PodId, index: Option<u32>, since: Ms) {
        if self.seen.insert(failed) {
            self.pending
                .entry((job, index))
                .or_default()
                .push_back(Pending {
                    job,
                    failed,
                    index,
                    since,
                    last: None,
                    forgotten: None,
                    blocker: Blocker::None,
                    success_at: None,
                });
        }
    }

    /// The pending failures of `job` (of one index, when `index` is set).
    fn of(&mut self, job: JobId, index: Option<u32>) -> impl Iterator<Item = &mut Pending> {
        let keys = match index {
            Some(_) => (job, index)..=(job, index),
            None => (job, None)..=(job, Some(u32::MAX)),
        };
        self.pending.range_mut(keys).flat_map(|(_, q)| q.iter_mut())
    }

    /// Replacements wait for `backoff` (of `index` alone with
    /// backoffLimitPerIndex).
    pub fn waiting(&mut self, job: JobId, index: Option<u32>, backoff: Backoff) {
        for p in self.of(job, index) {
            p.last = Some(backoff);
        }
    }

    /// Something other than the backoff holds the Job's replacements back.
    pub fn held(&mut self, job: JobId, blocker: Blocker) {
        for p in self.of(job, None) {
            p.blocker = blocker;
        }
    }

    /// Successes were counted, the latest finished at `at`: the backoff of
    /// the Job's waiting replacements was reset.
    pub fn succeeded(&mut self, job: JobId, at: Ms) {
        for p in self.of(job, None) {
            p.success_at = Some(at);
        }
    }

    /// An index succeeded or failed for good: nothing replaces its pod.
    pub fn index_done(&mut self, job: JobId, index: Option<u32>) {
        if index.is_some() {
            self.pending.remove(&(job, index));
        }
    }

    /// A NonIndexed Job wants `deficit` more pods: failures beyond that are
    /// not replaced (parallelism lowered, completions near).
    pub fn wanted(&mut self, job: JobId, deficit: usize) {
        if let Some(q) = self.pending.get_mut(&(job, None)) {
            q.truncate(deficit);
        }
    }

    /// The controller restarted: what it announced is forgotten.
    fn restarted(&mut self, at: Ms) {
        for p in self.pending.values_mut().flatten() {
            if let Some(b) = p.last.filter(|b| b.until() > at) {
                p.forgotten = Some((b, at));
                p.last = None;
            }
        }
    }

    /// The controller created `pods` (with their indexes) at `now`: each
    /// replaces the oldest failure of its index (or of the Job).
    pub fn created(
        &mut self,
        job: JobId,
        pods: &[(PodId, Option<u32>)],
        now: Ms,
        outages: &[(Ms, Option<Ms>)],
    ) {
        for &(pod, index) in pods {
            let Some(p) = self
                .pending
                .get_mut(&(job, index))
                .and_then(VecDeque::pop_front)
            else {
                continue;
            };
            let reason = reason(&p, now, outages);
            self.done.push(Replacement {
                job,
                failed: p.failed,
                pod: Some(pod),
                index,
                since: p.since,
                created: now,
                reason,
                backoff: p.last,
            });
        }
        // Indexed: the indexes not created now wait for a free slot.
        if pods.iter().any(|(_, i)| i.is_some()) {
            self.held(job, Blocker::NoSlot);
        }
    }

    /// The replacements still awaited at the end of a run, for Jobs that
    /// are not finished.
    pub fn awaited(
        &self,
        end: Ms,
        outages: &[(Ms, Option<Ms>)],
        finished: impl Fn(JobId) -> bool,
    ) -> Vec<Replacement> {
        self.pending
            .values()
            .flatten()
            .filter(|p| !finished(p.job) && (p.last.is_some() || p.blocker != Blocker::None))
            .map(|p| Replacement {
                job: p.job,
                failed: p.failed,
                pod: None,
                index: p.index,
                since: p.since,
                created: end,
                reason: awaited_reason(p, end, outages),
                backoff: p.last,
            })
            .collect()
    }
}

/// What still holds the replacement of `p` back at the end of a run.
fn awaited_reason(p: &Pending, end: Ms, outages: &[(Ms, Option<Ms>)]) -> WaitReason {
    if let Some(&(down, None)) = outages.last() {
        return WaitReason::ControllerDown { down, up: end };
    }
    if p.last.is_some_and(|b| b.until() >= end) {
        return WaitReason::Backoff;
    }
    reason(p, end, outages)
}

/// Why the replacement of `p` came at `now`: cut short (a restart forgot
/// the backoff, or a success reset it), on time (the backoff), or late
/// (the controllers were down, the Job suspended, the slot held).
fn reason(p: &Pending, now: Ms, outages: &[(Ms, Option<Ms>)]) -> WaitReason {
    if let Some((forgotten, at)) = p.forgotten
        && forgotten.until() > now
    {
        return WaitReason::ControllerRestart { at, forgotten };
    }
    let expected = p.last.map_or(p.since, |b| b.until());
    if p.last.is_some_and(|b| b.until() > now) || (p.last.is_none() && p.success_at.is_some()) {
        return WaitReason::ResetBySuccess { at: p.success_at };
    }
    if now <= expected + SYNC_JOB_BATCH_PERIOD {
        return WaitReason::Backoff;
    }
    let down = outages
        .iter()
        .map(|&(down, up)| (down, up.unwrap_or(Ms::MAX)))
        .find(|&(down, up)| down < now && up > expected);
    if let Some((down, up)) = down {
        return WaitReason::ControllerDown { down, up };
    }
    match p.blocker {
        Blocker::Suspended => WaitReason::Suspended,
        Blocker::Terminating => WaitReason::WaitingForTerminating,
        Blocker::NoSlot => WaitReason::WaitingForSlot,
        Blocker::None => WaitReason::Backoff,
    }
}
