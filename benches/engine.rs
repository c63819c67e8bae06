//! `cargo bench`: the engine on large Indexed Jobs. Prints its figures;
//! the budget (10,000 completions in under 50 ms) is reported, not asserted,
//! because wall-clock time depends on the machine.

use jobsim::run::{Outcome, run};
use jobsim::scenario::parse;
use jobsim::sim::world::Limits;
use std::time::{Duration, Instant};

/// An Indexed Job: `completions`, parallelism 500, every 20th index fails
/// its first attempt (5 % of the indexes).
fn scenario(completions: u32) -> String {
    let mut text = format!(
        "scenario: v1\nname: bench-{completions}\nmanifest:\n  apiVersion: batch/v1\n  kind: Job\n  metadata: {{name: bench}}\n  spec:\n    completions: {completions}\n    parallelism: 500\n    completionMode: Indexed\n    backoffLimit: 100000\n    template:\n      spec:\n        restartPolicy: Never\n        containers: [{{name: work, image: busybox}}]\nbehavior:\n  pods:\n"
    );
    for index in (0..completions).step_by(20) {
        text += &format!("  - match: {{index: {index}, attempt: 0}}\n    exitCode: 1\n");
    }
    text
}

fn measure(completions: u32) -> (Duration, Outcome) {
    let text = scenario(completions);
    let limits = Limits {
        max_pods: 100_000,
        max_events: 1_000_000,
    };
    // Best of a few runs.
    let mut best: Option<(Duration, Outcome)> = None;
    for _ in 0..5 {
        let scenario = parse(&text).expect("the bench scenario parses");
        let start = Instant::now();
        let outcome = run(scenario, limits).expect("the bench scenario runs");
        let took = start.elapsed();
        if best.as_ref().is_none_or(|(b, _)| took < *b) {
            best = Some((took, outcome));
        }
    }
    best.expect("measured")
}

fn main() {
    let mut results = Vec::new();
    for completions in [1_000u32, 10_000] {
        let (took, o) = measure(completions);
        let s = &o.sim.world.jobs[0].status;
        let pods = o.sim.world.pods.len();
        let events = o.sim.world.events.len();
        let steps = o.sim.steps();
        let decisions = o.sim.trace.decisions.len();
        let ms = took.as_secs_f64() * 1000.0;
        println!(
            "indexed completions={completions:>6} parallelism=500: {ms:8.2} ms  pods={pods} k8s-events={events} \
             decisions={decisions} wake-ups={steps} succeeded={} failed={} virtual={}s  {:.0} wake-ups/s",
            s.succeeded,
            s.failed,
            o.ended_at / 1000,
            steps as f64 / took.as_secs_f64()
        );
        assert_eq!(s.succeeded as u32, completions, "the bench Job completes");
        results.push(ms);
    }
    let ratio = results[1] / results[0];
    println!("cost ratio 10,000 / 1,000 completions: {ratio:.1} (linear growth is 10)");
    let verdict = if results[1] < 50.0 { "within" } else { "OVER" };
    println!(
        "budget: 10,000 completions in under 50 ms: {:.2} ms, {verdict} budget",
        results[1]
    );
}
