//! A pod as it looked at any instant, derived from its record: the basis of
//! `kubectl get pods` (and its `-w` timeline) and of the UI's pod bars.

use crate::sim::world::{ContainerKind, ContainerState, ContainerStatus, Phase, Pod};
use crate::time::Ms;

/// One container at an instant, as its containerStatus said then.
#[derive(Clone, Debug, PartialEq, Eq)]
enum ContainerAt {
    Waiting(&'static str),
    Running,
    Terminated(i32, String),
}

/// The container's state at `t`. `waiting` is the kubelet's default
/// waiting reason for the pod (PodInitializing when it has init containers).
fn container_at(c: &ContainerStatus, t: Ms, waiting: &'static str) -> ContainerAt {
    let mut state = ContainerAt::Waiting(waiting);
    for (i, run) in c.runs.iter().enumerate() {
        if run.started_at > t {
            break;
        }
        state = match run.finished_at {
            Some(f) if f <= t => {
                let restart = c.runs.get(i + 1).map(|r| r.started_at);
                // After the last run the kubelet's final state tells whether
                // it was still waiting to restart.
                let backoff_at_end = restart.is_none()
                    && matches!(
                        c.state,
                        ContainerState::Waiting {
                            reason: "CrashLoopBackOff"
                        }
                    )
                    && c.last_terminated.as_ref().is_some_and(|l| l.2 == f);
                // RestartAllContainers removed it: waiting from then on;
                // the next run is no crash-loop restart.
                let removed = run.removed_at.map(|r| r <= t);
                match restart {
                    _ if removed == Some(true) => ContainerAt::Waiting("RestartingAllContainers"),
                    Some(s) if s > t && removed.is_none() => {
                        ContainerAt::Waiting("CrashLoopBackOff")
                    }
                    _ if backoff_at_end => ContainerAt::Waiting("CrashLoopBackOff"),
                    _ => ContainerAt::Terminated(
                        run.exit_code.unwrap_or(0),
                        run.reason.clone().unwrap_or_default(),
                    ),
                }
            }
            _ => ContainerAt::Running,
        };
    }
    // A container the kubelet gave up on when the pod stopped.
    if matches!(state, ContainerAt::Waiting(_))
        && let Some((code, reason, at)) = c.terminated()
        && at <= t
    {
        state = ContainerAt::Terminated(code, reason.to_string());
    }
    state
}

/// `lastState.terminated.finishedAt` at `t`: the exit being waited out in a
/// back-off, else the exit before the current (or last) run.
fn last_exit_before(c: &ContainerStatus, t: Ms, now: &ContainerAt) -> Option<Ms> {
    let started: Vec<&crate::sim::world::Run> =
        c.runs.iter().filter(|r| r.started_at <= t).collect();
    let skip = usize::from(*now != ContainerAt::Waiting("CrashLoopBackOff"));
    started.iter().rev().skip(skip).find_map(|r| r.finished_at)
}

/// Whether the pod's Initialized condition was True at `t`: every init
/// container completed and every sidecar started.
fn initialized_at(pod: &Pod, t: Ms) -> bool {
    pod.containers.iter().all(|c| match c.kind {
        ContainerKind::Regular => true,
        ContainerKind::Sidecar => c.runs.iter().any(|r| r.started_at <= t),
        ContainerKind::Init => c
            .runs
            .iter()
            .any(|r| r.finished_at.is_some_and(|f| f <= t) && r.exit_code == Some(0)),
    })
}

/// `kubectl get pods` columns of a pod at an instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodRow {
    pub ready: usize,
    pub total: usize,
    pub status: String,
    pub restarts: u32,
    pub last_restart: Option<Ms>,
}

/// The pod's phase at `t` (None before it existed or after it was gone).
pub fn phase_at(pod: &Pod, t: Ms) -> Option<Phase> {
    if pod.gone_at.is_some_and(|g| g <= t) {
        return None;
    }
    last_phase_at(pod, t)
}

/// The pod's phase at `t`, still answering at the instant it was removed
/// (a watch shows a deleted object's last state).
fn last_phase_at(pod: &Pod, t: Ms) -> Option<Phase> {
    if t < pod.created_at || pod.gone_at.is_some_and(|g| g < t) {
        return None;
    }
    pod.phase_history
        .iter()
        .take_while(|(at, _)| *at <= t)
        .last()
        .map(|(_, p)| *p)
}

/// Whether the pod was being deleted at `t`.
pub fn terminating_at(pod: &Pod, t: Ms) -> bool {
    pod.deletion_requested_at.is_some_and(|d| d <= t)
}

/// kubectl's `printPod` at `t`: READY, STATUS and RESTARTS (with the
/// last restart's time, for "2 (5s ago)").
pub fn row_at(pod: &Pod, t: Ms) -> Option<PodRow> {
    phase_at(pod, t)?;
    watch_row_at(pod, t)
}

/// `row_at`, also at the instant the pod was removed (its last state, as a
/// watch's DELETED event shows it).
pub fn watch_row_at(pod: &Pod, t: Ms) -> Option<PodRow> {
    let phase = last_phase_at(pod, t)?;
    let mut reason = match &pod.reason {
        Some(r) if phase.is_terminal() => r.clone(),
        _ => phase.as_str().to_string(),
    };
    let inits: Vec<&ContainerStatus> = pod
        .containers
        .iter()
        .filter(|c| c.kind != ContainerKind::Regular)
        .collect();
    let waiting = if inits.is_empty() {
        "ContainerCreating"
    } else {
        "PodInitializing"
    };
    let at = |c: &ContainerStatus| container_at(c, t, waiting);
    let total = pod
        .containers
        .iter()
        .filter(|c| c.kind != ContainerKind::Init)
        .count();
    let mut ready = 0;
    let mut restarts = 0u32;
    let mut sidecar_restarts = 0u32;
    let mut last_restart: Option<Ms> = None;
    let mut initializing = false;
    // A restart counts from the next start, or from the removal by
    // RestartAllContainers.
    let restarts_of = |c: &ContainerStatus| {
        let started: Vec<&crate::sim::world::Run> =
            c.runs.iter().filter(|r| r.started_at <= t).collect();
        let removed = started
            .last()
            .is_some_and(|r| r.removed_at.is_some_and(|at| at <= t));
        (started.len().saturating_sub(1) + usize::from(removed)) as u32
    };
    for (i, c) in inits.iter().enumerate() {
        let sidecar = c.kind == ContainerKind::Sidecar;
        let state = at(c);
        if sidecar {
            sidecar_restarts += restarts_of(c);
        }
        restarts += restarts_of(c);
        if let Some(exit) = last_exit_before(c, t, &state) {
            last_restart = last_restart.max(Some(exit));
        }
        match &state {
            ContainerAt::Terminated(0, _) => continue,
            ContainerAt::Running if sidecar => {
                ready += 1;
                continue;
            }
            ContainerAt::Terminated(code, r) => {
                reason = if r.is_empty() {
                    format!("Init:ExitCode:{code}")
                } else {
                    format!("Init:{r}")
                };
            }
            ContainerAt::Waiting(w) if *w != "PodInitializing" => reason = format!("Init:{w}"),
            _ => reason = format!("Init:{i}/{}", inits.len()),
        }
        initializing = true;
        break;
    }
    // The regular containers decide once the pod is initialized, even when
    // an init container (a stopped sidecar) says otherwise.
    if !initializing || initialized_at(pod, t) {
        restarts = sidecar_restarts;
        let mut has_running = false;
        for c in pod
            .regular_containers()
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
        {
            let state = at(c);
            restarts += restarts_of(c);
            if let Some(exit) = last_exit_before(c, t, &state) {
                last_restart = last_restart.max(Some(exit));
            }
            match state {
                ContainerAt::Waiting(w) => reason = w.to_string(),
                ContainerAt::Terminated(code, r) => {
                    reason = if r.is_empty() {
                        format!("ExitCode:{code}")
                    } else {
                        r
                    }
                }
                ContainerAt::Running => {
                    has_running = true;
                    ready += 1;
                }
            }
        }
        if reason == "Completed" && has_running {
            let pod_ready = pod
                .containers
                .iter()
                .filter(|c| c.kind != ContainerKind::Init)
                .all(|c| at(c) == ContainerAt::Running);
            reason = if pod_ready {
                "Running".into()
            } else {
                "NotReady".into()
            };
        }
    }
    if terminating_at(pod, t) && !phase.is_terminal() {
        reason = "Terminating".into();
    }
    Some(PodRow {
        ready,
        total,
        status: reason,
        restarts,
        last_restart: last_restart.filter(|_| restarts > 0),
    })
}

/// Every instant at which the pod's row may change (for `get pods -w`).
pub fn change_times(pod: &Pod) -> Vec<Ms> {
    let mut times = vec![pod.created_at];
    times.extend(pod.phase_history.iter().map(|(t, _)| *t));
    for c in &pod.containers {
        for r in &c.runs {
            times.push(r.started_at);
            times.extend(r.finished_at);
            times.extend(r.removed_at);
        }
        if let Some((_, _, at)) = c.terminated() {
            times.push(at);
        }
    }
    times.extend(pod.deletion_requested_at);
    times.extend(pod.gone_at);
    crate::sort::sort_by_key(&mut times, |t| *t);
    times.dedup();
    times
}
