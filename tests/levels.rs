//! Workshop levels (www/levels.yaml): every level starts unsolved, a known
//! solution solves it, and near misses are told what is missing.

mod common;

use jobsim::levels::{Level, Start, parse, verdict};
use jobsim::scenario::duration;
use jobsim::sim::world::ConditionType;
use jobsim::view::explain::Locale;

fn levels() -> Vec<Level> {
    parse(&std::fs::read_to_string("www/levels.yaml").unwrap())
        .unwrap()
        .levels
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

/// The level's start with its CronJob's `schedule:` line replaced by
/// `lines(indent)`.
fn with_schedule(level: &Level, lines: impl Fn(&str) -> String) -> String {
    let text = start(level);
    let schedule = text
        .lines()
        .find(|l| l.trim_start().starts_with("schedule:"))
        .unwrap();
    let indent = &schedule[..schedule.len() - schedule.trim_start().len()];
    text.replacen(schedule, &lines(indent), 1)
}

fn check(level: &Level, scenario: &str, answer: &str) -> Result<(), String> {
    let own = jobsim::scenario::parse(&start(level)).unwrap();
    verdict(level, &own, &common::run(scenario), answer, Locale::En).map(|_| ())
}

#[test]
fn there_are_at_least_eight_levels_each_in_both_languages() {
    let all = levels();
    assert!(all.len() >= 8, "{} levels", all.len());
    for l in &all {
        assert!(!l.title.ja.is_empty() && !l.goal.ja.is_empty(), "{}", l.id);
        assert!(l.hints.iter().all(|h| !h.ja.is_empty()), "{}", l.id);
        assert!(l.hints.len() >= 2, "{} needs two hints at least", l.id);
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
    // The gap is shown once the answer is locked in.
    let own = jobsim::scenario::parse(&text).unwrap();
    assert_eq!(
        verdict(&l, &own, &outcome, "9m", Locale::En).unwrap(),
        "The Job ended Failed at 9m5s; you said 9m."
    );
    assert_eq!(
        check(&l, &text, "2m").unwrap_err(),
        "Not quite: you said 2m; the Job ended Failed at 9m5s, 7m5s later. Watch the run to see where the time went."
    );
    assert_eq!(
        check(&l, &text, "20m").unwrap_err(),
        "Not quite: you said 20m; the Job ended Failed at 9m5s, 10m55s earlier. Watch the run to see why."
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
        "This level is about spec.podFailurePolicy; another part of the manifest was changed. Reset the level and change only that."
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
            .contains("the injected actions were changed")
    );
    // A policy that ignores every failure completes the Job, but a real
    // bug must still fail it at once.
    let ignore_all = "    backoffLimit: 0\n    podFailurePolicy:\n      rules:\n      - action: Ignore\n        onExitCodes: {operator: NotIn, values: [0]}\n      - action: Ignore\n        onPodConditions:\n        - type: DisruptionTarget\n";
    assert!(
        check(&l, &edit(&l, "    backoffLimit: 0\n", ignore_all), "")
            .unwrap_err()
            .contains("exits with 1 (a real bug) must fail the Job at once")
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
        "The Job ended Failed at 1m31s; it must end by 1m5s."
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
            .contains("it must end by 1m15s")
    );
    assert_eq!(check(&l, &parallel(3), ""), Ok(()));
    let fewer = edit(&l, "completions: 6", "completions: 2");
    assert!(
        check(&l, &fewer, "")
            .unwrap_err()
            .starts_with("This level is about spec.parallelism; another part of the manifest")
    );
    // Indexed with a success policy that is met by one task: not 6 done.
    let one_of_six = edit(
        &l,
        "    completions: 6\n",
        "    completions: 6\n    completionMode: Indexed\n    successPolicy: {rules: [{succeededCount: 1}]}\n",
    );
    assert!(check(&l, &one_of_six, "").is_err());
}

#[test]
fn misses_are_worded_in_japanese_too() {
    let l = level("stop-retries");
    let own = jobsim::scenario::parse(&start(&l)).unwrap();
    let miss = verdict(&l, &own, &common::run(&start(&l)), "", Locale::Ja).unwrap_err();
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
    // Another release is another scenario (at 1.34 the rule is dropped).
    let old = solved.replace("kubernetesVersion: \"1.37\"", "kubernetesVersion: \"1.34\"");
    assert!(
        check(&l, &old, "")
            .unwrap_err()
            .contains("the Kubernetes version was changed")
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
    assert!(
        check(&l, &more, "")
            .unwrap_err()
            .contains("another part of the manifest was changed")
    );
}

#[test]
fn answers_that_meet_the_letter_but_not_the_intent_are_not_solved() {
    // Level 1: editing the scenario moves the answer, so it is refused.
    let l = level("predict-backoff");
    let quick = edit(&l, "backoffLimit: 6", "backoffLimit: 0");
    assert!(
        check(&l, &quick, "31s")
            .unwrap_err()
            .starts_with("This level asks only for your prediction")
    );
    // Level 2: a one-second deadline instead of no retries.
    let l = level("stop-retries");
    let deadline = edit(
        &l,
        "  spec:\n    template:",
        "  spec:\n    activeDeadlineSeconds: 1\n    template:",
    );
    assert!(
        check(&l, &deadline, "")
            .unwrap_err()
            .contains("another part of the manifest was changed")
    );
    // Level 4: deleting the exit-42 rule from the behaviour.
    let l = level("only-index-3");
    let text = start(&l);
    let own = jobsim::scenario::parse(&text).unwrap();
    let mut calm = own.clone();
    calm.behavior
        .pods
        .retain(|r| r.behavior.exit_code != Some(42));
    assert_ne!(calm.behavior, own.behavior);
    let manifest = jobsim::scenario::write::manifest_text(&text).unwrap();
    let calm_text = jobsim::scenario::write::to_yaml(&calm, &manifest);
    assert!(
        check(&l, &calm_text, "")
            .unwrap_err()
            .contains("the Container behaviour was changed")
    );
    // Level 5: a deadline of one second is not "after one minute".
    let l = level("cap-runtime");
    let one = edit(&l, "  spec:\n", "  spec:\n    activeDeadlineSeconds: 1\n");
    assert_eq!(
        check(&l, &one, "").unwrap_err(),
        "The Job ended Failed at 2s; not before 55s."
    );
    let minute = edit(&l, "  spec:\n", "  spec:\n    activeDeadlineSeconds: 60\n");
    assert_eq!(check(&l, &minute, ""), Ok(()));
    // Level 6: the native-sidecar example is another scenario.
    let l = level("proxy-sidecar");
    let other = std::fs::read_to_string("www/scenarios/sidecar-native.yaml").unwrap();
    assert!(
        check(&l, &other, "")
            .unwrap_err()
            .starts_with("This level is about spec.template.spec.containers")
    );
    // Level 8: once a year at 09:30 is not daily; UTC 00:30 without a
    // time zone is not "in Tokyo".
    let l = level("cron-tokyo");
    let yearly = with_schedule(&l, |indent| {
        format!("{indent}schedule: \"30 9 1 1 *\"\n{indent}timeZone: Asia/Tokyo")
    });
    // (2024 is a leap year: the next 1 January 09:30 is 366 days later.)
    assert_eq!(
        check(&l, &yearly, "").unwrap_err(),
        "The schedule fires every 8784h; the goal is every 24h."
    );
    let utc = with_schedule(&l, |indent| format!("{indent}schedule: \"30 0 * * *\""));
    assert!(check(&l, &utc, "").unwrap_err().contains("spec.timeZone"));
    let tokyo = with_schedule(&l, |indent| {
        format!("{indent}schedule: \"30 9 * * *\"\n{indent}timeZone: Asia/Tokyo")
    });
    assert_eq!(check(&l, &tokyo, ""), Ok(()));
    // The issue's own cheat: once a year at 00:30 UTC.
    let yearly_utc = with_schedule(&l, |indent| format!("{indent}schedule: \"30 0 1 1 *\""));
    assert!(check(&l, &yearly_utc, "").is_err());
    // Level 2: another Job from the menu (pi-with-timeout) is not the level's.
    let l = level("stop-retries");
    let other = std::fs::read_to_string("www/scenarios/pi-with-timeout.yaml").unwrap();
    assert!(
        check(&l, &other, "")
            .unwrap_err()
            .contains("another part of the manifest was changed")
    );
    // Level 10: shorter tasks in the behaviour panel instead of parallelism.
    let l = level("speed-up");
    let quick = edit(&l, "default: {runFor: 30s}", "default: {runFor: 5s}");
    assert!(
        check(&l, &quick, "")
            .unwrap_err()
            .contains("the Container behaviour was changed")
    );
}

#[test]
fn onfailure_restarts_count_toward_backoff_limit() {
    let l = level("onfailure-restarts");
    // backoffLimit 3: three restarts reach it before the fourth run.
    let three = edit(&l, "backoffLimit: 2", "backoffLimit: 3");
    assert_eq!(
        check(&l, &three, "").unwrap_err(),
        "The Job ended Failed; it must end Complete."
    );
    let four = edit(&l, "backoffLimit: 2", "backoffLimit: 4");
    assert_eq!(check(&l, &four, ""), Ok(()));
    let more = edit(&l, "backoffLimit: 2", "backoffLimit: 10");
    assert!(check(&l, &more, "").is_err(), "not the smallest");
    // Never instead of OnFailure is another manifest.
    let never = edit(&l, "restartPolicy: OnFailure", "restartPolicy: Never");
    assert!(
        check(&l, &never, "")
            .unwrap_err()
            .contains("another part of the manifest")
    );
}

#[test]
fn cron_missed_quietly() {
    let l = level("cron-missed-quietly");
    assert!(
        check(&l, &start(&l), "")
            .unwrap_err()
            .starts_with("The CronJob still records TooManyMissedTimes")
    );
    let deadline = with_schedule(&l, |indent| {
        format!("{indent}schedule: \"* * * * *\"\n{indent}startingDeadlineSeconds: 200")
    });
    assert_eq!(check(&l, &deadline, ""), Ok(()));
}

#[test]
fn forbid_on_time_needs_a_deadline_shorter_than_the_delay() {
    let l = level("forbid-on-time");
    let with = |seconds: u32| {
        edit(
            &l,
            "concurrencyPolicy: Forbid\n",
            &format!("concurrencyPolicy: Forbid\n    startingDeadlineSeconds: {seconds}\n"),
        )
    };
    // cronjob_controllerv2: a missed start within the deadline still runs, late.
    assert!(check(&l, &with(60), "").is_err());
    assert_eq!(check(&l, &with(10), ""), Ok(()));
    // Replace is not the level's subject.
    let replace = edit(
        &l,
        "concurrencyPolicy: Forbid",
        "concurrencyPolicy: Replace",
    );
    assert!(
        check(&l, &replace, "")
            .unwrap_err()
            .contains("another part of the manifest")
    );
}

#[test]
fn per_index_budget_defaults_backoff_limit() {
    let l = level("per-index-budget");
    // Ten first runs fail: more than the default backoffLimit 6, no retry.
    assert_eq!(
        check(&l, &start(&l), "").unwrap_err(),
        "The Job ended Failed; it must end Complete."
    );
    let per_index = edit(
        &l,
        "completionMode: Indexed\n",
        "completionMode: Indexed\n    backoffLimitPerIndex: 1\n",
    );
    assert_eq!(check(&l, &per_index, ""), Ok(()));
    // A larger backoffLimit completes too, but is not the subject.
    let limit = edit(
        &l,
        "completionMode: Indexed\n",
        "completionMode: Indexed\n    backoffLimit: 20\n",
    );
    assert!(
        check(&l, &limit, "")
            .unwrap_err()
            .contains("another part of the manifest")
    );
}

#[test]
fn every_level_has_a_track_a_debrief_and_a_solution_that_solves_it() {
    let file = parse(&std::fs::read_to_string("www/levels.yaml").unwrap()).unwrap();
    assert_eq!(
        file.tracks
            .iter()
            .map(|t| t.id.as_str())
            .collect::<Vec<_>>(),
        ["basics", "failures", "indexed", "cronjobs"]
    );
    for l in &file.levels {
        assert!(l.track.is_some(), "{}: track", l.id);
        assert!((1..=3).contains(&l.difficulty), "{}: difficulty", l.id);
        assert!(l.minutes > 0, "{}: minutes", l.id);
        assert!(l.hints.len() >= 2, "{}: hints", l.id);
        let debrief = l.debrief.as_ref().expect("a debrief");
        assert!(!debrief.ja.is_empty(), "{}: debrief in Japanese", l.id);
        assert!(
            l.docs
                .as_ref()
                .is_some_and(|d| d.starts_with("https://kubernetes.io/docs/")),
            "{}: docs link",
            l.id
        );
        let solution = l.solution.as_ref().expect("a solution");
        assert!(
            !solution.text.ja.is_empty(),
            "{}: solution in Japanese",
            l.id
        );
        let own = jobsim::scenario::parse(&start(l)).unwrap();
        let solved = jobsim::levels::solved(l, &own).unwrap_or_else(|| own.clone());
        assert_ne!(
            solved.manifest == own.manifest,
            solution.manifest.is_some(),
            "{}: the patch changes the manifest",
            l.id
        );
        let outcome = jobsim::run::run(solved, Default::default()).unwrap();
        let answer = solution.answer.as_deref().unwrap_or("");
        assert!(
            verdict(l, &own, &outcome, answer, Locale::En).is_ok(),
            "{}: the solution solves it: {:?}",
            l.id,
            verdict(l, &own, &outcome, answer, Locale::En)
        );
    }
}

#[test]
fn a_levels_link_picks_levels_in_its_order_and_names_unknown_ones() {
    let file = parse(&std::fs::read_to_string("www/levels.yaml").unwrap()).unwrap();
    let picked = file
        .clone()
        .only(&["ttl-cleanup", "predict-backoff"])
        .unwrap();
    let ids: Vec<&str> = picked.levels.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids, ["ttl-cleanup", "predict-backoff"]);
    let e = file.only(&["ttl-cleanup", "nope"]).unwrap_err();
    assert!(
        e.starts_with("levels: no level \"nope\" (the levels are "),
        "{e}"
    );
}

#[test]
fn progress_is_kept_as_text_and_summarised() {
    use jobsim::levels::{Progress, Record};
    // The first releases kept bare ids.
    let mut p = Progress::read("stop-retries,ttl-cleanup:75:1,speed-up:30:2:s");
    assert_eq!(p.get("stop-retries").unwrap().seconds, None);
    assert_eq!(
        p.get("speed-up"),
        Some(&Record {
            id: "speed-up".into(),
            seconds: Some(30),
            hints: 2,
            solution: true
        })
    );
    // The first solve counts.
    p.solve(Record {
        id: "ttl-cleanup".into(),
        seconds: Some(5),
        hints: 0,
        solution: false,
    });
    assert_eq!(p.get("ttl-cleanup").unwrap().seconds, Some(75));
    assert_eq!(Progress::read(&p.write()), p);
    let all = levels();
    let set: Vec<_> = all
        .into_iter()
        .filter(|l| ["ttl-cleanup", "speed-up", "cap-runtime"].contains(&l.id.as_str()))
        .collect();
    let summary = p.summary(&set, Locale::En);
    assert!(
        summary.contains("Solved 2 of 3 levels · 3 hints · 1m45s"),
        "{summary}"
    );
    assert!(
        summary.contains("✓ Clean up finished Jobs — 1m15s · 1 hint"),
        "{summary}"
    );
    assert!(summary.contains("– Stop a Job that hangs"), "{summary}");
    let ja = p.summary(&set, Locale::Ja);
    assert!(
        ja.contains("3 レベル中 2 レベルをクリア · ヒント 3 個"),
        "{ja}"
    );
}

#[test]
fn a_built_level_reads_back_and_checks_its_own_scenario() {
    use jobsim::levels::{Draft, Text, level_file, suggestions};
    let l = level("stop-retries");
    let text = start(&l);
    let outcome = common::run(&text);
    let offered = suggestions(&outcome);
    let lines: Vec<String> = offered.iter().map(jobsim::levels::check_line).collect();
    assert_eq!(
        lines,
        [
            "job: Failed, reason: BackoffLimitExceeded, after: 11m41s, within: 14m15s",
            "answer: {tolerance: 5s}",
            "pods: {min: 7, max: 7}"
        ]
    );
    let draft = Draft {
        id: "mine".into(),
        title: Text {
            en: "Mine".into(),
            ja: "私の".into(),
        },
        goal: Text {
            en: "Predict when it fails.".into(),
            ja: String::new(),
        },
        hints: vec![Text {
            en: "Count the gaps.".into(),
            ja: String::new(),
        }],
        editable: vec![],
        question: Some(Text {
            en: "It fails at:".into(),
            ja: String::new(),
        }),
        checks: vec![offered[0].clone(), offered[1].clone()],
    };
    let file = level_file(&draft, &text);
    let built = parse(&file).unwrap().levels.remove(0);
    assert_eq!(built.id, "mine");
    assert_eq!(built.title.ja, "私の");
    assert_eq!(built.start, Start::Scenario(text.clone()));
    let own = jobsim::scenario::parse(&text).unwrap();
    // Its own run meets the checks with the right prediction, not a wrong one.
    let at = duration::format(
        outcome.trace.log.statuses[0]
            .iter()
            .find(|(_, s)| s.is_finished())
            .unwrap()
            .0,
    );
    assert!(verdict(&built, &own, &outcome, &at, Locale::En).is_ok());
    assert!(verdict(&built, &own, &outcome, "10s", Locale::En).is_err());
}
