//! Why each replacement pod came when it did, as the Job controller records
//! it (the timeline's gaps and their Explain text), and runs that stop
//! part-way. The expected times follow upstream's job_controller.go:
//! replacements wait `10s · 2^(n−1)` from the latest failure's finish time
//! (getFinishedTime, whole seconds), a success resets the count
//! (newBackoffRecord), the record lives in the controller's memory only, a
//! suspended Job creates nothing, and with podReplacementPolicy Failed
//! terminating pods hold their slots.

mod common;

use common::{JobScenario, run, run_err, secs};
use jobsim::run::{Outcome, run_text};
use jobsim::sim::world::ConditionType;
use jobsim::trace::{Replacement, WaitReason};
use jobsim::view::explain::{Locale, gap_label, replacement};
use jobsim::view::timeline::Timeline;

/// (since, created, reason) of the Job's replacements, in seconds.
fn waits(o: &Outcome) -> Vec<(f64, f64, &'static str)> {
    o.trace
        .log
        .replacements
        .done
        .iter()
        .map(|r| (secs(r.since), secs(r.created), r.reason.as_str()))
        .collect()
}

fn first(o: &Outcome) -> &Replacement {
    &o.trace.log.replacements.done[0]
}

/// Every container fails after 1 s (pods: created, started 1 s later,
/// failed 1 s after that).
const FAILING: &str = "behavior:\n  default: {runFor: 1s, exitCode: 1}";

#[test]
fn a_served_backoff_is_drawn_from_the_failure_to_the_creation() {
    let o = run(&JobScenario::new("served")
        .spec("backoffLimit: 2")
        .rest(FAILING)
        .text());
    // Failures at 2 s, 14 s, 36 s; replacements after 10 s and 20 s.
    assert_eq!(waits(&o), [(2.0, 12.0, "backoff"), (14.0, 34.0, "backoff")]);
    let b = o.trace.log.replacements.done[1].backoff.unwrap();
    assert_eq!((b.failures, secs(b.delay), secs(b.from)), (2, 20.0, 14.0));
    let r = &o.trace.log.replacements.done[1];
    assert_eq!(gap_label(r, Locale::En), "backoff 20s");
    assert_eq!(gap_label(r, Locale::Ja), "バックオフ 20s");
    let text = replacement(&o.trace, r, Locale::En);
    assert!(
        text.ends_with("The pod-failure backoff: the 2nd failure in a row waits 20s (10s · 2) from the failure at 14s, until 34s."),
        "{text}"
    );
}

#[test]
fn a_success_resets_the_backoff_and_cuts_the_wait_short() {
    // The docs' Indexed example as the seed has it: index 2 fails at 8 s,
    // indexes 0 and 1 succeed at 14 s, so index 2 is recreated at the
    // next sync, 15 s, not at 18 s.
    let o = run_text(&std::fs::read_to_string("www/scenarios/indexed.yaml").unwrap()).unwrap();
    assert_eq!(waits(&o), [(8.0, 15.0, "reset-by-success")]);
    let r = first(&o);
    assert_eq!(r.reason, WaitReason::ResetBySuccess { at: Some(14_000) });
    assert_eq!(r.backoff.unwrap().until(), 18_000);
    let text = replacement(&o.trace, r, Locale::En);
    assert!(text.contains("a pod succeeded at 14s"), "{text}");
    assert!(!text.contains("forgot"), "{text}");
    // The timeline draws it on index 2's lane, from 8 s to 15 s.
    let t = Timeline::build(&o.trace, 0, o.ended_at);
    let g = &t.gaps[0];
    assert_eq!((g.lane, g.from, g.to), (2, 8_000, 15_000));
}

#[test]
fn a_restarted_controller_forgets_the_backoff() {
    // Failures at 2, 14 and 36 s: the third holds replacements until
    // 76 s. The controller restarts at 45 s with no record; the failures
    // are already counted, so it replaces the pod at once.
    let rest = format!(
        "{FAILING}\nactions:\n- {{at: 40s, action: controller-down}}\n- {{at: 45s, action: controller-up}}"
    );
    let o = run(&JobScenario::new("restart")
        .spec("backoffLimit: 6")
        .rest(&rest)
        .text());
    let w = waits(&o);
    assert_eq!(w[2], (36.0, 45.0, "controller-restart"));
    let WaitReason::ControllerRestart { at, forgotten } = o.trace.log.replacements.done[2].reason
    else {
        panic!("{w:?}");
    };
    assert_eq!(
        (at, forgotten.until(), forgotten.failures),
        (45_000, 76_000, 3)
    );
}

#[test]
fn replacements_wait_for_the_controllers_to_come_back() {
    // The failure at 2 s waits until 12 s, but the controllers are down
    // from 5 s to 60 s.
    let rest = format!(
        "{FAILING}\nactions:\n- {{at: 5s, action: controller-down}}\n- {{at: 60s, action: controller-up}}"
    );
    let o = run(&JobScenario::new("down")
        .spec("backoffLimit: 1")
        .rest(&rest)
        .text());
    assert_eq!(waits(&o)[0], (2.0, 60.0, "controller-down"));
    assert_eq!(
        first(&o).reason,
        WaitReason::ControllerDown {
            down: 5_000,
            up: 60_000
        }
    );
    // A failure while the controllers are down is counted, and replaced,
    // when they are back.
    let rest = "behavior:\n  default: {runFor: 4s, exitCode: 1}\nactions:\n- {at: 3s, action: controller-down}\n- {at: 60s, action: controller-up}";
    let o = run(&JobScenario::new("during")
        .spec("backoffLimit: 1")
        .rest(rest)
        .text());
    assert_eq!(waits(&o)[0], (5.0, 60.0, "controller-down"));
}

#[test]
fn a_suspended_job_replaces_its_failed_pod_when_resumed() {
    let rest = format!(
        "{FAILING}\nactions:\n- {{at: 5s, action: suspend}}\n- {{at: 60s, action: resume}}"
    );
    let o = run(&JobScenario::new("suspended")
        .spec("backoffLimit: 1")
        .rest(&rest)
        .text());
    assert_eq!(waits(&o)[0], (2.0, 60.0, "suspended"));
    // Resumed before the backoff ended, the backoff decides.
    let rest =
        format!("{FAILING}\nactions:\n- {{at: 5s, action: suspend}}\n- {{at: 7s, action: resume}}");
    let o = run(&JobScenario::new("brief")
        .spec("backoffLimit: 1")
        .rest(&rest)
        .text());
    assert_eq!(waits(&o)[0], (2.0, 12.0, "backoff"));
}

#[test]
fn terminating_pods_hold_the_slot_with_pod_replacement_policy_failed() {
    // Two pods; lowering parallelism to 1 at 3 s deletes the newer one
    // (ActivePods order), which takes 40 s to terminate (it is not
    // counted: deleted by the controller). The other fails at 5 s; its
    // replacement waits past its backoff (15 s) until the deleted pod has
    // terminated at 43 s (synced at 44 s).
    let spec = "    parallelism: 2\n    completions: 4\n    podReplacementPolicy: Failed";
    let rest = "behavior:\n  default: {runFor: 60s, sigtermDelay: 40s}\n  pods:\n  - match: {ordinal: 0}\n    runFor: 4s\n    exitCode: 1\nactions:\n- {at: 3s, action: set-parallelism, value: 1}";
    let o = run(&JobScenario::new("held")
        .spec(spec)
        .pod("terminationGracePeriodSeconds: 60")
        .rest(rest)
        .text());
    assert_eq!(waits(&o)[0], (5.0, 44.0, "waiting-for-terminating"));
}

#[test]
fn an_index_waits_for_a_free_slot() {
    // Index 0 fails at 2 s; parallelism drops to 1 at 5 s while index 1
    // runs until 31 s, so index 0 is recreated at 32 s.
    let spec = "    completionMode: Indexed\n    completions: 2\n    parallelism: 2";
    let rest = "behavior:\n  default: {runFor: 30s}\n  pods:\n  - match: {index: 0, attempt: 0}\n    runFor: 1s\n    exitCode: 1\nactions:\n- {at: 5s, action: set-parallelism, value: 1}";
    let o = run(&JobScenario::new("slot").spec(spec).rest(rest).text());
    assert_eq!(waits(&o)[0], (2.0, 32.0, "waiting-for-slot"));
}

#[test]
fn every_index_with_its_own_backoff_gets_its_gap() {
    // backoffLimitPerIndex: eight indexes fail at 2 s and each is
    // recreated after its own 10 s.
    let spec = "    completionMode: Indexed\n    completions: 8\n    parallelism: 8\n    backoffLimitPerIndex: 1";
    let rest = "behavior:\n  default: {runFor: 5s}\n  pods:\n  - match: {attempt: 0}\n    runFor: 1s\n    exitCode: 1";
    let o = run(&JobScenario::new("perindex").spec(spec).rest(rest).text());
    let t = Timeline::build(&o.trace, 0, o.ended_at);
    let mut lanes: Vec<(usize, u64, u64, &str)> = t
        .gaps
        .iter()
        .map(|g| (g.lane, g.from, g.to, g.replacement.reason.as_str()))
        .collect();
    lanes.sort();
    let expected: Vec<(usize, u64, u64, &str)> =
        (0..8).map(|i| (i, 2_000, 12_000, "backoff")).collect();
    assert_eq!(lanes, expected);
}

#[test]
fn pod_replacement_policy_failed_counts_from_the_termination() {
    // Deleted at 10 s, the pod takes 20 s to stop; with
    // podReplacementPolicy Failed it fails at 30 s and the gap starts there.
    let spec = "    podReplacementPolicy: Failed\n    backoffLimit: 1";
    let rest = "behavior:\n  default: {runFor: 60s, sigtermDelay: 20s}\nactions:\n- {at: 10s, action: delete-pod, pod: {ordinal: 0}}";
    let o = run(&JobScenario::new("failed").spec(spec).rest(rest).text());
    assert_eq!(waits(&o)[0], (30.0, 40.0, "backoff"));
    let t = Timeline::build(&o.trace, 0, o.ended_at);
    assert_eq!((t.gaps[0].from, t.gaps[0].to), (30_000, 40_000));
}

#[test]
fn a_wait_still_running_at_the_end_is_drawn_to_the_end() {
    let o = run(&JobScenario::new("open")
        .spec("backoffLimit: 3")
        .rest(&format!("{FAILING}\nuntil: 8s"))
        .text());
    let t = Timeline::build(&o.trace, 0, o.ended_at);
    assert_eq!(t.gaps.len(), 1);
    let g = &t.gaps[0];
    assert_eq!((g.from, g.to, g.replacement.pod), (2_000, 8_000, None));
    assert_eq!(g.replacement.reason, WaitReason::Backoff);
}

#[test]
fn an_action_that_cannot_apply_keeps_the_run_up_to_it() {
    // pi's pod succeeds at 11 s; failing it at 12 s cannot be.
    let rest = "actions:\n- {at: 5s, action: set-parallelism, value: 1}\n- {at: 12s, action: fail-pod, pod: {ordinal: 0}}\n- {at: 20s, action: suspend}";
    let text = JobScenario::new("partial").rest(rest).text();
    let o = run_text(&text).unwrap();
    let stopped = o.stopped.as_ref().expect("stopped");
    assert_eq!(
        (stopped.at, stopped.action),
        (12_000, Some((1, "fail-pod")))
    );
    assert_eq!(
        stopped.message,
        "pod \"partial-hlgrq\" has no running container"
    );
    assert_eq!(
        stopped.to_string(),
        "error: actions[1] (fail-pod at 12s): pod \"partial-hlgrq\" has no running container"
    );
    // What happened until then is there: the pod succeeded at 11 s.
    assert_eq!(o.ended_at, 12_000);
    assert!(o.trace.jobs[0].status.is_true(ConditionType::Complete));
    assert_eq!(run_err(&text), stopped.to_string());
}

#[test]
fn an_action_acts_on_the_state_of_its_instant() {
    // The pod's container starts at 1 s: failing it at 1 s fails it (the
    // start happens first, as a view of 1 s shows it running).
    let rest = "actions:\n- {at: 1s, action: fail-pod, pod: {ordinal: 0}, exitCode: 3}";
    let o = run(&JobScenario::new("instant")
        .spec("backoffLimit: 0")
        .rest(rest)
        .text());
    let pod = &o.trace.pods[0];
    assert_eq!(pod.containers[0].runs[0].started_at, 1_000);
    assert_eq!(pod.containers[0].runs[0].exit_code, Some(3));
    assert!(o.trace.jobs[0].status.is_true(ConditionType::Failed));
}

#[test]
fn the_controllers_cannot_stop_twice() {
    let rest = "actions:\n- {at: 1s, action: controller-down}\n- {at: 2s, action: controller-down}";
    assert_eq!(
        run_err(&JobScenario::new("twice").rest(rest).text()),
        "error: actions[1] (controller-down at 2s): the controllers are already stopped"
    );
    let rest = "actions:\n- {at: 1s, action: controller-up}";
    assert_eq!(
        run_err(&JobScenario::new("up").rest(rest).text()),
        "error: actions[0] (controller-up at 1s): the controllers are already running"
    );
}

#[test]
fn missing_objects_are_refused_in_kubectls_words() {
    let rest = "actions:\n- {at: 1s, action: delete-pod, pod: {name: nope}}";
    assert_eq!(
        run_err(&JobScenario::new("gone").rest(rest).text()),
        "error: actions[0] (delete-pod at 1s): Error from server (NotFound): pods \"nope\" not found"
    );
    let rest = "actions:\n- {at: 1s, action: delete-job}\n- {at: 2s, action: suspend}";
    assert_eq!(
        run_err(&JobScenario::new("gone").rest(rest).text()),
        "error: actions[1] (suspend at 2s): Error from server (NotFound): jobs.batch \"gone\" not found"
    );
}
