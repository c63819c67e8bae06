//! The API server: the objects (Jobs and Pods), their metadata rules
//! (generateName, finalizers, graceful deletion, owner references) and the
//! event log. Controllers and the kubelet change the world only through the
//! methods here; every change is announced as a `Notice` (a watch event).

use super::SimError;
use crate::admission::{AdmittedCronJob, AdmittedJob};
use crate::api::{Container, CronJobSpec, JobSpec};
use crate::time::{Clock, Ms};
use std::collections::BTreeMap;
use std::rc::Rc;

pub type JobId = usize;
pub type PodId = usize;
pub type CronJobId = usize;

/// `batch.kubernetes.io/job-tracking`.
pub const JOB_TRACKING_FINALIZER: &str = "batch.kubernetes.io/job-tracking";
pub const COMPLETION_INDEX_KEY: &str = "batch.kubernetes.io/job-completion-index";
pub const INDEX_FAILURE_COUNT_KEY: &str = "batch.kubernetes.io/job-index-failure-count";
pub const INDEX_IGNORED_FAILURE_COUNT_KEY: &str =
    "batch.kubernetes.io/job-index-ignored-failure-count";

/// k8s.io/apiserver/pkg/storage/names: 5 characters without vowels or
/// easily confused digits, appended to generateName (cut to 58 characters).
const NAME_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
const MAX_GENERATED_NAME_LENGTH: usize = 58;
/// RetryGenerateName (GA 1.32): the API server retries a name collision.
const SECOND_MS: Ms = 1_000;
const GENERATE_NAME_ATTEMPTS: usize = 8;

/// The key of a pod name in `World::names`.
fn name_hash(name: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(name)
}

/// A watch event: what changed, for the components that react to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    JobAdded(JobId),
    /// `spec_changed` is a generation bump; `deadline_changed` an edit of
    /// activeDeadlineSeconds.
    JobUpdated {
        job: JobId,
        spec_changed: bool,
        deadline_changed: bool,
    },
    JobGone(JobId),
    CronJobAdded(CronJobId),
    /// `schedule_changed`: the schedule or the time zone changed.
    CronJobUpdated {
        cron_job: CronJobId,
        schedule_changed: bool,
    },
    CronJobGone(CronJobId),
    PodAdded(PodId),
    PodUpdated(PodId),
    PodGone(PodId),
}

/// A Kubernetes event (`kubectl get events`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub at: Ms,
    pub warning: bool,
    /// Shared with every event of the same reason.
    pub reason: Rc<str>,
    /// `Job/pi`, `Pod/pi-x7k2p`, `CronJob/hello`; shared with the object's
    /// other events.
    pub object: Rc<str>,
    pub message: String,
    pub source: &'static str,
}

/// A Job condition's type (batch/v1 `JobConditionType`, generated in
/// `api::enums`).
pub use crate::api::ConditionType;

impl ConditionType {
    /// Complete or Failed: the Job is finished (`IsJobFinished`).
    pub fn is_final(self) -> bool {
        matches!(self, ConditionType::Complete | ConditionType::Failed)
    }
}

/// metav1.Condition-like Job condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobCondition {
    pub type_: ConditionType,
    pub status: bool,
    pub reason: String,
    pub message: String,
    pub last_probe_time: Ms,
    pub last_transition_time: Ms,
}

/// batch/v1 JobStatus as the API stores it (times in virtual ms).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JobStatus {
    pub conditions: Vec<JobCondition>,
    pub start_time: Option<Ms>,
    pub completion_time: Option<Ms>,
    pub active: i32,
    pub succeeded: i32,
    pub failed: i32,
    pub terminating: Option<i32>,
    pub ready: Option<i32>,
    pub completed_indexes: String,
    pub failed_indexes: Option<String>,
}

impl JobStatus {
    pub fn condition(&self, type_: ConditionType) -> Option<&JobCondition> {
        self.conditions.iter().find(|c| c.type_ == type_)
    }

    pub fn is_true(&self, type_: ConditionType) -> bool {
        self.condition(type_).is_some_and(|c| c.status)
    }

    /// The True Complete or Failed condition, if the Job finished.
    pub fn finished_condition(&self) -> Option<&JobCondition> {
        self.conditions
            .iter()
            .find(|c| c.status && c.type_.is_final())
    }

    /// Complete or Failed (`IsJobFinished`).
    pub fn is_finished(&self) -> bool {
        self.finished_condition().is_some()
    }
}

/// A CronJob object in the API.
#[derive(Clone, Debug)]
pub struct CronJobObject {
    pub name: String,
    pub namespace: String,
    pub uid: String,
    /// The stored object (defaulted; no status); updates patch it.
    pub object: crate::yaml::Value,
    pub spec: CronJobSpec,
    pub status: CronJobStatus,
    pub created_at: Ms,
    pub gone_at: Option<Ms>,
    /// The Jobs it owns that are still in the API, oldest first (the
    /// informer's index by owner).
    pub live_jobs: Vec<JobId>,
}

impl CronJobObject {
    pub fn key(&self) -> String {
        format!("CronJob/{}", self.name)
    }
}

/// batch/v1 CronJobStatus; times are Unix seconds (metav1.Time).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CronJobStatus {
    /// The Jobs in `status.active`, in the order they were added.
    pub active: Vec<JobId>,
    pub last_schedule_time: Option<i64>,
    pub last_successful_time: Option<i64>,
}

/// A Job object in the API.
#[derive(Clone, Debug)]
pub struct JobObject {
    pub name: String,
    pub namespace: String,
    pub uid: String,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    /// The stored object (defaulted; no status); updates patch it.
    pub object: crate::yaml::Value,
    /// The stored spec, after defaulting.
    pub spec: JobSpec,
    pub generation: u64,
    pub status: JobStatus,
    pub created_at: Ms,
    pub deletion_timestamp: Option<Ms>,
    /// Set when it left the API.
    pub gone_at: Option<Ms>,
    /// Every pod it created, in creation order (the `ordinal`).
    pub pods: Vec<PodId>,
    /// Pods the Job controller still has to look at: not gone, and not
    /// (terminal without the tracking finalizer). Pruned by the controller.
    pub live_pods: Vec<PodId>,
    /// Pods created per completion index (Indexed) or overall, for `attempt`.
    pub attempts: BTreeMap<Option<u32>, u32>,
    /// Its controller owner reference, when a CronJob owns it.
    pub owner: Option<CronJobId>,
}

impl JobObject {
    pub fn key(&self) -> String {
        format!("Job/{}", self.name)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    Pending,
    Running,
    Succeeded,
    Failed,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Pending => "Pending",
            Phase::Running => "Running",
            Phase::Succeeded => "Succeeded",
            Phase::Failed => "Failed",
        }
    }

    pub fn is_terminal(self) -> bool {
        matches!(self, Phase::Succeeded | Phase::Failed)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RestartPolicy {
    Never,
    OnFailure,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContainerKind {
    Init,
    Sidecar,
    Regular,
}

/// One run of a container: from a start to its exit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub started_at: Ms,
    pub finished_at: Option<Ms>,
    pub exit_code: Option<i32>,
    pub reason: Option<String>,
    /// When RestartAllContainers removed the container after this run.
    pub removed_at: Option<Ms>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContainerState {
    Waiting {
        reason: &'static str,
    },
    Running {
        started_at: Ms,
    },
    Terminated {
        exit_code: i32,
        reason: String,
        started_at: Option<Ms>,
        finished_at: Ms,
    },
}

/// A container's status, as the kubelet reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerStatus {
    pub name: Rc<str>,
    pub kind: ContainerKind,
    pub state: ContainerState,
    /// The previous termination, while waiting to restart.
    pub last_terminated: Option<(i32, String, Ms)>,
    pub restart_count: u32,
    pub runs: Vec<Run>,
}

impl ContainerStatus {
    pub fn is_running(&self) -> bool {
        matches!(self.state, ContainerState::Running { .. })
    }

    pub fn terminated(&self) -> Option<(i32, &str, Ms)> {
        match &self.state {
            ContainerState::Terminated {
                exit_code,
                reason,
                finished_at,
                ..
            } => Some((*exit_code, reason.as_str(), *finished_at)),
            _ => None,
        }
    }
}

/// A pod's labels or annotations: the template's, shared by every pod of
/// the Job, and the few the Job controller adds to this pod (completion
/// index, failure counts), which win over the template's.
#[derive(Clone, Debug, Default)]
pub struct Meta {
    pub shared: Rc<BTreeMap<String, String>>,
    pub own: Vec<(&'static str, String)>,
}

impl Meta {
    pub fn get(&self, key: &str) -> Option<&str> {
        match self.own.iter().find(|(k, _)| *k == key) {
            Some((_, v)) => Some(v),
            None => self.shared.get(key).map(String::as_str),
        }
    }

    /// Sets one of the pod's own entries.
    pub fn insert(&mut self, key: &'static str, value: String) {
        match self.own.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = value,
            None => self.own.push((key, value)),
        }
    }

    /// Every entry, sorted by key, as the API server stores a map.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        let mut all: Vec<(&str, &str)> = self
            .shared
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .filter(|(k, _)| !self.own.iter().any(|(o, _)| o == k))
            .chain(self.own.iter().map(|(k, v)| (*k, v.as_str())))
            .collect();
        crate::sort::sort_by_key(&mut all, |(k, _)| *k);
        all.into_iter()
    }
}

/// Every text a pod condition holds (types, reasons, messages): a
/// condition keeps them as these codes, so that it takes 16 bytes (a run of
/// 100,000 pods holds 600,000 conditions) and compares them as numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PodText {
    None,
    PodScheduled,
    PodReadyToStartContainers,
    Initialized,
    Ready,
    ContainersReady,
    DisruptionTarget,
    AllContainersRestarting,
    ContainersNotReady,
    PodCompleted,
    PodFailed,
    EvictionByEvictionApi,
    RestartAllContainersStarted,
    /// "Eviction API: evicting".
    EvictingMessage,
    /// "container exited with restart policy rule".
    RestartRuleMessage,
}

impl PodText {
    pub fn as_str(self) -> &'static str {
        match self {
            PodText::None => "",
            PodText::PodScheduled => "PodScheduled",
            PodText::PodReadyToStartContainers => "PodReadyToStartContainers",
            PodText::Initialized => "Initialized",
            PodText::Ready => "Ready",
            PodText::ContainersReady => "ContainersReady",
            PodText::DisruptionTarget => "DisruptionTarget",
            PodText::AllContainersRestarting => "AllContainersRestarting",
            PodText::ContainersNotReady => "ContainersNotReady",
            PodText::PodCompleted => "PodCompleted",
            PodText::PodFailed => "PodFailed",
            PodText::EvictionByEvictionApi => "EvictionByEvictionAPI",
            PodText::RestartAllContainersStarted => "RestartAllContainersStarted",
            PodText::EvictingMessage => "Eviction API: evicting",
            PodText::RestartRuleMessage => "container exited with restart policy rule",
        }
    }
}

/// A pod condition (type, status, reason, message, lastTransitionTime).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PodCondition {
    pub kind: PodText,
    pub status: bool,
    reason: PodText,
    message: PodText,
    pub last_transition_time: Ms,
}

impl PodCondition {
    pub fn type_(&self) -> &'static str {
        self.kind.as_str()
    }

    pub fn reason(&self) -> &'static str {
        self.reason.as_str()
    }

    pub fn message(&self) -> &'static str {
        self.message.as_str()
    }
}

/// A Pod object in the API, with the simulator's bookkeeping
/// (index/attempt/ordinal and its life in the trace).
#[derive(Clone, Debug)]
pub struct Pod {
    pub name: String,
    pub job: JobId,
    /// The number of its UID (`Pod::uid`): 36 characters kept for each of
    /// 100,000 pods would be 7 MB.
    uid_number: u64,
    pub index: Option<u32>,
    pub attempt: u32,
    pub ordinal: u32,
    /// The template it was made from (containers' specs included).
    pub template: PodTemplate,
    pub created_at: Ms,
    pub tracking_finalizer: bool,
    pub deletion_timestamp: Option<Ms>,
    pub deletion_grace_period_seconds: Option<i64>,
    /// When the first DELETE arrived (the simulator's record).
    pub deletion_requested_at: Option<Ms>,
    pub gone_at: Option<Ms>,
    pub phase: Phase,
    /// `status.reason` (e.g. DeadlineExceeded).
    pub reason: Option<String>,
    pub start_time: Option<Ms>,
    pub conditions: Vec<PodCondition>,
    /// The Ready condition's status (kept with `conditions`; read at every
    /// Job sync for every pod).
    ready: bool,
    /// Init containers (and sidecars) in spec order, then regular ones.
    pub containers: Vec<ContainerStatus>,
    /// Every phase change, for timelines: (time, phase).
    pub phase_history: Vec<(Ms, Phase)>,
}

impl Pod {
    /// Its UID, as the API server handed it out.
    pub fn uid(&self) -> String {
        uid(self.uid_number)
    }

    pub fn condition(&self, kind: PodText) -> Option<&PodCondition> {
        self.conditions.iter().find(|c| c.kind == kind)
    }

    pub fn is_ready(&self) -> bool {
        self.ready
    }

    /// `controller.IsPodActive`: not terminal and not being deleted.
    pub fn is_active(&self) -> bool {
        !self.phase.is_terminal() && self.deletion_timestamp.is_none()
    }

    /// `controller.IsPodTerminating`.
    pub fn is_terminating(&self) -> bool {
        !self.phase.is_terminal() && self.deletion_timestamp.is_some()
    }

    pub fn regular_containers(&self) -> impl Iterator<Item = &ContainerStatus> {
        self.containers
            .iter()
            .filter(|c| c.kind == ContainerKind::Regular)
    }

    pub fn key(&self) -> String {
        format!("Pod/{}", self.name)
    }

    /// Sets a condition False, without reason or message.
    pub fn set_condition_false(&mut self, kind: PodText, now: Ms) -> bool {
        self.set_condition(kind, false, PodText::None, PodText::None, now)
    }

    /// Sets a condition, keeping its transition time when only reason or
    /// message change; returns whether anything changed.
    pub fn set_condition(
        &mut self,
        kind: PodText,
        status: bool,
        reason: PodText,
        message: PodText,
        now: Ms,
    ) -> bool {
        if kind == PodText::Ready {
            self.ready = status;
        }
        match self.conditions.iter_mut().find(|c| c.kind == kind) {
            Some(c) if c.status == status && c.reason == reason && c.message == message => false,
            Some(c) => {
                if c.status != status {
                    c.last_transition_time = now;
                }
                c.status = status;
                c.reason = reason;
                c.message = message;
                true
            }
            None => {
                self.conditions.push(PodCondition {
                    kind,
                    status,
                    reason,
                    message,
                    last_transition_time: now,
                });
                true
            }
        }
    }
}

/// What a status write may do, whatever the controller: counters stay
/// non-negative, `succeeded` and `failed` never go down, a completed index
/// stays completed, a finished Job stays finished. Checked in debug builds
/// (the tests, the property tests and the fuzzer stop at the faulty write).
fn debug_assert_status_transition(
    job: JobId,
    old: &JobStatus,
    new: &JobStatus,
    completions: Option<i32>,
) {
    let counters = [
        new.active,
        new.succeeded,
        new.failed,
        new.ready.unwrap_or(0),
        new.terminating.unwrap_or(0),
    ];
    debug_assert!(
        counters.iter().all(|&c| c >= 0),
        "job {job}: a negative counter in {new:?}"
    );
    debug_assert!(
        new.succeeded >= old.succeeded && new.failed >= old.failed,
        "job {job}: succeeded/failed went down: {}/{} -> {}/{}",
        old.succeeded,
        old.failed,
        new.succeeded,
        new.failed
    );
    debug_assert!(
        !old.is_finished() || new.is_finished(),
        "job {job}: a finished Job lost its condition: {new:?}"
    );
    if cfg!(debug_assertions) {
        use crate::sim::job::indexes::IndexSet;
        let n = completions.unwrap_or(0).max(0) as u32;
        let (before, after) = (
            IndexSet::parse(&old.completed_indexes, n),
            IndexSet::parse(&new.completed_indexes, n),
        );
        // Each interval before lies within one interval after (both are
        // sorted: one walk).
        let after = after.intervals();
        let mut j = 0;
        let kept = before.intervals().iter().all(|&(a, b)| {
            while j < after.len() && after[j].1 < a {
                j += 1;
            }
            j < after.len() && after[j].0 <= a && b <= after[j].1
        });
        debug_assert!(
            kept,
            "job {job}: completed indexes {:?} -> {:?}",
            old.completed_indexes, new.completed_indexes
        );
    }
}

/// A new pod's container statuses: init containers (and sidecars) in
/// spec order, then the regular ones, all waiting
/// (convertToAPIContainerStatuses: PodInitializing while init containers
/// run).
fn initial_container_statuses(req: &PodRequest) -> Vec<ContainerStatus> {
    let waiting = if req.template.init_containers == 0 {
        "ContainerCreating"
    } else {
        "PodInitializing"
    };
    req.template
        .containers
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let kind = match (i < req.template.init_containers, c.is_sidecar()) {
                (false, _) => ContainerKind::Regular,
                (true, true) => ContainerKind::Sidecar,
                (true, false) => ContainerKind::Init,
            };
            (c, kind)
        })
        .map(|(c, kind)| ContainerStatus {
            name: c.name.as_str().into(),
            kind,
            state: ContainerState::Waiting { reason: waiting },
            last_terminated: None,
            restart_count: 0,
            runs: Vec::new(),
        })
        .collect()
}

/// What the Job controller's informer keeps of a pod: its syncs read it for
/// every live pod, so it is kept compact beside the pods (a 10,000-pod sync
/// reading the full pods was mostly cache misses). World refreshes it with
/// every change it announces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PodBrief {
    pub phase: Phase,
    pub deleting: bool,
    pub finalizer: bool,
    pub ready: bool,
    pub gone: bool,
    pub index: Option<u32>,
}

impl PodBrief {
    fn of(p: &Pod) -> PodBrief {
        PodBrief {
            phase: p.phase,
            deleting: p.deletion_timestamp.is_some(),
            finalizer: p.tracking_finalizer,
            ready: p.ready,
            gone: p.gone_at.is_some(),
            index: p.index,
        }
    }
}

/// A pod's template as the controller fills it in (labels and annotations
/// with the controller's additions, hostname, policies, containers): what
/// a create request carries and what the pod keeps.
#[derive(Clone, Debug)]
pub struct PodTemplate {
    pub labels: Meta,
    pub annotations: Meta,
    pub hostname: Option<String>,
    pub restart_policy: RestartPolicy,
    pub termination_grace_period_seconds: i64,
    pub active_deadline_seconds: Option<i64>,
    /// Init containers (and sidecars) first, then the regular ones; shared
    /// by the Job's pods.
    pub containers: Rc<[Container]>,
    /// How many of `containers` are init containers.
    pub init_containers: usize,
}

/// What a controller asks the API server to create.
#[derive(Clone, Debug)]
pub struct PodRequest {
    pub job: JobId,
    pub generate_name: String,
    pub index: Option<u32>,
    pub template: PodTemplate,
}

/// Bounds on the work one simulation may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub max_pods: usize,
    pub max_events: usize,
    /// Containers of all pods (pods × containers per pod).
    pub max_containers: usize,
    /// Jobs created by a CronJob.
    pub max_jobs: usize,
}

impl Default for Limits {
    fn default() -> Self {
        use crate::limits;
        Limits {
            max_pods: limits::MAX_PODS,
            max_events: limits::MAX_EVENTS,
            max_containers: limits::MAX_CONTAINERS,
            max_jobs: limits::MAX_JOBS,
        }
    }
}

/// The API server's state.
#[derive(Clone)]
pub struct World {
    now: Ms,
    /// The wall-clock time of t=0 (CronJob schedules need it).
    clock: Clock,
    jobs: Vec<JobObject>,
    cron_jobs: Vec<CronJobObject>,
    pods: Vec<Pod>,
    events: Vec<Event>,
    /// `PodBrief` of every pod, by id.
    briefs: Vec<PodBrief>,
    /// Every event reason so far (events share them).
    event_reasons: Vec<Rc<str>>,
    /// The live Jobs by name.
    job_names: BTreeMap<String, JobId>,
    /// Containers of every pod made so far.
    containers: usize,
    notices: Vec<Notice>,
    /// The 64-bit hashes of the pod names in use (`name_hash`): a Job of
    /// 100,000 pods looks up each new name, and a set of integers never
    /// follows a pointer. Two names sharing a hash (about once in 10^10
    /// runs of 100,000 pods) only make the second draw another name, as
    /// the API server's AlreadyExists would.
    names: rustc_hash::FxHashSet<u64>,
    names_rng: oorandom::Rand32,
    uid_counter: u64,
    limits: Limits,
}

/// Reads: the objects by id, as the API server holds them. Every change
/// goes through World's methods, which announce it (`Notice`).
impl World {
    pub fn now(&self) -> Ms {
        self.now
    }

    pub fn clock(&self) -> Clock {
        self.clock
    }

    pub fn jobs(&self) -> &[JobObject] {
        &self.jobs
    }

    pub fn cron_jobs(&self) -> &[CronJobObject] {
        &self.cron_jobs
    }

    pub fn pods(&self) -> &[Pod] {
        &self.pods
    }

    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The objects, for the run's trace.
    pub fn into_objects(self) -> (Vec<JobObject>, Vec<CronJobObject>, Vec<Pod>, Vec<Event>) {
        (self.jobs, self.cron_jobs, self.pods, self.events)
    }

    /// The clock moves on (never back).
    pub fn advance_to(&mut self, at: Ms) {
        debug_assert!(at >= self.now, "time moves forward: {at} < {}", self.now);
        self.now = self.now.max(at);
    }

    /// Keeps the Job's live pods for which `keep` holds (the Job
    /// controller drops the ones it no longer needs to look at).
    pub fn retain_live_pods(&mut self, job: JobId, keep: impl Fn(PodBrief) -> bool) {
        let briefs = &self.briefs;
        self.jobs[job].live_pods.retain(|&p| keep(briefs[p]));
    }
}

impl World {
    pub fn new(seed: u64, limits: Limits, clock: Clock) -> World {
        World {
            now: 0,
            clock,
            jobs: Vec::new(),
            cron_jobs: Vec::new(),
            pods: Vec::new(),
            events: Vec::new(),
            briefs: Vec::new(),
            event_reasons: Vec::new(),
            job_names: BTreeMap::new(),
            containers: 0,
            notices: Vec::new(),
            names: rustc_hash::FxHashSet::default(),
            names_rng: oorandom::Rand32::new(seed),
            uid_counter: 0,
            limits,
        }
    }

    /// Whether one more Job may be made from the CronJob `owner`.
    pub fn job_limit(&self, owner: CronJobId) -> Result<(), SimError> {
        let now = crate::scenario::duration::format(self.now);
        if self.jobs.len() >= self.limits.max_jobs {
            return Err(SimError::Limit(format!(
                "the simulation stopped at {now}: the CronJob would create more than {} Jobs, the playground's limit; shorten `until` or schedule it less often",
                self.limits.max_jobs
            )));
        }
        if self.cron_jobs[owner].live_jobs.len() >= crate::limits::MAX_LIVE_JOBS {
            return Err(SimError::Limit(format!(
                "the simulation stopped at {now}: the CronJob would have more than {} Jobs at once (running, or kept by its history limits), the playground's limit; lower its history limits, or let its Jobs finish (concurrencyPolicy: Forbid)",
                crate::limits::MAX_LIVE_JOBS
            )));
        }
        Ok(())
    }

    fn limit_error(&self, verb: &str, limit: usize, what: &str) -> SimError {
        SimError::Limit(format!(
            "the simulation stopped at {}: it would {verb} more than {limit} {what}, the playground's limit",
            crate::scenario::duration::format(self.now)
        ))
    }

    /// The watch events since the last call.
    pub fn take_notices(&mut self) -> Vec<Notice> {
        std::mem::take(&mut self.notices)
    }

    /// A UID that does not depend on the seed (the seed drives pod names).
    pub fn new_uid(&mut self) -> String {
        self.uid_counter += 1;
        uid(self.uid_counter)
    }

    pub fn record_event(
        &mut self,
        source: &'static str,
        object: impl Into<Rc<str>>,
        warning: bool,
        reason: &str,
        message: String,
    ) -> Result<(), SimError> {
        if self.events.len() >= self.limits.max_events {
            return Err(self.limit_error("record", self.limits.max_events, "events"));
        }
        // The last event's object and reason are most often the next's.
        let object = object.into();
        let last = self.events.last();
        let object = match last {
            Some(e) if e.object == object => e.object.clone(),
            _ => object,
        };
        let reason = match self.event_reasons.iter().find(|r| ***r == *reason) {
            Some(r) => r.clone(),
            None => {
                let r: Rc<str> = reason.into();
                self.event_reasons.push(r.clone());
                r
            }
        };
        self.events.push(Event {
            at: self.now,
            warning,
            reason,
            object,
            message,
            source,
        });
        Ok(())
    }

    /// Stores an admitted Job (optionally owned by a CronJob).
    pub fn add_job(&mut self, a: AdmittedJob, owner: Option<CronJobId>) -> JobId {
        let id = self.jobs.len();
        self.jobs.push(JobObject {
            name: a.name,
            namespace: a.namespace,
            uid: a.uid,
            labels: a.labels,
            annotations: a.annotations,
            object: a.object,
            spec: a.spec,
            generation: 1,
            status: JobStatus::default(),
            created_at: self.now,
            deletion_timestamp: None,
            gone_at: None,
            pods: Vec::new(),
            live_pods: Vec::new(),
            attempts: Default::default(),
            owner,
        });
        self.job_names.insert(self.jobs[id].name.clone(), id);
        if let Some(c) = owner {
            self.cron_jobs[c].live_jobs.push(id);
        }
        self.notices.push(Notice::JobAdded(id));
        id
    }

    /// A Job of this name exists in the API.
    pub fn job_named(&self, name: &str) -> Option<JobId> {
        self.job_names.get(name).copied()
    }

    /// The Job left the API: out of the indexes.
    fn job_gone(&mut self, job: JobId) {
        let now = self.now;
        let j = &mut self.jobs[job];
        j.gone_at = Some(now);
        self.job_names.remove(&j.name);
        if let Some(c) = j.owner {
            self.cron_jobs[c].live_jobs.retain(|&x| x != job);
        }
        self.notices.push(Notice::JobGone(job));
    }

    /// Stores an admitted CronJob.
    pub fn add_cron_job(&mut self, a: AdmittedCronJob) -> CronJobId {
        let id = self.cron_jobs.len();
        let spec = CronJobSpec::read(a.object.get("spec").unwrap_or(&crate::yaml::Value::Null));
        self.cron_jobs.push(CronJobObject {
            name: a.name,
            namespace: a.namespace,
            uid: a.uid,
            object: a.object,
            spec,
            status: CronJobStatus::default(),
            created_at: self.now,
            gone_at: None,
            live_jobs: Vec::new(),
        });
        self.notices.push(Notice::CronJobAdded(id));
        id
    }

    /// A spec update (already validated).
    pub fn update_cron_job(&mut self, id: CronJobId, object: crate::yaml::Value) {
        let c = &mut self.cron_jobs[id];
        let spec = CronJobSpec::read(object.get("spec").unwrap_or(&crate::yaml::Value::Null));
        let schedule_changed =
            c.spec.schedule != spec.schedule || c.spec.time_zone != spec.time_zone;
        c.object = object;
        c.spec = spec;
        self.notices.push(Notice::CronJobUpdated {
            cron_job: id,
            schedule_changed,
        });
    }

    /// A status write; notifies only when something changed.
    pub fn update_cron_job_status(&mut self, id: CronJobId, status: CronJobStatus) {
        let c = &mut self.cron_jobs[id];
        if c.gone_at.is_none() && c.status != status {
            c.status = status;
            self.notices.push(Notice::CronJobUpdated {
                cron_job: id,
                schedule_changed: false,
            });
        }
    }

    /// `kubectl delete cronjob` (background propagation: the garbage
    /// collector deletes its Jobs).
    pub fn delete_cron_job(&mut self, id: CronJobId) {
        let now = self.now;
        let c = &mut self.cron_jobs[id];
        if c.gone_at.is_none() {
            c.gone_at = Some(now);
            self.notices.push(Notice::CronJobGone(id));
        }
    }

    /// A status write by a controller. Notifies only when something changed
    /// (the API server drops no-op updates).
    pub fn update_job_status(&mut self, job: JobId, status: JobStatus) -> bool {
        let j = &mut self.jobs[job];
        if j.gone_at.is_some() || j.status == status {
            return false;
        }
        debug_assert_status_transition(job, &j.status, &status, j.spec.completions);
        j.status = status;
        self.notices.push(Notice::JobUpdated {
            job,
            spec_changed: false,
            deadline_changed: false,
        });
        true
    }

    /// A spec update (already validated).
    pub fn update_job_spec(&mut self, job: JobId, object: crate::yaml::Value, spec: JobSpec) {
        let j = &mut self.jobs[job];
        j.object = object;
        if j.spec == spec {
            return;
        }
        let deadline_changed = j.spec.active_deadline_seconds != spec.active_deadline_seconds;
        j.spec = spec;
        j.generation += 1;
        self.notices.push(Notice::JobUpdated {
            job,
            spec_changed: true,
            deadline_changed,
        });
    }

    /// Creates a pod from a controller's request (generateName, finalizer,
    /// owner reference).
    pub fn create_pod(&mut self, req: PodRequest) -> Result<PodId, SimError> {
        if self.pods.len() >= self.limits.max_pods {
            return Err(self.limit_error("create", self.limits.max_pods, "pods"));
        }
        self.containers += req.template.containers.len();
        if self.containers > self.limits.max_containers {
            return Err(self.limit_error(
                "run",
                self.limits.max_containers,
                "containers (pods × containers per pod)",
            ));
        }
        let name = self.generate_name(&req.generate_name);
        let id = self.pods.len();
        let job = &mut self.jobs[req.job];
        let attempt = job.attempts.entry(req.index).or_insert(0);
        let this_attempt = *attempt;
        *attempt += 1;
        let ordinal = job.pods.len() as u32;
        job.pods.push(id);
        job.live_pods.push(id);
        let containers = initial_container_statuses(&req);
        self.uid_counter += 1;
        let uid_number = self.uid_counter;
        self.pods.push(Pod {
            name,
            job: req.job,
            uid_number,
            index: req.index,
            attempt: this_attempt,
            ordinal,
            template: req.template,
            created_at: self.now,
            tracking_finalizer: true,
            deletion_timestamp: None,
            deletion_grace_period_seconds: None,
            deletion_requested_at: None,
            gone_at: None,
            phase: Phase::Pending,
            reason: None,
            start_time: None,
            ready: false,
            conditions: {
                // The kubelet adds five more (six with RestartAllContainers).
                let mut c = Vec::with_capacity(6);
                c.push(PodCondition {
                    kind: PodText::PodScheduled,
                    status: true,
                    reason: PodText::None,
                    message: PodText::None,
                    last_transition_time: self.now,
                });
                c
            },
            containers,
            phase_history: vec![(self.now, Phase::Pending)],
        });
        self.announce(Notice::PodAdded(id));
        Ok(id)
    }

    fn generate_name(&mut self, base: &str) -> String {
        let cut = base
            .char_indices()
            .nth(MAX_GENERATED_NAME_LENGTH)
            .map_or(base.len(), |(at, _)| at);
        let mut name = String::with_capacity(cut + 5);
        for _ in 0..GENERATE_NAME_ATTEMPTS {
            name.clear();
            name.push_str(&base[..cut]);
            for _ in 0..5 {
                let i = self.names_rng.rand_range(0..NAME_ALPHABET.len() as u32) as usize;
                name.push(NAME_ALPHABET[i] as char);
            }
            if !self.names.contains(&name_hash(&name)) {
                break;
            }
        }
        self.names.insert(name_hash(&name));
        name
    }

    /// A DELETE of a pod, with a grace period (`None`: the pod's own), as
    /// the API server's BeforeDelete and the pod strategy's
    /// CheckGracefulDelete handle it: a terminal pod goes at once; another
    /// gets deletionTimestamp = now + grace for the kubelet to act on; a
    /// pod already being deleted can only have its grace period shortened.
    pub fn delete_pod(&mut self, pod: PodId, grace_seconds: Option<i64>) {
        let now = self.now;
        let p = &mut self.pods[pod];
        if p.gone_at.is_some() {
            return;
        }
        if let Some(timestamp) = p.deletion_timestamp {
            let current = p.deletion_grace_period_seconds.unwrap_or(0);
            match grace_seconds {
                _ if current == 0 => {}
                // Graceful deletion is pending: nothing to do.
                None => return,
                Some(period) if period >= current => return,
                Some(period) => {
                    let requested = timestamp.saturating_sub(current as Ms * SECOND_MS);
                    let mut shortened = requested + period.max(0) as Ms * SECOND_MS;
                    let mut period = period.max(0);
                    // Never into the past: then the grace becomes 1 s.
                    if shortened < now {
                        shortened = now;
                        if period != 0 {
                            period = 1;
                        }
                    }
                    p.deletion_timestamp = Some(shortened);
                    p.deletion_grace_period_seconds = Some(period);
                }
            }
        } else {
            let grace = if p.phase.is_terminal() {
                0
            } else {
                grace_seconds
                    .unwrap_or(p.template.termination_grace_period_seconds)
                    .max(0)
            };
            p.deletion_timestamp = Some(now + grace as Ms * SECOND_MS);
            p.deletion_grace_period_seconds = Some(grace);
            p.deletion_requested_at = Some(now);
        }
        if p.deletion_grace_period_seconds == Some(0) {
            self.finish_deletion(pod);
        } else {
            self.announce(Notice::PodUpdated(pod));
        }
    }

    /// The kubelet's final DELETE (grace 0) once the containers stopped.
    pub fn confirm_pod_deletion(&mut self, pod: PodId) {
        if self.pods[pod].deletion_timestamp.is_some() {
            self.delete_pod(pod, Some(0));
        }
    }

    /// Removes the pod when nothing holds it (no finalizer, no pending
    /// graceful deletion); otherwise announces the update.
    fn finish_deletion(&mut self, pod: PodId) {
        let now = self.now;
        let p = &mut self.pods[pod];
        if p.tracking_finalizer || p.deletion_grace_period_seconds != Some(0) {
            self.announce(Notice::PodUpdated(pod));
            return;
        }
        p.gone_at = Some(now);
        self.names.remove(&name_hash(&p.name));
        self.announce(Notice::PodGone(pod));
    }

    /// The Job controller's finalizer patch.
    pub fn remove_tracking_finalizer(&mut self, pod: PodId) {
        let p = &mut self.pods[pod];
        if p.gone_at.is_some() || !p.tracking_finalizer {
            return;
        }
        p.tracking_finalizer = false;
        if p.deletion_timestamp.is_some() {
            self.finish_deletion(pod);
        } else {
            self.announce(Notice::PodUpdated(pod));
        }
    }

    /// Announces a change of a pod to the controllers (their informers), and
    /// refreshes its brief.
    fn announce(&mut self, notice: Notice) {
        if let Notice::PodAdded(pod) | Notice::PodUpdated(pod) | Notice::PodGone(pod) = notice {
            let brief = PodBrief::of(&self.pods[pod]);
            if self.briefs.len() <= pod {
                self.briefs.resize(pod + 1, brief);
            }
            self.briefs[pod] = brief;
        }
        self.notices.push(notice);
    }

    /// The informer's copy of a pod.
    pub fn brief(&self, pod: PodId) -> PodBrief {
        self.briefs[pod]
    }

    /// A status update by the kubelet (or a condition added by the API's
    /// eviction handler). `change` edits the pod in place.
    pub fn update_pod_status(&mut self, pod: PodId, change: impl FnOnce(&mut Pod)) {
        let now = self.now;
        let p = &mut self.pods[pod];
        if p.gone_at.is_some() {
            return;
        }
        let before = p.phase;
        change(p);
        if p.phase != before {
            p.phase_history.push((now, p.phase));
        }
        self.announce(Notice::PodUpdated(pod));
    }

    /// Deletes a Job. Background propagation: the Job goes at once and the
    /// garbage collector deletes its pods. Foreground (the TTL controller):
    /// the pods are deleted first and the Job goes when they are gone.
    pub fn delete_job(&mut self, job: JobId, foreground: bool) {
        let now = self.now;
        let j = &mut self.jobs[job];
        if j.gone_at.is_some() || j.deletion_timestamp.is_some() {
            return;
        }
        j.deletion_timestamp = Some(now);
        if foreground {
            self.notices.push(Notice::JobUpdated {
                job,
                spec_changed: false,
                deadline_changed: false,
            });
        } else {
            self.job_gone(job);
        }
    }

    /// Ends a foreground deletion once no dependent pod is left.
    pub fn finish_foreground_deletion(&mut self, job: JobId) {
        if self.jobs[job].gone_at.is_none() {
            self.job_gone(job);
        }
    }

    /// Pods of a job that still exist in the API.
    pub fn existing_pods(&self, job: JobId) -> impl Iterator<Item = PodId> + '_ {
        self.jobs[job]
            .pods
            .iter()
            .copied()
            .filter(|&p| self.pods[p].gone_at.is_none())
    }
}

/// The Nth UID the API server hands out (deterministic, UUID-shaped).
pub fn uid(n: u64) -> String {
    // "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}" of (0x5eed0000 + n, n & 0xffff,
    // n & 0xfff, n & 0xfff, n) without the formatting machinery: a
    // 100,000-pod Job makes 100,000 of them (the limits keep n far below
    // where the fields would widen).
    fn hex(out: &mut String, v: u64, digits: u32) {
        for shift in (0..digits).rev() {
            let digit = ((v >> (4 * shift)) & 0xf) as u32;
            out.push(char::from_digit(digit, 16).expect("a hex digit"));
        }
    }
    let mut out = String::with_capacity(36);
    hex(&mut out, 0x5eed_0000 + n, 8);
    for (before, v, digits) in [
        ("-", n & 0xffff, 4),
        ("-4", n & 0xfff, 3),
        ("-8", n & 0xfff, 3),
        ("-", n, 12),
    ] {
        out.push_str(before);
        hex(&mut out, v, digits);
    }
    out
}
