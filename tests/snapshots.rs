//! Snapshot tests: the full JSON report of every seed scenario in
//! www/scenarios. Each snapshot's key values were checked against upstream
//! behaviour (see the per-scenario notes in tests/job_controller.rs and
//! the scenario files' comments); a change in any field shows up here.

mod common;

fn scenario(name: &str) -> String {
    std::fs::read_to_string(format!("www/scenarios/{name}.yaml")).unwrap()
}

fn snapshot_json(name: &str) {
    let outcome = common::run(&scenario(name));
    insta::assert_snapshot!(
        format!("{name}.json"),
        jobsim::view::report::to_json(&outcome)
    );
}

#[test]
fn pi() {
    snapshot_json("pi");
}

#[test]
fn pi_with_timeout() {
    snapshot_json("pi-with-timeout");
}

#[test]
fn pi_with_ttl() {
    snapshot_json("pi-with-ttl");
}

#[test]
fn suspended() {
    snapshot_json("suspended");
}

#[test]
fn indexed() {
    snapshot_json("indexed");
}

#[test]
fn work_queue() {
    snapshot_json("work-queue");
}

#[test]
fn sidecar_never_completes() {
    snapshot_json("sidecar-never-completes");
}

#[test]
fn sidecar_native() {
    snapshot_json("sidecar-native");
}

#[test]
fn pod_failure_policy() {
    snapshot_json("pod-failure-policy");
}

#[test]
fn pod_failure_policy_failjob() {
    snapshot_json("pod-failure-policy-failjob");
}

#[test]
fn cronjob_hello() {
    snapshot_json("cronjob-hello");
}

#[test]
fn cronjob_forbid_overrun() {
    snapshot_json("cronjob-forbid-overrun");
}

#[test]
fn cronjob_sidecar_never_finishes() {
    snapshot_json("cronjob-sidecar-never-finishes");
}

#[test]
fn cronjob_missed_schedules() {
    snapshot_json("cronjob-missed-schedules");
}

/// Checked by hand against the kubelet's logic (`ContainerShouldRestart`,
/// the crash-loop backoff, `getPhase`): exit 42 at 6 s restarts the worker
/// at once, exit 42 at 11 s after 10 s (21 s), and the third run succeeds
/// at 41 s, in the one pod; the Job counts no failure.
#[test]
fn retry_in_place() {
    snapshot_json("retry-in-place");
}

#[test]
fn every_seed_scenario_has_a_snapshot_test() {
    // PRESETS lists every file in www/scenarios (its own unit test).
    let source = include_str!("snapshots.rs");
    for (id, _) in jobsim::presets::PRESETS {
        let name = id.replace('-', "_");
        assert!(
            source.contains(&format!("fn {name}()")),
            "www/scenarios/{id}.yaml has no snapshot test"
        );
    }
}
