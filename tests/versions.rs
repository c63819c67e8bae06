//! Version profiles: each behaviour that changed between 1.25 and 1.37,
//! checked at the releases on both sides of the change (see
//! docs/versions.md for the sources).

mod common;
use common::*;
use jobsim::run::Outcome;

fn creation_gaps(o: &Outcome) -> Vec<f64> {
    let c = created(o);
    c.windows(2).map(|w| w[1] - w[0]).collect()
}

#[test]
fn the_pod_failure_backoff_cap_is_6_minutes_until_1_27_and_10_from_1_28() {
    let rest = "behavior: {default: {runFor: 1s, exitCode: 1}}\nuntil: 40m";
    let gap = |v: &str| {
        let o = run(&JobScenario::new("pi")
            .spec("    backoffLimit: 8")
            .rest(rest)
            .at(v));
        // Replacements wait 10·2^(n-1) s after the nth failure (the pod
        // runs 2 s: 1 s start, 1 s run): the 7th wait is the first capped.
        creation_gaps(&o)[6] - 2.0
    };
    assert_eq!(gap("1.27"), 360.0);
    assert_eq!(gap("1.28"), 600.0);
}

#[test]
fn pod_failure_policy_is_dropped_in_1_25_and_works_from_1_26() {
    let spec = "    backoffLimit: 3\n    podFailurePolicy:\n      rules: [{action: FailJob, onExitCodes: {operator: In, values: [42]}}]";
    let rest = "behavior: {default: {runFor: 1s, exitCode: 42}}";
    let job = JobScenario::new("pi").spec(spec).rest(rest);
    let o = run(&job.at("1.25"));
    assert_eq!(
        o.trace.log.notes,
        [
            "spec.podFailurePolicy was dropped: the JobPodFailurePolicy feature gate is off by default in 1.25"
        ]
    );
    assert_eq!(
        condition(&o, "Failed").unwrap().reason,
        "BackoffLimitExceeded"
    );
    let o = run(&job.at("1.26"));
    assert!(o.trace.log.notes.is_empty());
    assert_eq!(condition(&o, "Failed").unwrap().reason, "PodFailurePolicy");
}

#[test]
fn backoff_limit_per_index_is_unknown_then_dropped_then_on() {
    let spec = "    completionMode: Indexed\n    completions: 2\n    backoffLimitPerIndex: 1";
    let job = JobScenario::new("pi").spec(spec);
    let e = common::run_err(&job.at("1.27"));
    assert_eq!(
        e,
        "Error from server (BadRequest): error when creating \"STDIN\": Job in version \"v1\" cannot be handled as a Job: strict decoding error: unknown field \"spec.backoffLimitPerIndex\""
    );
    let o = run(&job.at("1.28"));
    assert_eq!(o.trace.jobs[0].spec.backoff_limit_per_index, None);
    assert_eq!(o.trace.jobs[0].spec.backoff_limit, Some(6));
    let o = run(&job.at("1.29"));
    assert_eq!(o.trace.jobs[0].spec.backoff_limit_per_index, Some(1));
    assert_eq!(o.trace.jobs[0].spec.backoff_limit, Some(i32::MAX));
}

#[test]
fn native_sidecars_are_unknown_in_1_27_an_ordinary_init_container_in_1_28_and_sidecars_from_1_29() {
    let pod = "        initContainers: [{name: proxy, image: proxy, restartPolicy: Always}]\n        containers: [{name: main, image: busybox}]\n        restartPolicy: Never";
    let rest = "behavior: {containers: {proxy: {runFor: forever}}}\nuntil: 2m";
    let job = JobScenario::new("pi").pod(pod).rest(rest);
    let e = common::run_err(&job.at("1.27"));
    assert!(
        e.ends_with("unknown field \"spec.template.spec.initContainers[0].restartPolicy\""),
        "{e}"
    );
    // 1.28: the field is dropped; the proxy never exits, so the main
    // container never starts.
    let o = run(&job.at("1.28"));
    assert!(
        !status(&o).conditions.iter().any(|c| c.status),
        "{:?}",
        status(&o)
    );
    assert_eq!(status(&o).succeeded, 0);
    let o = run(&job.at("1.29"));
    assert_eq!(status(&o).succeeded, 1);
}

#[test]
fn batch_labels_selector_and_tracking_annotation_change_in_1_27() {
    let o = run(&JobScenario::new("pi").at("1.26"));
    let j = &o.trace.jobs[0];
    let pod = &o.trace.pods[j.pods[0]];
    assert_eq!(
        pod.template
            .labels
            .iter()
            .map(|(k, _)| k)
            .collect::<Vec<_>>(),
        ["controller-uid", "job-name"]
    );
    assert!(
        j.spec
            .selector
            .as_ref()
            .unwrap()
            .match_labels
            .contains_key("controller-uid")
    );
    assert_eq!(j.annotations["batch.kubernetes.io/job-tracking"], "");
    let o = run(&JobScenario::new("pi").at("1.27"));
    let j = &o.trace.jobs[0];
    let pod = &o.trace.pods[j.pods[0]];
    assert_eq!(pod.template.labels.iter().count(), 4);
    assert!(
        j.spec
            .selector
            .as_ref()
            .unwrap()
            .match_labels
            .contains_key("batch.kubernetes.io/controller-uid")
    );
    assert!(j.annotations.is_empty());
}

#[test]
fn the_completion_index_label_arrives_in_1_28() {
    let spec = "    completionMode: Indexed\n    completions: 1";
    let index_label = |v: &str| {
        let o = run(&JobScenario::new("pi").spec(spec).at(v));
        let pod = &o.trace.pods[o.trace.jobs[0].pods[0]];
        let env = pod_env(&o);
        (
            pod.template
                .labels
                .get("batch.kubernetes.io/job-completion-index")
                .is_some(),
            env,
        )
    };
    assert_eq!(
        index_label("1.27"),
        (
            false,
            "metadata.annotations['batch.kubernetes.io/job-completion-index']".to_string()
        )
    );
    assert_eq!(
        index_label("1.28"),
        (
            true,
            "metadata.labels['batch.kubernetes.io/job-completion-index']".to_string()
        )
    );
}

/// The fieldPath of the first pod's JOB_COMPLETION_INDEX.
fn pod_env(o: &Outcome) -> String {
    let pod = &o.trace.pods[o.trace.jobs[0].pods[0]];
    pod.template
        .containers
        .iter()
        .flat_map(|c| &c.env)
        .find(|e| e.name == "JOB_COMPLETION_INDEX")
        .and_then(|e| e.value_from.as_ref()?.field_ref.as_ref())
        .map(|f| f.field_path.clone())
        .unwrap_or_default()
}

#[test]
fn terminal_conditions_wait_for_pods_from_1_31() {
    // Two pods, one fails past the backoff limit while the other runs.
    let spec = "    parallelism: 2\n    completions: 2\n    backoffLimit: 0";
    let rest = "behavior: {default: {runFor: 60s, sigtermDelay: 20s}, pods: [{match: {ordinal: 0}, runFor: 2s, exitCode: 1}]}";
    let job = JobScenario::new("pi").spec(spec).rest(rest);
    let o = run(&job.at("1.30"));
    assert!(condition(&o, "FailureTarget").is_none());
    // Failed as soon as the failure is seen (the pod exits at 3 s), while
    // the other pod is still terminating.
    let failed_at = secs(condition(&o, "Failed").unwrap().last_transition_time);
    assert!(failed_at < 5.0, "{failed_at}");
    let o = run(&job.at("1.31"));
    let target_at = secs(condition(&o, "FailureTarget").unwrap().last_transition_time);
    assert_eq!(target_at, failed_at);
    let failed = condition(&o, "Failed").unwrap();
    // Once the other pod has stopped (20 s after its SIGTERM).
    assert!(
        secs(failed.last_transition_time) >= target_at + 20.0,
        "{failed:?}"
    );
}

#[test]
fn complete_gets_a_reason_from_1_31() {
    let o = run(&JobScenario::new("pi").at("1.30"));
    let c = condition(&o, "Complete").unwrap();
    assert_eq!((c.reason.as_str(), c.message.as_str()), ("", ""));
    assert!(condition(&o, "SuccessCriteriaMet").is_none());
    let o = run(&JobScenario::new("pi").at("1.31"));
    let c = condition(&o, "Complete").unwrap();
    assert_eq!(
        (c.reason.as_str(), c.message.as_str()),
        (
            "CompletionsReached",
            "Reached expected number of succeeded pods"
        )
    );
}

#[test]
fn status_terminating_exists_from_1_29() {
    let status = |v: &str| {
        let json = jobsim::view::report::to_json(&run(&JobScenario::new("pi").at(v)));
        let report: serde_json::Value = serde_json::from_str(&json).unwrap();
        report["jobs"][0]["status"].clone()
    };
    assert!(status("1.28").get("terminating").is_none());
    assert_eq!(status("1.29")["terminating"], 0);
}

#[test]
fn evictions_add_disruption_target_from_1_26() {
    let rest = "behavior: {default: {runFor: 60s}}\nactions: [{at: 5s, action: evict-pod, pod: {ordinal: 0}}]";
    let has = |v: &str| {
        let o = run(&JobScenario::new("pi").rest(rest).at(v));
        o.trace.pods[0]
            .condition(jobsim::sim::world::PodText::DisruptionTarget)
            .is_some()
    };
    assert!(!has("1.25"));
    assert!(has("1.26"));
}

#[test]
fn elastic_indexed_jobs_from_1_27() {
    let spec = "    completionMode: Indexed\n    completions: 3\n    parallelism: 3";
    let rest = "behavior: {default: {runFor: 60s}}\nactions: [{at: 5s, action: patch, patch: {spec: {completions: 5, parallelism: 5}}}]";
    let job = JobScenario::new("pi").spec(spec).rest(rest);
    let e = common::run_err(&job.at("1.26"));
    assert!(
        e.ends_with("spec.completions: Invalid value: 5: field is immutable"),
        "{e}"
    );
    let o = run(&job.at("1.27"));
    assert_eq!(o.trace.jobs[0].spec.completions, Some(5));
}

#[test]
fn environment_variable_names_relax_in_1_32() {
    let pod = "        containers: [{name: main, image: busybox, env: [{name: 1BAD, value: x}]}]";
    let job = JobScenario::new("pi").pod(pod);
    let e = common::run_err(&job.at("1.31"));
    assert!(
        e.contains("a valid environment variable name must consist of alphabetic characters"),
        "{e}"
    );
    run(&job.at("1.32"));
}

#[test]
fn a_started_suspended_job_gets_a_new_node_selector_from_1_36() {
    let rest = "behavior: {default: {runFor: 60s}}\nactions:\n- {at: 5s, action: suspend}\n- {at: 40s, action: patch, patch: {spec: {template: {spec: {nodeSelector: {zone: a}}}}}}";
    let job = JobScenario::new("pi").rest(rest);
    let e = common::run_err(&job.at("1.35"));
    assert!(e.ends_with("field is immutable"), "{e}");
    run(&job.at("1.36"));
}

#[test]
fn manual_selector_is_defaulted_from_1_29() {
    let yaml = |v: &str| {
        let o = run(&JobScenario::new("pi").at(v));
        jobsim::view::kubectl::get_job_yaml(&o.trace, &o.scenario.clock, 0, o.ended_at)
    };
    assert!(!yaml("1.28").contains("manualSelector"));
    assert!(yaml("1.29").contains("  manualSelector: false\n"));
}

fn cron(version: &str) -> String {
    format!(
        "scenario: v1\nkubernetesVersion: {version:?}\nuntil: 3m30s\nbehavior: {{default: {{runFor: 5s}}}}\nmanifest:\n  apiVersion: batch/v1\n  kind: CronJob\n  metadata: {{name: hello}}\n  spec:\n    schedule: '* * * * *'\n    successfulJobsHistoryLimit: 1\n    jobTemplate:\n      spec:\n        template:\n          spec:\n            restartPolicy: OnFailure\n            containers: [{{name: hello, image: busybox}}]\n"
    )
}

/// The CronJob's event reasons and messages at one instant.
fn cron_events_at(o: &Outcome, at: f64) -> Vec<(String, String)> {
    o.trace
        .events
        .iter()
        .filter(|e| &*e.object == "CronJob/hello" && secs(e.at) == at)
        .map(|e| (e.reason.to_string(), e.message.clone()))
        .collect()
}

#[test]
fn cron_job_cleanup_runs_first_from_1_29_and_says_condition_from_1_31() {
    // The second Job completes at 127.1 s: the first one goes then.
    let deleted = || {
        (
            "SuccessfulDelete".to_string(),
            "Deleted job hello-28401121".to_string(),
        )
    };
    let saw = |word: &str| {
        (
            "SawCompletedJob".to_string(),
            format!("Saw completed job: hello-28401122, {word}: Complete"),
        )
    };
    assert_eq!(
        cron_events_at(&run(&cron("1.28")), 127.1),
        [saw("status"), deleted()]
    );
    assert_eq!(
        cron_events_at(&run(&cron("1.31")), 127.1),
        [deleted(), saw("condition")]
    );
}

#[test]
fn success_policy_is_unknown_before_1_30_dropped_in_1_30_and_works_from_1_31() {
    // Index 0 is the leader; the workers (1, 2) never finish by themselves.
    let spec = "    completions: 3\n    parallelism: 3\n    completionMode: Indexed\n    successPolicy:\n      rules: [{succeededIndexes: \"0\"}]";
    let rest = "until: 2m\nbehavior:\n  default: {runFor: forever}\n  pods:\n  - match: {index: 0}\n    runFor: 10s";
    let job = JobScenario::new("pi").spec(spec).rest(rest);
    let [dropped, o] = feature_gate(
        &job,
        "successPolicy",
        "JobSuccessPolicy",
        ["1.29", "1.30", "1.31"],
    );
    assert!(condition(&dropped, "Complete").is_none());
    // job_controller.go: SuccessCriteriaMet, reason SuccessPolicy, then Complete.
    assert_eq!(
        condition(&o, "SuccessCriteriaMet").unwrap().reason,
        "SuccessPolicy"
    );
    assert!(condition(&o, "Complete").is_some());
}

#[test]
fn managed_by_hands_the_job_to_another_controller_from_1_32() {
    let spec = "    managedBy: example.com/multikueue";
    let rest = "until: 1m";
    let job = JobScenario::new("pi").spec(spec).rest(rest);
    // Alpha in 1.30 and 1.31: dropped, and the Job controller runs the Job.
    // Beta from 1.32: the Job controller skips the Job; no pods, no status.
    let [dropped, o] = feature_gate(&job, "managedBy", "JobManagedBy", ["1.29", "1.31", "1.32"]);
    assert!(condition(&dropped, "Complete").is_some());
    assert!(o.trace.pods.is_empty());
    assert_eq!(o.trace.jobs[0].status, Default::default());
    // Its own name is the default: the Job controller runs the Job.
    let o = run(&JobScenario::new("pi")
        .spec("    managedBy: kubernetes.io/job-controller")
        .rest(rest)
        .at("1.32"));
    assert!(condition(&o, "Complete").is_some());
}

/// A field behind a feature gate, across three releases: unknown to the
/// API server (strict decoding), dropped with the playground's note (gate
/// off by default), kept. The runs where it is dropped and kept.
fn feature_gate(
    job: &JobScenario,
    field: &str,
    gate: &str,
    [unknown, dropped, kept]: [&str; 3],
) -> [Outcome; 2] {
    let e = common::run_err(&job.at(unknown));
    assert!(
        e.contains(&format!("unknown field \"spec.{field}\"")),
        "{e}"
    );
    let off = run(&job.at(dropped));
    assert_eq!(
        off.trace.log.notes,
        [format!(
            "spec.{field} was dropped: the {gate} feature gate is off by default in {dropped}"
        )]
    );
    let on = run(&job.at(kept));
    assert!(on.trace.log.notes.is_empty());
    [off, on]
}
