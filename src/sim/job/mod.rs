//! The Job controller (pkg/controller/job/job_controller.go), as a
//! reconciler: it observes the Job and its pods, computes what differs from
//! the spec, and acts through the API. The structure follows upstream's
//! `syncJob` → `manageJob` → `trackJobStatusAndRemoveFinalizers`.

pub mod backoff;
pub mod indexes;
pub mod policy;

use super::idmap::IdMap;
use super::queue::{DelayingQueue, JobKey};
use super::world::{
    COMPLETION_INDEX_KEY, INDEX_FAILURE_COUNT_KEY, INDEX_IGNORED_FAILURE_COUNT_KEY, JobCondition,
    JobId, JobStatus, Meta, Notice, Phase, PodId, PodRequest, PodTemplate, RestartPolicy, World,
};
use super::{Ctx, SimError, profile};
use crate::api::{
    Container, EnvVar, EnvVarSource, JobSpec, ObjectFieldSelector, PodReplacementPolicy,
};
use crate::sim::world::ConditionType;
use crate::time::{Ms, SECOND};
use crate::trace::{Blocker, ConditionDetail, FailCause, Why};
use backoff::{Backoff, BackoffRecord, api_time, finished_time};
use indexes::IndexSet;
use policy::{
    PolicyAction, PolicyMatch, deletion_order, match_pod_failure_policy, match_success_policy,
};
use std::collections::BTreeMap;
use std::rc::Rc;

pub const COMPLETION_INDEX_ENV: &str = "JOB_COMPLETION_INDEX";

/// `SyncJobBatchPeriod`: pod events are batched into one sync a second later.
pub const SYNC_JOB_BATCH_PERIOD: Ms = SECOND;
/// `MaxUncountedPods`: pods counted per sync.
const MAX_UNCOUNTED_PODS: usize = 500;
/// `MaxPodCreateDeletePerSync`.
pub const MAX_POD_CREATE_DELETE_PER_SYNC: i64 = 500;

pub const REASON_BACKOFF_LIMIT_EXCEEDED: &str = "BackoffLimitExceeded";
pub const REASON_DEADLINE_EXCEEDED: &str = "DeadlineExceeded";
pub const REASON_POD_FAILURE_POLICY: &str = "PodFailurePolicy";
pub const REASON_MAX_FAILED_INDEXES_EXCEEDED: &str = "MaxFailedIndexesExceeded";
pub const REASON_FAILED_INDEXES: &str = "FailedIndexes";
pub const REASON_SUCCESS_POLICY: &str = "SuccessPolicy";
pub const REASON_COMPLETIONS_REACHED: &str = "CompletionsReached";

const SOURCE: &str = "job-controller";

/// The Job controller's memory: its queue and the per-Job backoff records.
/// Both are lost when the controller restarts, as upstream's are.
#[derive(Clone, Default)]
pub struct JobController {
    queue: DelayingQueue<JobKey>,
    backoff: IdMap<BackoffRecord>,
    last_wait: IdMap<Ms>,
    /// Per Job: the containers its pods get (the template's, with
    /// JOB_COMPLETION_INDEX for Indexed Jobs), shared by all its pods, for
    /// the Job's generation they were made from; and how many are init
    /// containers.
    pod_specs: IdMap<(u64, PodSpecs)>,
    /// Per Job: status updates the API server rejected in a row (the
    /// workqueue's rate limiter: 1 s doubling up to 60 s).
    rejected_updates: IdMap<u32>,
}

/// The Job controller's queue retries a failed sync after 1 s, doubling
/// up to 60 s (DefaultJobApiBackOff, MaxJobApiBackOff).
const API_BACKOFF: Ms = SECOND;
const MAX_API_BACKOFF: Ms = 60 * SECOND;

/// What every pod of a Job shares: its containers (init containers
/// first) and how many are init containers, the template's labels and
/// annotations.
#[derive(Clone)]
pub struct PodSpecs {
    containers: Rc<[Container]>,
    init_containers: usize,
    labels: Rc<BTreeMap<String, String>>,
    annotations: Rc<BTreeMap<String, String>>,
}

/// The resolved spec values one sync works with.
struct Spec {
    parallelism: i64,
    completions: Option<i64>,
    indexed: bool,
    backoff_limit: i64,
    backoff_limit_per_index: Option<i64>,
    max_failed_indexes: Option<i64>,
    active_deadline_seconds: Option<i64>,
    suspend: bool,
    only_replace_failed: bool,
    on_failure: bool,
}

impl Spec {
    fn of(spec: &JobSpec) -> Spec {
        Spec {
            parallelism: i64::from(spec.parallelism.unwrap_or(1)),
            completions: spec.completions.map(i64::from),
            indexed: spec.is_indexed(),
            backoff_limit: i64::from(spec.backoff_limit.unwrap_or(6)),
            backoff_limit_per_index: spec.backoff_limit_per_index.map(i64::from),
            max_failed_indexes: spec.max_failed_indexes.map(i64::from),
            active_deadline_seconds: spec.active_deadline_seconds,
            suspend: spec.suspend.unwrap_or(false),
            only_replace_failed: spec.pod_replacement_policy == Some(PodReplacementPolicy::Failed),
            on_failure: spec.template.spec.restart_policy.as_deref() == Some("OnFailure"),
        }
    }

    /// A failed pod, as the sync counts failures: failed, or (unless only
    /// failed pods are replaced) being deleted before it succeeded.
    fn is_failed(&self, phase: Phase, deleting: bool) -> bool {
        phase == Phase::Failed
            || (!self.only_replace_failed && deleting && phase != Phase::Succeeded)
    }

    fn completions_u32(&self) -> u32 {
        self.completions.unwrap_or(0).clamp(0, i64::from(u32::MAX)) as u32
    }
}

/// A pod as the sync saw it when it listed the pods (upstream works on
/// informer copies: deletions made during the sync do not change them).
#[derive(Clone, Copy)]
struct ListedPod {
    id: PodId,
    phase: Phase,
    deleting: bool,
    finalizer: bool,
    index: Option<u32>,
    ready: bool,
}

impl ListedPod {
    fn is_active(&self) -> bool {
        !self.phase.is_terminal() && !self.deleting
    }
}

/// The condition a sync decided the Job finishes with.
#[derive(Clone, Debug)]
struct Finish {
    type_: ConditionType,
    reason: String,
    message: String,
    detail: ConditionDetail,
}

impl Finish {
    fn failure(reason: &str, message: &str, detail: ConditionDetail) -> Finish {
        Finish {
            type_: ConditionType::FailureTarget,
            reason: reason.to_string(),
            message: message.to_string(),
            detail,
        }
    }
}

fn condition(
    type_: ConditionType,
    status: bool,
    reason: &str,
    message: &str,
    now: Ms,
) -> JobCondition {
    JobCondition {
        type_,
        status,
        reason: reason.to_string(),
        message: message.to_string(),
        last_probe_time: now,
        last_transition_time: now,
    }
}

/// `ensureJobConditionStatus`: replaces a condition whose status, reason or
/// message differ; adds a missing one unless it would be False.
fn ensure_condition(
    status: &mut JobStatus,
    type_: ConditionType,
    value: bool,
    reason: &str,
    message: &str,
    now: Ms,
) -> bool {
    if let Some(c) = status.conditions.iter_mut().find(|c| c.type_ == type_) {
        if c.status != value || c.reason != reason || c.message != message {
            *c = condition(type_, value, reason, message, now);
            return true;
        }
        return false;
    }
    if value {
        status
            .conditions
            .push(condition(type_, value, reason, message, now));
        return true;
    }
    false
}

impl JobController {
    /// The informer's event handlers: when to sync which Job.
    pub fn observe(&mut self, world: &World, notice: Notice, sched: &mut super::Scheduler) {
        let now = world.now();
        match notice {
            Notice::JobAdded(job) => self.queue.add_at(sched, job, now),
            Notice::JobUpdated {
                job,
                spec_changed,
                deadline_changed,
            } => {
                let j = &world.jobs()[job];
                if j.status.is_finished() {
                    return;
                }
                let delay = if spec_changed {
                    0
                } else {
                    SYNC_JOB_BATCH_PERIOD
                };
                self.queue.add_at(sched, job, now + delay);
                if deadline_changed
                    && let (Some(start), Some(ads)) =
                        (j.status.start_time, j.spec.active_deadline_seconds)
                {
                    let deadline = api_time(start).saturating_add(ads.max(0) as Ms * SECOND);
                    self.queue.add_at(sched, job, deadline.max(now));
                }
            }
            // A deleted Job's pods lose their finalizers (orphan cleanup).
            Notice::JobGone(job) => self.queue.add_at(sched, job, now),
            Notice::PodAdded(pod) | Notice::PodUpdated(pod) | Notice::PodGone(pod) => {
                let job = world.pods()[pod].job;
                let j = &world.jobs()[job];
                if j.gone_at.is_some() {
                    self.queue.add_at(sched, job, now);
                } else if !j.status.is_finished() {
                    self.queue.add_at(sched, job, now + SYNC_JOB_BATCH_PERIOD);
                }
            }
            Notice::CronJobAdded(_) | Notice::CronJobUpdated { .. } | Notice::CronJobGone(_) => {}
        }
    }

    /// A (re)started controller lists every Job and syncs it at once.
    pub fn start(&mut self, world: &World, sched: &mut super::Scheduler) {
        for job in 0..world.jobs().len() {
            self.queue.add_at(sched, job, world.now());
        }
    }

    /// Whether the wake-up at `at` is due for `job`.
    pub fn take_due(&mut self, job: JobId, at: Ms) -> bool {
        self.queue.take(job, at)
    }

    /// `syncJob`: a finished, gone or externally managed Job is left alone;
    /// otherwise the finished pods are counted, the Job's end decided
    /// (`finishedCondition`), pods created or deleted (`manageJob`) and
    /// the status written (`trackJobStatusAndRemoveFinalizers`).
    pub fn sync(&mut self, ctx: &mut Ctx, job: JobId) -> Result<(), SimError> {
        if ctx.world.jobs()[job].gone_at.is_some() {
            self.backoff.remove(job);
            let orphans: Vec<PodId> = ctx.world.existing_pods(job).collect();
            for pod in orphans {
                ctx.world.remove_tracking_finalizer(pod);
            }
            return Ok(());
        }
        if ctx.world.jobs()[job].status.is_finished() {
            self.backoff.remove(job);
            return Ok(());
        }
        if managed_by_external_controller(ctx, job) {
            return Ok(());
        }
        let mut s = self.sync_ctx(ctx, job);
        record_new_finished_pods(ctx, &s);
        if s.status.start_time.is_none() && !s.spec.suspend {
            s.status.start_time = Some(ctx.world.now());
        }
        s.finish = self.finished_condition(ctx, &s);
        if s.spec.indexed {
            indexed_progress(ctx, &mut s);
        }
        let finishing = s.finish.as_ref().map(|f| Why::FinishDeleted {
            condition: f.type_,
            reason: f.reason.clone(),
        });
        let suspend_changed = match finishing {
            Some(why) => {
                // deleteActivePods: finalizers kept, so the pods are counted.
                let pods = s.active_pods.iter().map(|v| v.id).collect();
                let counts = (s.active, s.terminating, s.ready);
                (s.active, s.terminating, s.ready) =
                    delete_active(ctx, s.job, pods, false, why, counts)?;
                false
            }
            None => self.manage_and_suspend(ctx, &mut s)?,
        };
        // status.terminating exists from 1.29 (JobPodReplacementPolicy).
        let terminating = (ctx.profile.pod_replacement_policy == profile::Gate::On)
            .then_some(s.terminating as i32);
        let status = &mut s.status;
        let needs_update = suspend_changed
            || s.active != i64::from(status.active)
            || Some(s.ready as i32) != status.ready
            || terminating != status.terminating;
        status.active = s.active as i32;
        status.ready = Some(s.ready as i32);
        status.terminating = terminating;
        self.track_status_and_remove_finalizers(ctx, s, needs_update)
    }

    /// What the sync knows at its start: the pods as listed, the counters,
    /// the finished pods not yet counted (`getNewFinishedPods`).
    fn sync_ctx(&mut self, ctx: &mut Ctx, job: JobId) -> SyncCtx {
        let listed = self.list_pods(ctx.world, job);
        let j = &ctx.world.jobs()[job];
        let spec = Spec::of(&j.spec);
        let policy = j.spec.pod_failure_policy.clone();
        let namespace = j.namespace.clone();
        let status = j.status.clone();
        let completions = spec.completions_u32();
        let valid_index = |v: &ListedPod| !spec.indexed || v.index.is_some_and(|i| i < completions);
        let active_pods: Vec<ListedPod> = listed
            .iter()
            .copied()
            .filter(ListedPod::is_active)
            .collect();
        let new_succeeded: Vec<ListedPod> = listed
            .iter()
            .copied()
            .filter(|v| v.finalizer && v.phase == Phase::Succeeded && valid_index(v))
            .collect();
        let by_index = ctx.profile.backoff_limit_per_index == profile::Gate::On;
        let new_failed: Vec<(ListedPod, Option<PolicyMatch>)> = listed
            .iter()
            .copied()
            .filter(|v| v.finalizer && spec.is_failed(v.phase, v.deleting) && valid_index(v))
            .map(|v| {
                let pod = &ctx.world.pods()[v.id];
                (
                    v,
                    match_pod_failure_policy(policy.as_ref(), pod, &namespace, by_index),
                )
            })
            .collect();
        let finish_times = |list: &mut dyn Iterator<Item = PodId>| -> Vec<Ms> {
            list.map(|p| finished_time(&ctx.world.pods()[p])).collect()
        };
        let new_backoff = self.backoff.get(job).copied().unwrap_or_default().updated(
            &finish_times(&mut new_succeeded.iter().map(|v| v.id)),
            &finish_times(&mut new_failed.iter().map(|(v, _)| v.id)),
        );
        let counted_failures = new_failed.iter().filter(|(_, m)| PolicyMatch::counts(m));
        SyncCtx {
            job,
            job_deleting: j.deletion_timestamp.is_some(),
            active: active_pods.len() as i64,
            ready: active_pods.iter().filter(|v| v.ready).count() as i64,
            terminating: listed
                .iter()
                .filter(|v| !v.phase.is_terminal() && v.deleting)
                .count() as i64,
            succeeded: i64::from(status.succeeded) + new_succeeded.len() as i64,
            failed: i64::from(status.failed) + counted_failures.count() as i64,
            spec,
            policy,
            namespace,
            status,
            listed,
            active_pods,
            new_succeeded,
            new_failed,
            succeeded_indexes: IndexSet::default(),
            failed_indexes: IndexSet::default(),
            delayed: IdMap::default(),
            new_backoff,
            finish: None,
        }
    }

    /// The condition the Job finishes with, if any: the first rule that
    /// applies wins (an interim condition set earlier, a FailJob rule
    /// (`getFailJobMessage`), the backoff limit, `pastActiveDeadline`).
    fn finished_condition(&mut self, ctx: &mut Ctx, s: &SyncCtx) -> Option<Finish> {
        let status = &s.status;
        if let Some(c) = status
            .condition(ConditionType::SuccessCriteriaMet)
            .filter(|c| c.status)
        {
            return Some(Finish {
                type_: ConditionType::SuccessCriteriaMet,
                reason: c.reason.clone(),
                message: c.message.clone(),
                detail: ConditionDetail::Final {
                    interim: ConditionType::SuccessCriteriaMet,
                },
            });
        }
        if let Some(c) = status
            .condition(ConditionType::FailureTarget)
            .filter(|c| c.status)
        {
            return Some(Finish {
                type_: ConditionType::Failed,
                reason: c.reason.clone(),
                message: c.message.clone(),
                detail: ConditionDetail::Final {
                    interim: ConditionType::FailureTarget,
                },
            });
        }
        if s.policy.is_some()
            && let Some(finish) = fail_job_message(ctx, s)
        {
            return Some(finish);
        }
        let spec = &s.spec;
        let backoff_limit = spec.backoff_limit as i32;
        if s.failed > spec.backoff_limit {
            let detail = ConditionDetail::BackoffLimit {
                failed: s.failed,
                backoff_limit,
            };
            return Some(Finish::failure(
                REASON_BACKOFF_LIMIT_EXCEEDED,
                BACKOFF_MESSAGE,
                detail,
            ));
        }
        if let Some(restarts) = on_failure_restarts(ctx.world, &s.listed, spec)
            && (if spec.backoff_limit == 0 {
                restarts > 0
            } else {
                restarts >= spec.backoff_limit
            })
        {
            let detail = ConditionDetail::OnFailureRestarts {
                restarts,
                backoff_limit,
            };
            return Some(Finish::failure(
                REASON_BACKOFF_LIMIT_EXCEEDED,
                BACKOFF_MESSAGE,
                detail,
            ));
        }
        self.past_active_deadline(ctx, s)
    }

    /// `pastActiveDeadline`; before the deadline the Job is queued for it.
    fn past_active_deadline(&mut self, ctx: &mut Ctx, s: &SyncCtx) -> Option<Finish> {
        let (Some(ads), Some(start), false) = (
            s.spec.active_deadline_seconds,
            s.status.start_time,
            s.spec.suspend,
        ) else {
            return None;
        };
        let deadline = api_time(start).saturating_add(ads.max(0) as Ms * SECOND);
        if ctx.world.now() < deadline {
            self.queue.add_at(ctx.sched, s.job, deadline);
            return None;
        }
        let detail = ConditionDetail::Deadline {
            start_time: api_time(start),
            active_deadline_seconds: ads,
        };
        Some(Finish::failure(
            REASON_DEADLINE_EXCEEDED,
            "Job was active longer than specified deadline",
            detail,
        ))
    }

    /// `manageJob` (unless the Job is being deleted), then whether it has
    /// all its completions, else the Suspended condition as the spec says;
    /// returns whether that condition changed.
    fn manage_and_suspend(&mut self, ctx: &mut Ctx, s: &mut SyncCtx) -> Result<bool, SimError> {
        if !s.job_deleting {
            (s.active, s.terminating, s.ready) = self.manage_job(ctx, s)?;
        }
        let complete = match s.spec.completions {
            None => s.succeeded > 0 && s.active == 0,
            Some(c) => s.succeeded >= c && s.active == 0,
        };
        if complete {
            s.finish = Some(Finish {
                type_: ConditionType::SuccessCriteriaMet,
                reason: REASON_COMPLETIONS_REACHED.into(),
                message: "Reached expected number of succeeded pods".into(),
                detail: ConditionDetail::Completions {
                    succeeded: s.succeeded,
                    completions: s.spec.completions.map(|c| c as i32),
                },
            });
            return Ok(false);
        }
        if s.job_deleting {
            return Ok(false);
        }
        set_suspended_condition(ctx, s)
    }
    /// The pods of the Job the controller still has to look at, as listed.
    fn list_pods(&mut self, world: &mut World, job: JobId) -> Vec<ListedPod> {
        world.retain_live_pods(job, |b| !b.gone && (b.finalizer || !b.phase.is_terminal()));
        world.jobs()[job]
            .live_pods
            .iter()
            .map(|&id| {
                let b = world.brief(id);
                ListedPod {
                    id,
                    phase: b.phase,
                    deleting: b.deleting,
                    finalizer: b.finalizer,
                    index: b.index,
                    ready: b.ready,
                }
            })
            .collect()
    }
}

/// Backoff-limit failures' message.
const BACKOFF_MESSAGE: &str = "Job has reached the specified backoff limit";

/// `managedByExternalController`: with JobManagedBy on, a Job whose
/// spec.managedBy names another controller is left to it entirely.
fn managed_by_external_controller(ctx: &Ctx, job: JobId) -> bool {
    let external = ctx.world.jobs()[job]
        .spec
        .managed_by
        .as_deref()
        .is_some_and(|by| by != "kubernetes.io/job-controller");
    external && ctx.profile.managed_by == profile::Gate::On
}

/// The trace's record of failures to replace, and of successes (which
/// reset the backoff and finish an index).
fn record_new_finished_pods(ctx: &mut Ctx, s: &SyncCtx) {
    for (v, _) in &s.new_failed {
        let since = finished_time(&ctx.world.pods()[v.id]);
        ctx.log.replacements.failed(s.job, v.id, v.index, since);
    }
    // An index that succeeded needs no replacement any more.
    for v in s.new_succeeded.iter().filter(|v| v.index.is_some()) {
        ctx.log.replacements.index_done(s.job, v.index);
    }
    let last_success = s
        .new_succeeded
        .iter()
        .map(|v| finished_time(&ctx.world.pods()[v.id]))
        .max();
    if let Some(at) = last_success {
        ctx.log.replacements.succeeded(s.job, at);
    }
}

/// `getFailJobMessage`: the first failed pod of the Job (counted or not)
/// that a FailJob rule matches.
fn fail_job_message(ctx: &Ctx, s: &SyncCtx) -> Option<Finish> {
    let world = &*ctx.world;
    let by_index = ctx.profile.backoff_limit_per_index == profile::Gate::On;
    world.existing_pods(s.job).find_map(|id| {
        let p = &world.pods()[id];
        if !s.spec.is_failed(p.phase, p.deletion_timestamp.is_some()) {
            return None;
        }
        let m = match_pod_failure_policy(s.policy.as_ref(), p, &s.namespace, by_index)?;
        (m.action == PolicyAction::FailJob).then(|| {
            let detail = ConditionDetail::PodFailurePolicy {
                rule: m.rule,
                pod: id,
            };
            Finish::failure(REASON_POD_FAILURE_POLICY, &m.message, detail)
        })
    })
}

/// An Indexed Job's progress: the succeeded indexes (which set
/// `succeeded`), with backoffLimitPerIndex the failed ones and the
/// failures whose replacement waits, and the end they may bring
/// (maxFailedIndexes, every index finished with some failed, a success
/// policy).
fn indexed_progress(ctx: &mut Ctx, s: &mut SyncCtx) {
    let completions = s.spec.completions_u32();
    s.succeeded_indexes = IndexSet::parse(&s.status.completed_indexes, completions);
    for i in s.new_succeeded.iter().filter_map(|v| v.index) {
        s.succeeded_indexes.insert(i);
    }
    s.succeeded = s.succeeded_indexes.total() as i64;
    if let Some(limit) = s.spec.backoff_limit_per_index {
        let failed = s.status.failed_indexes.as_deref().unwrap_or("");
        s.failed_indexes = IndexSet::parse(failed, completions);
        for (v, m) in &s.new_failed {
            let fail_index = matches!(m, Some(m) if m.action == PolicyAction::FailIndex);
            let index_failed = fail_index
                || (PolicyMatch::counts(m) && index_failure_count(ctx.world, v.id) >= limit);
            if index_failed && let Some(i) = v.index {
                s.failed_indexes.insert(i);
                ctx.log.replacements.index_done(s.job, Some(i));
            }
        }
        if s.finish.is_none() {
            s.finish = failed_indexes_condition(s, completions);
        }
        s.delayed = delayed_deletion_per_index(ctx.world, s, completions);
    }
    if s.finish.is_none() {
        let success_policy = ctx.world.jobs()[s.job].spec.success_policy.clone();
        let matched =
            match_success_policy(success_policy.as_ref(), completions, &s.succeeded_indexes);
        if let Some((rule, message)) = matched {
            s.finish = Some(Finish {
                type_: ConditionType::SuccessCriteriaMet,
                reason: REASON_SUCCESS_POLICY.into(),
                message,
                detail: ConditionDetail::SuccessPolicy { rule },
            });
        }
    }
}

/// With backoffLimitPerIndex: more failed indexes than maxFailedIndexes,
/// or every index finished with some failed.
fn failed_indexes_condition(s: &SyncCtx, completions: u32) -> Option<Finish> {
    let failed_total = s.failed_indexes.total();
    if let Some(max) = s.spec.max_failed_indexes
        && failed_total as i64 > max
    {
        return Some(Finish::failure(
            REASON_MAX_FAILED_INDEXES_EXCEEDED,
            "Job has exceeded the specified maximal number of failed indexes",
            ConditionDetail::MaxFailedIndexes {
                failed_indexes: failed_total,
                max_failed_indexes: max as i32,
            },
        ));
    }
    let succeeded_total = s.succeeded_indexes.total();
    (failed_total > 0 && failed_total + succeeded_total >= u64::from(completions)).then(|| {
        Finish::failure(
            REASON_FAILED_INDEXES,
            "Job has failed indexes",
            ConditionDetail::FailedIndexes {
                failed_indexes: failed_total,
                succeeded_indexes: succeeded_total,
                completions: completions as i32,
            },
        )
    })
}

/// The Suspended condition as the spec says (`JobSuspended` or
/// `JobResumed`), with its event; whether it changed.
fn set_suspended_condition(ctx: &mut Ctx, s: &mut SyncCtx) -> Result<bool, SimError> {
    let now = ctx.world.now();
    let (reason, message, event, detail) = if s.spec.suspend {
        (
            "JobSuspended",
            "Job suspended",
            "Suspended",
            ConditionDetail::Suspended,
        )
    } else {
        (
            "JobResumed",
            "Job resumed",
            "Resumed",
            ConditionDetail::Resumed,
        )
    };
    let suspended = ConditionType::Suspended;
    let changed = ensure_condition(
        &mut s.status,
        suspended,
        s.spec.suspend,
        reason,
        message,
        now,
    );
    if !changed {
        return Ok(false);
    }
    let key = ctx.world.jobs()[s.job].key();
    ctx.world
        .record_event(SOURCE, key, false, event, message.into())?;
    ctx.decide_condition(s.job, suspended, reason, detail);
    if !s.spec.suspend {
        s.status.start_time = Some(now);
    } else if ctx.profile.mutable_suspended_jobs {
        // MutableSchedulingDirectivesForSuspendedJobs: the deadline clock
        // stops and restarts at the resume.
        s.status.start_time = None;
    }
    Ok(true)
}

/// `pastBackoffLimitOnFailure`'s sum: container restarts of Pending and
/// Running pods (None unless restartPolicy is OnFailure).
fn on_failure_restarts(world: &World, listed: &[ListedPod], spec: &Spec) -> Option<i64> {
    if !spec.on_failure {
        return None;
    }
    let sum = listed
        .iter()
        .filter(|v| matches!(v.phase, Phase::Pending | Phase::Running))
        .flat_map(|v| world.pods()[v.id].containers.iter())
        .map(|c| i64::from(c.restart_count))
        .sum();
    Some(sum)
}

fn annotation_count(world: &World, pod: PodId, key: &str) -> i64 {
    world.pods()[pod]
        .template
        .annotations
        .get(key)
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(0)
}

fn index_failure_count(world: &World, pod: PodId) -> i64 {
    annotation_count(world, pod, INDEX_FAILURE_COUNT_KEY)
}

/// failure count + ignored failure count.
fn index_absolute_failure_count(world: &World, pod: PodId) -> i64 {
    index_failure_count(world, pod) + annotation_count(world, pod, INDEX_IGNORED_FAILURE_COUNT_KEY)
}

/// `getPodsWithDelayedDeletionPerIndex`: per index that is neither done,
/// failed nor active, the failed pod whose finalizer is kept until its
/// replacement carries the failure count forward.
fn delayed_deletion_per_index(world: &World, s: &SyncCtx, completions: u32) -> IdMap<PodId> {
    let active_indexes: Vec<u32> = s.active_pods.iter().filter_map(|v| v.index).collect();
    let mut out: IdMap<PodId> = IdMap::default();
    for v in s
        .listed
        .iter()
        .filter(|v| s.spec.is_failed(v.phase, v.deleting))
    {
        let Some(ix) = v.index.filter(|&i| i < completions) else {
            continue;
        };
        if s.succeeded_indexes.contains(ix)
            || s.failed_indexes.contains(ix)
            || active_indexes.contains(&ix)
        {
            continue;
        }
        match out.get(ix as usize) {
            Some(&last)
                if !(index_absolute_failure_count(world, last)
                    <= index_absolute_failure_count(world, v.id)
                    && finished_time(&world.pods()[v.id])
                        >= finished_time(&world.pods()[last])) => {}
            _ => {
                out.insert(ix as usize, v.id);
            }
        }
    }
    out
}

/// `syncJobCtx`: what one sync knows about its Job, built at its start and
/// handed to `manageJob` and then to `trackJobStatusAndRemoveFinalizers`.
struct SyncCtx {
    job: JobId,
    spec: Spec,
    policy: Option<crate::api::PodFailurePolicy>,
    namespace: String,
    job_deleting: bool,
    /// The status this sync writes.
    status: JobStatus,
    /// The pods the controller looks at, as listed; the active ones.
    listed: Vec<ListedPod>,
    active_pods: Vec<ListedPod>,
    /// `getNewFinishedPods`: finished pods that still carry the finalizer
    /// (failed ones with the pod failure policy rule they match).
    new_succeeded: Vec<ListedPod>,
    new_failed: Vec<(ListedPod, Option<PolicyMatch>)>,
    /// The counters: succeeded and failed with the new finished pods.
    active: i64,
    ready: i64,
    terminating: i64,
    succeeded: i64,
    failed: i64,
    /// Indexed Jobs: succeeded and (backoffLimitPerIndex) failed indexes,
    /// and per index the failed pod whose replacement waits.
    succeeded_indexes: IndexSet,
    failed_indexes: IndexSet,
    delayed: IdMap<PodId>,
    new_backoff: BackoffRecord,
    /// The condition the Job finishes with, once decided.
    finish: Option<Finish>,
}

impl JobController {
    /// `manageJob`: creates or deletes pods to match the spec. Returns the
    /// new (active, terminating, ready).
    fn manage_job(&mut self, ctx: &mut Ctx, m: &SyncCtx) -> Result<(i64, i64, i64), SimError> {
        let now = ctx.world.now();
        let spec = &m.spec;
        let (terminating, ready) = (m.terminating, m.ready);
        let mut active = m.active_pods.len() as i64;
        if spec.suspend {
            ctx.log.replacements.held(m.job, Blocker::Suspended);
            let pods: Vec<PodId> = m.active_pods.iter().map(|v| v.id).collect();
            let counts = (active, terminating, ready);
            return delete_active(ctx, m.job, pods, true, Why::SuspendDeleted, counts);
        }
        let want_active = wanted_active(now, m)?;
        let deficit = want_active - active;
        if !spec.indexed {
            ctx.log.replacements.wanted(m.job, deficit.max(0) as usize);
        } else if deficit <= 0 {
            ctx.log.replacements.held(m.job, Blocker::NoSlot);
        }
        let rm_at_least = (-deficit).max(0);
        let mut to_delete = self.pods_for_removal(ctx.world, m, rm_at_least);
        to_delete.truncate(MAX_POD_CREATE_DELETE_PER_SYNC as usize);
        if !to_delete.is_empty() {
            let why = Why::ScaledDown {
                active,
                want_active,
            };
            let counts = (active, terminating, ready);
            return delete_active(ctx, m.job, to_delete, true, why, counts);
        }
        let blocking = if spec.only_replace_failed {
            terminating
        } else {
            0
        };
        let mut diff = deficit - blocking;
        if diff <= 0 {
            if deficit > 0 {
                ctx.log.replacements.held(m.job, Blocker::Terminating);
            }
            return Ok((active, terminating, ready));
        }
        if spec.backoff_limit_per_index.is_none()
            && let Some(backoff) = m
                .new_backoff
                .backoff(ctx.profile.max_pod_failure_backoff)
                .filter(|b| b.until() > now)
        {
            ctx.log.replacements.waiting(m.job, None, backoff);
            self.wait(ctx, m.job, None, backoff);
            return Ok((active, terminating, ready));
        }
        diff = diff.min(MAX_POD_CREATE_DELETE_PER_SYNC);
        let indexes: Vec<Option<u32>> = if spec.indexed {
            let mut pending =
                first_pending_indexes(m, blocking > 0, diff as usize, spec.completions_u32());
            if spec.backoff_limit_per_index.is_some() {
                pending = self.ready_indexes(ctx, m, pending);
            }
            pending.into_iter().map(Some).collect()
        } else {
            vec![None; diff as usize]
        };
        if !indexes.is_empty() {
            active += self.create_in_batches(ctx, m, &indexes, want_active)?;
        }
        Ok((active, terminating, ready))
    }

    /// Creates the pods for `indexes` (in slow-start batches: 1, 2, 4 ...)
    /// and records why; returns how many were created.
    fn create_in_batches(
        &mut self,
        ctx: &mut Ctx,
        m: &SyncCtx,
        indexes: &[Option<u32>],
        want_active: i64,
    ) -> Result<i64, SimError> {
        let now = ctx.world.now();
        let spec = &m.spec;
        let (active, terminating) = (m.active_pods.len() as i64, m.terminating);
        let created = self.create_pods(ctx, m, indexes)?;
        let with_indexes: Vec<(PodId, Option<u32>)> = created
            .iter()
            .copied()
            .zip(indexes.iter().copied())
            .collect();
        let log = &mut *ctx.log;
        log.replacements
            .created(m.job, &with_indexes, now, &log.outages);
        let mut batches = Vec::new();
        let (mut left, mut size) = (created.len(), 1);
        while left > 0 {
            let b = size.min(left);
            batches.push(b);
            left -= b;
            size *= 2;
        }
        ctx.decide(
            m.job,
            created.clone(),
            Why::Created {
                want_active,
                active,
                terminating,
                terminating_blocks: spec.only_replace_failed,
                parallelism: spec.parallelism as i32,
                completions: spec.completions.map(|c| c as i32),
                succeeded: m.succeeded,
                batches,
            },
        );
        let after = active + created.len() as i64;
        // Creating never takes the Job past what it wants active (only a
        // lowered parallelism leaves more, until the scale-down).
        debug_assert!(
            after <= want_active.max(0),
            "job {}: {after} active after creating, wanted {want_active}",
            m.job
        );
        self.last_wait.remove(m.job);
        Ok(created.len() as i64)
    }

    /// Requeues the Job when `backoff` ends (at least a second later, as
    /// `enqueueSyncJobWithDelay` does) and records why, once per wait.
    fn wait(&mut self, ctx: &mut Ctx, job: JobId, index: Option<u32>, backoff: Backoff) {
        let now = ctx.world.now();
        let until = backoff.until();
        self.queue
            .add_at(ctx.sched, job, until.max(now + SYNC_JOB_BATCH_PERIOD));
        if self.last_wait.insert(job, until) != Some(until) {
            ctx.decide(job, Vec::new(), Why::BackoffWait { index, backoff });
        }
    }

    /// backoffLimitPerIndex: only indexes whose own backoff has passed are
    /// created now; the Job is requeued for the earliest of the others.
    fn ready_indexes(&mut self, ctx: &mut Ctx, m: &SyncCtx, pending: Vec<u32>) -> Vec<u32> {
        let now = ctx.world.now();
        let max = ctx.profile.max_pod_failure_backoff;
        let mut ready = Vec::new();
        let mut soonest: Option<(u32, Backoff)> = None;
        for index in pending {
            let Some(&last) = m.delayed.get(index as usize) else {
                ready.push(index);
                continue;
            };
            let failures = (index_absolute_failure_count(ctx.world, last) + 1) as u32;
            let backoff = Backoff::new(failures, finished_time(&ctx.world.pods()[last]), max);
            if backoff.until() <= now {
                ready.push(index);
                continue;
            }
            ctx.log.replacements.waiting(m.job, Some(index), backoff);
            if soonest.is_none_or(|(_, s)| backoff.until() < s.until()) {
                soonest = Some((index, backoff));
            }
        }
        if ready.is_empty()
            && let Some((index, backoff)) = soonest
        {
            self.wait(ctx, m.job, Some(index), backoff);
        }
        ready
    }

    /// `activePodsForRemoval`: for Indexed Jobs first the pods with an
    /// out-of-range or duplicated index, then the rest in ActivePods order.
    fn pods_for_removal(&self, world: &World, m: &SyncCtx, rm_at_least: i64) -> Vec<PodId> {
        let mut rm = Vec::new();
        let mut left: Vec<PodId> = Vec::new();
        if m.spec.indexed && !all_distinct_in_range(&m.active_pods, m.spec.completions_u32()) {
            let completions = m.spec.completions_u32();
            let mut by_index: Vec<&ListedPod> = m.active_pods.iter().collect();
            crate::sort::sort_by_key(&mut by_index, |v| (v.index, v.id));
            let mut i = 0;
            while i < by_index.len() {
                let ix = by_index[i].index;
                let mut group: Vec<PodId> = by_index[i..]
                    .iter()
                    .take_while(|v| v.index == ix)
                    .map(|v| v.id)
                    .collect();
                i += group.len();
                match ix {
                    Some(ix) if ix < completions => {
                        crate::sort::sort_by(&mut group, |&a, &b| {
                            deletion_order(&world.pods()[a], &world.pods()[b])
                        });
                        let keep = group.pop().expect("groups are not empty");
                        rm.extend(group);
                        left.push(keep);
                    }
                    _ => rm.extend(group),
                }
            }
        } else {
            // NonIndexed, or no duplicate and no index out of range: the
            // grouping by index (a sort at every sync) would keep them all.
            left = m.active_pods.iter().map(|v| v.id).collect();
        }
        let needed = rm_at_least.max(0) as usize;
        if rm.len() < needed {
            crate::sort::sort_by(&mut left, |&a, &b| {
                deletion_order(&world.pods()[a], &world.pods()[b])
            });
            rm.extend(left.into_iter().take(needed - rm.len()));
        }
        rm
    }

    /// The containers of the Job's pods, made once per generation.
    fn pod_specs(&mut self, world: &World, job: JobId, profile: &profile::Profile) -> PodSpecs {
        let j = &world.jobs()[job];
        if let Some((generation, specs)) = self.pod_specs.get(job)
            && *generation == j.generation
        {
            return specs.clone();
        }
        let spec = &j.spec.template.spec;
        let indexed = j.spec.is_indexed();
        let containers: Rc<[Container]> = spec
            .init_containers
            .iter()
            .chain(&spec.containers)
            .map(|c| with_index_env(c, indexed, profile.pod_index_label))
            .collect();
        let specs = PodSpecs {
            containers,
            init_containers: spec.init_containers.len(),
            labels: Rc::new(j.spec.template.metadata.labels.clone()),
            annotations: Rc::new(j.spec.template.metadata.annotations.clone()),
        };
        self.pod_specs.insert(job, (j.generation, specs.clone()));
        specs
    }

    /// Creates one pod per entry (a completion index, or None).
    fn create_pods(
        &mut self,
        ctx: &mut Ctx,
        m: &SyncCtx,
        indexes: &[Option<u32>],
    ) -> Result<Vec<PodId>, SimError> {
        let mut created = Vec::with_capacity(indexes.len());
        let specs = self.pod_specs(ctx.world, m.job, ctx.profile);
        let key: Rc<str> = ctx.world.jobs()[m.job].key().into();
        for &index in indexes {
            let req = pod_request(
                ctx.world,
                m,
                index,
                specs.clone(),
                ctx.profile.pod_index_label,
            );
            let pod = ctx.world.create_pod(req)?;
            let message = format!("Created pod: {}", ctx.world.pods()[pod].name);
            ctx.world
                .record_event(SOURCE, key.clone(), false, "SuccessfulCreate", message)?;
            created.push(pod);
        }
        Ok(created)
    }

    /// `trackJobStatusAndRemoveFinalizers` and `enactJobFinished`.
    fn track_status_and_remove_finalizers(
        &mut self,
        ctx: &mut Ctx,
        mut t: SyncCtx,
        mut needs_flush: bool,
    ) -> Result<(), SimError> {
        let mut status = std::mem::take(&mut t.status);
        let counted = count_finished_pods(ctx, &t, &mut status);
        if t.spec.backoff_limit_per_index.is_some() {
            status.failed_indexes = Some(t.failed_indexes.to_string());
        }
        let mut finish = t.finish.take();
        if let Some(f) = &mut finish {
            needs_flush |= set_interim_condition(ctx, t.job, &mut status, f);
        }
        if counted.succeeded + counted.failed > 0 {
            needs_flush = true;
        }
        status.succeeded += counted.succeeded as i32;
        status.failed += counted.failed as i32;
        if needs_flush {
            self.backoff.insert(t.job, t.new_backoff);
        }
        for pod in counted.remove_finalizer {
            ctx.world.remove_tracking_finalizer(pod);
        }
        // enactJobFinished: Failed/Complete only when no pod is terminating
        // (1.31+; before, at once).
        let finish = finish.filter(|_| {
            (t.terminating == 0 || !ctx.profile.terminal_conditions_wait)
                && !counted.reached_max_uncounted
        });
        let rejected = self.rejected_without_start_time(ctx, &t, &status, finish.as_ref());
        if let Some(f) = finish.filter(|_| !rejected) {
            self.enact_job_finished(ctx, &t, &mut status, f)?;
        }
        ctx.world.update_job_status(t.job, status);
        Ok(())
    }

    /// ValidateJobUpdateStatus (RejectFinishedJobWithoutStartTime): a
    /// finished Job needs a startTime, unless it is suspended with zero
    /// completions. From 1.36 a Job that finishes while suspended has none
    /// (suspending cleared it): the API server rejects the update and the
    /// controller retries, backing off, until a resume sets startTime.
    fn rejected_without_start_time(
        &mut self,
        ctx: &mut Ctx,
        t: &SyncCtx,
        status: &JobStatus,
        finish: Option<&Finish>,
    ) -> bool {
        let Some(f) = finish.filter(|_| {
            status.start_time.is_none() && !(t.spec.suspend && t.spec.completions == Some(0))
        }) else {
            self.rejected_updates.remove(t.job);
            return false;
        };
        let n = self.rejected_updates.get(t.job).copied().unwrap_or(0);
        self.rejected_updates.insert(t.job, n + 1);
        let delay = API_BACKOFF
            .saturating_mul(1 << n.min(16))
            .min(MAX_API_BACKOFF);
        self.queue.add_at(ctx.sched, t.job, ctx.world.now() + delay);
        if n == 0 {
            let condition = f.type_.as_str();
            ctx.decide(t.job, Vec::new(), Why::StatusRejected { condition });
        }
        true
    }

    /// `enactJobFinished`: the final condition, completionTime, and the
    /// Job's event.
    fn enact_job_finished(
        &mut self,
        ctx: &mut Ctx,
        t: &SyncCtx,
        status: &mut JobStatus,
        f: Finish,
    ) -> Result<(), SimError> {
        let now = ctx.world.now();
        // Complete had no reason or message before 1.31.
        let (reason, message) =
            if f.type_ == ConditionType::Complete && !ctx.profile.complete_reason {
                (String::new(), String::new())
            } else {
                (f.reason.clone(), f.message.clone())
            };
        ensure_condition(status, f.type_, true, &reason, &message, now);
        if f.type_ == ConditionType::Complete {
            status.completion_time = Some(now);
        }
        ctx.decide_condition(t.job, f.type_, &f.reason, f.detail.clone());
        let key = ctx.world.jobs()[t.job].key();
        if f.type_ == ConditionType::Complete {
            if t.spec
                .completions
                .is_some_and(|c| i64::from(status.succeeded) > c)
            {
                ctx.world.record_event(
                    SOURCE,
                    key.clone(),
                    true,
                    "TooManySucceededPods",
                    "Too many succeeded pods running after completion count reached".into(),
                )?;
            }
            ctx.world
                .record_event(SOURCE, key, false, "Completed", "Job completed".into())?;
        } else {
            ctx.world
                .record_event(SOURCE, key, true, &f.reason, f.message)?;
        }
        self.backoff.remove(t.job);
        Ok(())
    }
}

/// What counting the finished pods of one sync did.
struct Counted {
    /// Pods whose tracking finalizer goes.
    remove_finalizer: Vec<PodId>,
    /// Newly counted (NonIndexed) successes and failures.
    succeeded: i64,
    failed: i64,
    /// MaxUncountedPods stopped the counting: the rest, and the final
    /// condition, wait for the next sync.
    reached_max_uncounted: bool,
}

/// The counting half of `trackJobStatusAndRemoveFinalizers`: finished pods
/// that carry the tracking finalizer, in completion-index order for an
/// Indexed Job, are counted (at most MaxUncountedPods per sync) and lose
/// their finalizer; an Indexed Job's succeeded indexes go to the status.
fn count_finished_pods(ctx: &mut Ctx, t: &SyncCtx, status: &mut JobStatus) -> Counted {
    let spec = &t.spec;
    let completions = spec.completions_u32();
    let mut listed: Vec<ListedPod> = t.listed.iter().copied().filter(|v| v.finalizer).collect();
    if spec.indexed {
        sort_by_index(&mut listed);
    }
    let finishing_as_failure = t
        .finish
        .as_ref()
        .is_some_and(|f| f.type_ != ConditionType::SuccessCriteriaMet);
    // The indexes counted before this sync (`prevSucceededIndexes`).
    let prev_succeeded_indexes = IndexSet::parse(&status.completed_indexes, completions);
    let mut succeeded_indexes = prev_succeeded_indexes.clone();
    let mut out = Counted {
        remove_finalizer: Vec::new(),
        succeeded: 0,
        failed: 0,
        reached_max_uncounted: false,
    };
    let mut counted = 0usize;
    for v in &listed {
        if counted >= MAX_UNCOUNTED_PODS {
            out.reached_max_uncounted = true;
            break;
        }
        let consider_failed = spec.is_failed(v.phase, v.deleting);
        let delayed = v
            .index
            .is_some_and(|i| t.delayed.get(i as usize) == Some(&v.id));
        let can_remove = t.job_deleting
            || t.finish.is_some()
            || v.phase == Phase::Succeeded
            || (consider_failed && !delayed);
        if !can_remove {
            continue;
        }
        out.remove_finalizer.push(v.id);
        let valid = !spec.indexed || v.index.is_some_and(|i| i < completions);
        if v.phase == Phase::Succeeded {
            if !spec.indexed {
                out.succeeded += 1;
                counted += 1;
                ctx.decide(t.job, vec![v.id], Why::CountedSucceeded);
            } else if let Some(i) = v
                .index
                .filter(|&i| i < completions && !prev_succeeded_indexes.contains(i))
            {
                succeeded_indexes.insert(i);
                counted += 1;
                ctx.decide(t.job, vec![v.id], Why::CountedSucceeded);
            }
        } else if (consider_failed || finishing_as_failure) && valid {
            let m = match_pod_failure_policy(
                t.policy.as_ref(),
                &ctx.world.pods()[v.id],
                &t.namespace,
                ctx.profile.backoff_limit_per_index == profile::Gate::On,
            );
            if PolicyMatch::counts(&m) {
                out.failed += 1;
                counted += 1;
                let cause = if v.phase == Phase::Failed {
                    FailCause::PhaseFailed
                } else if consider_failed {
                    FailCause::Terminating
                } else {
                    FailCause::JobFailing
                };
                ctx.decide(t.job, vec![v.id], Why::CountedFailed { cause });
            } else if let Some(m) = m {
                ctx.decide(t.job, vec![v.id], Why::IgnoredFailure { rule: m.rule });
            }
        }
    }
    if spec.indexed {
        status.succeeded = succeeded_indexes.total() as i32;
        status.completed_indexes = succeeded_indexes.to_string();
    }
    out
}

/// The interim condition (FailureTarget, SuccessCriteriaMet) goes in now;
/// the final one (same reason and message) once no pod is left
/// terminating. Returns whether the status changed.
fn set_interim_condition(
    ctx: &mut Ctx,
    job: JobId,
    status: &mut JobStatus,
    f: &mut Finish,
) -> bool {
    let (interim, last) = match f.type_ {
        ConditionType::FailureTarget => (f.type_, ConditionType::Failed),
        ConditionType::SuccessCriteriaMet => (f.type_, ConditionType::Complete),
        _ => return false,
    };
    // Before 1.31 only a FailJob rule had an interim condition
    // (FailureTarget, 1.26+); the rest went final at once.
    let interim_now = ctx.profile.terminal_conditions_wait
        || (interim == ConditionType::FailureTarget
            && ctx.profile.failure_target_for_fail_job
            && f.reason == "PodFailurePolicy");
    let mut changed = false;
    if interim_now && !status.is_true(interim) {
        let now = ctx.world.now();
        status
            .conditions
            .push(condition(interim, true, &f.reason, &f.message, now));
        ctx.decide_condition(job, interim, &f.reason, f.detail.clone());
        changed = true;
    }
    f.type_ = last;
    f.detail = ConditionDetail::Final { interim };
    changed
}

/// Sorts listed by (completion index, id), pods without an index first.
/// Views come in creation order (by id), so a stable sort on the index
/// gives that order; creation order is mostly index order (retries are
/// the exceptions), and the stable sort merges such runs in near-linear
/// time (it runs at every sync of an Indexed Job, over every pod that
/// still has the finalizer).
fn sort_by_index(listed: &mut [ListedPod]) {
    debug_assert!(listed.windows(2).all(|w| w[0].id < w[1].id));
    listed.sort_by_key(|v| v.index.map_or(0, |i| u64::from(i) + 1));
}

/// Whether every view has an index below `completions` and no two share
/// one (in linear time, with a bitmap).
fn all_distinct_in_range(listed: &[ListedPod], completions: u32) -> bool {
    let mut seen = vec![0u64; (completions as usize).div_ceil(64)];
    listed.iter().all(|v| match v.index {
        Some(ix) if ix < completions => {
            let (word, bit) = (ix as usize / 64, 1u64 << (ix % 64));
            let fresh = seen[word] & bit == 0;
            seen[word] |= bit;
            fresh
        }
        _ => false,
    })
}

/// Deletes pods with the Job's `SuccessfulDelete` events. `deleteJobPods`
/// (scale-down, suspend) removes the tracking finalizer first, so those pods
/// are never counted; `deleteActivePods` (the Job is finishing) keeps it, so
/// they are counted as they go.
fn delete_pods(ctx: &mut Ctx, job: JobId, pods: &[PodId], uncounted: bool) -> Result<(), SimError> {
    for &pod in pods {
        if uncounted {
            ctx.world.remove_tracking_finalizer(pod);
        }
        ctx.world.delete_pod(pod, None);
        let message = format!("Deleted pod: {}", ctx.world.pods()[pod].name);
        let key = ctx.world.jobs()[job].key();
        ctx.world
            .record_event(SOURCE, key, false, "SuccessfulDelete", message)?;
    }
    Ok(())
}

/// How many pods the Job wants active (`wantActive`), within the
/// playground's limit of pods at once.
fn wanted_active(now: Ms, m: &SyncCtx) -> Result<i64, SimError> {
    let spec = &m.spec;
    let want = match spec.completions {
        None if m.succeeded > 0 => m.active_pods.len() as i64,
        None => spec.parallelism,
        Some(c) => (c - m.succeeded).clamp(0, spec.parallelism.max(0)),
    };
    if want > crate::limits::MAX_ACTIVE_PODS as i64 {
        return Err(SimError::Limit(format!(
            "the simulation stopped at {}: the Job wants {want} pods at once, more than the playground's limit of {}; lower its parallelism",
            crate::scenario::duration::format(now),
            crate::limits::MAX_ACTIVE_PODS
        )));
    }
    Ok(want)
}

/// Deletes active pods (the Job finishing, suspension, scale-down; see
/// `delete_pods` for `uncounted`) and records why; returns the counts
/// after it: (active, terminating, ready).
fn delete_active(
    ctx: &mut Ctx,
    job: JobId,
    pods: Vec<PodId>,
    uncounted: bool,
    why: Why,
    (active, terminating, ready): (i64, i64, i64),
) -> Result<(i64, i64, i64), SimError> {
    let removed_ready = pods
        .iter()
        .filter(|&&p| ctx.world.pods()[p].is_ready())
        .count() as i64;
    let removed = pods.len() as i64;
    delete_pods(ctx, job, &pods, uncounted)?;
    if !pods.is_empty() {
        ctx.decide(job, pods, why);
    }
    Ok((
        active - removed,
        terminating + removed,
        ready - removed_ready,
    ))
}

/// `firstPendingIndexes`: the lowest indexes that are not succeeded, not
/// failed, not active (and not terminating when terminating pods block).
/// One bit per index below `completions`, so a sync costs the same
/// however the taken indexes are scattered.
fn first_pending_indexes(
    m: &SyncCtx,
    terminating_blocks: bool,
    count: usize,
    completions: u32,
) -> Vec<u32> {
    let mut taken = vec![0u64; (completions as usize).div_ceil(64)];
    // Sets the bits of a..=b below `completions`, a word at a time.
    let mut take = |a: u32, b: u32| {
        let Some(last) = completions.checked_sub(1) else {
            return;
        };
        let (a, b) = (a as usize, b.min(last) as usize);
        if a > b {
            return;
        }
        let (first, last) = (a / 64, b / 64);
        for (w, word) in taken.iter_mut().enumerate().take(last + 1).skip(first) {
            let low = if w == first { a % 64 } else { 0 };
            let high = if w == last { b % 64 } else { 63 };
            *word |= (u64::MAX >> (63 - high)) & (u64::MAX << low);
        }
    };
    for set in [&m.succeeded_indexes, &m.failed_indexes] {
        for &(a, b) in set.intervals() {
            take(a, b);
        }
    }
    let terminating = m
        .listed
        .iter()
        .filter(|v| terminating_blocks && !v.phase.is_terminal() && v.deleting);
    for i in m
        .active_pods
        .iter()
        .chain(terminating)
        .filter_map(|v| v.index)
    {
        take(i, i);
    }
    let mut out = Vec::with_capacity(count);
    for (w, &bits) in taken.iter().enumerate() {
        let mut free = !bits;
        while free != 0 && out.len() < count {
            let i = w as u32 * 64 + free.trailing_zeros();
            if i >= completions {
                return out;
            }
            out.push(i);
            free &= free - 1;
        }
        if out.len() >= count {
            break;
        }
    }
    out
}

/// The pod the Job asks the API server to create (`manageJob` with
/// `GetPodFromTemplate` and the Indexed additions).
fn pod_request(
    world: &World,
    m: &SyncCtx,
    index: Option<u32>,
    specs: PodSpecs,
    pod_index_label: bool,
) -> PodRequest {
    let j = &world.jobs()[m.job];
    let template = &j.spec.template;
    let mut labels = Meta {
        shared: specs.labels,
        own: Vec::new(),
    };
    let mut annotations = Meta {
        shared: specs.annotations,
        own: Vec::new(),
    };
    let mut generate_name = format!("{}-", j.name);
    let mut hostname = None;
    if let Some(i) = index {
        let i_text = i.to_string();
        // The label from 1.28 (PodIndexLabel); the annotation always.
        if pod_index_label {
            labels.insert(COMPLETION_INDEX_KEY, i_text.clone());
        }
        // podGenerateNameWithIndex: the Job's name cut to leave room for
        // "-<index>-" within 58 characters.
        let room = 58usize.saturating_sub(i_text.len() + 2);
        let cut = j
            .name
            .char_indices()
            .nth(room)
            .map_or(j.name.len(), |(at, _)| at);
        generate_name.truncate(cut);
        generate_name.push('-');
        generate_name.push_str(&i_text);
        generate_name.push('-');
        hostname = Some(format!("{}-{i}", j.name));
        annotations.insert(COMPLETION_INDEX_KEY, i_text);
        if m.spec.backoff_limit_per_index.is_some() {
            let (mut count, mut ignored) = (0, 0);
            if let Some(&last) = m.delayed.get(i as usize) {
                count = index_failure_count(world, last);
                ignored = annotation_count(world, last, INDEX_IGNORED_FAILURE_COUNT_KEY);
                let policy_match = match_pod_failure_policy(
                    m.policy.as_ref(),
                    &world.pods()[last],
                    &j.namespace,
                    true,
                );
                if PolicyMatch::counts(&policy_match) {
                    count += 1;
                } else {
                    ignored += 1;
                }
            }
            annotations.insert(INDEX_FAILURE_COUNT_KEY, count.to_string());
            if ignored > 0 {
                annotations.insert(INDEX_IGNORED_FAILURE_COUNT_KEY, ignored.to_string());
            }
        }
    }
    let spec = &template.spec;
    let restart_policy = if spec.restart_policy.as_deref() == Some("OnFailure") {
        RestartPolicy::OnFailure
    } else {
        RestartPolicy::Never
    };
    PodRequest {
        job: m.job,
        generate_name,
        index,
        template: PodTemplate {
            labels,
            annotations,
            hostname,
            restart_policy,
            termination_grace_period_seconds: spec.termination_grace_period_seconds.unwrap_or(30),
            active_deadline_seconds: spec.active_deadline_seconds,
            containers: specs.containers,
            init_containers: specs.init_containers,
        },
    }
}

/// `addCompletionIndexEnvVariables`: every container of an Indexed pod gets
/// JOB_COMPLETION_INDEX from the index label (the annotation before 1.28),
/// unless it defines it itself (the same for every pod of the Job: the
/// value comes from the pod's own metadata).
fn with_index_env(c: &Container, indexed: bool, label: bool) -> Container {
    let mut c = c.clone();
    if indexed && !c.env.iter().any(|e| e.name == COMPLETION_INDEX_ENV) {
        let source = if label { "labels" } else { "annotations" };
        c.env.push(EnvVar {
            name: COMPLETION_INDEX_ENV.into(),
            value: None,
            value_from: Some(EnvVarSource {
                field_ref: Some(ObjectFieldSelector {
                    field_path: format!("metadata.{source}['{COMPLETION_INDEX_KEY}']"),
                }),
            }),
        });
    }
    c
}
