//! Why things happened: every controller and kubelet decision, with the
//! rule and the numbers behind it (the UI's Explain panel reads these).

use crate::sim::world::{JobId, PodId};
use crate::time::Ms;

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
    /// Replacements wait for the pod-failure backoff.
    BackoffWait {
        failures: u32,
        delay: Ms,
        last_failure_at: Ms,
        until: Ms,
    },
    /// backoffLimitPerIndex: this index waits for its own backoff.
    IndexBackoffWait {
        index: u32,
        failures: u32,
        delay: Ms,
        last_failure_at: Ms,
        until: Ms,
    },
    /// More active pods than wanted (parallelism lowered, or completions near).
    ScaledDown { active: i64, want_active: i64 },
    /// The Job is suspended: its active pods are deleted, not counted as failed.
    SuspendDeleted,
    /// The Job is finishing: its remaining pods are deleted.
    FinishDeleted { condition: String, reason: String },
    /// The pod was added to status.failed.
    CountedFailed { cause: FailCause },
    /// A podFailurePolicy Ignore rule kept the failure out of status.failed.
    IgnoredFailure { rule: usize },
    /// The pod was added to status.succeeded (or completedIndexes).
    CountedSucceeded,
    /// A Job condition was set.
    Condition {
        type_: String,
        reason: String,
        detail: ConditionDetail,
    },
    /// The kubelet restarted a container in place (restartPolicy OnFailure,
    /// or a sidecar).
    Restarted {
        container: String,
        exit_code: i32,
        delay: Ms,
        restart_count: u32,
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
        interim: String,
    },
    Suspended,
    Resumed,
}
