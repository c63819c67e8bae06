//! The simulation engine, sans I/O: a deterministic state machine driven by
//! virtual time. Inputs are `handle_timeout(now)` and `handle_action(..)`;
//! `poll_timeout()` says when something is due next. Nothing here reads a
//! clock, does I/O, or draws randomness except the World's seeded name
//! generator.
//!
//! Components (the Job and CronJob controllers, the kubelet, the TTL
//! controller and the garbage collector) only act through the `World` (the
//! API server); each change it makes is a `Notice` that the components'
//! watch handlers see.

#![warn(clippy::too_many_lines)]

pub mod cronjob;
mod idmap;
pub mod job;
pub mod kubelet;
pub mod profile;
mod queue;
pub mod world;

use crate::admission::{AdmissionError, Admitted};
use crate::scenario::{ActionKind, Behavior, PodSelector};
use crate::sim::world::ConditionType;
use crate::time::{Clock, Ms, SECOND};
use crate::trace::{ConditionDetail, Decision, Log, Trace, Why};
use cronjob::CronJobController;
use job::JobController;
use kubelet::Kubelet;
use profile::Profile;
use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use world::{ContainerKind, CronJobId, JobId, Limits, Notice, PodId, World};

/// Why a simulation could not go on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SimError {
    /// A bound on pods, events or steps was reached.
    Limit(String),
    /// An action could not be applied (its target does not exist ...).
    Action(String),
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::Limit(m) | SimError::Action(m) => write!(f, "error: {m}"),
        }
    }
}

impl std::error::Error for SimError {}

/// Something a component asked to be woken for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wake {
    JobSync(JobId),
    CronJobSync(CronJobId),
    Kubelet(PodId),
    Ttl(JobId),
}

/// The timed wake-ups, in time order; equal times in the order they were
/// asked for (deterministic). Keyed by time: thousands of pods of a Job
/// wake at the same instant, so a pop is mostly a `pop_front`.
#[derive(Clone, Default)]
pub struct Scheduler {
    due: BTreeMap<Ms, VecDeque<Wake>>,
}

impl Scheduler {
    pub fn push(&mut self, at: Ms, wake: Wake) {
        self.due.entry(at).or_default().push_back(wake);
    }

    fn peek(&self) -> Option<Ms> {
        self.due.first_key_value().map(|(&at, _)| at)
    }

    fn pop(&mut self) -> Option<(Ms, Wake)> {
        let mut first = self.due.first_entry()?;
        let at = *first.key();
        let wake = first.get_mut().pop_front();
        if first.get().is_empty() {
            first.remove();
        }
        Some((at, wake.expect("no time is kept without a wake-up")))
    }
}

/// What a component works with during one step.
pub struct Ctx<'a> {
    pub world: &'a mut World,
    pub sched: &'a mut Scheduler,
    pub log: &'a mut Log,
    pub profile: &'a Profile,
}

impl Ctx<'_> {
    /// Records why a component did something, now.
    pub fn decide(&mut self, job: JobId, pods: Vec<PodId>, why: Why) {
        self.log.decisions.push(Decision {
            at: self.world.now(),
            job,
            pods,
            why,
        });
    }

    /// Records why a Job condition was set.
    pub fn decide_condition(
        &mut self,
        job: JobId,
        type_: world::ConditionType,
        reason: &str,
        detail: ConditionDetail,
    ) {
        self.decide(
            job,
            Vec::new(),
            Why::Condition {
                type_,
                reason: reason.to_string(),
                detail,
            },
        );
    }
}

/// The simulation of one scenario: a sans-IO state machine (after
/// quinn-proto's `Connection`). It owns no clock and does no I/O; virtual
/// time is an input, and every input carries its time.
///
/// Its methods fall into four kinds:
/// - **setup**: `new`, then `create` for each manifest at time 0;
/// - **inputs**: `handle_timeout(t)` does everything due up to and
///   including `t`; `handle_action(t, action)` first does the same, then
///   applies the user's action, so an action at `t` acts on the state a
///   view shows at `t`. Times never go back (`t` before `now()` is a
///   caller's bug, asserted in debug builds);
/// - **outputs**: `poll_timeout()` is when something is due next (`None`:
///   nothing, the run has settled unless an action comes);
/// - **reads**: `world()` (the API server's objects), `log()` (what the
///   components wrote down), `is_settled`, `steps`, `now`;
/// - **the end**: `into_trace()` gives the run to the views as a `Trace`.
///
/// A driver (`run::Driver`) loops: feed each action at its time with
/// `handle_action`, and between actions call `handle_timeout` with
/// `poll_timeout()` until the run's end. An `Err` stops the run where it
/// happened: the state up to there stays readable (a refused action
/// changes nothing).
#[derive(Clone)]
pub struct Simulation {
    world: World,
    /// What the components wrote down (the trace's log).
    log: Log,
    profile: Profile,
    sched: Scheduler,
    jobs: JobController,
    cron_jobs: CronJobController,
    /// Jobs created by the `trigger` action so far.
    triggered: u32,
    kubelet: Kubelet,
    controllers_up: bool,
    ttl_due: queue::DelayingQueue<queue::TtlKey>,
    steps: u64,
    max_steps: u64,
}

impl Simulation {
    pub fn new(
        profile: Profile,
        behavior: Behavior,
        seed: u64,
        limits: Limits,
        clock: Clock,
    ) -> Simulation {
        Simulation {
            world: World::new(seed, limits, clock),
            log: Log::default(),
            profile,
            sched: Scheduler::default(),
            jobs: JobController::default(),
            cron_jobs: CronJobController::default(),
            triggered: 0,
            kubelet: Kubelet::new(behavior),
            controllers_up: true,
            ttl_due: queue::DelayingQueue::default(),
            steps: 0,
            max_steps: crate::limits::MAX_STEPS,
        }
    }

    /// The API server's objects now.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// What the components wrote down so far.
    pub fn log(&self) -> &Log {
        &self.log
    }

    /// The run so far as the views take it; the engine is gone.
    pub fn into_trace(self) -> Trace {
        let clock = self.world.clock();
        let (jobs, cron_jobs, pods, events) = self.world.into_objects();
        Trace {
            clock,
            profile: self.profile,
            jobs,
            cron_jobs,
            pods,
            events,
            steps: self.steps,
            log: self.log,
        }
    }

    /// How many wake-ups the engine processed.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    pub fn now(&self) -> Ms {
        self.world.now()
    }

    /// Admits a Job or CronJob manifest (as `kubectl create` does) and
    /// creates it at the current time.
    pub fn create(&mut self, manifest: &crate::yaml::Value) -> Result<(), AdmissionError> {
        let uid = self.world.new_uid();
        match crate::admission::admit(manifest, &uid, &self.profile)? {
            Admitted::Job(a) => {
                self.log.warnings.extend(a.warnings.iter().cloned());
                self.log.notes.extend(a.notes.iter().cloned());
                self.world.add_job(*a, None);
            }
            Admitted::CronJob(a) => {
                self.log.warnings.extend(a.warnings.iter().cloned());
                self.log.notes.extend(a.notes.iter().cloned());
                self.world.add_cron_job(a);
            }
        }
        self.dispatch();
        Ok(())
    }

    /// When something is due next.
    pub fn poll_timeout(&self) -> Option<Ms> {
        self.sched.peek()
    }

    /// Advances virtual time to `now`, doing everything due on the way.
    pub fn handle_timeout(&mut self, now: Ms) -> Result<(), SimError> {
        debug_assert!(now >= self.world.now(), "inputs come in time order");
        while let Some(at) = self.sched.peek().filter(|&at| at <= now) {
            self.steps += 1;
            if self.steps > self.max_steps {
                return Err(SimError::Limit(format!(
                    "the simulation stopped at {}: it took more than {} steps, the playground's limit",
                    crate::scenario::duration::format(at),
                    self.max_steps
                )));
            }
            let (at, wake) = self.sched.pop().expect("peeked");
            self.world.advance_to(at);
            self.wake(at, wake)?;
            self.dispatch();
        }
        self.world.advance_to(now);
        Ok(())
    }

    fn ctx(&mut self) -> (Ctx<'_>, &mut JobController, &mut Kubelet) {
        (
            Ctx {
                world: &mut self.world,
                sched: &mut self.sched,
                log: &mut self.log,
                profile: &self.profile,
            },
            &mut self.jobs,
            &mut self.kubelet,
        )
    }

    fn wake(&mut self, at: Ms, wake: Wake) -> Result<(), SimError> {
        match wake {
            Wake::CronJobSync(id) => {
                if self.cron_jobs.take_due(id, at) && self.controllers_up {
                    let mut ctx = Ctx {
                        world: &mut self.world,
                        sched: &mut self.sched,
                        log: &mut self.log,
                        profile: &self.profile,
                    };
                    self.cron_jobs.sync(&mut ctx, id)?;
                }
            }
            Wake::JobSync(job) => {
                if self.jobs.take_due(job, at) && self.controllers_up {
                    let (mut ctx, jobs, _) = self.ctx();
                    jobs.sync(&mut ctx, job)?;
                }
            }
            Wake::Kubelet(pod) => {
                if self.kubelet.take_due(pod, at) {
                    let (mut ctx, _, kubelet) = self.ctx();
                    kubelet.sync(&mut ctx, pod)?;
                }
            }
            Wake::Ttl(job) => {
                if self.ttl_due.take(job, at) && self.controllers_up {
                    self.world.delete_job(job, true);
                }
            }
        }
        Ok(())
    }

    /// Delivers the watch events to every component until none is left.
    fn dispatch(&mut self) {
        loop {
            let notices = self.world.take_notices();
            if notices.is_empty() {
                return;
            }
            for notice in notices {
                if self.controllers_up {
                    self.jobs.observe(&self.world, notice, &mut self.sched);
                    let mut ctx = Ctx {
                        world: &mut self.world,
                        sched: &mut self.sched,
                        log: &mut self.log,
                        profile: &self.profile,
                    };
                    // An event past the limit ends the run at the next step.
                    let _ = self.cron_jobs.observe(&mut ctx, notice);
                    self.garbage_collect(notice);
                    self.ttl_observe(notice);
                }
                match notice {
                    Notice::PodAdded(pod) | Notice::PodUpdated(pod) => {
                        self.kubelet.observe_pod(&self.world, pod, &mut self.sched)
                    }
                    Notice::JobAdded(job) => {
                        self.kubelet.set_job_ordinal(job, job as u32);
                        self.record_history(job)
                    }
                    Notice::JobUpdated { job, .. } => self.record_history(job),
                    Notice::CronJobAdded(id) | Notice::CronJobUpdated { cron_job: id, .. } => {
                        self.record_cron_history(id)
                    }
                    _ => {}
                }
            }
        }
    }

    fn record_cron_history(&mut self, id: CronJobId) {
        let now = self.world.now();
        self.log
            .record_cron_job(id, now, &self.world.cron_jobs()[id]);
    }

    fn record_history(&mut self, job: JobId) {
        let now = self.world.now();
        self.log
            .record_job(job, now, &self.world.jobs()[job].status);
    }

    /// The garbage collector: deletes the pods of a deleted Job (background
    /// propagation) and ends a foreground deletion when they are gone.
    fn garbage_collect(&mut self, notice: Notice) {
        match notice {
            // The Jobs of a deleted CronJob (background propagation).
            Notice::CronJobGone(id) => {
                for j in 0..self.world.jobs().len() {
                    if self.world.jobs()[j].owner == Some(id) {
                        self.world.delete_job(j, false);
                    }
                }
            }
            Notice::JobGone(job) => self.delete_dependents(job),
            Notice::JobUpdated { job, .. } => {
                let j = &self.world.jobs()[job];
                if j.deletion_timestamp.is_some() && j.gone_at.is_none() {
                    self.delete_dependents(job);
                    if self.world.existing_pods(job).next().is_none() {
                        self.world.finish_foreground_deletion(job);
                    }
                }
            }
            Notice::PodGone(pod) => {
                let job = self.world.pods()[pod].job;
                let j = &self.world.jobs()[job];
                if j.deletion_timestamp.is_some()
                    && j.gone_at.is_none()
                    && self.world.existing_pods(job).next().is_none()
                {
                    self.world.finish_foreground_deletion(job);
                }
            }
            _ => {}
        }
    }

    fn delete_dependents(&mut self, job: JobId) {
        let pods: Vec<PodId> = self.world.existing_pods(job).collect();
        for pod in pods {
            if self.world.pods()[pod].deletion_timestamp.is_none() {
                self.world.delete_pod(pod, None);
            }
        }
    }

    /// The TTL-after-finished controller: deletes a finished Job (foreground)
    /// ttlSecondsAfterFinished after its Complete/Failed condition.
    fn ttl_observe(&mut self, notice: Notice) {
        let (Notice::JobAdded(job) | Notice::JobUpdated { job, .. }) = notice else {
            return;
        };
        let j = &self.world.jobs()[job];
        let Some(ttl) = j.spec.ttl_seconds_after_finished else {
            return;
        };
        if j.deletion_timestamp.is_some() || self.ttl_due.is_pending(job) {
            return;
        }
        if let Some(c) = j.status.finished_condition() {
            let expire = job::backoff::api_time(c.last_transition_time) + ttl.max(0) as Ms * SECOND;
            let at = expire.max(self.world.now());
            self.ttl_due.add_at(&mut self.sched, job, at);
        }
    }

    /// Applies a user action at `at`, after everything the engine does at
    /// or before `at` (the state an action acts on is the state a view
    /// shows at that instant). Inputs come in time order: `at` is never
    /// before the present. A refused action changes nothing.
    pub fn handle_action(&mut self, at: Ms, kind: &ActionKind) -> Result<(), SimError> {
        self.handle_timeout(at)?;
        debug_assert_eq!(self.world.now(), at, "actions come in time order");
        self.apply(kind)
    }

    fn apply(&mut self, kind: &ActionKind) -> Result<(), SimError> {
        // With a CronJob, pod selectors name its Nth Job (`job: N`).
        let job = match kind {
            ActionKind::FailPod { pod, .. }
            | ActionKind::EvictPod { pod }
            | ActionKind::DeletePod { pod, .. } => pod.job.unwrap_or(0) as JobId,
            _ => 0,
        };
        if !self.world.cron_jobs().is_empty() && self.cron_job_action(kind)? {
            self.dispatch();
            return Ok(());
        }
        match kind {
            ActionKind::FailPod {
                pod,
                exit_code,
                reason,
                container,
            } => {
                let pod = self.resolve(job, pod)?;
                self.fail_pod(pod, *exit_code, reason.as_deref(), container.as_deref())?;
            }
            ActionKind::EvictPod { pod } => {
                let pod = self.resolve(job, pod)?;
                let now = self.world.now();
                // addConditionAndDeletePod: also for terminal pods (the
                // condition from 1.26, PodDisruptionConditions).
                if self.profile.disruption_target {
                    self.world.update_pod_status(pod, |p| {
                        p.set_condition(
                            world::PodText::DisruptionTarget,
                            true,
                            world::PodText::EvictionByEvictionApi,
                            world::PodText::EvictingMessage,
                            now,
                        );
                    });
                }
                self.world.delete_pod(pod, None);
            }
            ActionKind::DeletePod {
                pod,
                grace_period_seconds,
            } => {
                let pod = self.resolve(job, pod)?;
                // kubectl turns --grace-period=0 into 1 (without --force).
                let grace = grace_period_seconds.map(|g| g.max(1));
                self.world.delete_pod(pod, grace);
            }
            ActionKind::Suspend
            | ActionKind::Resume
            | ActionKind::SetParallelism { .. }
            | ActionKind::Patch { .. } => {
                let j = self.live_job(job)?;
                self.update_job(j, kind)?;
            }
            ActionKind::ControllerDown => self.controllers_down()?,
            ActionKind::ControllerUp => self.controllers_up()?,
            ActionKind::DeleteJob => {
                let j = self.live_job(job)?;
                self.world.delete_job(j, false);
            }
            ActionKind::Trigger => {
                return Err(SimError::Action(
                    "trigger creates a Job from a CronJob; this scenario's object is a Job".into(),
                ));
            }
        }
        self.dispatch();
        Ok(())
    }

    /// The `fail-pod` action: a running container's process exits now
    /// (the named one, or the first running regular container).
    fn fail_pod(
        &mut self,
        pod: PodId,
        exit_code: i32,
        reason: Option<&str>,
        container: Option<&str>,
    ) -> Result<(), SimError> {
        let p = &self.world.pods()[pod];
        let index = match container {
            Some(name) => p
                .containers
                .iter()
                .position(|c| *c.name == *name)
                .ok_or_else(|| {
                    SimError::Action(format!("pod {:?} has no container {name:?}", p.name))
                })?,
            None => p
                .containers
                .iter()
                .position(|c| c.kind == ContainerKind::Regular && c.is_running())
                .ok_or_else(|| {
                    SimError::Action(format!("pod {:?} has no running container", p.name))
                })?,
        };
        if !p.containers[index].is_running() {
            return Err(SimError::Action(format!(
                "container {:?} of pod {:?} is not running",
                p.containers[index].name, p.name
            )));
        }
        let reason = reason.unwrap_or_else(|| crate::scenario::exit_reason(exit_code));
        let (mut ctx, _, kubelet) = self.ctx();
        kubelet.fail_container(&mut ctx, pod, index, exit_code, reason)
    }

    /// An update of the Job's spec (suspend, resume, parallelism, a
    /// patch), admitted as the API server would; the old object is kept.
    fn update_job(&mut self, j: JobId, kind: &ActionKind) -> Result<(), SimError> {
        let old = &self.world.jobs()[j];
        let state = crate::admission::JobState {
            started: old.status.start_time.is_some(),
            safely_suspended: old.status.is_true(ConditionType::Suspended)
                && old.status.active == 0,
        };
        let new = crate::admission::update_job(&old.object, state, &old.uid, kind, &self.profile)
            .map_err(|e| SimError::Action(e.to_string()))?;
        self.log.warnings.extend(new.warnings);
        self.log
            .supersede(j, self.world.now(), &self.world.jobs()[j]);
        self.world.update_job_spec(j, new.object, new.spec);
        Ok(())
    }

    /// `controller-down`: the controllers stop and forget their queues and
    /// backoff records.
    fn controllers_down(&mut self) -> Result<(), SimError> {
        if !self.controllers_up {
            return Err(SimError::Action(
                "the controllers are already stopped".into(),
            ));
        }
        self.controllers_up = false;
        self.jobs = JobController::default();
        self.cron_jobs = CronJobController::default();
        self.ttl_due.clear();
        self.log.controllers_down(self.world.now());
        Ok(())
    }

    /// `controller-up`: the controllers start again and resync everything.
    fn controllers_up(&mut self) -> Result<(), SimError> {
        if self.controllers_up {
            return Err(SimError::Action(
                "the controllers are already running".into(),
            ));
        }
        self.controllers_up = true;
        self.log.controllers_up(self.world.now());
        self.jobs.start(&self.world, &mut self.sched);
        self.cron_jobs.start(&self.world, &mut self.sched);
        for j in 0..self.world.jobs().len() {
            if self.world.jobs()[j].gone_at.is_some() {
                self.delete_dependents(j);
            }
            self.ttl_observe(Notice::JobAdded(j));
        }
        Ok(())
    }

    /// The actions that act on the scenario's CronJob; false for the
    /// others (pod actions, controllers).
    fn cron_job_action(&mut self, kind: &ActionKind) -> Result<bool, SimError> {
        let id = 0;
        let c = &self.world.cron_jobs()[id];
        if c.gone_at.is_some()
            && !matches!(kind, ActionKind::ControllerDown | ActionKind::ControllerUp)
        {
            if let ActionKind::FailPod { .. }
            | ActionKind::EvictPod { .. }
            | ActionKind::DeletePod { .. } = kind
            {
                return Ok(false);
            }
            return Err(SimError::Action(not_found("cronjobs.batch", &c.name)));
        }
        let patch: crate::yaml::Value = match kind {
            ActionKind::Suspend => {
                crate::yaml::parse("{spec: {suspend: true}}").expect("valid YAML")
            }
            ActionKind::Resume => {
                crate::yaml::parse("{spec: {suspend: false}}").expect("valid YAML")
            }
            ActionKind::Patch { patch } => patch.clone(),
            ActionKind::SetParallelism { .. } => {
                return Err(SimError::Action(
                    "set-parallelism changes a Job; patch spec.jobTemplate.spec.parallelism of the CronJob instead".into(),
                ));
            }
            ActionKind::DeleteJob => {
                self.world.delete_cron_job(id);
                return Ok(true);
            }
            ActionKind::Trigger => {
                self.triggered += 1;
                let name = format!("{}-manual-{}", c.name, self.triggered);
                let manifest = cronjob::manual_job(&self.world, id, &name);
                let uid = self.world.new_uid();
                let a = crate::admission::admit_job(&manifest, &uid, &self.profile)
                    .map_err(|e| SimError::Action(e.to_string()))?;
                self.world.job_limit(id)?;
                self.world.add_job(a, Some(id));
                return Ok(true);
            }
            _ => return Ok(false),
        };
        let object = crate::admission::update_cron_job(
            &c.object,
            &patch,
            &self.profile,
            &crate::admission::zone_exists,
        )
        .map_err(|e| SimError::Action(e.to_string()))?;
        self.world.update_cron_job(id, object);
        Ok(true)
    }

    fn live_job(&self, job: JobId) -> Result<JobId, SimError> {
        match self.world.jobs().get(job) {
            Some(j) if j.gone_at.is_none() => Ok(job),
            Some(j) => Err(SimError::Action(not_found("jobs.batch", &j.name))),
            None => Err(SimError::Action(no_job(job))),
        }
    }

    /// Finds the pod an action targets.
    fn resolve(&self, job: JobId, sel: &PodSelector) -> Result<PodId, SimError> {
        let j = self
            .world
            .jobs()
            .get(job)
            .ok_or_else(|| SimError::Action(no_job(job)))?;
        let exists = |&p: &PodId| self.world.pods()[p].gone_at.is_none();
        let found = if let Some(name) = &sel.name {
            j.pods
                .iter()
                .copied()
                .filter(exists)
                .find(|&p| &self.world.pods()[p].name == name)
        } else if let Some(ordinal) = sel.ordinal {
            j.pods.get(ordinal as usize).copied().filter(exists)
        } else if let Some(index) = sel.index {
            j.pods.iter().rev().copied().filter(exists).find(|&p| {
                self.world.pods()[p].index == Some(index)
                    && !self.world.pods()[p].phase.is_terminal()
            })
        } else {
            None
        };
        found.ok_or_else(|| {
            SimError::Action(match &sel.name {
                Some(name) => not_found("pods", name),
                None => format!("no pod matches {sel}"),
            })
        })
    }

    /// Whether the Job is done: finished, every pod gone or terminal, and no
    /// TTL deletion pending.
    pub fn is_settled(&self) -> bool {
        // A CronJob never finishes.
        if self.world.cron_jobs().iter().any(|c| c.gone_at.is_none()) {
            return false;
        }
        self.world.jobs().iter().enumerate().all(|(id, j)| {
            let ttl_pending = j.spec.ttl_seconds_after_finished.is_some() && self.controllers_up;
            // The cheap test first: this runs after every step.
            (j.gone_at.is_some() || (j.status.is_finished() && !ttl_pending))
                && self
                    .world
                    .existing_pods(id)
                    .all(|p| self.world.pods()[p].phase.is_terminal())
        })
    }
}

/// The API server's answer for a missing object, as kubectl prints it.
fn not_found(resource: &str, name: &str) -> String {
    format!("Error from server (NotFound): {resource} \"{name}\" not found")
}

/// A CronJob's Nth Job (or a Job scenario's Job) that does not exist yet.
fn no_job(job: JobId) -> String {
    if job == 0 {
        "there is no Job yet".into()
    } else {
        format!("there is no Job {job} yet (the CronJob created fewer)")
    }
}
