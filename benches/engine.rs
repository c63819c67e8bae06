//! `cargo bench`: the engine on large inputs, with time and peak memory.
//! Prints its figures; the budgets are reported, not asserted, because
//! wall-clock time depends on the machine:
//! - Indexed Jobs of 1,000 and 10,000 completions (parallelism 500):
//!   10,000 in under 50 ms, and growth near linear;
//! - upstream's maximum, 100,000 completions with parallelism 10,000,
//!   5 % of first attempts failing: under 300 ms and 200 MB;
//! - a minutely CronJob over 30 days (43,200 Jobs, default history
//!   limits): under 2 s and 300 MB, or it stops early at the Jobs limit;
//! - a pod with many containers: 100 containers in each of 2,000 pods.

use jobsim::run::{Outcome, run};
use jobsim::scenario::parse;
use jobsim::sim::world::Limits;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The system allocator, counting the bytes in use and their peak.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// The bench runs on one thread, so plain loads and stores count exactly
// and keep the instrument's own cost (an atomic read-modify-write per
// allocation) out of the figures.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = IN_USE.load(Ordering::Relaxed) + layout.size();
        IN_USE.store(now, Ordering::Relaxed);
        if now > PEAK.load(Ordering::Relaxed) {
            PEAK.store(now, Ordering::Relaxed);
        }
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        IN_USE.store(
            IN_USE.load(Ordering::Relaxed) - layout.size(),
            Ordering::Relaxed,
        );
        unsafe { System.dealloc(ptr, layout) }
    }
    // The system's realloc (which can grow in place), not the default
    // allocate-copy-free.
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let now = IN_USE.load(Ordering::Relaxed) - layout.size() + new_size;
        IN_USE.store(now, Ordering::Relaxed);
        if now > PEAK.load(Ordering::Relaxed) {
            PEAK.store(now, Ordering::Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// An Indexed Job; every 20th index fails its first attempt (5 %).
fn indexed(completions: u32, parallelism: u32) -> String {
    let mut text = format!(
        "scenario: v1\nname: bench-{completions}\nmanifest:\n  apiVersion: batch/v1\n  kind: Job\n  metadata: {{name: bench}}\n  spec:\n    completions: {completions}\n    parallelism: {parallelism}\n    completionMode: Indexed\n    backoffLimit: 100000\n    template:\n      spec:\n        restartPolicy: Never\n        containers: [{{name: work, image: busybox}}]\nbehavior:\n  pods:\n"
    );
    for index in (0..completions).step_by(20) {
        text += &format!("  - match: {{index: {index}, attempt: 0}}\n    exitCode: 1\n");
    }
    text
}

/// A CronJob every minute for `hours`.
fn minutely(hours: u32) -> String {
    format!(
        "scenario: v1\nname: minutely\nuntil: {hours}h\nmanifest:\n  apiVersion: batch/v1\n  kind: CronJob\n  metadata: {{name: minutely}}\n  spec:\n    schedule: \"* * * * *\"\n    jobTemplate:\n      spec:\n        template:\n          spec:\n            restartPolicy: Never\n            containers: [{{name: main, image: busybox}}]\n"
    )
}

/// An Indexed Job whose pods have `containers` containers each.
fn many_containers(containers: u32, completions: u32) -> String {
    let list: String = (0..containers)
        .map(|i| format!("        - {{name: c{i}, image: busybox}}\n"))
        .collect();
    format!(
        "scenario: v1\nname: containers\nmanifest:\n  apiVersion: batch/v1\n  kind: Job\n  metadata: {{name: many}}\n  spec:\n    completions: {completions}\n    parallelism: {completions}\n    completionMode: Indexed\n    template:\n      spec:\n        restartPolicy: Never\n        containers:\n{list}"
    )
}

/// The best of `runs` runs: its time, the peak memory of the run, and
/// the outcome (the same every run: the engine is deterministic). Each
/// run's outcome is dropped before the next starts, as a program running
/// the engine repeatedly would, so later runs reuse the freed heap.
fn measure(text: &str, runs: usize) -> (Duration, usize, Outcome) {
    let mut best: Option<(Duration, usize)> = None;
    let mut last = None;
    for _ in 0..runs {
        drop(last.take());
        let scenario = parse(text).expect("the bench scenario parses");
        let base = IN_USE.load(Ordering::Relaxed);
        PEAK.store(base, Ordering::Relaxed);
        let start = Instant::now();
        let outcome = run(scenario, Limits::default()).expect("the bench scenario runs");
        let took = start.elapsed();
        let peak = PEAK.load(Ordering::Relaxed) - base;
        if best.is_none_or(|(b, _)| took < b) {
            best = Some((took, peak));
        }
        last = Some(outcome);
    }
    let (took, peak) = best.expect("measured");
    (took, peak, last.expect("measured"))
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn verdict(within: bool) -> &'static str {
    if within { "within" } else { "OVER" }
}

fn main() {
    let mut results = Vec::new();
    for completions in [1_000u32, 10_000] {
        let (took, peak, o) = measure(&indexed(completions, 500), 5);
        let s = &o.trace.jobs[0].status;
        let ms = took.as_secs_f64() * 1000.0;
        let steps = o.trace.steps;
        println!(
            "indexed completions={completions:>6} parallelism=500: {ms:8.2} ms {:7.1} MB  pods={} k8s-events={} \
             decisions={} wake-ups={steps} succeeded={} failed={} virtual={}s  {:.0} wake-ups/s",
            mb(peak),
            o.trace.pods.len(),
            o.trace.events.len(),
            o.trace.log.decisions.len(),
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
    println!(
        "budget: 10,000 completions in under 50 ms: {:.2} ms, {} budget",
        results[1],
        verdict(results[1] < 50.0)
    );

    let (took, peak, o) = measure(&indexed(100_000, 10_000), 5);
    assert!(o.stopped.is_none(), "{:?}", o.stopped);
    let ms = took.as_secs_f64() * 1000.0;
    let s = &o.trace.jobs[0].status;
    assert_eq!(s.succeeded, 100_000, "the upstream-maximum Job completes");
    println!(
        "budget: 100,000 completions, parallelism 10,000 (pods={}, failed={}): {ms:.1} ms and {:.1} MB; \
         under 300 ms and 200 MB: {} budget",
        o.trace.pods.len(),
        s.failed,
        mb(peak),
        verdict(ms < 300.0 && mb(peak) < 200.0)
    );

    let (took, peak, o) = measure(&minutely(720), 1);
    let ms = took.as_secs_f64() * 1000.0;
    let end = match &o.stopped {
        Some(s) => format!(
            "stops at {} at the Jobs limit",
            jobsim::scenario::duration::format(s.at)
        ),
        None => "runs to its end".into(),
    };
    let kept = o.trace.jobs.iter().filter(|j| j.gone_at.is_none()).count();
    println!(
        "budget: a minutely CronJob over 30 days {end} ({} Jobs created, {kept} kept): {ms:.1} ms and {:.1} MB; \
         under 2 s and 300 MB: {} budget",
        o.trace.jobs.len(),
        mb(peak),
        verdict(ms < 2_000.0 && mb(peak) < 300.0)
    );

    let (took, peak, o) = measure(&many_containers(100, 2_000), 1);
    println!(
        "many containers: 100 containers in each of {} pods: {:.1} ms and {:.1} MB",
        o.trace.pods.len(),
        took.as_secs_f64() * 1000.0,
        mb(peak)
    );
}
