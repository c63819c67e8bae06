//! Controller scenarios as a reader checks them: a Job, what its pods do,
//! and the `kubectl get pods -w` text of the run (inline snapshots). Each
//! expected text was checked against upstream's controllers: the Job
//! controller's pod backoff (10 s doubling, `DefaultJobPodFailureBackOff`),
//! its slow-start creation and deadline handling, and the kubelet's
//! container lifecycle as modelled (a container starts 1 s after its pod
//! is created).

mod common;
use common::{JobScenario, run};

/// `kubectl get pods -w` of the scenario's Job over its whole run.
fn watch(text: &str) -> String {
    let o = run(text);
    jobsim::view::kubectl::pods_watch(&o.trace, 0, o.ended_at)
}

#[test]
fn a_pod_that_fails_is_replaced_after_a_backoff_that_doubles() {
    let text = JobScenario::new("fail")
        .spec("backoffLimit: 2")
        .rest("behavior:\n  default: {runFor: 5s, exitCode: 1}")
        .text();
    // Failures at 6 s and 22 s: replacements 10 s and 20 s later; the
    // third failure (48 s) passes backoffLimit 2 and the Job fails.
    insta::assert_snapshot!(watch(&text), @r"
    TIME   NAME         READY   STATUS              RESTARTS   AGE
    0s     fail-hlgrq   0/1     ContainerCreating   0          0s
    1s     fail-hlgrq   1/1     Running             0          1s
    6s     fail-hlgrq   0/1     Error               0          6s
    16s    fail-zhx96   0/1     ContainerCreating   0          0s
    17s    fail-zhx96   1/1     Running             0          1s
    22s    fail-zhx96   0/1     Error               0          6s
    42s    fail-n86hx   0/1     ContainerCreating   0          0s
    43s    fail-n86hx   1/1     Running             0          1s
    48s    fail-n86hx   0/1     Error               0          6s
    ");
}

#[test]
fn parallel_pods_and_the_last_completion() {
    let text = JobScenario::new("par")
        .spec("completions: 3\nparallelism: 2")
        .rest("behavior:\n  default: {runFor: 5s}")
        .text();
    // Two pods at once; the third starts with the sync after the first two
    // complete (1 s batch period), wanting min(3 - 2, 2) = 1 more.
    insta::assert_snapshot!(watch(&text), @r"
    TIME   NAME        READY   STATUS              RESTARTS   AGE
    0s     par-hlgrq   0/1     ContainerCreating   0          0s
    0s     par-zhx96   0/1     ContainerCreating   0          0s
    1s     par-hlgrq   1/1     Running             0          1s
    1s     par-zhx96   1/1     Running             0          1s
    6s     par-hlgrq   0/1     Completed           0          6s
    6s     par-zhx96   0/1     Completed           0          6s
    7s     par-n86hx   0/1     ContainerCreating   0          0s
    8s     par-n86hx   1/1     Running             0          1s
    13s    par-n86hx   0/1     Completed           0          6s
    ");
}

#[test]
fn active_deadline_seconds_stops_the_running_pod() {
    let text = JobScenario::new("slow")
        .spec("activeDeadlineSeconds: 10")
        .rest("behavior:\n  default: {runFor: 60s}")
        .text();
    // At startTime + 10 s the Job fails (DeadlineExceeded) and its pod is
    // deleted; the container stops on SIGTERM. A terminal pod being
    // deleted shows its own status, not Terminating (kubectl's printPod).
    insta::assert_snapshot!(watch(&text), @r"
    TIME   NAME         READY   STATUS              RESTARTS   AGE
    0s     slow-hlgrq   0/1     ContainerCreating   0          0s
    1s     slow-hlgrq   1/1     Running             0          1s
    10s    slow-hlgrq   0/1     Error               0          10s
    ");
}

#[test]
fn an_indexed_job_retries_only_the_failed_index() {
    let text = JobScenario::new("idx")
        .spec("completions: 2\nparallelism: 2\ncompletionMode: Indexed")
        .rest("behavior:\n  default: {runFor: 5s}\n  pods:\n  - match: {index: 1, attempt: 0}\n    exitCode: 1")
        .text();
    // Index 1 fails at 6 s, when index 0 succeeds: a success at the same
    // instant resets the backoff record (newBackoffRecord counts only
    // failures after the last success), so the replacement comes with the
    // next sync, 1 s later (syncJobBatchPeriod), and only for index 1.
    insta::assert_snapshot!(watch(&text), @r"
    TIME   NAME          READY   STATUS              RESTARTS   AGE
    0s     idx-0-hlgrq   0/1     ContainerCreating   0          0s
    0s     idx-1-zhx96   0/1     ContainerCreating   0          0s
    1s     idx-0-hlgrq   1/1     Running             0          1s
    1s     idx-1-zhx96   1/1     Running             0          1s
    6s     idx-0-hlgrq   0/1     Completed           0          6s
    6s     idx-1-zhx96   0/1     Error               0          6s
    7s     idx-1-n86hx   0/1     ContainerCreating   0          0s
    8s     idx-1-n86hx   1/1     Running             0          1s
    13s    idx-1-n86hx   0/1     Completed           0          6s
    ");
}

#[test]
fn suspend_deletes_the_running_pod_and_resume_starts_a_new_one() {
    let text = JobScenario::new("sus")
        .rest("behavior:\n  default: {runFor: 20s}\nactions:\n- {at: 5s, action: suspend}\n- {at: 40s, action: resume}")
        .text();
    // Suspending deletes the active pod (it stops on SIGTERM); resuming
    // creates a new one at once (the spec update syncs the Job).
    insta::assert_snapshot!(watch(&text), @r"
    TIME   NAME        READY   STATUS              RESTARTS   AGE
    0s     sus-hlgrq   0/1     ContainerCreating   0          0s
    1s     sus-hlgrq   1/1     Running             0          1s
    5s     sus-hlgrq   0/1     Error               0          5s
    40s    sus-zhx96   0/1     ContainerCreating   0          0s
    41s    sus-zhx96   1/1     Running             0          1s
    61s    sus-zhx96   0/1     Completed           0          21s
    ");
}
