//! One instant for the UI and the engine: at every instant where something
//! changes, in every example and workshop level, each injection the
//! playground offers (`view::inject::available`, computed from the finished
//! run) is one the engine accepts at that instant, and each one it does
//! not offer the engine refuses.

use jobsim::levels::{Start, parse as parse_levels};
use jobsim::run::{Driver, run_text, start};
use jobsim::scenario::{ActionKind, PodSelector, parse};
use jobsim::sim::world::Limits;
use jobsim::time::Ms;
use jobsim::trace::Trace;
use jobsim::view::inject::available;
use jobsim::view::timeline::Timeline;

/// Every scenario a user starts from: the examples and the levels.
fn scenarios() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("www/scenarios").unwrap() {
        let path = entry.unwrap().path();
        out.push((
            path.display().to_string(),
            std::fs::read_to_string(&path).unwrap(),
        ));
    }
    let levels = parse_levels(&std::fs::read_to_string("www/levels.yaml").unwrap()).unwrap();
    for level in levels.levels {
        if let Start::Scenario(text) = level.start {
            out.push((format!("level {}", level.id), text));
        }
    }
    out.sort();
    out
}

/// The instants worth stopping at: where any Job's timeline changes.
fn instants(trace: &Trace, end: Ms) -> Vec<Ms> {
    let mut all: Vec<Ms> = (0..trace.jobs.len())
        .flat_map(|j| Timeline::build(trace, j, end).moments)
        .collect();
    all.sort_unstable();
    all.dedup();
    all
}

/// Every injection the UI can make at some point, each with whether the
/// UI offers it at `t`.
fn candidates(full: &Trace, t: Ms) -> Vec<(ActionKind, bool)> {
    let mut out = Vec::new();
    let cron = !full.cron_jobs.is_empty();
    for (p, pod) in full.pods.iter().enumerate() {
        let offered = available(full, Some(p), t);
        let sel = PodSelector {
            name: Some(pod.name.clone()),
            job: cron.then_some(pod.job as u32),
            ..PodSelector::default()
        };
        out.push((
            ActionKind::FailPod {
                pod: sel.clone(),
                exit_code: 1,
                reason: None,
                container: None,
            },
            offered.fail,
        ));
        out.push((ActionKind::EvictPod { pod: sel.clone() }, offered.evict));
        out.push((
            ActionKind::DeletePod {
                pod: sel,
                grace_period_seconds: None,
            },
            offered.evict,
        ));
    }
    let offered = available(full, None, t);
    let parallelism = full
        .jobs
        .first()
        .map_or(1, |j| j.spec.parallelism.unwrap_or(1));
    let patch = jobsim::admission::parse_yaml("{metadata: {labels: {touched: 'yes'}}}").unwrap();
    out.extend([
        (ActionKind::Suspend, offered.object),
        (ActionKind::Resume, offered.object),
        (ActionKind::Patch { patch }, offered.object),
        (
            ActionKind::SetParallelism { value: parallelism },
            offered.parallelism,
        ),
        (ActionKind::DeleteJob, offered.object),
        (ActionKind::Trigger, offered.trigger),
        (ActionKind::ControllerDown, offered.controller_down),
        (ActionKind::ControllerUp, offered.controller_up),
    ]);
    out
}

#[test]
fn every_offered_injection_is_accepted_and_every_other_refused() {
    let mut checked = 0;
    for (name, text) in scenarios() {
        let full = run_text(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(full.stopped.is_none(), "{name} stopped: {:?}", full.stopped);
        let scenario = parse(&text).unwrap();
        // Replay from the start, stopping at each instant.
        let start = start(&scenario, Limits::default()).unwrap();
        let mut driver = Driver::new(start, &scenario);
        for t in instants(&full.trace, full.ended_at) {
            driver.run_until(t).unwrap();
            for (action, offered) in candidates(&full.trace, t) {
                let accepted = driver.sim.clone().handle_action(t, &action);
                assert_eq!(
                    accepted.is_ok(),
                    offered,
                    "{name} at {t} ms: {} is {} but the engine says {accepted:?}",
                    action.name(),
                    if offered { "offered" } else { "not offered" },
                );
                checked += 1;
            }
        }
    }
    println!("{checked} injections checked");
    assert!(checked > 1_000, "{checked}");
}
