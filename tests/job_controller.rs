//! Scenario tests of the Job controller and the kubelet. Every expected
//! value is derived from the upstream code named in the test's comment
//! (pkg/controller/job/job_controller.go = "JC"), with the simulation's
//! stated rules: pods start 1 s after creation, run 10 s, and pod events
//! reach the Job controller as one sync 1 s later (SyncJobBatchPeriod).

mod common;
use common::*;
use jobsim::sim::world::ConditionType;
use jobsim::sim::world::{Phase, PodText};

const NAME_ALPHABET: &str = "bcdfghjklmnpqrstvwxz2456789";

fn pi() -> String {
    JobScenario::new("pi").spec("backoffLimit: 4").text()
}

#[test]
fn pi_runs_to_complete_with_the_api_defaults_and_generated_labels() {
    let o = run(&pi());
    let j = &o.trace.jobs[0];
    // defaults.go SetDefaults_Job.
    assert_eq!((j.spec.completions, j.spec.parallelism), (Some(1), Some(1)));
    assert_eq!(
        j.spec.completion_mode.map(|m| m.as_str()),
        Some("NonIndexed")
    );
    assert_eq!(
        j.spec.pod_replacement_policy.map(|p| p.as_str()),
        Some("TerminatingOrFailed")
    );
    assert_eq!(
        j.spec.template.spec.termination_grace_period_seconds,
        Some(30)
    );
    // registry strategy generateSelector + defaulting of the Job's labels.
    let uid = &j.uid;
    assert_eq!(
        j.spec.selector.as_ref().unwrap().match_labels["batch.kubernetes.io/controller-uid"],
        *uid
    );
    for labels in [&j.labels, &j.spec.template.metadata.labels] {
        assert_eq!(labels["batch.kubernetes.io/controller-uid"], *uid);
        assert_eq!(labels["controller-uid"], *uid);
        assert_eq!(labels["batch.kubernetes.io/job-name"], "pi");
        assert_eq!(labels["job-name"], "pi");
    }
    let p = &pods(&o)[0];
    // names.SimpleNameGenerator: generateName + 5 characters of the alphabet.
    assert_eq!(p.name.len(), 8);
    assert!(p.name.starts_with("pi-"));
    assert!(
        p.name[3..].chars().all(|c| NAME_ALPHABET.contains(c)),
        "{}",
        p.name
    );
    assert_eq!(p.template.labels.get("job-name"), Some("pi"));
    assert!(
        !p.tracking_finalizer,
        "the finalizer is removed once the pod is counted"
    );
    assert_eq!(p.phase, Phase::Succeeded);
    // The pod finished at 11; its update is synced 1 s later.
    assert_eq!(secs(p.phase_history.last().unwrap().0), 11.0);
    assert_eq!(
        cond(&o, "SuccessCriteriaMet"),
        (
            12.0,
            "CompletionsReached".into(),
            "Reached expected number of succeeded pods".into()
        )
    );
    assert_eq!(
        cond(&o, "Complete"),
        (
            12.0,
            "CompletionsReached".into(),
            "Reached expected number of succeeded pods".into()
        )
    );
    assert_eq!(true_conditions(&o), ["SuccessCriteriaMet", "Complete"]);
    let s = status(&o);
    assert_eq!(
        (s.succeeded, s.failed, s.active, s.ready, s.terminating),
        (1, 0, 0, Some(0), Some(0))
    );
    assert_eq!((s.start_time, s.completion_time), (Some(0), Some(12_000)));
    let created = events(&o, "SuccessfulCreate");
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].message, format!("Created pod: {}", p.name));
    let completed = events(&o, "Completed");
    assert_eq!(
        (secs(completed[0].at), completed[0].message.as_str()),
        (12.0, "Job completed")
    );
    // status.ready follows the pod's Ready condition, one sync later.
    assert_eq!(status_at(&o, 1.5).ready, Some(0));
    assert_eq!(status_at(&o, 2.0).ready, Some(1));
    assert_eq!(secs(o.ended_at), 12.0);
}

#[test]
fn indexed_pods_carry_their_index() {
    // JC manageJob + indexed_job_utils.go: generateName "<job>-<i>-",
    // the completion-index label and annotation, hostname "<job>-<i>".
    let o = run(&JobScenario::new("idx")
        .spec("    completions: 3\n    parallelism: 3\n    completionMode: Indexed")
        .text());
    let ps = pods(&o);
    for (i, p) in ps.iter().enumerate() {
        assert!(p.name.starts_with(&format!("idx-{i}-")), "{}", p.name);
        assert_eq!(
            p.template
                .labels
                .get("batch.kubernetes.io/job-completion-index")
                .unwrap(),
            i.to_string()
        );
        assert_eq!(
            p.template
                .annotations
                .get("batch.kubernetes.io/job-completion-index")
                .unwrap(),
            i.to_string()
        );
        assert_eq!(
            p.template.hostname.as_deref(),
            Some(format!("idx-{i}").as_str())
        );
    }
    assert_eq!(status(&o).completed_indexes, "0-2");
    assert_eq!(status(&o).succeeded, 3);
}

#[test]
fn indexed_containers_get_job_completion_index_unless_they_set_it() {
    // indexed_job_utils.go addCompletionIndexEnvVariables (downward API from the label).
    let pod = "        initContainers:\n        - {name: input, image: bash}\n        containers:\n        - name: worker\n          image: busybox\n          env: [{name: JOB_COMPLETION_INDEX, value: \"7\"}]\n        restartPolicy: Never";
    let o = run(&JobScenario::new("env")
        .spec("    completions: 1\n    completionMode: Indexed")
        .pod(pod)
        .text());
    let p = pods(&o)[0];
    let input = &p.template.containers[0].env[0];
    assert_eq!(input.name, "JOB_COMPLETION_INDEX");
    let field = input
        .value_from
        .as_ref()
        .unwrap()
        .field_ref
        .as_ref()
        .unwrap();
    assert_eq!(
        field.field_path,
        "metadata.labels['batch.kubernetes.io/job-completion-index']"
    );
    assert_eq!(p.template.containers[1].env.len(), 1);
    assert_eq!(p.template.containers[1].env[0].value.as_deref(), Some("7"));
}

#[test]
fn a_count_rule_counts_the_failure_as_usual() {
    let spec = "    backoffLimit: 0\n    podFailurePolicy:\n      rules:\n      - action: Count\n        onExitCodes: {operator: In, values: [3]}\n      - action: Ignore\n        onExitCodes: {operator: In, values: [3, 4]}";
    let o = run(&JobScenario::new("count")
        .spec(spec)
        .rest("behavior:\n  default: {runFor: 1s, exitCode: 3}")
        .text());
    assert_eq!(cond(&o, "Failed").1, "BackoffLimitExceeded");
    assert_eq!(status(&o).failed, 1);
}

#[test]
fn indexes_are_created_lowest_first_and_runs_of_two_print_as_a_list() {
    // firstPendingIndexes picks the lowest pending index.
    let o = run(&JobScenario::new("idx")
        .spec("    completions: 2\n    parallelism: 1\n    completionMode: Indexed")
        .text());
    let order: Vec<Option<u32>> = pods(&o).iter().map(|p| p.index).collect();
    assert_eq!(order, [Some(0), Some(1)]);
    assert_eq!(created(&o), [0.0, 12.0]);
    assert_eq!(status(&o).completed_indexes, "0,1");
}

#[test]
fn no_more_pods_than_remaining_completions() {
    // manageJob: wantActive = min(completions - succeeded, parallelism).
    let o = run(&JobScenario::new("few")
        .spec("    completions: 3\n    parallelism: 5")
        .text());
    assert_eq!(created(&o), [0.0, 0.0, 0.0]);
    // Slow start (1, 2, 4 ...) happens inside one sync: same instant.
    assert_eq!(status(&o).succeeded, 3);
}

#[test]
fn a_work_queue_starts_no_pod_after_the_first_success() {
    // manageJob: completions unset -> wantActive = active once succeeded > 0;
    // complete when succeeded > 0 and active == 0.
    let rest =
        "behavior:\n  default: {runFor: 20s}\n  pods:\n  - match: {ordinal: 0}\n    runFor: 5s";
    let o = run(&JobScenario::new("queue")
        .spec("parallelism: 3")
        .rest(rest)
        .text());
    assert_eq!(created(&o), [0.0, 0.0, 0.0]);
    assert!(o.trace.jobs[0].spec.completions.is_none());
    assert_eq!(cond(&o, "Complete").0, 22.0);
    assert_eq!(status(&o).succeeded, 3);
}

#[test]
fn failed_pods_are_replaced_after_an_exponential_backoff_capped_at_ten_minutes() {
    // backoff_utils.go: 10 s * 2^(n-1) from the last failure's finish,
    // capped at MaxJobPodFailureBackOff (10 min); Failed once failed > backoffLimit.
    let rest = "behavior:\n  default: {runFor: 1s, exitCode: 1}";
    let o = run(&JobScenario::new("fail")
        .spec("backoffLimit: 8")
        .rest(rest)
        .text());
    // Failures at creation + 2 s; replacements 10, 20, 40, 80, 160, 320, 600, 600 s later.
    assert_eq!(
        created(&o),
        [0.0, 12.0, 34.0, 76.0, 158.0, 320.0, 642.0, 1244.0, 1846.0]
    );
    // The last pod started at 1847 and exits at 1848, when the sync batched
    // after its start runs (see backoff_limit_zero_fails_at_the_first_failure).
    assert_eq!(
        cond(&o, "FailureTarget"),
        (
            1848.0,
            "BackoffLimitExceeded".into(),
            "Job has reached the specified backoff limit".into()
        )
    );
    assert_eq!(cond(&o, "Failed").0, 1848.0);
    assert_eq!(status(&o).failed, 9);
    let warning = events(&o, "BackoffLimitExceeded");
    assert_eq!(warning.len(), 1);
    assert!(warning[0].warning);
    assert_eq!(
        warning[0].message,
        "Job has reached the specified backoff limit"
    );
}

#[test]
fn backoff_limit_zero_fails_at_the_first_failure() {
    let o = run(&JobScenario::new("zero")
        .spec("backoffLimit: 0")
        .rest("behavior:\n  default: {runFor: 1s, exitCode: 1}")
        .text());
    assert_eq!(created(&o), [0.0]);
    // The sync batched after the pod started (1 s) is due at 2 s, the
    // instant the container exits; the exit was scheduled first, so that
    // sync already sees the failure.
    assert_eq!(cond(&o, "Failed").0, 2.0);
}

#[test]
fn simultaneous_failures_count_together() {
    // Two failures in one sync make the count 2: the wait is 20 s, not 10 s
    // (measured on v1.34 in kubernetes/website PR #54415).
    let spec = "    completions: 2\n    parallelism: 2";
    let o = run(&JobScenario::new("two").spec(spec).rest("behavior:\n  default: {runFor: 1s, exitCode: 1}\n  pods:\n  - match: {attempt: 2}\n    exitCode: 0\n  - match: {attempt: 3}\n    exitCode: 0").text());
    assert_eq!(created(&o), [0.0, 0.0, 22.0, 22.0]);
}

#[test]
fn a_success_resets_the_backoff() {
    // newBackoffRecord: a new success resets failuresAfterLastSuccess.
    let spec = "    completions: 3\n    parallelism: 2";
    let rest = "behavior:\n  pods:\n  - match: {ordinal: 0}\n    runFor: 4s\n    exitCode: 1";
    let o = run(&JobScenario::new("reset").spec(spec).rest(rest).text());
    // Without the success at 11 the replacement would wait until 15.
    assert_eq!(created(&o)[..4], [0.0, 0.0, 12.0, 12.0]);
}

#[test]
fn the_pod_failure_policy_docs_example_fails_after_nine_minutes() {
    // kubernetes/website PR #54415 re-ran the task's example without a
    // policy on v1.34.0: waves at +0, +51 s, ..., Job failed after 9 min 06 s
    // (546 s; the cluster's timestamps have 1 s resolution and its pods took
    // a little over 1 s to start). 8 failed pods.
    let o = run(&std::fs::read_to_string("www/scenarios/pod-failure-policy.yaml").unwrap());
    assert_eq!(
        created(&o),
        [0.0, 0.0, 51.0, 51.0, 162.0, 162.0, 513.0, 513.0]
    );
    assert_eq!(
        cond(&o, "Failed"),
        (
            545.0,
            "BackoffLimitExceeded".into(),
            "Job has reached the specified backoff limit".into()
        )
    );
    assert_eq!(status(&o).failed, 8);
}

#[test]
fn ignored_failures_are_not_counted_but_still_delay_the_replacement() {
    // pod_failure_policy.go Ignore: not counted; PR #119434: ignored
    // failures feed the backoff record. A policy implies podReplacementPolicy Failed.
    let spec = "    podFailurePolicy:\n      rules:\n      - action: Ignore\n        onExitCodes: {operator: In, values: [5]}";
    let rest = "behavior:\n  pods:\n  - match: {ordinal: 0}\n    runFor: 1s\n    exitCode: 5";
    let o = run(&JobScenario::new("ignore").spec(spec).rest(rest).text());
    assert_eq!(
        o.trace.jobs[0]
            .spec
            .pod_replacement_policy
            .map(|p| p.as_str()),
        Some("Failed")
    );
    assert_eq!(created(&o), [0.0, 12.0]);
    assert_eq!((status(&o).failed, status(&o).succeeded), (0, 1));
}

#[test]
fn a_fail_job_rule_fails_the_job_and_counts_the_killed_pods() {
    // JC: FailJob match -> FailureTarget PodFailurePolicy; deleteActivePods
    // keeps the finalizers, so the killed pods are counted as failed in the
    // same sync; Failed follows once no pod is terminating.
    let spec = "    completions: 3\n    parallelism: 3\n    podFailurePolicy:\n      rules:\n      - action: FailJob\n        onExitCodes: {containerName: main, operator: In, values: [42]}";
    let rest = "behavior:\n  pods:\n  - match: {ordinal: 1}\n    runFor: 3s\n    exitCode: 42";
    let o = run(&JobScenario::new("pfp").spec(spec).rest(rest).text());
    let failing = &pods(&o)[1].name;
    assert_eq!(
        cond(&o, "FailureTarget"),
        (
            5.0,
            "PodFailurePolicy".into(),
            format!(
                "Container main for pod default/{failing} failed with exit code 42 matching FailJob rule at index 0"
            )
        )
    );
    assert_eq!(status_at(&o, 5.0).failed, 3);
    assert_eq!(cond(&o, "Failed").0, 6.0);
    assert_eq!(cond(&o, "Failed").1, "PodFailurePolicy");
    assert_eq!(events(&o, "SuccessfulDelete").len(), 2);
    assert_eq!(true_conditions(&o), ["FailureTarget", "Failed"]);
    let warning = events(&o, "PodFailurePolicy");
    assert_eq!((secs(warning[0].at), warning[0].warning), (6.0, true));
}

#[test]
fn an_evicted_pod_matches_an_ignore_rule_on_disruption_target() {
    // Eviction API: DisruptionTarget (EvictionByEvictionAPI) then delete.
    let spec = "    podFailurePolicy:\n      rules:\n      - action: Ignore\n        onPodConditions: [{type: DisruptionTarget}]";
    let rest = "actions:\n- {at: 5s, action: evict-pod, pod: {ordinal: 0}}";
    let o = run(&JobScenario::new("evict").spec(spec).rest(rest).text());
    let evicted = pods(&o)[0];
    let c = evicted.condition(PodText::DisruptionTarget).unwrap();
    assert_eq!(
        (c.reason(), c.message()),
        ("EvictionByEvictionAPI", "Eviction API: evicting")
    );
    // Failed at 5 (SIGTERM, exit 143); ignored; replaced 10 s after its finish.
    assert_eq!(created(&o), [0.0, 15.0]);
    assert_eq!((status(&o).failed, status(&o).succeeded), (0, 1));
}

#[test]
fn not_in_rules_and_count_rules() {
    // onExitCodes NotIn [1]: exit 1 is counted normally, exit 2 fails the Job.
    let spec = "    backoffLimit: 5\n    podFailurePolicy:\n      rules:\n      - action: FailJob\n        onExitCodes: {operator: NotIn, values: [1]}";
    let rest = "behavior:\n  default: {runFor: 1s, exitCode: 1}\n  pods:\n  - match: {ordinal: 1}\n    exitCode: 2";
    let o = run(&JobScenario::new("notin").spec(spec).rest(rest).text());
    assert_eq!(created(&o), [0.0, 12.0]);
    assert_eq!(cond(&o, "FailureTarget").1, "PodFailurePolicy");
    assert_eq!(status(&o).failed, 2);
}

#[test]
fn backoff_limit_per_index_fails_only_that_index() {
    // indexed_job_utils.go: an index fails when a counted failure happens
    // with its failure-count annotation >= backoffLimitPerIndex; the failed
    // pod's finalizer stays until its replacement exists; FailedIndexes at the end.
    let spec = "    completions: 3\n    parallelism: 3\n    completionMode: Indexed\n    backoffLimitPerIndex: 1";
    let rest = "behavior:\n  pods:\n  - match: {index: 1}\n    runFor: 1s\n    exitCode: 1";
    let o = run(&JobScenario::new("perindex").spec(spec).rest(rest).text());
    assert_eq!(o.trace.jobs[0].spec.backoff_limit, Some(i32::MAX));
    assert_eq!(created(&o), [0.0, 0.0, 0.0, 12.0]);
    let retry = pods(&o)[3];
    assert_eq!(retry.index, Some(1));
    assert_eq!(
        retry
            .template
            .annotations
            .get("batch.kubernetes.io/job-index-failure-count")
            .unwrap(),
        "1"
    );
    assert_eq!(
        pods(&o)[0]
            .template
            .annotations
            .get("batch.kubernetes.io/job-index-failure-count")
            .unwrap(),
        "0"
    );
    assert_eq!(
        cond(&o, "Failed"),
        (
            15.0,
            "FailedIndexes".into(),
            "Job has failed indexes".into()
        )
    );
    let s = status(&o);
    assert_eq!(
        (s.failed_indexes.as_deref(), s.completed_indexes.as_str()),
        (Some("1"), "0,2")
    );
    assert_eq!((s.failed, s.succeeded), (2, 2));
}

#[test]
fn max_failed_indexes_stops_the_job_early() {
    let spec = "    completions: 4\n    parallelism: 4\n    completionMode: Indexed\n    backoffLimitPerIndex: 0\n    maxFailedIndexes: 1";
    let rest = "behavior:\n  pods:\n  - match: {index: 1}\n    runFor: 1s\n    exitCode: 1\n  - match: {index: 2}\n    runFor: 1s\n    exitCode: 1";
    let o = run(&JobScenario::new("maxfail").spec(spec).rest(rest).text());
    assert_eq!(
        cond(&o, "FailureTarget"),
        (
            3.0,
            "MaxFailedIndexesExceeded".into(),
            "Job has exceeded the specified maximal number of failed indexes".into()
        )
    );
    assert_eq!(cond(&o, "Failed").0, 4.0);
    assert_eq!(status(&o).failed, 4);
}

#[test]
fn a_fail_index_rule_fails_the_index_at_once() {
    let spec = "    completions: 2\n    parallelism: 2\n    completionMode: Indexed\n    backoffLimitPerIndex: 3\n    podFailurePolicy:\n      rules:\n      - action: FailIndex\n        onExitCodes: {operator: In, values: [7]}";
    let rest = "behavior:\n  pods:\n  - match: {index: 0}\n    runFor: 1s\n    exitCode: 7";
    let o = run(&JobScenario::new("failindex").spec(spec).rest(rest).text());
    assert_eq!(created(&o), [0.0, 0.0]);
    assert_eq!(status(&o).failed_indexes.as_deref(), Some("0"));
    assert_eq!(
        cond(&o, "Failed"),
        (
            12.0,
            "FailedIndexes".into(),
            "Job has failed indexes".into()
        )
    );
}

#[test]
fn a_success_policy_completes_the_job_and_stops_the_rest() {
    // success_policy.go: SuccessCriteriaMet (SuccessPolicy, "Matched rules
    // at index 0"); the other pods are deleted without counting as failed.
    let spec = "    completions: 3\n    parallelism: 3\n    completionMode: Indexed\n    successPolicy:\n      rules:\n      - succeededIndexes: \"0\"";
    let rest =
        "behavior:\n  default: {runFor: 60s}\n  pods:\n  - match: {index: 0}\n    runFor: 3s";
    let o = run(&JobScenario::new("success").spec(spec).rest(rest).text());
    assert_eq!(
        cond(&o, "SuccessCriteriaMet"),
        (
            5.0,
            "SuccessPolicy".into(),
            "Matched rules at index 0".into()
        )
    );
    assert_eq!(
        cond(&o, "Complete"),
        (
            6.0,
            "SuccessPolicy".into(),
            "Matched rules at index 0".into()
        )
    );
    let s = status(&o);
    assert_eq!(
        (s.succeeded, s.failed, s.completed_indexes.as_str()),
        (1, 0, "0")
    );
    assert_eq!(s.completion_time, Some(6_000));
}

#[test]
fn scale_down_deletes_not_ready_then_most_recently_ready_pods() {
    // controller.ActivePods: not ready before ready; among ready pods the
    // most recently ready first. Deleted pods are not counted as failed.
    let spec = "    completions: 10\n    parallelism: 3";
    let rest = "behavior:\n  default: {runFor: 100s}\n  pods:\n  - match: {ordinal: 1}\n    startDelay: 5s\n  - match: {ordinal: 2}\n    startDelay: 100s\nactions:\n- {at: 20s, action: set-parallelism, value: 1}";
    let o = run(&format!(
        "{}until: 30s\n",
        JobScenario::new("scale").spec(spec).rest(rest).text()
    ));
    let ps = pods(&o);
    assert_eq!(ps[0].deletion_requested_at, None);
    assert_eq!(ps[1].deletion_requested_at, Some(20_000));
    assert_eq!(ps[2].deletion_requested_at, Some(20_000));
    assert_eq!(status(&o).failed, 0);
    assert_eq!(status(&o).active, 1);
    assert_eq!(events(&o, "SuccessfulDelete").len(), 2);
}

#[test]
fn a_job_created_suspended_waits_and_resume_resets_start_time() {
    let rest = "actions:\n- {at: 30s, action: resume}";
    let o = run(&JobScenario::new("myjob")
        .spec("    suspend: true\n    completions: 1")
        .rest(rest)
        .text());
    let s0 = status_at(&o, 10.0);
    assert_eq!((s0.start_time, s0.active), (None, 0));
    let c = s0.condition(ConditionType::Suspended).unwrap();
    assert_eq!(
        (c.status, c.reason.as_str(), c.message.as_str()),
        (true, "JobSuspended", "Job suspended")
    );
    assert_eq!(created(&o), [30.0]);
    assert_eq!(
        cond(&o, "Suspended"),
        (30.0, "JobResumed".into(), "Job resumed".into())
    );
    assert!(!condition(&o, "Suspended").unwrap().status);
    assert_eq!(status(&o).start_time, Some(30_000));
    assert_eq!(events(&o, "Suspended")[0].message, "Job suspended");
    assert_eq!(secs(events(&o, "Resumed")[0].at), 30.0);
}

#[test]
fn suspending_deletes_pods_without_counting_them_and_resume_needs_no_backoff() {
    let spec = "    completions: 2\n    parallelism: 2";
    let rest = "behavior:\n  default: {runFor: 60s, sigtermDelay: 5s}\nactions:\n- {at: 20s, action: suspend}\n- {at: 40s, action: resume}";
    let o = run(&JobScenario::new("susp").spec(spec).rest(rest).text());
    let at20 = status_at(&o, 20.0);
    assert_eq!(
        (at20.active, at20.terminating, at20.failed),
        (0, Some(2), 0)
    );
    assert_eq!(status_at(&o, 26.0).terminating, Some(0));
    assert_eq!(created(&o), [0.0, 0.0, 40.0, 40.0]);
    assert_eq!(status(&o).failed, 0);
    assert_eq!(status(&o).start_time, Some(40_000));
}

#[test]
fn active_deadline_fails_the_job_and_kills_its_pods() {
    // JC: pastActiveDeadline at startTime + ADS (the controller requeues
    // itself for it); pods killed and counted failed at once; Failed after
    // they terminated.
    let rest = "behavior:\n  default: {runFor: forever, sigtermDelay: 5s}";
    let o = run(&JobScenario::new("deadline")
        .spec("activeDeadlineSeconds: 30")
        .rest(rest)
        .text());
    assert_eq!(
        cond(&o, "FailureTarget"),
        (
            30.0,
            "DeadlineExceeded".into(),
            "Job was active longer than specified deadline".into()
        )
    );
    assert_eq!(status_at(&o, 30.0).failed, 1);
    assert_eq!(cond(&o, "Failed").0, 36.0);
    let p = pods(&o)[0];
    assert_eq!(
        p.containers[0]
            .terminated()
            .map(|(code, _, at)| (code, secs(at))),
        Some((143, 35.0))
    );
}

#[test]
fn backoff_limit_wins_over_the_deadline_in_the_same_sync() {
    let rest = "behavior:\n  default: {exitCode: 1}";
    let o = run(&JobScenario::new("both")
        .spec("    backoffLimit: 0\n    activeDeadlineSeconds: 12")
        .rest(rest)
        .text());
    assert_eq!(
        cond(&o, "Failed"),
        (
            12.0,
            "BackoffLimitExceeded".into(),
            "Job has reached the specified backoff limit".into()
        )
    );
}

#[test]
fn ttl_deletes_the_finished_job_and_its_pods() {
    // ttlafterfinished: expire = Complete's lastTransitionTime + TTL; foreground delete.
    let o = run(&JobScenario::new("ttl")
        .spec("ttlSecondsAfterFinished: 100")
        .text());
    let j = &o.trace.jobs[0];
    assert_eq!(cond(&o, "Complete").0, 12.0);
    assert_eq!(j.gone_at, Some(112_000));
    assert_eq!(pods(&o)[0].gone_at, Some(112_000));
    assert_eq!(secs(o.ended_at), 112.0);
}

#[test]
fn a_deleted_running_pod_counts_as_failed_and_is_replaced_after_backoff() {
    // isPodFailed: deletionTimestamp and not Succeeded (TerminatingOrFailed);
    // getFinishedTime: deletionTimestamp - grace = the DELETE.
    let rest = "behavior:\n  default: {runFor: 60s, sigtermDelay: 5s}\nactions:\n- {at: 20s, action: delete-pod, pod: {ordinal: 0}}";
    let o = run(&JobScenario::new("del").rest(rest).text());
    let s = status_at(&o, 21.0);
    assert_eq!((s.failed, s.active, s.terminating), (1, 0, Some(1)));
    assert_eq!(created(&o), [0.0, 30.0]);
    let p = pods(&o)[0];
    // The DELETE set deletionTimestamp to 20 s + 30 s; the kubelet's final
    // DELETE (grace 0) once the container stopped moved it to 25 s.
    assert_eq!(
        (p.deletion_timestamp, p.deletion_grace_period_seconds),
        (Some(25_000), Some(0))
    );
    assert_eq!(
        p.containers[0]
            .terminated()
            .map(|(code, reason, at)| (code, reason.to_string(), secs(at))),
        Some((143, "Error".into(), 25.0))
    );
}

#[test]
fn with_replacement_policy_failed_the_replacement_waits_for_termination() {
    let spec = "    podReplacementPolicy: Failed";
    let rest = "behavior:\n  default: {runFor: 60s, sigtermDelay: 5s}\nactions:\n- {at: 20s, action: delete-pod, pod: {ordinal: 0}}";
    let o = run(&JobScenario::new("del").spec(spec).rest(rest).text());
    let s = status_at(&o, 21.0);
    assert_eq!((s.failed, s.active, s.terminating), (0, 0, Some(1)));
    assert_eq!(status_at(&o, 26.0).failed, 1);
    assert_eq!(created(&o), [0.0, 35.0]);
}

#[test]
fn sigkill_ends_the_grace_period() {
    let rest = "behavior:\n  default: {runFor: 60s, sigtermDelay: 10s}\nactions:\n- {at: 20s, action: delete-pod, pod: {ordinal: 0}, gracePeriodSeconds: 3}";
    let o = run(&JobScenario::new("kill").rest(rest).text());
    let p = pods(&o)[0];
    assert_eq!(
        p.containers[0]
            .terminated()
            .map(|(code, _, at)| (code, secs(at))),
        Some((137, 23.0))
    );
}

#[test]
fn on_failure_restarts_in_place_with_crash_loop_backoff_until_the_limit() {
    // kubelet: first restart at once, then 10 s, 20 s ...; JC
    // pastBackoffLimitOnFailure: restarts >= backoffLimit.
    let rest = "behavior:\n  default: {runFor: 5s, exitCode: 1}";
    let o = run(&JobScenario::new("onf")
        .spec("backoffLimit: 3")
        .pod("restartPolicy: OnFailure")
        .rest(rest)
        .text());
    assert_eq!(
        created(&o),
        [0.0],
        "the Job controller does not replace the pod"
    );
    let starts: Vec<f64> = pods(&o)[0].containers[0]
        .runs
        .iter()
        .map(|r| secs(r.started_at))
        .collect();
    assert_eq!(starts, [1.0, 6.0, 21.0, 46.0]);
    assert_eq!(
        cond(&o, "FailureTarget"),
        (
            47.0,
            "BackoffLimitExceeded".into(),
            "Job has reached the specified backoff limit".into()
        )
    );
    assert_eq!(cond(&o, "Failed").0, 48.0);
    assert_eq!(status(&o).failed, 1);
    assert!(!events(&o, "BackOff").is_empty());
}

#[test]
fn the_crash_loop_delay_resets_after_ten_minutes_of_running() {
    let rest = "behavior:\n  default: {runFor: 1s, exitCode: 1}\n  pods:\n  - match: {run: 2}\n    runFor: 700s\n    exitCode: 1";
    let o = run(&format!(
        "{}until: 730s\n",
        JobScenario::new("reset")
            .spec("backoffLimit: 100")
            .pod("restartPolicy: OnFailure")
            .rest(rest)
            .text()
    ));
    let starts: Vec<f64> = pods(&o)[0].containers[0]
        .runs
        .iter()
        .map(|r| secs(r.started_at))
        .collect();
    assert_eq!(starts, [1.0, 2.0, 13.0, 713.0, 724.0]);
}

#[test]
fn native_sidecars_start_first_and_stop_last_in_reverse_order() {
    let pod = "        initContainers:\n        - {name: setup, image: busybox}\n        - {name: a, image: proxy, restartPolicy: Always}\n        - {name: b, image: proxy, restartPolicy: Always}\n        containers:\n        - {name: main, image: busybox}\n        restartPolicy: Never";
    let rest = "behavior:\n  containers:\n    setup: {runFor: 2s}\n    a: {runFor: forever, sigtermDelay: 2s}\n    b: {runFor: forever, sigtermDelay: 2s}";
    let o = run(&JobScenario::new("side").pod(pod).rest(rest).text());
    let p = pods(&o)[0];
    let run0 = |name: &str| {
        let c = p.containers.iter().find(|c| *c.name == *name).unwrap();
        (
            secs(c.runs[0].started_at),
            c.runs[0].finished_at.map(secs),
            c.runs[0].exit_code,
        )
    };
    assert_eq!(run0("setup"), (1.0, Some(3.0), Some(0)));
    assert_eq!(run0("a"), (4.0, Some(20.0), Some(143)));
    assert_eq!(run0("b"), (5.0, Some(18.0), Some(143)));
    assert_eq!(run0("main"), (6.0, Some(16.0), Some(0)));
    // Sidecars' exit codes do not make the pod fail.
    assert_eq!(p.phase, Phase::Succeeded);
    assert_eq!(secs(p.phase_history.last().unwrap().0), 20.0);
    assert_eq!(cond(&o, "Complete").0, 21.0);
}

#[test]
fn a_regular_container_that_never_exits_keeps_the_job_running() {
    let pod = "        containers:\n        - {name: main, image: busybox}\n        - {name: cloud-sql-proxy, image: proxy}\n        restartPolicy: Never";
    let rest = "behavior:\n  containers:\n    cloud-sql-proxy: {runFor: forever}\nuntil: 10m";
    let o = run(&JobScenario::new("classic").pod(pod).rest(rest).text());
    assert!(condition(&o, "Complete").is_none());
    assert_eq!(status(&o).active, 1);
    assert_eq!(pods(&o)[0].phase, Phase::Running);
    assert_eq!(secs(o.ended_at), 600.0);
}

#[test]
fn a_failing_init_container_fails_the_pod_under_never() {
    let pod = "        initContainers:\n        - {name: setup, image: busybox}\n        containers:\n        - {name: main, image: busybox}\n        restartPolicy: Never";
    let rest = "behavior:\n  containers:\n    setup: {runFor: 2s, exitCode: 3}";
    let o = run(&JobScenario::new("init")
        .spec("backoffLimit: 0")
        .pod(pod)
        .rest(rest)
        .text());
    let p = pods(&o)[0];
    assert_eq!(p.phase, Phase::Failed);
    assert!(p.containers[1].runs.is_empty(), "main never starts");
    assert_eq!(cond(&o, "Failed").1, "BackoffLimitExceeded");
}

#[test]
fn the_pods_own_deadline_is_a_pod_failure() {
    let pod = "        activeDeadlineSeconds: 5";
    let rest = "behavior:\n  default: {runFor: forever}";
    let o = run(&JobScenario::new("poddl")
        .spec("backoffLimit: 0")
        .pod(pod)
        .rest(rest)
        .text());
    let p = pods(&o)[0];
    assert_eq!(
        (p.phase, p.reason.as_deref()),
        (Phase::Failed, Some("DeadlineExceeded"))
    );
    assert_eq!(cond(&o, "Failed").1, "BackoffLimitExceeded");
}

#[test]
fn a_stopped_controller_catches_up_and_forgets_its_backoff() {
    // The backoff record lives in the controller's memory only.
    let rest = "behavior:\n  default: {runFor: 1s, exitCode: 1}\nactions:\n- {at: 20s, action: controller-down}\n- {at: 25s, action: controller-up}";
    let o = run(&format!(
        "{}until: 30s\n",
        JobScenario::new("restart").rest(rest).text()
    ));
    // Without the restart the third pod would wait until 34 s.
    assert_eq!(created(&o), [0.0, 12.0, 25.0]);

    let rest = "actions:\n- {at: 5s, action: controller-down}\n- {at: 60s, action: controller-up}";
    let o = run(&JobScenario::new("late").rest(rest).text());
    assert_eq!(cond(&o, "Complete").0, 60.0);
}

#[test]
fn deleting_the_job_deletes_its_pods() {
    let rest = "behavior:\n  default: {runFor: 60s, sigtermDelay: 2s}\nactions:\n- {at: 5s, action: delete-job}";
    let o = run(&JobScenario::new("gone")
        .spec("    parallelism: 2\n    completions: 2")
        .rest(rest)
        .text());
    assert_eq!(o.trace.jobs[0].gone_at, Some(5_000));
    for p in pods(&o) {
        assert_eq!(p.deletion_requested_at, Some(5_000));
        assert_eq!(p.gone_at, Some(7_000));
    }
    // The run ends once the pods are gone.
    assert_eq!(secs(o.ended_at), 7.0);
}

#[test]
fn a_patched_deadline_takes_effect() {
    let rest = "behavior:\n  default: {runFor: forever}\nactions:\n- {at: 10s, action: patch, patch: {spec: {activeDeadlineSeconds: 20}}}";
    let o = run(&JobScenario::new("patch").rest(rest).text());
    assert_eq!(cond(&o, "FailureTarget").0, 20.0);
}

#[test]
fn actions_that_cannot_apply_are_errors_naming_the_action() {
    let rest = "actions:\n- {at: 1s, action: patch, patch: {spec: {template: {spec: {restartPolicy: OnFailure}}}}}";
    let e = run_err(&JobScenario::new("immutable").rest(rest).text()).to_string();
    assert!(
        e.starts_with("error: actions[0] (patch at 1s): The Job \"immutable\" is invalid: "),
        "{e}"
    );
    assert!(
        e.contains("spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable"),
        "{e}"
    );

    let rest = "actions:\n- {at: 2s, action: fail-pod, pod: {index: 5}}";
    let e = run_err(&JobScenario::new("missing").rest(rest).text()).to_string();
    assert_eq!(
        e,
        "error: actions[0] (fail-pod at 2s): no pod matches {index: 5}"
    );
}

#[test]
fn fail_pod_ends_the_process_with_the_given_code() {
    let rest = "actions:\n- {at: 4s, action: fail-pod, pod: {ordinal: 0}, exitCode: 137, reason: OOMKilled}";
    let o = run(&JobScenario::new("oom")
        .spec("backoffLimit: 0")
        .rest(rest)
        .text());
    let p = pods(&o)[0];
    assert_eq!(
        p.containers[0]
            .terminated()
            .map(|(c, r, at)| (c, r.to_string(), secs(at))),
        Some((137, "OOMKilled".into(), 4.0))
    );
    assert_eq!(cond(&o, "Failed").0, 5.0);
}

#[test]
fn invalid_manifests_are_rejected_in_the_api_servers_words() {
    let e = run_err(&JobScenario::new("bad").spec("parallelism: -1").text()).to_string();
    assert_eq!(
        e,
        "The Job \"bad\" is invalid: spec.parallelism: Invalid value: -1: must be greater than or equal to 0"
    );
    let e = run_err(
        &JobScenario::new("bad")
            .pod(
                "        restartPolicy: Always\n        containers: [{name: main, image: busybox}]",
            )
            .text(),
    )
    .to_string();
    assert_eq!(
        e,
        "The Job \"bad\" is invalid: spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""
    );
}

#[test]
fn runs_are_deterministic_and_the_seed_only_changes_names() {
    let text = JobScenario::new("det")
        .spec("    completions: 4\n    parallelism: 2")
        .rest("behavior:\n  default: {exitCode: 1}")
        .text();
    let a = jobsim::view::report::to_json(&run(&text));
    let b = jobsim::view::report::to_json(&run(&text));
    assert_eq!(a, b);
    let seeded = run(&format!("seed: 99\n{text}"));
    let names =
        |o: &jobsim::run::Outcome| pods(o).iter().map(|p| p.name.clone()).collect::<Vec<_>>();
    assert_ne!(names(&run(&text)), names(&seeded));
    assert_eq!(created(&run(&text)), created(&seeded));
}

#[test]
fn the_playgrounds_limits_stop_a_runaway_scenario() {
    let text = JobScenario::new("huge")
        .spec("    completions: 2000000\n    parallelism: 10000")
        .text();
    let scenario = jobsim::scenario::parse(&text).unwrap();
    let limits = jobsim::sim::world::Limits {
        max_pods: 2_000,
        ..Default::default()
    };
    let o = jobsim::run::run(scenario, limits).unwrap();
    let e = o.error().expect("the limit was reached");
    // The run up to the limit is kept.
    assert!(o.trace.pods.len() <= 2_000 && !o.trace.pods.is_empty());
    assert!(
        e.contains("it would create more than 2000 pods, the playground's limit"),
        "{e}"
    );
    // More pods at once than the playground runs stops at once.
    let wide = JobScenario::new("wide")
        .spec("parallelism: 1000000000")
        .text();
    let e = common::run_err(&wide);
    assert_eq!(
        e,
        "error: the simulation stopped at 0s: the Job wants 1000000000 pods at once, more than the playground's limit of 20000; lower its parallelism"
    );
}

#[test]
fn a_pod_waits_in_pending_until_every_container_started() {
    // kubelet getPhase: `waiting > 0` (a container that never started) makes
    // the pod Pending, before `running` and before "all stopped".
    let pod = "        containers:\n        - {name: a, image: busybox}\n        - {name: b, image: busybox}\n        restartPolicy: Never";
    let rest =
        "behavior:\n  containers:\n    a: {runFor: 3s}\n    b: {startDelay: 10s, runFor: 5s}";
    let o = run(&JobScenario::new("twostart").pod(pod).rest(rest).text());
    let p = pods(&o)[0];
    assert_eq!(
        phases(p),
        [
            (0.0, Phase::Pending),
            (10.0, Phase::Running),
            (15.0, Phase::Succeeded)
        ]
    );
    assert_eq!(cond(&o, "Complete").0, 16.0);
}

#[test]
fn a_deleted_pod_whose_container_never_started_fails() {
    // TerminatePod: the unstarted container becomes 137 ContainerStatusUnknown
    // and a Pending pod becomes Failed, even though the other container exited 0.
    let pod = "        containers:\n        - {name: a, image: busybox}\n        - {name: b, image: busybox}\n        restartPolicy: Never";
    let rest = "behavior:\n  containers:\n    a: {runFor: 60s, sigtermExitCode: 0}\n    b: {startDelay: 20s}\nactions:\n- {at: 5s, action: delete-pod, pod: {ordinal: 0}}";
    let o = run(&JobScenario::new("unstarted")
        .spec("    backoffLimit: 0\n    podReplacementPolicy: Failed")
        .pod(pod)
        .rest(rest)
        .text());
    let p = pods(&o)[0];
    assert_eq!(p.phase, Phase::Failed);
    assert_eq!(
        p.containers[1]
            .terminated()
            .map(|(c, r, _)| (c, r.to_string())),
        Some((137, "ContainerStatusUnknown".into()))
    );
    assert_eq!(cond(&o, "Failed").1, "BackoffLimitExceeded");
}

#[test]
fn a_shorter_grace_period_cuts_the_kill_short() {
    // BeforeDelete only shortens; the kubelet's pod worker restarts the kill
    // with the shorter grace period.
    let rest = "behavior:\n  default: {runFor: forever, sigtermDelay: 100s}\nactions:\n- {at: 10s, action: delete-pod, pod: {ordinal: 0}}\n- {at: 12s, action: delete-pod, pod: {ordinal: 0}, gracePeriodSeconds: 3}\nuntil: 60s";
    let o = run(&JobScenario::new("shorter").rest(rest).text());
    let p = pods(&o)[0];
    assert_eq!(
        p.containers[0].terminated().map(|(c, _, at)| (c, secs(at))),
        Some((137, 15.0))
    );
    assert_eq!(p.gone_at, Some(15_000));
}

#[test]
fn sidecars_get_their_own_grace_window_after_the_main_containers() {
    // killContainer: a sidecar's grace is what is left after waiting for its
    // turn, at least 2 s; every container's Killing event comes at once.
    let pod = "        terminationGracePeriodSeconds: 5\n        initContainers:\n        - {name: proxy, image: proxy, restartPolicy: Always}\n        containers:\n        - {name: main, image: busybox}\n        restartPolicy: Never";
    let rest = "behavior:\n  containers:\n    main: {runFor: forever, sigtermDelay: 60s}\n    proxy: {runFor: forever, sigtermDelay: 1s}\nactions:\n- {at: 10s, action: delete-pod, pod: {ordinal: 0}}\nuntil: 30s";
    let o = run(&JobScenario::new("graces").pod(pod).rest(rest).text());
    let p = pods(&o)[0];
    let exit = |name: &str| {
        p.containers
            .iter()
            .find(|c| *c.name == *name)
            .unwrap()
            .terminated()
            .map(|(c, _, at)| (c, secs(at)))
    };
    assert_eq!(exit("main"), Some((137, 15.0)));
    assert_eq!(exit("proxy"), Some((143, 16.0)));
    let killing: Vec<f64> = events(&o, "Killing").iter().map(|e| secs(e.at)).collect();
    assert_eq!(killing, [10.0, 10.0]);
}

#[test]
fn a_crash_looping_sidecar_makes_the_pod_unready() {
    // Ready needs the sidecars running too (GenerateContainersReadyCondition).
    let pod = "        initContainers:\n        - {name: proxy, image: proxy, restartPolicy: Always}\n        containers:\n        - {name: main, image: busybox}\n        restartPolicy: Never";
    let rest = "behavior:\n  containers:\n    main: {runFor: forever}\n    proxy: {runFor: 5s, exitCode: 1}\nuntil: 40s";
    let o = run(&JobScenario::new("sidecrash").pod(pod).rest(rest).text());
    // proxy: 1-6 s, restarts at 6 s, exits 11 s, back-off 10 s until 21 s.
    assert_eq!(status_at(&o, 10.0).ready, Some(1));
    assert_eq!(status_at(&o, 15.0).ready, Some(0));
    assert_eq!(status_at(&o, 23.0).ready, Some(1));
}

#[test]
fn evicting_a_finished_pod_still_adds_disruption_target() {
    // The pod fails at 2.5 s; the Job controller syncs at 3 s (its status
    // write at 2 s enqueued it); the eviction comes in between.
    let rest = "behavior:\n  default: {runFor: 1500ms, exitCode: 1}\nactions:\n- {at: 2750ms, action: evict-pod, pod: {ordinal: 0}}";
    let spec = "    backoffLimit: 3\n    podFailurePolicy:\n      rules:\n      - action: Ignore\n        onPodConditions: [{type: DisruptionTarget}]";
    let o = run(&format!(
        "{}until: 20s\n",
        JobScenario::new("evictdone").spec(spec).rest(rest).text()
    ));
    let p = pods(&o)[0];
    assert!(
        p.condition(PodText::DisruptionTarget)
            .is_some_and(|c| c.status)
    );
    // The failure, evicted before the Job controller counted it, is ignored.
    assert_eq!(status_at(&o, 5.0).failed, 0);
    assert_eq!(pods(&o)[0].phase, Phase::Failed);
}

#[test]
fn at_most_500_finished_pods_are_counted_per_sync() {
    // MaxUncountedPods: the rest are counted in the next sync, and Complete
    // waits for them.
    let o = run(&JobScenario::new("big")
        .spec("    completions: 600\n    parallelism: 600")
        .text());
    let succeeded: Vec<(f64, i32)> = o.trace.log.history[0]
        .iter()
        .map(|h| (secs(h.at), h.succeeded))
        .collect();
    assert!(succeeded.contains(&(12.0, 500)), "{succeeded:?}");
    assert!(succeeded.contains(&(13.0, 600)), "{succeeded:?}");
    assert_eq!(cond(&o, "SuccessCriteriaMet").0, 12.0);
    assert_eq!(cond(&o, "Complete").0, 13.0);
}

#[test]
fn a_fast_crashing_sidecar_backs_off_like_any_other() {
    // kubelet: the first restart at once, then 10 s, 20 s ... from each
    // exit, however short the run (0 s included). The main container's
    // start was decided while the sidecar ran (at 1 s, plus its 1 s
    // start), so it starts at 2 s although the sidecar has crashed since.
    let pod = "        initContainers:\n        - {name: side, image: busybox, restartPolicy: Always}\n        containers:\n        - {name: main, image: busybox}\n        restartPolicy: Never";
    for (run_for, starts) in [
        ("500ms", [1_000, 1_500, 12_000, 32_500]),
        ("1ms", [1_000, 1_001, 11_002, 31_003]),
        ("0s", [1_000, 1_000, 11_000, 31_000]),
    ] {
        let rest = format!(
            "behavior:\n  containers:\n    side: {{runFor: {run_for}, exitCode: 1}}\n    main: {{runFor: 60s}}\nuntil: 50s"
        );
        let o = run(&JobScenario::new("side").pod(pod).rest(&rest).text());
        let p = &o.trace.pods[0];
        let side: Vec<u64> = p.containers[0].runs.iter().map(|r| r.started_at).collect();
        assert_eq!(side, starts, "sidecar running {run_for}");
        assert_eq!(p.containers[1].runs[0].started_at, 2_000, "{run_for}");
        assert!(o.trace.steps < 1_000, "{} steps", o.trace.steps);
    }
}

#[test]
fn the_log_counts_the_container_starts_each_pod_rule_decided() {
    // Rule 0: the first pod fails once; rule 1 names a pod the Job never
    // makes; rule 2 is shadowed by rule 0 for that pod, and decides the
    // replacement's start.
    let o = run(&JobScenario::new("pi")
        .spec("backoffLimit: 2")
        .rest(
            "behavior:\n  default: {runFor: 1s}\n  pods:\n  - match: {ordinal: 0}\n    exitCode: 1\n  - match: {ordinal: 99}\n    exitCode: 1\n  - {runFor: 2s}",
        )
        .text());
    assert_eq!(o.trace.pods.len(), 2);
    let starts: Vec<u32> = (0..3).map(|r| o.trace.log.starts_of_rule(r)).collect();
    assert_eq!(starts, [1, 0, 1]);
}
