//! The kubelet's part: running a pod's containers as the scenario's
//! behaviour says, restarting them in place (restartPolicy OnFailure, native
//! sidecars) with the crash-loop backoff, stopping them gracefully when the
//! pod is deleted, and reporting the pod's phase and conditions.
//!
//! Like the real kubelet it is a reconciler: `sync` looks at the pod and the
//! time, does what is due, and asks to be woken at the next due time.

use super::queue::{DelayingQueue, PodKey};
use super::world::{
    ContainerKind, ContainerState, Phase, Pod, PodId, PodText, RestartPolicy, Run, World,
};
use super::{Ctx, Scheduler, SimError};
use crate::api::RestartRuleAction;
use crate::scenario::duration::RunFor;
use crate::scenario::{Behavior, PodPlace, Resolved, RuleIndex};
use crate::time::{Ms, SECOND};
use crate::trace::{KillCause, Why};

/// What a step of the pod worker returns: done, or the run stops (a limit).
type Done = Result<(), SimError>;

/// CrashLoopBackOff: 10 s doubling to 300 s; the record expires after 600 s.
const CRASH_BACKOFF_INITIAL: Ms = 10 * SECOND;
const CRASH_BACKOFF_MAX: Ms = 300 * SECOND;
/// `minimumGracePeriodInSeconds` (kuberuntime KillPod).
const MIN_GRACE_SECONDS: i64 = 2;
const SOURCE: &str = "kubelet";

/// How the containers are being stopped: since when, with which grace
/// period (`killContainer` gives each container the grace period minus the
/// whole seconds it waited for its turn, but at least 2 s).
#[derive(Clone, Copy, Debug)]
struct Kill {
    started: Ms,
    grace_seconds: i64,
    cause: KillCause,
    /// The `Killing` events were recorded (once, when the kill starts).
    announced: bool,
}

impl Kill {
    fn new(now: Ms, grace_seconds: i64, cause: KillCause) -> Kill {
        Kill {
            started: now,
            grace_seconds: grace_seconds.max(1),
            cause,
            announced: false,
        }
    }

    /// SIGKILL time for a container whose SIGTERM comes at `at`.
    fn sigkill_at(&self, at: Ms) -> Ms {
        let waited = (at.saturating_sub(self.started) / SECOND) as i64;
        at + (self.grace_seconds - waited).max(MIN_GRACE_SECONDS) as Ms * SECOND
    }
}

/// The kubelet's memory of one container.
#[derive(Clone, Debug, Default)]
struct Slot {
    /// While waiting: when it starts (first start or restart).
    start_at: Option<Ms>,
    /// While running: when the process exits, and with which code/reason.
    exit_at: Option<(Ms, i32, String)>,
    /// The behaviour of the current run.
    plan: Option<Resolved>,
    /// When the container got SIGTERM, while being stopped.
    sigterm_at: Option<Ms>,
    /// client-go Backoff entry: (current backoff, last update).
    backoff: Option<(Ms, Ms)>,
    /// Runs so far (the behaviour's `run`).
    starts: u32,
    /// It started since the pod's containers last (re)started from the
    /// first init container: at creation or after RestartAllContainers.
    started_in_round: bool,
    /// Removed by RestartAllContainers and not started again yet.
    reset: bool,
}

/// A RestartAllContainers in progress: the kubelet kills the running
/// containers one at a time (grace period 0, so 2 s at most each, and no
/// preStop hook), regular containers first, then init containers and
/// sidecars, and removes every container; the pod and its UID stay.
#[derive(Clone, Debug)]
struct RestartAll {
    /// Containers still to stop, in the kubelet's order.
    queue: std::collections::VecDeque<usize>,
    /// The container being stopped now.
    stopping: Option<usize>,
}

/// What the kubelet does with a container that exited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AfterExit {
    Stay,
    /// Restart it in place, after the crash-loop backoff; `rule`: the
    /// restartPolicyRules entry that said so.
    Restart {
        rule: Option<usize>,
    },
    /// A `RestartAllContainers` rule matched.
    RestartAll {
        rule: usize,
    },
}

/// The time the containers take to start again after RestartAllContainers
/// removed them: the kubelet's next sync of the pod. Modelled as 1 s (the
/// PLEG relist period), which also keeps a container that exits at once
/// from restarting the pod in a loop at one instant.
const RESTART_ALL_RESYNC: Ms = SECOND;

#[derive(Clone, Debug, Default)]
struct Worker {
    slots: Vec<Slot>,
    kill: Option<Kill>,
    /// When the pod's own activeDeadlineSeconds ends.
    deadline: Option<Ms>,
    /// RestartAllContainers: the containers being stopped, and when they
    /// may start again once removed.
    restart_all: Option<RestartAll>,
    round_from: Option<Ms>,
    done: bool,
    init_failed: bool,
    /// Syncs at one instant: (instant, count). Something is due again at
    /// the same instant only when a sync changed something.
    syncs_at: (Ms, u32),
}

/// The kubelet of the one simulated node.
#[derive(Clone)]
pub struct Kubelet {
    workers: Vec<Option<Worker>>,
    /// When each pod worker is next due.
    queue: DelayingQueue<PodKey>,
    behavior: Behavior,
    rules: RuleIndex,
    /// Which Job of a CronJob this is (behaviour rules match on `job`).
    job_ordinal: Vec<u32>,
}

impl Kubelet {
    pub fn new(behavior: Behavior) -> Kubelet {
        Kubelet {
            workers: Vec::new(),
            queue: DelayingQueue::default(),
            rules: RuleIndex::new(&behavior.pods),
            behavior,
            job_ordinal: Vec::new(),
        }
    }

    /// Sets which Job (of a CronJob) a Job id is, for behaviour matching.
    pub fn set_job_ordinal(&mut self, job: usize, ordinal: u32) {
        if self.job_ordinal.len() <= job {
            self.job_ordinal.resize(job + 1, 0);
        }
        self.job_ordinal[job] = ordinal;
    }

    /// Watch: a new pod is bound here; a deleted one must be stopped.
    pub fn observe_pod(&mut self, world: &World, pod: PodId, sched: &mut Scheduler) {
        if self.workers.len() <= pod {
            self.workers.resize(pod + 1, None);
        }
        let p = &world.pods()[pod];
        let pending = self.queue.is_pending(pod);
        let worker = self.workers[pod].get_or_insert_with(|| Worker {
            slots: vec![Slot::default(); p.containers.len()],
            ..Worker::default()
        });
        if worker.done {
            return;
        }
        let new = !pending && p.start_time.is_none();
        // A deletion, or a shorter grace period than the one in progress
        // (the pod worker cancels the kill and starts over).
        let deleted = p.deletion_timestamp.is_some()
            && worker.kill.is_none_or(|k| {
                k.cause != KillCause::PodDeleted
                    || p.deletion_grace_period_seconds.unwrap_or(0).max(1) < k.grace_seconds
            });
        if new || deleted {
            self.queue.add_at(sched, pod, world.now());
        }
    }

    /// A wake-up: whether it is the pod's current one.
    pub fn take_due(&mut self, pod: PodId, at: Ms) -> bool {
        self.queue.take(pod, at)
    }

    fn place(&self, pod: &Pod, run: u32) -> PodPlace {
        PodPlace {
            index: pod.index,
            attempt: pod.attempt,
            ordinal: pod.ordinal,
            job: self.job_ordinal.get(pod.job).copied().unwrap_or(0),
            run,
        }
    }

    /// The `fail-pod` action: the container's process exits now.
    pub fn fail_container(
        &mut self,
        ctx: &mut Ctx,
        pod: PodId,
        container: usize,
        exit_code: i32,
        reason: &str,
    ) -> Done {
        let now = ctx.world.now();
        if let Some(slot) = self
            .workers
            .get_mut(pod)
            .and_then(Option::as_mut)
            .and_then(|w| w.slots.get_mut(container))
        {
            slot.exit_at = Some((now, exit_code, reason.to_string()));
        }
        self.sync(ctx, pod)
    }

    /// Reconciles one pod at the current time.
    pub fn sync(&mut self, ctx: &mut Ctx, pod: PodId) -> Done {
        let now = ctx.world.now();
        let Some(mut w) = self.workers.get_mut(pod).and_then(Option::take) else {
            return Ok(());
        };
        if ctx.world.pods()[pod].gone_at.is_some() {
            w.done = true;
        }
        w.syncs_at = match w.syncs_at {
            (at, n) if at == now => (at, n + 1),
            _ => (now, 1),
        };
        debug_assert!(
            w.syncs_at.1 < 1_000,
            "the kubelet synced pod {pod} 1000 times at {now} ms: a livelock"
        );
        if !w.done {
            self.sync_worker(ctx, pod, &mut w)?;
        }
        let next = if w.done {
            // Nothing more happens to the pod: its plans can go.
            w.slots = Vec::new();
            None
        } else {
            next_due(&w)
        };
        if let Some(at) = next {
            self.queue.add_at(ctx.sched, pod, at.max(now));
        }
        self.workers[pod] = Some(w);
        Ok(())
    }

    fn sync_worker(&mut self, ctx: &mut Ctx, pod: PodId, w: &mut Worker) -> Done {
        let now = ctx.world.now();
        if ctx.world.pods()[pod].start_time.is_none() {
            start_pod(ctx.world, pod, w, now);
        }
        start_shutdown(&ctx.world.pods()[pod], w, now);
        self.apply_exits(ctx, pod, w)?;
        if w.kill.is_some() {
            w.restart_all = None;
            self.stop_containers(ctx, pod, w)?;
        } else {
            self.continue_restart_all(ctx, pod, w)?;
            if w.restart_all.is_none() {
                self.run_containers(ctx, pod, w)?;
            }
        }
        update_phase(ctx.world, pod, w, now);
        if let Some(kill) = w.kill
            && !ctx.world.pods()[pod]
                .containers
                .iter()
                .any(|c| c.is_running())
        {
            w.done = true;
            if kill.cause == KillCause::PodDeleted {
                ctx.world.confirm_pod_deletion(pod);
            }
        }
        if ctx.world.pods()[pod].phase.is_terminal() && w.kill.is_none() {
            w.done = true;
        }
        Ok(())
    }

    /// Processes the container exits that are due.
    fn apply_exits(&mut self, ctx: &mut Ctx, pod: PodId, w: &mut Worker) -> Done {
        let now = ctx.world.now();
        for i in 0..w.slots.len() {
            let Some((at, code, reason)) = w.slots[i].exit_at.clone() else {
                continue;
            };
            if at > now {
                continue;
            }
            w.slots[i].exit_at = None;
            w.slots[i].sigterm_at = None;
            let after = if w.kill.is_none() && w.restart_all.is_none() {
                after_exit(&ctx.world.pods()[pod], i, code)
            } else {
                AfterExit::Stay
            };
            ctx.world.update_pod_status(pod, |p| {
                let c = &mut p.containers[i];
                let started = match c.state {
                    ContainerState::Running { started_at } => Some(started_at),
                    _ => None,
                };
                if let Some(run) = c.runs.last_mut() {
                    run.finished_at = Some(at);
                    run.exit_code = Some(code);
                    run.reason = Some(reason.clone());
                }
                c.state = ContainerState::Terminated {
                    exit_code: code,
                    reason: reason.clone(),
                    started_at: started,
                    finished_at: at,
                };
            });
            match after {
                AfterExit::Restart { rule } => {
                    self.plan_restart(ctx, pod, w, i, (at, code, &reason), rule)?
                }
                AfterExit::RestartAll { rule } => {
                    self.begin_restart_all(ctx, pod, w, i, code, rule)
                }
                AfterExit::Stay => {
                    if ctx.world.pods()[pod].containers[i].kind == ContainerKind::Init && code != 0
                    {
                        w.init_failed = true;
                    }
                }
            }
        }
        Ok(())
    }

    /// A restart in place after the crash-loop backoff.
    fn plan_restart(
        &mut self,
        ctx: &mut Ctx,
        pod: PodId,
        w: &mut Worker,
        i: usize,
        (at, code, reason): (Ms, i32, &str),
        rule: Option<usize>,
    ) -> Done {
        let delay = crash_backoff(&mut w.slots[i], at);
        w.slots[i].start_at = Some(at + delay);
        if delay > 0 {
            ctx.world.update_pod_status(pod, |p| {
                let c = &mut p.containers[i];
                c.last_terminated = Some((code, reason.to_string(), at));
                c.state = ContainerState::Waiting {
                    reason: "CrashLoopBackOff",
                };
            });
        }
        let p = &ctx.world.pods()[pod];
        let name = p.containers[i].name.clone();
        if delay > 0 {
            let message = format!(
                "Back-off restarting failed container {name} in pod {}_{}({})",
                p.name,
                "default",
                p.uid()
            );
            ctx.world
                .record_event(SOURCE, p.key(), true, "BackOff", message)?;
        }
        let restart_count = ctx.world.pods()[pod].containers[i].restart_count + 1;
        let job = ctx.world.pods()[pod].job;
        ctx.decide(
            job,
            vec![pod],
            Why::Restarted {
                container: name.to_string(),
                exit_code: code,
                delay,
                restart_count,
                rule,
            },
        );
        Ok(())
    }

    /// RestartAllContainers: the pod's condition turns True and the
    /// running containers are stopped, regular ones first.
    fn begin_restart_all(
        &mut self,
        ctx: &mut Ctx,
        pod: PodId,
        w: &mut Worker,
        source: usize,
        code: i32,
        rule: usize,
    ) {
        let now = ctx.world.now();
        let p = &ctx.world.pods()[pod];
        let regular_first = (0..p.containers.len())
            .filter(|&i| p.containers[i].kind == ContainerKind::Regular)
            .chain(
                (0..p.containers.len()).filter(|&i| p.containers[i].kind != ContainerKind::Regular),
            );
        let queue = regular_first
            .filter(|&i| p.containers[i].is_running())
            .collect();
        for slot in &mut w.slots {
            slot.start_at = None;
        }
        w.restart_all = Some(RestartAll {
            queue,
            stopping: None,
        });
        ctx.world.update_pod_status(pod, |p| {
            p.set_condition(
                PodText::AllContainersRestarting,
                true,
                PodText::RestartAllContainersStarted,
                PodText::RestartRuleMessage,
                now,
            );
        });
        let container = ctx.world.pods()[pod].containers[source].name.to_string();
        let job = ctx.world.pods()[pod].job;
        ctx.decide(
            job,
            vec![pod],
            Why::RestartingAll {
                container,
                exit_code: code,
                rule,
            },
        );
    }

    /// Moves a RestartAllContainers on: the next container gets SIGTERM
    /// once the one before it has stopped; when none runs any more, every
    /// container is removed and the pod starts them again from the first.
    fn continue_restart_all(&mut self, ctx: &mut Ctx, pod: PodId, w: &mut Worker) -> Done {
        let now = ctx.world.now();
        let Some(ra) = w.restart_all.as_mut() else {
            return Ok(());
        };
        let running = |i: usize| ctx.world.pods()[pod].containers[i].is_running();
        if ra.stopping.is_some_and(running) {
            return Ok(());
        }
        ra.stopping = None;
        while let Some(i) = ra.queue.pop_front() {
            if !running(i) {
                continue;
            }
            ra.stopping = Some(i);
            // killContainer with a grace period override of 0: the
            // runtime still gives the container the 2 s minimum.
            let sigkill_at = now + MIN_GRACE_SECONDS as Ms * SECOND;
            let key = ctx.world.pods()[pod].key();
            ctx.world
                .record_event(SOURCE, key, false, "Killing", "killing".into())?;
            let cause = KillCause::RestartAllContainers;
            let grace = MIN_GRACE_SECONDS;
            kill_container(
                ctx,
                pod,
                i,
                &mut w.slots[i],
                (now, sigkill_at),
                grace,
                cause,
            );
            return Ok(());
        }
        // Every container is stopped: removed, shown waiting, each that
        // ran counted as restarted (convertToAPIContainerStatuses).
        w.restart_all = None;
        w.round_from = Some(now + RESTART_ALL_RESYNC);
        for (i, slot) in w.slots.iter_mut().enumerate() {
            let ran = !matches!(
                ctx.world.pods()[pod].containers[i].state,
                ContainerState::Waiting { .. }
            );
            slot.start_at = None;
            slot.exit_at = None;
            slot.started_in_round = false;
            slot.reset = ran;
        }
        ctx.world.update_pod_status(pod, |p| {
            for (i, c) in p.containers.iter_mut().enumerate() {
                if !matches!(c.state, ContainerState::Waiting { .. }) {
                    if let Some(run) = c.runs.last_mut() {
                        run.removed_at = Some(now);
                    }
                    c.state = ContainerState::Waiting {
                        reason: "RestartingAllContainers",
                    };
                    c.last_terminated = Some((137, "RestartingAllContainers".into(), now));
                    c.restart_count += 1;
                }
                debug_assert!(!c.is_running(), "container {i} still runs after the reset");
            }
            p.set_condition_false(PodText::AllContainersRestarting, now);
        });
        Ok(())
    }

    /// Starts what may start now: init containers one by one (a sidecar
    /// counts once it runs), then every regular container.
    fn run_containers(&mut self, ctx: &mut Ctx, pod: PodId, w: &mut Worker) -> Done {
        let now = ctx.world.now();
        if w.init_failed {
            return self.begin_sidecar_shutdown(ctx, pod, w);
        }
        let kinds: Vec<ContainerKind> = ctx.world.pods()[pod]
            .containers
            .iter()
            .map(|c| c.kind)
            .collect();
        let Some(eligible_from) = self.run_init_containers(ctx, pod, w, &kinds)? else {
            for i in (0..kinds.len()).filter(|&i| kinds[i] == ContainerKind::Regular) {
                self.maybe_start(ctx, pod, w, i, None)?;
            }
            return Ok(());
        };
        if !ctx.world.pods()[pod]
            .condition(PodText::Initialized)
            .is_some_and(|c| c.status)
        {
            ctx.world.update_pod_status(pod, |p| {
                p.set_condition(
                    PodText::Initialized,
                    true,
                    PodText::None,
                    PodText::None,
                    now,
                );
            });
        }
        for (i, _) in kinds
            .iter()
            .enumerate()
            .filter(|(_, k)| **k == ContainerKind::Regular)
        {
            self.maybe_start(ctx, pod, w, i, Some(eligible_from))?;
        }
        // All regular containers finished for good: stop the sidecars.
        let p = &ctx.world.pods()[pod];
        let main_done = p
            .containers
            .iter()
            .enumerate()
            .filter(|(_, c)| c.kind == ContainerKind::Regular)
            .all(|(i, c)| c.terminated().is_some() && w.slots[i].start_at.is_none());
        if main_done {
            self.begin_sidecar_shutdown(ctx, pod, w)?;
        }
        Ok(())
    }

    /// After the main containers (or a failed init container under
    /// Never), running sidecars are stopped.
    fn begin_sidecar_shutdown(&mut self, ctx: &mut Ctx, pod: PodId, w: &mut Worker) -> Done {
        let now = ctx.world.now();
        let p = &ctx.world.pods()[pod];
        if p.containers.iter().any(|c| c.is_running()) {
            w.kill = Some(Kill::new(
                now,
                p.template.termination_grace_period_seconds,
                KillCause::SidecarsAfterMain,
            ));
            self.stop_containers(ctx, pod, w)?;
        }
        Ok(())
    }

    /// Init containers and sidecars in order, each once the one before it
    /// finished (init) or started (sidecar); the time the regular
    /// containers may start from, once all are through.
    fn run_init_containers(
        &mut self,
        ctx: &mut Ctx,
        pod: PodId,
        w: &mut Worker,
        kinds: &[ContainerKind],
    ) -> Result<Option<Ms>, SimError> {
        let mut eligible_from = w.round_from.unwrap_or(ctx.world.pods()[pod].created_at);
        let mut init_done = true;
        for (i, kind) in kinds
            .iter()
            .enumerate()
            .filter(|(_, k)| **k != ContainerKind::Regular)
        {
            // A start the kubelet already decided on (the container is
            // being created) goes ahead even if a sidecar before it has
            // crashed since; nothing new is planned past a blocker.
            self.maybe_start(ctx, pod, w, i, init_done.then_some(eligible_from))?;
            if !init_done {
                continue;
            }
            let c = &ctx.world.pods()[pod].containers[i];
            let done = match (kind, &c.state) {
                (
                    ContainerKind::Init,
                    ContainerState::Terminated {
                        exit_code: 0,
                        finished_at,
                        ..
                    },
                ) => {
                    eligible_from = *finished_at;
                    true
                }
                (ContainerKind::Sidecar, ContainerState::Running { started_at }) => {
                    eligible_from = eligible_from.max(*started_at);
                    true
                }
                // A sidecar that ran and waits for its restart does not hold
                // back the containers after it once they started.
                (ContainerKind::Sidecar, _) => {
                    w.slots[i].started_in_round && any_regular_started(ctx.world, pod, w)
                }
                _ => false,
            };
            if !done {
                init_done = false;
            }
        }
        Ok(init_done.then_some(eligible_from))
    }

    /// Starts container `i` if it is waiting and its start time has come;
    /// plans the first start of a container that never ran when it may
    /// start (`eligible_from`: since when; None: not now).
    fn maybe_start(
        &mut self,
        ctx: &mut Ctx,
        pod: PodId,
        w: &mut Worker,
        i: usize,
        eligible_from: Option<Ms>,
    ) -> Done {
        let now = ctx.world.now();
        let p = &ctx.world.pods()[pod];
        let c = &p.containers[i];
        let slot = &mut w.slots[i];
        if c.is_running() || (slot.started_in_round && slot.start_at.is_none()) {
            return Ok(());
        }
        if let Some(eligible_from) = eligible_from
            && slot.start_at.is_none()
            && !slot.started_in_round
        {
            let plan = self
                .behavior
                .resolve(&self.rules, &c.name, &self.place(p, 0));
            slot.start_at = Some(eligible_from.max(p.created_at) + plan.start_delay);
        }
        let Some(at) = slot.start_at.filter(|&at| at <= now) else {
            return Ok(());
        };
        let run = slot.starts;
        let plan = self
            .behavior
            .resolve(&self.rules, &c.name, &self.place(p, run));
        ctx.log.rule_applied(plan.rule);
        slot.start_at = None;
        slot.starts += 1;
        // After RestartAllContainers the count went up when it was removed.
        let restarted = run > 0 && !slot.reset;
        slot.started_in_round = true;
        slot.reset = false;
        slot.exit_at = match plan.run_for {
            RunFor::For(d) => Some((at + d, plan.exit_code, plan.reason.clone())),
            RunFor::Forever => None,
        };
        slot.plan = Some(plan);
        ctx.world.update_pod_status(pod, |p| {
            let c = &mut p.containers[i];
            if let ContainerState::Terminated {
                exit_code,
                reason,
                finished_at,
                ..
            } = &c.state
            {
                c.last_terminated = Some((*exit_code, reason.clone(), *finished_at));
            }
            if restarted {
                c.restart_count += 1;
            }
            c.state = ContainerState::Running { started_at: at };
            // Most containers run once: room for exactly one run (a
            // 100,000-pod Job would hold 22 MB of empty slots otherwise).
            if c.runs.is_empty() {
                c.runs.reserve_exact(1);
            }
            c.runs.push(Run {
                started_at: at,
                finished_at: None,
                exit_code: None,
                reason: None,
                removed_at: None,
            });
        });
        Ok(())
    }

    /// Graceful shutdown: SIGTERM to the regular containers, then the
    /// sidecars in reverse order, each SIGKILLed (137) when its grace runs out.
    fn stop_containers(&mut self, ctx: &mut Ctx, pod: PodId, w: &mut Worker) -> Done {
        let now = ctx.world.now();
        let Some(kill) = w.kill.as_mut() else {
            return Ok(());
        };
        // Nothing waiting starts any more.
        for slot in &mut w.slots {
            slot.start_at = None;
        }
        let p = &ctx.world.pods()[pod];
        // killContainer records `Killing` for every running container at once.
        if !kill.announced {
            kill.announced = true;
            let names: Vec<String> = p
                .containers
                .iter()
                .filter(|c| c.is_running())
                .map(|c| c.name.to_string())
                .collect();
            let key = p.key();
            for name in names {
                ctx.world.record_event(
                    SOURCE,
                    key.clone(),
                    false,
                    "Killing",
                    format!("Stopping container {name}"),
                )?;
            }
        }
        let kill = *kill;
        let p = &ctx.world.pods()[pod];
        let mut targets = Vec::new();
        if p.regular_containers().any(|c| c.is_running()) {
            for (i, c) in p.containers.iter().enumerate() {
                if c.kind == ContainerKind::Regular
                    && c.is_running()
                    && w.slots[i].sigterm_at.is_none()
                {
                    targets.push(i);
                }
            }
        } else if let Some(i) = p
            .containers
            .iter()
            .enumerate()
            .rev()
            .find(|(_, c)| c.is_running())
            .map(|(i, _)| i)
            .filter(|&i| w.slots[i].sigterm_at.is_none())
        {
            // The last running sidecar goes first; the one before it waits.
            targets.push(i);
        }
        for i in targets {
            let grace = kill.grace_seconds.max(MIN_GRACE_SECONDS);
            let signals = (now, kill.sigkill_at(now));
            kill_container(ctx, pod, i, &mut w.slots[i], signals, grace, kill.cause);
        }
        Ok(())
    }
}

/// killContainer: SIGTERM, then SIGKILL unless the container exits first
/// (`signal`), with the decision recorded for Explain.
fn kill_container(
    ctx: &mut Ctx,
    pod: PodId,
    container: usize,
    slot: &mut Slot,
    (sigterm_at, sigkill_at): (Ms, Ms),
    grace_seconds: i64,
    cause: KillCause,
) {
    let sigkill = signal(slot, sigterm_at, sigkill_at);
    let p = &ctx.world.pods()[pod];
    let why = Why::Killed {
        container: p.containers[container].name.to_string(),
        sigkill,
        grace_seconds,
        cause,
    };
    ctx.decide(p.job, vec![pod], why);
}

/// SIGTERM at `now`, SIGKILL at `sigkill_at`: when and how the container
/// exits, as its behaviour says; whether SIGKILL ended it.
fn signal(slot: &mut Slot, now: Ms, sigkill_at: Ms) -> bool {
    slot.sigterm_at = Some(now);
    let plan = slot.plan.as_ref().expect("a running container has a plan");
    let by_signal = if now + plan.sigterm_delay < sigkill_at {
        let code = plan.sigterm_exit_code;
        (
            now + plan.sigterm_delay,
            code,
            crate::scenario::exit_reason(code).to_string(),
        )
    } else {
        (sigkill_at, 137, "Error".to_string())
    };
    // A process that exits by itself before the signal takes effect keeps its own exit.
    let exit = match slot.exit_at.take() {
        Some(own) if own.0 <= by_signal.0 => own,
        _ => by_signal,
    };
    let sigkilled = exit.0 == sigkill_at && exit.1 == 137;
    slot.exit_at = Some(exit);
    sigkilled
}

/// `ContainerShouldRestart`: the first matching restartPolicyRules entry,
/// else the container's own restartPolicy, else the pod's. A regular init
/// container is only restarted when it failed.
fn after_exit(pod: &Pod, i: usize, code: i32) -> AfterExit {
    let spec = &pod.template.containers[i];
    if pod.containers[i].kind == ContainerKind::Init && code == 0 {
        return AfterExit::Stay;
    }
    let restart = |yes: bool| {
        if yes {
            AfterExit::Restart { rule: None }
        } else {
            AfterExit::Stay
        }
    };
    let Some(policy) = spec.restart_policy.as_deref() else {
        return restart(pod.template.restart_policy == RestartPolicy::OnFailure && code != 0);
    };
    match spec.matching_restart_rule(code) {
        Some((rule, r)) if r.action == RestartRuleAction::Restart => {
            AfterExit::Restart { rule: Some(rule) }
        }
        Some((rule, _)) => AfterExit::RestartAll { rule },
        None => restart(policy == "Always" || (policy == "OnFailure" && code != 0)),
    }
}

/// `AllContainersCouldRestart`: a container has a RestartAllContainers rule.
fn could_restart_all(pod: &Pod) -> bool {
    pod.template.containers.iter().any(|c| {
        c.restart_policy_rules
            .iter()
            .any(|r| r.action == RestartRuleAction::RestartAllContainers)
    })
}

/// A regular container started since the containers last started over.
fn any_regular_started(world: &World, pod: PodId, w: &Worker) -> bool {
    world.pods()[pod]
        .containers
        .iter()
        .zip(&w.slots)
        .any(|(c, slot)| c.kind == ContainerKind::Regular && slot.started_in_round)
}

/// The next time something is due for the pod.
fn next_due(w: &Worker) -> Option<Ms> {
    let mut next: Option<Ms> = None;
    let mut consider = |t: Ms| next = Some(next.map_or(t, |n: Ms| n.min(t)));
    for slot in &w.slots {
        if let Some(at) = slot.start_at {
            consider(at);
        }
        if let Some((at, _, _)) = slot.exit_at {
            consider(at);
        }
    }
    if w.kill.is_none()
        && let Some(deadline) = w.deadline
    {
        consider(deadline);
    }
    next
}

/// client-go's Backoff as the kubelet uses it: the first restart is
/// immediate; then 10 s, 20 s ... 300 s, measured from the exit; a record
/// older than 2 × 300 s at the exit starts over.
fn crash_backoff(slot: &mut Slot, exited_at: Ms) -> Ms {
    match slot.backoff {
        Some((backoff, last_update))
            if exited_at.saturating_sub(last_update) <= 2 * CRASH_BACKOFF_MAX =>
        {
            // Restarted when the backoff ends; that restart doubles it.
            slot.backoff = Some(((backoff * 2).min(CRASH_BACKOFF_MAX), exited_at + backoff));
            backoff
        }
        _ => {
            slot.backoff = Some((CRASH_BACKOFF_INITIAL, exited_at));
            0
        }
    }
}

/// kubelet `getPhase` (1.29+), with what the status manager adds: a pod is
/// not reported terminal while a container still runs (mergePodStatus),
/// and a stopped pod's missing statuses become failures (TerminatePod).
fn update_phase(world: &mut World, pod: PodId, w: &Worker, now: Ms) {
    let p = &world.pods()[pod];
    if p.phase.is_terminal() {
        return;
    }
    let any_running = p.containers.iter().any(|c| c.is_running());
    let stopped_for_good = w.kill.is_some() && !any_running;
    let unknown = if stopped_for_good {
        terminate_pod_rewrites(p)
    } else {
        Vec::new()
    };
    let mut phase = get_phase(p, w, &unknown);
    if stopped_for_good && !phase.is_terminal() {
        phase = Phase::Failed;
    }
    if phase.is_terminal() && any_running {
        phase = p.phase;
    }
    let deadline = w.kill.is_some_and(|k| k.cause == KillCause::PodDeadline) && stopped_for_good;
    // Ready: every regular container and every sidecar running.
    let ready = p.regular_containers().count() > 0
        && p.containers
            .iter()
            .filter(|c| c.kind != ContainerKind::Init)
            .all(|c| c.is_running());
    if phase == p.phase
        && p.is_ready() == ready
        && unknown.is_empty()
        && (!deadline || p.reason.is_some())
    {
        return;
    }
    world.update_pod_status(pod, |p| {
        for &i in &unknown {
            p.containers[i].state = ContainerState::Terminated {
                exit_code: 137,
                reason: "ContainerStatusUnknown".into(),
                started_at: None,
                finished_at: now,
            };
        }
        let reason = match (ready, phase) {
            (true, _) => PodText::None,
            (false, Phase::Succeeded) => PodText::PodCompleted,
            (false, Phase::Failed) => PodText::PodFailed,
            _ => PodText::ContainersNotReady,
        };
        p.set_condition(PodText::Ready, ready, reason, PodText::None, now);
        p.set_condition(PodText::ContainersReady, ready, reason, PodText::None, now);
        if phase.is_terminal() && p.condition(PodText::AllContainersRestarting).is_some() {
            p.set_condition(
                PodText::AllContainersRestarting,
                false,
                reason,
                PodText::None,
                now,
            );
        }
        if deadline {
            p.reason = Some("DeadlineExceeded".into());
        }
        p.phase = phase;
    });
}

/// The pod worker's first sync: startTime, the deadline of the pod's own
/// activeDeadlineSeconds, and the first conditions.
fn start_pod(world: &mut World, pod: PodId, w: &mut Worker, now: Ms) {
    let ads = world.pods()[pod].template.active_deadline_seconds;
    w.deadline = ads.map(|s| now + s.max(0) as Ms * SECOND);
    world.update_pod_status(pod, |p| {
        p.start_time = Some(now);
        p.set_condition(
            PodText::PodReadyToStartContainers,
            true,
            PodText::None,
            PodText::None,
            now,
        );
        p.set_condition(
            PodText::Initialized,
            !p.containers
                .iter()
                .any(|c| c.kind != ContainerKind::Regular),
            PodText::None,
            PodText::None,
            now,
        );
        p.set_condition(
            PodText::Ready,
            false,
            PodText::ContainersNotReady,
            PodText::None,
            now,
        );
        p.set_condition(
            PodText::ContainersReady,
            false,
            PodText::ContainersNotReady,
            PodText::None,
            now,
        );
        if could_restart_all(p) {
            p.set_condition_false(PodText::AllContainersRestarting, now);
        }
    });
}

/// A deletion (or a shorter grace period than the kill in progress), or
/// the pod's own deadline, starts the shutdown.
fn start_shutdown(p: &Pod, w: &mut Worker, now: Ms) {
    if p.deletion_timestamp.is_some() {
        let grace = p.deletion_grace_period_seconds.unwrap_or(0).max(1);
        match &mut w.kill {
            Some(k) if k.cause == KillCause::PodDeleted && grace >= k.grace_seconds => {}
            Some(k) => {
                // Shorter than the kill in progress: containers already
                // stopping get SIGKILL at the new deadline at the latest.
                let shorter = Kill::new(now, grace, KillCause::PodDeleted);
                let sigkill = shorter.sigkill_at(now);
                for slot in w.slots.iter_mut().filter(|s| s.sigterm_at.is_some()) {
                    if slot.exit_at.as_ref().is_none_or(|e| e.0 > sigkill) {
                        slot.exit_at = Some((sigkill, 137, "Error".into()));
                    }
                }
                *k = Kill {
                    announced: k.announced,
                    ..shorter
                };
            }
            None => w.kill = Some(Kill::new(now, grace, KillCause::PodDeleted)),
        }
    }
    if w.kill.is_none()
        && let Some(deadline) = w.deadline
        && now >= deadline
    {
        w.kill = Some(Kill::new(
            now,
            p.template.termination_grace_period_seconds,
            KillCause::PodDeadline,
        ));
    }
}

/// kubelet `getPhase` (1.29+) over the containers' states, the `unknown`
/// ones counted as terminated (137) as TerminatePod reports them.
fn get_phase(p: &Pod, w: &Worker, unknown: &[usize]) -> Phase {
    // A stopped container the kubelet will start again keeps the pod
    // Running (getPhase's stoppedNotRestartable).
    let restartable = |i: usize| {
        let slot = &w.slots[i];
        w.kill.is_none() && (slot.start_at.is_some() || slot.reset || w.restart_all.is_some())
    };
    let (mut running, mut stopped, mut succeeded, mut waiting) = (0, 0, 0, 0);
    let mut stopped_not_restartable = 0;
    let (mut pending_init, mut pending_sidecars) = (0, 0);
    for (i, c) in p.containers.iter().enumerate() {
        let exit = if unknown.contains(&i) {
            Some(137)
        } else {
            c.terminated().map(|(code, _, _)| code)
        };
        let waiting_to_restart =
            matches!(c.state, ContainerState::Waiting { .. }) && c.last_terminated.is_some();
        match c.kind {
            // A failed init container waits for its restart (OnFailure);
            // under Never `init_failed` decides.
            ContainerKind::Init if exit.is_none() && !waiting_to_restart => pending_init += 1,
            ContainerKind::Init => {}
            ContainerKind::Sidecar if c.runs.is_empty() => pending_sidecars += 1,
            ContainerKind::Sidecar => {}
            ContainerKind::Regular => match exit {
                Some(code) => {
                    stopped += 1;
                    stopped_not_restartable += usize::from(!restartable(i));
                    succeeded += usize::from(code == 0);
                }
                None if waiting_to_restart => {
                    stopped += 1;
                    stopped_not_restartable += usize::from(!restartable(i));
                }
                None if c.is_running() => running += 1,
                None => waiting += 1,
            },
        }
    }
    let initialized = pending_init == 0 && pending_sidecars == 0;
    if w.init_failed {
        Phase::Failed
    } else if pending_init > 0 || (pending_sidecars > 0 && !initialized) || waiting > 0 {
        Phase::Pending
    } else if running > 0 {
        Phase::Running
    } else if stopped == 0 {
        Phase::Pending
    } else if stopped != stopped_not_restartable {
        Phase::Running
    } else if stopped == succeeded {
        Phase::Succeeded
    } else {
        Phase::Failed
    }
}

/// TerminatePod: which containers without a terminated state are reported
/// terminated (137, ContainerStatusUnknown) when the pod stopped. Regular
/// containers only once the pod got past its init containers; init
/// containers up to the last one that ever started.
fn terminate_pod_rewrites(p: &Pod) -> Vec<usize> {
    let inits: Vec<usize> = (0..p.containers.len())
        .filter(|&i| p.containers[i].kind != ContainerKind::Regular)
        .collect();
    let started = |i: usize| !p.containers[i].runs.is_empty();
    let last_init_done = inits.last().is_none_or(|&i| {
        let c = &p.containers[i];
        match c.kind {
            ContainerKind::Sidecar => c.is_running() || started(i),
            _ => matches!(c.state, ContainerState::Terminated { exit_code: 0, .. }),
        }
    });
    let initialized = last_init_done || p.regular_containers().any(|c| !c.runs.is_empty());
    let last_started_init = inits.iter().rposition(|&i| started(i)).unwrap_or(0);
    let unterminated =
        |i: &usize| !matches!(p.containers[*i].state, ContainerState::Terminated { .. });
    let mut out: Vec<usize> = inits
        .iter()
        .take(last_started_init + 1)
        .copied()
        .filter(unterminated)
        .collect();
    if initialized {
        out.extend(
            (0..p.containers.len())
                .filter(|&i| p.containers[i].kind == ContainerKind::Regular)
                .filter(|i| unterminated(i)),
        );
    }
    out
}
