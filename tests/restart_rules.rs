//! Container restart rules (KEP-5307, ContainerRestartRules: alpha 1.34,
//! on from 1.35), RestartAllContainers (KEP-5532, alpha 1.35, on from
//! 1.36) and the suspended Job's startTime (MutableSchedulingDirectives-
//! ForSuspendedJobs, on from 1.36), on both sides of each gate.
//!
//! Expected messages come from upstream's pkg/apis/core/validation
//! (`validateContainerRestartPolicy`, `validateInitContainerRestartPolicy`,
//! `validateContainers`) and pkg/api/pod/util.go (`dropContainerRestartRules`)
//! of 1.34.2, 1.35.3 and 1.36.2; the kubelet's behaviour from
//! `ContainerShouldRestart`, `getPhase` and `computePodActions`, and the
//! Job controller's from `syncJob` (see docs/versions.md).

mod common;
use common::*;
use jobsim::run::Outcome;
use jobsim::sim::world::ConditionType;
use jobsim::sim::world::{Phase, Pod, PodText};

/// One container `main` (restartPolicy Never pod) with the given extra
/// container fields.
fn main_with(fields: &str) -> String {
    format!(
        "        containers:\n        - name: main\n          image: busybox\n{fields}\n        restartPolicy: Never"
    )
}

const RETRY_42: &str = "          restartPolicy: Never\n          restartPolicyRules:\n          - {action: Restart, exitCodes: {operator: In, values: [42]}}";

/// The first pod's first run exits 42 after 5 s; every other run succeeds.
const TRANSIENT_42: &str =
    "behavior:\n  default: {runFor: 5s}\n  pods:\n  - {match: {attempt: 0, run: 0}, exitCode: 42}";

fn rejected(text: &str) -> String {
    record(text);
    common::run_err(text)
}

fn starts(pod: &Pod, container: &str) -> Vec<f64> {
    let c = pod
        .containers
        .iter()
        .find(|c| &*c.name == container)
        .expect("container");
    c.runs.iter().map(|r| secs(r.started_at)).collect()
}

fn restart_count(pod: &Pod, container: &str) -> u32 {
    pod.containers
        .iter()
        .find(|c| &*c.name == container)
        .expect("container")
        .restart_count
}

#[test]
fn a_matching_exit_restarts_the_container_in_place_from_1_35() {
    let o = run(&JobScenario::new("pi")
        .pod(&main_with(RETRY_42))
        .rest(TRANSIENT_42)
        .at("1.37"));
    let p = pods(&o);
    assert_eq!(p.len(), 1, "no replacement pod");
    assert_eq!(starts(p[0], "main"), [1.0, 6.0], "first restart at once");
    assert_eq!(restart_count(p[0], "main"), 1);
    assert_eq!(p[0].phase, Phase::Succeeded);
    // The pod never failed: Running until its last run ended.
    assert_eq!(
        phases(p[0]),
        [
            (0.0, Phase::Pending),
            (1.0, Phase::Running),
            (11.0, Phase::Succeeded)
        ]
    );
    assert_eq!((status(&o).succeeded, status(&o).failed), (1, 0));
    assert!(o.trace.log.notes.is_empty(), "{:?}", o.trace.log.notes);
    // The explanation names the rule.
    let why = o
        .trace
        .log
        .decisions
        .iter()
        .map(|d| jobsim::view::explain::explain(&o.trace, d, jobsim::view::explain::Locale::En))
        .find(|t| t.contains("restartPolicyRules"))
        .expect("a restart decision");
    assert_eq!(
        why,
        "Container main exited with 42, which matched restartPolicyRules[0] (Restart); the kubelet restarted it in place at once (the first restart is immediate). Restart #1. The pod does not fail, so the Job creates no replacement and counts nothing toward backoffLimit."
    );
}

#[test]
fn in_1_34_the_rules_are_dropped_and_the_pod_fails_as_before() {
    let o = run(&JobScenario::new("pi")
        .pod(&main_with(RETRY_42))
        .rest(TRANSIENT_42)
        .at("1.34"));
    assert_eq!(
        o.trace.log.notes,
        [
            "spec.template.spec.containers[0].restartPolicyRules was dropped: the ContainerRestartRules feature gate is off by default in 1.34",
            "spec.template.spec.containers[0].restartPolicy was dropped: the ContainerRestartRules feature gate is off by default in 1.34",
        ]
    );
    let p = pods(&o);
    assert_eq!(p.len(), 2, "a replacement pod after the failure");
    assert_eq!(p[0].phase, Phase::Failed);
    assert_eq!((status(&o).succeeded, status(&o).failed), (1, 1));
}

#[test]
fn before_1_34_the_fields_are_unknown_or_forbidden() {
    let e = rejected(&JobScenario::new("pi").pod(&main_with(RETRY_42)).at("1.33"));
    assert!(
        e.ends_with(
            "strict decoding error: unknown field \"spec.template.spec.containers[0].restartPolicyRules\""
        ),
        "{e}"
    );
    // The container's restartPolicy exists since sidecars (1.28), for init
    // containers; a regular one may not set it.
    let e = rejected(
        &JobScenario::new("pi")
            .pod(&main_with("          restartPolicy: Never"))
            .at("1.33"),
    );
    assert!(
        e.ends_with(
            "spec.template.spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers"
        ),
        "{e}"
    );
    let e = rejected(
        &JobScenario::new("pi")
            .pod(&main_with("          restartPolicy: Never"))
            .at("1.27"),
    );
    assert!(
        e.ends_with("unknown field \"spec.template.spec.containers[0].restartPolicy\""),
        "{e}"
    );
    // An init container may only be a sidecar before 1.35.
    let init = "        initContainers: [{name: init, image: i, restartPolicy: OnFailure}]\n        restartPolicy: Never";
    let e = rejected(&JobScenario::new("pi").pod(init).at("1.33"));
    assert!(
        e.ends_with(
            "spec.template.spec.initContainers[0].restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\""
        ),
        "{e}"
    );
    run(&JobScenario::new("pi").pod(init).at("1.35"));
}

#[test]
fn rules_are_validated_in_kubectl_words() {
    let e = |version: &str, fields: &str| {
        rejected(&JobScenario::new("pi").pod(&main_with(fields)).at(version))
    };
    let c = "spec.template.spec.containers[0]";
    assert!(
        e(
            "1.37",
            "          restartPolicyRules: [{action: Restart, exitCodes: {operator: In, values: [1]}}]"
        )
        .ends_with(&format!(
            "{c}.restartPolicy: Required value: must specify restartPolicy when restart rules are used"
        ))
    );
    assert!(
        e("1.37", "          restartPolicy: Sometimes").ends_with(&format!(
            "{c}.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"Never\", \"OnFailure\""
        ))
    );
    let rule =
        |r: &str| format!("          restartPolicy: Never\n          restartPolicyRules: [{r}]");
    assert!(
        e("1.37", &rule("{action: Retry, exitCodes: {operator: In, values: [1]}}")).ends_with(
            &format!(
                "{c}.restartPolicyRules[0].action: Unsupported value: \"Retry\": supported values: \"Restart\", \"RestartAllContainers\""
            )
        )
    );
    assert!(
        e("1.37", &rule("{action: Restart, exitCodes: {operator: Is, values: [1]}}")).ends_with(
            &format!(
                "{c}.restartPolicyRules[0].exitCodes.operator: Unsupported value: \"Is\": supported values: \"In\", \"NotIn\""
            )
        )
    );
    assert!(e("1.37", &rule("{action: Restart}")).ends_with(&format!(
        "{c}.restartPolicyRules[0].exitCodes: Required value: must be specified"
    )));
    // 1.35 knows only the Restart action, and counts with TooLong.
    assert!(
        e(
            "1.35",
            &rule("{action: RestartAllContainers, exitCodes: {operator: In, values: [1]}}")
        )
        .ends_with(&format!(
            "{c}.restartPolicyRules[0].action: Unsupported value: \"RestartAllContainers\": supported values: \"Restart\""
        ))
    );
    let many = vec!["{action: Restart, exitCodes: {operator: In, values: [1]}}"; 21].join(", ");
    assert!(e("1.35", &rule(&many)).ends_with(&format!(
        "{c}.restartPolicyRules: Too long: may not be more than 20 bytes"
    )));
    assert!(e("1.36", &rule(&many)).ends_with(&format!(
        "{c}.restartPolicyRules: Too many: 21: must have at most 20 items"
    )));
    let values: Vec<String> = (0..256).map(|v| v.to_string()).collect();
    let long = format!(
        "{{action: Restart, exitCodes: {{operator: NotIn, values: [{}]}}}}",
        values.join(", ")
    );
    assert!(e("1.37", &rule(&long)).ends_with(&format!(
        "{c}.restartPolicyRules[0].exitCodes.values: Too many: 256: must have at most 255 items"
    )));
    // A sidecar's rules need RestartAllContainers (1.36).
    let sidecar = "        initContainers:\n        - name: proxy\n          image: proxy\n          restartPolicy: Always\n          restartPolicyRules: [{action: Restart, exitCodes: {operator: In, values: [1]}}]\n        restartPolicy: Never";
    let e = rejected(&JobScenario::new("pi").pod(sidecar).at("1.35"));
    assert!(
        e.ends_with(
            "spec.template.spec.initContainers[0].restartPolicyRules: Forbidden: restartPolicyRules are not allowed for init containers with restart policy Always"
        ),
        "{e}"
    );
    run(&JobScenario::new("pi").pod(sidecar).at("1.36"));
}

#[test]
fn an_exit_no_rule_matches_fails_the_pod_as_before() {
    let rest = "behavior: {default: {runFor: 5s, exitCode: 1}}\nuntil: 30s";
    let o = run(&JobScenario::new("pi")
        .spec("    backoffLimit: 0")
        .pod(&main_with(RETRY_42))
        .rest(rest)
        .at("1.37"));
    let p = pods(&o);
    assert_eq!(p[0].phase, Phase::Failed);
    assert_eq!(restart_count(p[0], "main"), 0);
    assert_eq!(cond(&o, "Failed").1, "BackoffLimitExceeded");
}

#[test]
fn in_place_restarts_follow_the_crash_loop_backoff() {
    let rest = "behavior: {default: {runFor: 5s, exitCode: 42}}\nuntil: 60s";
    let o = run(&JobScenario::new("pi")
        .pod(&main_with(RETRY_42))
        .rest(rest)
        .at("1.37"));
    let p = pods(&o);
    assert_eq!(p.len(), 1);
    // Exits at 6, 11, 26: restarts at once, then after 10 s, then 20 s.
    assert_eq!(starts(p[0], "main"), [1.0, 6.0, 21.0, 46.0]);
    assert_eq!(p[0].phase, Phase::Running);
    assert_eq!(status(&o).failed, 0);
    assert!(events(&o, "BackOff").iter().all(|e| {
        e.message
            .starts_with("Back-off restarting failed container main in pod pi-")
    }));
}

#[test]
fn a_container_policy_overrides_the_pods() {
    // Pod OnFailure, container Never: an exit 1 is final, the pod fails.
    let pod = "        containers:\n        - {name: main, image: busybox, restartPolicy: Never}\n        restartPolicy: OnFailure";
    let rest = "behavior: {default: {runFor: 5s, exitCode: 1}}\nuntil: 20s";
    let o = run(&JobScenario::new("pi")
        .spec("    backoffLimit: 0")
        .pod(pod)
        .rest(rest)
        .at("1.37"));
    assert_eq!(pods(&o)[0].phase, Phase::Failed);
    assert_eq!(restart_count(pods(&o)[0], "main"), 0);
    // Pod Never, container OnFailure: restarted in place.
    let pod = "        containers:\n        - {name: main, image: busybox, restartPolicy: OnFailure}\n        restartPolicy: Never";
    let o = run(&JobScenario::new("pi")
        .pod(pod)
        .rest(TRANSIENT_42)
        .at("1.37"));
    assert_eq!(pods(&o).len(), 1);
    assert_eq!(restart_count(pods(&o)[0], "main"), 1);
    assert_eq!(status(&o).succeeded, 1);
}

#[test]
fn an_init_container_with_a_rule_retries_before_the_main_container_starts() {
    let pod = "        initContainers:\n        - name: migrate\n          image: m\n          restartPolicy: Never\n          restartPolicyRules: [{action: Restart, exitCodes: {operator: In, values: [42]}}]\n        restartPolicy: Never";
    let rest = "behavior:\n  default: {runFor: 5s}\n  pods:\n  - {match: {run: 0}, container: migrate, exitCode: 42}";
    let o = run(&JobScenario::new("pi").pod(pod).rest(rest).at("1.37"));
    let p = pods(&o);
    assert_eq!(p.len(), 1);
    assert_eq!(starts(p[0], "migrate"), [1.0, 6.0]);
    // Eligible when migrate completes at 11 s, started 1 s later (startDelay).
    assert_eq!(starts(p[0], "main"), [12.0]);
    assert_eq!(p[0].phase, Phase::Succeeded);
    // Without the rule the failed init container fails the pod (Never).
    let o = run(&JobScenario::new("pi")
        .spec("    backoffLimit: 0")
        .pod("        initContainers: [{name: migrate, image: m}]")
        .rest(rest)
        .at("1.37"));
    assert_eq!(pods(&o)[0].phase, Phase::Failed);
}

/// An init container, a sidecar that runs until stopped, and a main
/// container whose first run exits 42.
fn restart_all(version: &str, sidecar_sigterm: &str) -> String {
    let pod = "        initContainers:\n        - {name: setup, image: s}\n        - {name: proxy, image: p, restartPolicy: Always}\n        containers:\n        - name: main\n          image: busybox\n          restartPolicy: Never\n          restartPolicyRules: [{action: RestartAllContainers, exitCodes: {operator: In, values: [42]}}]\n        restartPolicy: Never";
    let rest = format!(
        "behavior:\n  default: {{runFor: 5s}}\n  containers:\n    setup: {{runFor: 2s}}\n    proxy: {{runFor: forever{sidecar_sigterm}}}\n  pods:\n  - {{match: {{run: 0}}, container: main, exitCode: 42}}"
    );
    JobScenario::new("pi").pod(pod).rest(&rest).at(version)
}

#[test]
fn restart_all_containers_reruns_every_container_in_the_same_pod() {
    let o = run(&restart_all("1.37", ""));
    let p = pods(&o);
    assert_eq!(p.len(), 1, "same pod, no replacement");
    // Each container starts 1 s (startDelay) after it may: setup 1–3 s,
    // proxy from 4 s, main 5–10 s exits 42; the proxy exits on SIGTERM at
    // 10 s, every container is removed, and the pod starts over 1 s later.
    assert_eq!(starts(p[0], "setup"), [1.0, 12.0]);
    assert_eq!(starts(p[0], "proxy"), [4.0, 15.0]);
    assert_eq!(starts(p[0], "main"), [5.0, 16.0]);
    for c in ["setup", "proxy", "main"] {
        assert_eq!(restart_count(p[0], c), 1, "{c}");
    }
    assert_eq!(p[0].phase, Phase::Succeeded);
    assert_eq!(status(&o).succeeded, 1);
    // While the init container re-runs the pod is Pending again (getPhase
    // counts a running regular init container as pending initialization);
    // once it is done, the waiting containers that ran before count as
    // stopped and restartable: Running.
    assert_eq!(
        phases(p[0]),
        [
            (0.0, Phase::Pending),
            (5.0, Phase::Running),
            (12.0, Phase::Pending),
            (14.0, Phase::Running),
            (21.0, Phase::Succeeded),
        ]
    );
    let killing: Vec<&str> = events(&o, "Killing")
        .iter()
        .map(|e| e.message.as_str())
        .collect();
    assert_eq!(killing[0], "killing");
    let c = p[0]
        .condition(PodText::AllContainersRestarting)
        .expect("condition");
    assert!(!c.status);
}

#[test]
fn restart_all_gives_each_running_container_two_seconds() {
    // The proxy ignores SIGTERM for 10 s: SIGKILL after the 2 s minimum.
    let o = run(&restart_all("1.37", ", sigtermDelay: 10s"));
    let p = pods(&o);
    let proxy = p[0]
        .containers
        .iter()
        .find(|c| &*c.name == "proxy")
        .unwrap();
    assert_eq!(proxy.runs[0].finished_at, Some(12_000));
    assert_eq!(proxy.runs[0].exit_code, Some(137));
    assert_eq!(starts(p[0], "setup"), [1.0, 14.0]);
}

#[test]
fn restart_all_is_refused_in_1_35_and_its_pod_fails_without_it() {
    let e = rejected(&restart_all("1.35", ""));
    assert!(
        e.ends_with(
            "spec.template.spec.containers[0].restartPolicyRules[0].action: Unsupported value: \"RestartAllContainers\": supported values: \"Restart\""
        ),
        "{e}"
    );
}

#[test]
fn kubectl_shows_a_pod_restarting_all_its_containers() {
    let o = run(&restart_all("1.37", ""));
    let p = pods(&o)[0];
    let row = |t| jobsim::view::pods::row_at(p, t).expect("the pod exists");
    assert_eq!(row(3_000).status, "Init:1/2");
    assert_eq!(row(6_000).status, "Running");
    // Removed at 10 s, starting over at 12 s: every container waits.
    let waiting = row(10_500);
    assert_eq!(waiting.status, "RestartingAllContainers");
    // RESTARTS: printPod stops at the first init container that is not
    // done, so only the main container's count shows yet.
    assert_eq!((waiting.ready, waiting.total, waiting.restarts), (0, 2, 1));
    assert_eq!(row(12_500).status, "RestartingAllContainers");
    let again = row(16_500);
    assert_eq!((again.status.as_str(), again.restarts), ("Running", 2));
}

/// activeDeadlineSeconds 30, suspended at 10 s, resumed at 100 s.
fn suspended_past_the_deadline(version: &str) -> Outcome {
    run(&JobScenario::new("pi").spec("    activeDeadlineSeconds: 30").rest("behavior: {default: {runFor: forever}}\nactions:\n- {at: 10s, action: suspend}\n- {at: 100s, action: resume}\nuntil: 200s").at(version))
}

#[test]
fn suspending_clears_start_time_from_1_36() {
    // 1.35: startTime stays; the resume is past startTime + 30 s, so the
    // Job fails at once.
    let o = suspended_past_the_deadline("1.35");
    assert_eq!(status_at(&o, 50.0).start_time, Some(0));
    let (t, reason, _) = cond(&o, "FailureTarget");
    assert_eq!((t, reason.as_str()), (100.0, "DeadlineExceeded"));
    // 1.36: cleared while suspended, set again at the resume; the
    // deadline counts from there.
    let o = suspended_past_the_deadline("1.36");
    assert_eq!(status_at(&o, 50.0).start_time, None);
    assert_eq!(status_at(&o, 101.0).start_time, Some(100_000));
    let (t, reason, _) = cond(&o, "FailureTarget");
    assert_eq!((t, reason.as_str()), (130.0, "DeadlineExceeded"));
}

/// A pod is evicted as the Job is suspended. With a podFailurePolicy a
/// terminating pod is no failure yet (podReplacementPolicy Failed), and the
/// suspension deletes only active pods, so the evicted one keeps its
/// finalizer; it takes 6 s to exit, fails, and exceeds backoffLimit 0
/// while the Job is suspended. The Job is resumed at 60 s.
fn fails_while_suspended(version: &str) -> Outcome {
    run(&JobScenario::new("pi").spec("    backoffLimit: 0\n    podFailurePolicy:\n      rules: [{action: FailJob, onExitCodes: {operator: In, values: [1]}}]").rest("behavior: {default: {runFor: forever, sigtermDelay: 6s}}\nactions:\n- {at: 5s, action: evict-pod, pod: {ordinal: 0}}\n- {at: 5s, action: suspend}\n- {at: 60s, action: resume}\nuntil: 90s").at(version))
}

#[test]
fn a_job_cannot_finish_while_suspended_without_a_start_time() {
    // 1.35: startTime stays, the Job fails while suspended.
    let o = fails_while_suspended("1.35");
    assert_eq!(cond(&o, "Failed").1, "BackoffLimitExceeded");
    assert!(cond(&o, "Failed").0 < 60.0);
    // 1.36: the API server rejects Failed (no startTime) until the resume.
    let o = fails_while_suspended("1.36");
    assert!(cond(&o, "FailureTarget").0 < 60.0);
    assert_eq!(cond(&o, "Failed").0, 60.0);
    assert!(
        status_at(&o, 59.0)
            .conditions
            .iter()
            .all(|c| c.type_ != ConditionType::Failed)
    );
    let rejected = o
        .trace
        .log
        .decisions
        .iter()
        .map(|d| jobsim::view::explain::explain(&o.trace, d, jobsim::view::explain::Locale::En))
        .filter(|t| t.starts_with("The API server rejected"))
        .count();
    assert_eq!(rejected, 1, "explained once");
}
