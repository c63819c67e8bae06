//! Workshop levels (www/levels.yaml): every level starts unsolved, a known
//! solution solves it, and near misses are told what is missing.

mod common;

use jobsim::levels::{Level, Start, parse, verdict};
use jobsim::scenario::duration;
use jobsim::sim::world::ConditionType;
use jobsim::view::explain::Locale;

fn levels() -> Vec<Level> {
    parse(&std::fs::read_to_string("www/levels.yaml").unwrap()).unwrap()
}

fn level(id: &str) -> Level {
    levels().into_iter().find(|l| l.id == id).unwrap()
}

fn start(level: &Level) -> String {
    match &level.start {
        Start::Seed(name) => std::fs::read_to_string(format!("www/scenarios/{name}.yaml")).unwrap(),
        Start::Scenario(text) => text.clone(),
    }
}

/// The level's start with `from` replaced by `to` (which must occur).
fn edit(level: &Level, from: &str, to: &str) -> String {
    let text = start(level);
    assert!(text.contains(from), "{}: no {from:?} in\n{text}", level.id);
    text.replacen(from, to, 1)
}

fn check(level: &Level, scenario: &str, answer: &str) -> Result<(), String> {
    verdict(level, &common::run(scenario), answer, Locale::En)
}

#[test]
fn there_are_at_least_eight_levels_each_in_both_languages() {
    let all = levels();
    assert!(all.len() >= 8, "{} levels", all.len());
    for l in &all {
        assert!(!l.title.ja.is_empty() && !l.goal.ja.is_empty(), "{}", l.id);
        assert!(l.hints.iter().all(|h| !h.ja.is_empty()), "{}", l.id);
        assert!(!l.hints.is_empty(), "{} has no hint", l.id);
    }
    let mut ids: Vec<&str> = all.iter().map(|l| l.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "level ids are unique");
}

#[test]
fn every_level_starts_unsolved() {
    for l in levels() {
        let miss = check(&l, &start(&l), "").unwrap_err();
        assert!(!miss.is_empty(), "{}", l.id);
    }
}

#[test]
fn predict_backoff_takes_the_simulated_failure_time() {
    let l = level("predict-backoff");
    let text = start(&l);
    let outcome = common::run(&text);
    // The pod-failure-policy example fails at 9m5s here (PR #54415 measured
    // 9 min 06 s on a real cluster; the docs said "at least 2 minutes").
    let failed = outcome.trace.log.statuses[0]
        .iter()
        .find(|(_, s)| s.is_true(ConditionType::Failed))
        .map(|(at, _)| *at)
        .unwrap();
    assert_eq!(duration::format(failed), "9m5s");
    assert_eq!(check(&l, &text, "9m5s"), Ok(()));
    assert_eq!(check(&l, &text, "9m9s"), Ok(()), "within 5 s");
    assert_eq!(
        check(&l, &text, "2m").unwrap_err(),
        "Not yet: 2m is too early."
    );
    assert_eq!(
        check(&l, &text, "20m").unwrap_err(),
        "Not yet: 20m is too late."
    );
    assert!(
        check(&l, &text, "soon")
            .unwrap_err()
            .contains("such as 5m30s")
    );
}

#[test]
fn stop_retries() {
    let l = level("stop-retries");
    assert_eq!(
        check(&l, &start(&l), "").unwrap_err(),
        "The Job created 7 pods; the goal is ≤ 1."
    );
    let solved = edit(
        &l,
        "  spec:\n    template:",
        "  spec:\n    backoffLimit: 0\n    template:",
    );
    assert_eq!(check(&l, &solved, ""), Ok(()));
}

#[test]
fn ignore_evictions() {
    let l = level("ignore-evictions");
    assert_eq!(
        check(&l, &start(&l), "").unwrap_err(),
        "The Job ended Failed; it must end Complete."
    );
    let policy = "    backoffLimit: 0\n    podFailurePolicy:\n      rules:\n      - action: Ignore\n        onPodConditions:\n        - type: DisruptionTarget\n";
    assert_eq!(
        check(&l, &edit(&l, "    backoffLimit: 0\n", policy), ""),
        Ok(())
    );
    // Raising backoffLimit completes the Job too, but is not the goal.
    let raised = edit(&l, "backoffLimit: 0", "backoffLimit: 1");
    assert_eq!(
        check(&l, &raised, "").unwrap_err(),
        "Keep spec.backoffLimit: 0 as it was."
    );
    // Removing the eviction is not the goal either.
    let calm = edit(
        &l,
        "actions:\n- {at: 20s, action: evict-pod, pod: {ordinal: 0}}\n",
        "",
    );
    assert!(
        check(&l, &calm, "")
            .unwrap_err()
            .starts_with("Keep the eviction")
    );
}

#[test]
fn only_index_3() {
    let l = level("only-index-3");
    let per_index = "completionMode: Indexed\n    backoffLimitPerIndex: 1\n";
    // backoffLimitPerIndex alone retries the buggy index too.
    assert_eq!(
        check(&l, &edit(&l, "completionMode: Indexed\n", per_index), "").unwrap_err(),
        "Index 1 had 2 pods; the goal is ≤ 1."
    );
    let solved = format!(
        "{per_index}    podFailurePolicy:\n      rules:\n      - action: FailIndex\n        onExitCodes: {{operator: In, values: [42]}}\n"
    );
    assert_eq!(
        check(&l, &edit(&l, "completionMode: Indexed\n", &solved), ""),
        Ok(())
    );
}

#[test]
fn cap_runtime() {
    let l = level("cap-runtime");
    assert_eq!(
        check(&l, &start(&l), "").unwrap_err(),
        "The Job has not finished; it must end Failed."
    );
    let deadline = |s: u32| {
        edit(
            &l,
            "  spec:\n    template:",
            &format!("  spec:\n    activeDeadlineSeconds: {s}\n    template:"),
        )
    };
    assert_eq!(check(&l, &deadline(60), ""), Ok(()));
    assert_eq!(
        check(&l, &deadline(90), "").unwrap_err(),
        "The Job ended Failed at 1m31s; it must by 1m5s."
    );
}

#[test]
fn proxy_sidecar() {
    let l = level("proxy-sidecar");
    let proxy = "        - name: cloud-sql-proxy\n          image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.8.0\n";
    let native = edit(&l, proxy, "").replacen(
        "        containers:\n",
        &format!(
            "        initContainers:\n{proxy}          restartPolicy: Always\n        containers:\n"
        ),
        1,
    );
    assert_eq!(check(&l, &native, ""), Ok(()));
    // Dropping the proxy also completes the Job, but the batch needs it.
    assert_eq!(
        check(&l, &edit(&l, proxy, ""), "").unwrap_err(),
        "Keep the container cloud-sql-proxy: the batch needs it."
    );
}

#[test]
fn cron_no_overlap() {
    let l = level("cron-no-overlap");
    assert_eq!(
        check(&l, &start(&l), "").unwrap_err(),
        "batch-28401122 and batch-28401123 ran at the same time (from 3m0.1s)."
    );
    for policy in ["Forbid", "Replace"] {
        let solved = edit(
            &l,
            "    schedule: \"*/1 * * * *\"\n",
            &format!("    schedule: \"*/1 * * * *\"\n    concurrencyPolicy: {policy}\n"),
        );
        assert_eq!(check(&l, &solved, ""), Ok(()), "{policy}");
    }
}

#[test]
fn cron_tokyo() {
    let l = level("cron-tokyo");
    assert_eq!(
        check(&l, &start(&l), "").unwrap_err(),
        "Jobs were created at –; the goal is 30m."
    );
    let zoned = edit(
        &l,
        "    schedule: \"30 9 * * *\"\n",
        "    schedule: \"30 9 * * *\"\n    timeZone: Asia/Tokyo\n",
    );
    assert_eq!(check(&l, &zoned, ""), Ok(()));
}

#[test]
fn ttl_cleanup() {
    let l = level("ttl-cleanup");
    assert_eq!(
        check(&l, &start(&l), "").unwrap_err(),
        "The finished Job is never deleted; the goal is 30s after it finishes."
    );
    let ttl = |s: u32| {
        edit(
            &l,
            "    backoffLimit: 4",
            &format!("    backoffLimit: 4\n    ttlSecondsAfterFinished: {s}"),
        )
    };
    assert_eq!(check(&l, &ttl(30), ""), Ok(()));
    assert_eq!(
        check(&l, &ttl(100), "").unwrap_err(),
        "The Job was deleted 1m40s after it finished; the goal is 30s."
    );
}

#[test]
fn speed_up() {
    let l = level("speed-up");
    let parallel = |p: u32| {
        edit(
            &l,
            "    completions: 6\n",
            &format!("    completions: 6\n    parallelism: {p}\n"),
        )
    };
    assert!(
        check(&l, &parallel(2), "")
            .unwrap_err()
            .contains("it must by 1m15s")
    );
    assert_eq!(check(&l, &parallel(3), ""), Ok(()));
    let fewer = edit(&l, "completions: 6", "completions: 2");
    assert_eq!(
        check(&l, &fewer, "").unwrap_err(),
        "Keep spec.completions: 6 as it was."
    );
}

#[test]
fn misses_are_worded_in_japanese_too() {
    let l = level("stop-retries");
    let miss = verdict(&l, &common::run(&start(&l)), "", Locale::Ja).unwrap_err();
    assert_eq!(miss, "Job は Pod を 7 個作りました。目標は ≤ 1 個です。");
}

#[test]
fn a_broken_levels_file_names_the_problem() {
    assert_eq!(
        parse("levels:\n- id: x\n  title: t\n  goal: g\n  seed: pi\n  checks: [{jobz: 1}]\n")
            .unwrap_err(),
        "levels[0].checks[0].jobz: unknown check \"jobz\""
    );
    assert_eq!(
        parse("levels:\n- id: x\n  title: t\n  goal: g\n  checks: [{job: Complete}]\n")
            .unwrap_err(),
        "levels[0]: exactly one of seed or scenario (text) is required"
    );
}

#[test]
fn retry_in_place_needs_a_rule_for_exit_42_only() {
    let l = level("retry-in-place");
    let rule = "          image: registry.example.com/worker:2.1\n          restartPolicy: Never\n          restartPolicyRules:\n          - {action: Restart, exitCodes: {operator: In, values: [42]}}";
    let solved = edit(&l, "          image: registry.example.com/worker:2.1", rule);
    assert_eq!(check(&l, &solved, ""), Ok(()));
    // The same manifest at 1.34: the rule is dropped, each exit 42 fails
    // the pod, and the Job gives up after its second pod.
    let old = solved.replace("kubernetesVersion: \"1.37\"", "kubernetesVersion: \"1.34\"");
    assert_eq!(
        check(&l, &old, "").unwrap_err(),
        "The Job ended Failed; it must end Complete."
    );
    // Restarting on every failure retries real bugs too.
    let every = edit(
        &l,
        "          image: registry.example.com/worker:2.1",
        "          image: registry.example.com/worker:2.1\n          restartPolicy: OnFailure",
    );
    assert_eq!(
        check(&l, &every, "").unwrap_err(),
        "A container that exits with 1 (a real bug) must still fail its pod; here the pod ended Running."
    );
    // The pod's OnFailure counts each restart toward backoffLimit.
    let pod_on_failure = edit(&l, "restartPolicy: Never", "restartPolicy: OnFailure");
    assert_eq!(
        check(&l, &pod_on_failure, "").unwrap_err(),
        "The Job ended Failed; it must end Complete."
    );
    // More retries by new pods do not help: every new pod's first run
    // meets the unreachable broker again.
    let more = edit(&l, "backoffLimit: 1", "backoffLimit: 3");
    assert_eq!(
        check(&l, &more, "").unwrap_err(),
        "The Job ended Failed; it must end Complete."
    );
}
