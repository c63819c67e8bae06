//! Which injections the playground offers at an instant: exactly those the
//! engine accepts there (an action applies after everything the engine
//! does at its instant, so the state a view shows at `t` is the state an
//! action at `t` acts on). `tests/inject.rs` walks every instant of every
//! example and level and checks each answer against the engine.

use crate::sim::world::{ContainerKind, JobId, Pod, PodId};
use crate::time::Ms;
use crate::trace::Trace;

/// The injections possible at one instant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Available {
    /// fail-pod (Fail, OOM-kill): the pod has a running regular container.
    pub fail: bool,
    /// evict-pod, delete-pod: the pod exists (finished pods too).
    pub evict: bool,
    /// suspend, resume, patch, delete-job (and set-parallelism for a Job):
    /// the scenario's Job (or CronJob) exists.
    pub object: bool,
    /// set-parallelism: a Job scenario's Job exists (a CronJob's Jobs are
    /// changed through its template).
    pub parallelism: bool,
    /// trigger: the CronJob exists.
    pub trigger: bool,
    pub controller_down: bool,
    pub controller_up: bool,
}

/// Whether `pod` exists in the API at `t`.
pub fn pod_exists(pod: &Pod, t: Ms) -> bool {
    pod.created_at <= t && pod.gone_at.is_none_or(|g| g > t)
}

/// Whether one of the pod's regular containers runs at `t` (what
/// fail-pod without a container name stops).
pub fn regular_container_running(pod: &Pod, t: Ms) -> bool {
    pod_exists(pod, t)
        && pod
            .containers
            .iter()
            .filter(|c| c.kind == ContainerKind::Regular)
            .flat_map(|c| &c.runs)
            .any(|r| r.started_at <= t && r.finished_at.is_none_or(|f| f > t))
}

/// Whether the controllers are running at `t`.
pub fn controllers_up(trace: &Trace, t: Ms) -> bool {
    !trace
        .log
        .outages
        .iter()
        .any(|&(down, up)| down <= t && up.is_none_or(|up| up > t))
}

/// What may be injected at `t` on `pod` (of the Job shown).
pub fn available(trace: &Trace, pod: Option<PodId>, t: Ms) -> Available {
    let pod = pod.map(|p| &trace.pods[p]);
    let up = controllers_up(trace, t);
    let alive = |created: Ms, gone: Option<Ms>| created <= t && gone.is_none_or(|g| g > t);
    let (object, trigger) = match trace.cron_jobs.first() {
        Some(c) => {
            let live = alive(c.created_at, c.gone_at);
            (live, live)
        }
        None => {
            let j = trace.jobs.first();
            (j.is_some_and(|j| alive(j.created_at, j.gone_at)), false)
        }
    };
    Available {
        fail: pod.is_some_and(|p| regular_container_running(p, t)),
        evict: pod.is_some_and(|p| pod_exists(p, t)),
        object,
        parallelism: object && trace.cron_jobs.is_empty(),
        trigger,
        controller_down: up,
        controller_up: !up,
    }
}

/// The pods of `job` that exist at `t`, in creation order.
pub fn pods_at(trace: &Trace, job: JobId, t: Ms) -> impl Iterator<Item = PodId> + '_ {
    trace
        .jobs
        .get(job)
        .into_iter()
        .flat_map(|j| j.pods.iter().copied())
        .filter(move |&p| pod_exists(&trace.pods[p], t))
}
