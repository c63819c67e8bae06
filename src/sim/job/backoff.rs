//! The pod-failure backoff of the Job controller (backoff_utils.go):
//! replacements for failed pods wait 10 s · 2^(n-1), capped, counted from
//! the finish time of the latest failure.

use crate::sim::world::{ContainerKind, Pod};
use crate::time::{Ms, SECOND};

pub const DEFAULT_JOB_POD_FAILURE_BACKOFF: Ms = 10 * SECOND;

/// Per-Job record (`backoffRecord`), kept in the controller's memory.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BackoffRecord {
    pub failures_after_last_success: u32,
    pub last_failure_time: Option<Ms>,
}

/// metav1.Time has whole seconds: what controllers read back from the API.
pub fn api_time(ms: Ms) -> Ms {
    ms - ms % SECOND
}

/// `getFinishedTime`: the latest finishedAt of the regular containers when
/// all terminated; else when Ready went False; else deletionTimestamp minus
/// the grace period; else the creation time.
pub fn finished_time(pod: &Pod) -> Ms {
    let mut latest: Option<Ms> = None;
    let mut all_terminated = true;
    let mut any = false;
    for c in pod
        .containers
        .iter()
        .filter(|c| c.kind == ContainerKind::Regular)
    {
        any = true;
        match c.terminated() {
            Some((_, _, finished)) => latest = Some(latest.map_or(finished, |l| l.max(finished))),
            None => all_terminated = false,
        }
    }
    if any
        && all_terminated
        && let Some(t) = latest
    {
        return api_time(t);
    }
    if let Some(ready) = pod.condition(super::super::world::PodText::Ready)
        && !ready.status
    {
        return api_time(ready.last_transition_time);
    }
    if let Some(deletion) = pod.deletion_timestamp {
        let grace = pod.deletion_grace_period_seconds.unwrap_or(0).max(0) as Ms * SECOND;
        return api_time(deletion).saturating_sub(grace);
    }
    api_time(pod.created_at)
}

impl BackoffRecord {
    /// `newBackoffRecord`: folds the newly finished pods (their finish
    /// times) into the stored record.
    pub fn updated(self, new_succeeded: &[Ms], new_failed: &[Ms]) -> BackoffRecord {
        let last_success = new_succeeded.iter().copied().max();
        let latest_failure = new_failed.iter().copied().max();
        match (last_success, latest_failure) {
            (None, None) => self,
            (None, Some(latest)) => BackoffRecord {
                failures_after_last_success: self.failures_after_last_success
                    + new_failed.len() as u32,
                last_failure_time: Some(latest),
            },
            (Some(_), None) => BackoffRecord::default(),
            (Some(success), Some(_)) => {
                let after: Vec<Ms> = new_failed
                    .iter()
                    .copied()
                    .filter(|&t| t > success)
                    .collect();
                BackoffRecord {
                    failures_after_last_success: after.len() as u32,
                    last_failure_time: after.iter().copied().max(),
                }
            }
        }
    }

    /// The wait this record imposes (`getRemainingTime`'s numbers); None
    /// before any failure.
    pub fn backoff(&self, max: Ms) -> Option<Backoff> {
        let from = self.last_failure_time?;
        Some(Backoff::new(self.failures_after_last_success, from, max))
    }

    /// `getRemainingTime`: how long creation must still wait at `now`.
    pub fn remaining(&self, now: Ms, max: Ms) -> Ms {
        self.backoff(max)
            .map_or(0, |b| b.until().saturating_sub(now))
    }
}

/// One wait of the pod-failure backoff, with the numbers behind it: the
/// delay is `base · 2^(failures − 1)`, capped, counted from the latest
/// failure (the one definition of the formula; Explain prints these).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    /// `DefaultJobPodFailureBackOff`.
    pub base: Ms,
    /// `MaxJobPodFailureBackOff` of the release.
    pub cap: Ms,
    /// Failures in a row (since the last success).
    pub failures: u32,
    /// The failure it counts from (whole seconds, as the controller reads it).
    pub from: Ms,
    pub delay: Ms,
    /// Whether the cap cut the doubling.
    pub capped: bool,
}

impl Backoff {
    pub fn new(failures: u32, from: Ms, cap: Ms) -> Backoff {
        let base = DEFAULT_JOB_POD_FAILURE_BACKOFF;
        let (mut delay, mut capped) = (if failures == 0 { 0 } else { base }, false);
        for _ in 1..failures {
            delay *= 2;
            if delay >= cap {
                (delay, capped) = (cap, true);
                break;
            }
        }
        Backoff {
            base,
            cap,
            failures,
            from,
            delay,
            capped,
        }
    }

    /// When replacements may be created again.
    pub fn until(&self) -> Ms {
        self.from + self.delay
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::MINUTE;

    #[test]
    fn delays_double_up_to_the_cap() {
        // backoff_utils_test.go: 10s, 20s, 40s ... capped at MaxJobPodFailureBackOff.
        let max = 10 * MINUTE;
        let delays: Vec<Ms> = (0..10)
            .map(|n| Backoff::new(n, 0, max).delay / SECOND)
            .collect();
        assert_eq!(delays, [0, 10, 20, 40, 80, 160, 320, 600, 600, 600]);
        assert_eq!(Backoff::new(7, 0, 6 * MINUTE).delay, 6 * MINUTE);
        assert!(Backoff::new(7, 0, 6 * MINUTE).capped);
        assert!(!Backoff::new(6, 0, 10 * MINUTE).capped);
        assert!(Backoff::new(7, 0, 10 * MINUTE).capped);
    }

    #[test]
    fn failures_accumulate_and_successes_reset() {
        let r = BackoffRecord::default().updated(&[], &[5_000, 7_000]);
        assert_eq!(r.failures_after_last_success, 2);
        assert_eq!(r.last_failure_time, Some(7_000));
        assert_eq!(r.remaining(7_000, 10 * MINUTE), 20_000);
        assert_eq!(r.remaining(30_000, 10 * MINUTE), 0);
        let r = r.updated(&[9_000], &[]);
        assert_eq!(r, BackoffRecord::default());
        let r = BackoffRecord::default().updated(&[9_000], &[8_000, 10_000, 11_000]);
        assert_eq!(
            (r.failures_after_last_success, r.last_failure_time),
            (2, Some(11_000))
        );
    }
}
