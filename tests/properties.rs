//! Property tests: random Jobs, random container behaviour and random
//! action sequences never panic or hang, and every run keeps the Job
//! controller's invariants.

mod common;

use jobsim::run::{Outcome, run_text};
use jobsim::sim::job::SYNC_JOB_BATCH_PERIOD;
use jobsim::sim::world::Phase;
use jobsim::trace::WaitReason;
use jobsim::view::report::to_json;
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Params {
    completions: Option<u8>,
    parallelism: u8,
    indexed: bool,
    backoff_limit: u8,
    on_failure: bool,
    deadline: Option<u16>,
    suspend: bool,
    fail_job_on: Option<u8>,
    per_index: Option<u8>,
    replace_failed: bool,
    ttl: Option<u8>,
    run_for: u8,
    exit_code: u8,
    sigterm_delay: u8,
    rules: Vec<(u8, u8, u8)>,
    actions: Vec<(u16, u8, u8)>,
    seed: u8,
}

fn params() -> impl Strategy<Value = Params> {
    (
        (
            proptest::option::of(prop_oneof![1 => Just(0u8), 9 => 1u8..8]),
            prop_oneof![1 => Just(0u8), 9 => 1u8..5],
            any::<bool>(),
            0u8..4,
            any::<bool>(),
        ),
        (
            proptest::option::of(5u16..200),
            proptest::bool::weighted(0.2),
            proptest::option::of(1u8..50),
            proptest::option::of(0u8..3),
        ),
        (
            any::<bool>(),
            proptest::option::of(0u8..60),
            1u8..30,
            prop_oneof![Just(0u8), Just(1), Just(42)],
            0u8..40,
        ),
        proptest::collection::vec((0u8..8, 0u8..3, 0u8..3), 0..4),
        proptest::collection::vec((0u16..60, 0u8..9, 0u8..3), 0..5),
        any::<u8>(),
    )
        .prop_map(|(a, b, c, rules, actions, seed)| Params {
            completions: a.0,
            parallelism: a.1,
            indexed: a.2,
            backoff_limit: a.3,
            on_failure: a.4,
            deadline: b.0,
            suspend: b.1,
            fail_job_on: b.2,
            per_index: b.3,
            replace_failed: c.0,
            ttl: c.1,
            run_for: c.2,
            exit_code: c.3,
            sigterm_delay: c.4,
            rules,
            actions,
            seed,
        })
}

/// A scenario the API server accepts (the generator avoids combinations
/// that validation rejects; those are tested elsewhere).
fn scenario(p: &Params) -> String {
    let indexed = p.indexed && p.completions.is_some();
    let mut spec = format!(
        "    parallelism: {}\n    backoffLimit: {}\n",
        p.parallelism, p.backoff_limit
    );
    if let Some(c) = p.completions {
        spec += &format!("    completions: {c}\n");
    }
    if indexed {
        spec += "    completionMode: Indexed\n";
        if let Some(limit) = p.per_index {
            spec += &format!("    backoffLimitPerIndex: {limit}\n");
        }
    }
    if let Some(d) = p.deadline {
        spec += &format!("    activeDeadlineSeconds: {d}\n");
    }
    if let Some(t) = p.ttl {
        spec += &format!("    ttlSecondsAfterFinished: {t}\n");
    }
    spec += &format!("    suspend: {}\n", p.suspend);
    let policy = p.fail_job_on.filter(|_| !p.on_failure);
    if let Some(code) = policy {
        spec += &format!(
            "    podFailurePolicy:\n      rules:\n      - action: FailJob\n        onExitCodes: {{operator: In, values: [{code}]}}\n      - action: Ignore\n        onPodConditions: [{{type: DisruptionTarget}}]\n"
        );
    } else if p.replace_failed {
        spec += "    podReplacementPolicy: Failed\n";
    }
    let restart = if p.on_failure { "OnFailure" } else { "Never" };
    let pod = format!("        restartPolicy: {restart}");
    let mut rest = format!(
        "seed: {}\nuntil: 10m\nbehavior:\n  default: {{runFor: {}s, exitCode: {}, sigtermDelay: {}s}}\n  pods:\n",
        p.seed, p.run_for, p.exit_code, p.sigterm_delay
    );
    for (ordinal, code, run) in &p.rules {
        rest += &format!(
            "  - match: {{ordinal: {ordinal}, run: {run}}}\n    exitCode: {}\n",
            [0, 1, 42][*code as usize]
        );
    }
    rest += "actions:\n";
    for (at, kind, arg) in &p.actions {
        let action = match kind {
            0 => format!("fail-pod, pod: {{ordinal: {arg}}}, exitCode: {}", 1 + arg),
            1 => format!("evict-pod, pod: {{ordinal: {arg}}}"),
            2 => format!("delete-pod, pod: {{ordinal: {arg}}}"),
            3 => "suspend".into(),
            4 => "resume".into(),
            5 => format!("set-parallelism, value: {arg}"),
            6 => "controller-down".into(),
            7 => "controller-up".into(),
            _ => "delete-job".into(),
        };
        rest += &format!("- {{at: {at}s, action: {action}}}\n");
    }
    if p.actions.is_empty() {
        rest = rest.replace("actions:\n", "");
    }
    common::JobScenario::new("prop")
        .spec(spec.trim_end())
        .pod(&pod)
        .rest(&rest)
        .text()
}

/// The parallelism in effect at `t` (set-parallelism actions change it).
/// The parallelism at `t`, after the set-parallelism actions applied by
/// then (a run that stopped at action `stopped` applied none from it on,
/// in the driver's order: time, then list position).
/// The parallelism a status written at `t` may be held to: an action at
/// `t` applies after everything the engine does at `t` (a status written
/// at `t` may come before or after it), so the larger of the values just
/// before and at `t`.
fn parallelism_at(p: &Params, t: u64, stopped: Option<usize>) -> i32 {
    let order = |i: usize| (p.actions[i].0, i);
    let mut actions: Vec<usize> = (0..p.actions.len())
        .filter(|&i| p.actions[i].1 == 5)
        .filter(|&i| stopped.is_none_or(|s| order(i) < order(s)))
        .collect();
    actions.sort_by_key(|&i| order(i));
    let value_from = |applied: &dyn Fn(u64) -> bool| {
        actions
            .iter()
            .rfind(|&&i| applied(u64::from(p.actions[i].0) * 1000))
            .map_or(i32::from(p.parallelism), |&i| i32::from(p.actions[i].2))
    };
    value_from(&|at| at < t).max(value_from(&|at| at <= t))
}

fn check_invariants(p: &Params, o: &Outcome) {
    let job = &o.trace.jobs[0];
    let statuses = &o.trace.log.statuses[0];
    let stopped = o.stopped.as_ref().and_then(|s| s.action).map(|(i, _)| i);
    let mut last = (0, 0);
    let mut finished: Option<String> = None;
    for (at, s) in statuses {
        assert!(
            s.succeeded >= last.0 && s.failed >= last.1,
            "counters decreased at {at}: {s:?}"
        );
        last = (s.succeeded, s.failed);
        let is = |t: &str| {
            s.conditions
                .iter()
                .any(|c| c.type_.as_str() == t && c.status)
        };
        assert!(
            !(is("Complete") && is("Failed")),
            "both Complete and Failed at {at}"
        );
        if let Some(f) = &finished {
            assert!(is(f), "{f} went away at {at}");
        }
        if is("Complete") {
            finished = Some("Complete".into());
            assert!(
                is("SuccessCriteriaMet"),
                "Complete without SuccessCriteriaMet"
            );
        }
        if is("Failed") {
            finished = Some("Failed".into());
            assert!(is("FailureTarget"), "Failed without FailureTarget");
        }
        if finished.is_some() {
            assert_eq!(
                (s.active, s.terminating.unwrap_or(0)),
                (0, 0),
                "a finished Job has pods at {at}"
            );
            // (A suspended Job with completions 0 completes without ever
            // starting; the real API server would reject that status.)
            assert!(s.start_time.is_some() || job.spec.completions == Some(0));
        }
        assert!(
            s.active >= 0 && s.ready.unwrap_or(0) <= s.active,
            "ready > active at {at}: {s:?}"
        );
        // manageJob: a work queue (no completions) that has seen a success
        // leaves whatever runs running, whatever its parallelism now.
        let work_queue_done = job.spec.completions.is_none() && s.succeeded > 0;
        assert!(
            work_queue_done || s.active <= parallelism_at(p, *at, stopped).max(0),
            "active > parallelism at {at}: {s:?}"
        );
        if let Some(c) = job.spec.completions {
            assert!(s.succeeded <= c, "succeeded > completions at {at}");
        }
        if job.spec.is_indexed() {
            let done = s.completed_indexes.split(',').filter(|x| !x.is_empty());
            let mut count = 0;
            for part in done {
                let (a, b) = part.split_once('-').unwrap_or((part, part));
                let (a, b): (i32, i32) = (a.parse().unwrap(), b.parse().unwrap());
                assert!(
                    a <= b && b < job.spec.completions.unwrap(),
                    "index out of range: {part}"
                );
                count += b - a + 1;
            }
            assert_eq!(count, s.succeeded, "each index completes once");
        }
    }
    for &pid in &job.pods {
        let pod = &o.trace.pods[pid];
        let mut was_terminal = false;
        for (_, phase) in &pod.phase_history {
            assert!(
                !was_terminal || phase.is_terminal(),
                "pod {} left a terminal phase",
                pod.name
            );
            was_terminal = phase.is_terminal();
        }
        if pod.phase == Phase::Succeeded {
            assert!(
                pod.regular_containers()
                    .all(|c| c.terminated().is_some_and(|t| t.0 == 0))
            );
        }
        for c in &pod.containers {
            for r in &c.runs {
                assert!(r.finished_at.is_none_or(|f| f >= r.started_at));
            }
        }
    }
    // Every replacement's wait is explained: a backoff served in full ends
    // within a sync period of its end; anything longer has a cause.
    for r in &o.trace.log.replacements.done {
        assert!(r.since <= r.created, "{r:?}");
        if r.reason == WaitReason::Backoff {
            let expected = r.backoff.map_or(r.since, |b| b.until());
            assert!(
                r.created <= expected + SYNC_JOB_BATCH_PERIOD,
                "an unexplained wait: {r:?}"
            );
        }
    }
    let times: Vec<u64> = o.trace.events.iter().map(|e| e.at).collect();
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "events out of order"
    );
    assert!(times.last().is_none_or(|&t| t <= o.ended_at));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn random_jobs_and_actions_keep_the_invariants(p in params()) {
        let text = scenario(&p);
        match run_text(&text) {
            Ok(o) => {
                // A run stopped by an action (its target does not exist at
                // its time) keeps what happened until then.
                if let Some(stopped) = &o.stopped {
                    prop_assert!(stopped.action.is_some(), "{}", stopped);
                    prop_assert!(stopped.to_string().starts_with("error: actions["), "{}", stopped);
                    prop_assert_eq!(o.ended_at, stopped.at);
                }
                check_invariants(&p, &o);
                // Deterministic: the same scenario gives the same report.
                let again = run_text(&text).unwrap();
                prop_assert_eq!(to_json(&o), to_json(&again));
            }
            Err(e) => prop_assert!(false, "unexpected error {e}\n{text}"),
        }
    }
}
