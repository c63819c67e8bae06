//! Helpers shared by the integration tests: build scenarios, run them, and
//! read what happened.
#![allow(dead_code)] // each test crate uses a different part

use jobsim::run::{Outcome, run_text};
use jobsim::sim::world::{Event, JobCondition, JobStatus, Phase, Pod};

/// A Job scenario for a test, its parts as YAML at any indentation (each
/// is placed where it belongs): `spec` goes under the Job's `spec:`,
/// `pod` under the pod template's `spec:` (a busybox container named
/// `main` and `restartPolicy: Never` unless given), `rest` after the
/// manifest (behavior, actions, until).
#[derive(Clone, Default)]
pub struct JobScenario {
    name: String,
    /// `kubernetesVersion` (else the newest release).
    version: Option<String>,
    spec: String,
    pod: String,
    rest: String,
}

impl JobScenario {
    pub fn new(name: &str) -> JobScenario {
        JobScenario {
            name: name.into(),
            ..JobScenario::default()
        }
    }

    pub fn spec(self, spec: &str) -> JobScenario {
        JobScenario {
            spec: spec.into(),
            ..self
        }
    }

    pub fn pod(self, pod: &str) -> JobScenario {
        JobScenario {
            pod: pod.into(),
            ..self
        }
    }

    pub fn rest(self, rest: &str) -> JobScenario {
        JobScenario {
            rest: rest.into(),
            ..self
        }
    }

    /// The scenario at a Kubernetes release.
    pub fn at(&self, version: &str) -> String {
        JobScenario {
            version: Some(version.into()),
            ..self.clone()
        }
        .text()
    }

    pub fn text(&self) -> String {
        let mut pod = indent(&self.pod, 8);
        if !pod.contains("containers:") {
            pod += "\n        containers:\n        - {name: main, image: busybox}";
        }
        if !pod.contains("restartPolicy") {
            pod += "\n        restartPolicy: Never";
        }
        let version = self
            .version
            .as_ref()
            .map(|v| format!("kubernetesVersion: {v:?}\n"))
            .unwrap_or_default();
        format!(
            "scenario: v1\n{version}manifest:\n  apiVersion: batch/v1\n  kind: Job\n  metadata: {{name: {}}}\n  spec:\n{}\n    template:\n      spec:\n{pod}\n{}\n",
            self.name,
            indent(&self.spec, 4),
            indent(&self.rest, 0),
        )
    }
}

/// `text`'s lines moved so that the least indented starts at column `to`
/// (blank lines dropped).
pub fn indent(text: &str, to: usize) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let least = lines
        .iter()
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|l| format!("{}{}", " ".repeat(to), &l[least..]))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Keeps the scenario in `$JOBSIM_CORPUS_DIR` when it is set: the browser
/// tests run every scenario the native tests use through the wasm engine
/// and compare (tests/browser/engine.test.mjs).
pub fn record(text: &str) {
    if let Some(dir) = std::env::var_os("JOBSIM_CORPUS_DIR") {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        text.hash(&mut h);
        let _ = std::fs::create_dir_all(&dir);
        let path = std::path::Path::new(&dir).join(format!("{:016x}.yaml", h.finish()));
        std::fs::write(path, text).expect("the corpus is writable");
    }
}

/// Runs a scenario that must run to its end.
pub fn run(text: &str) -> Outcome {
    record(text);
    let o = run_text(text).unwrap_or_else(|e| panic!("{e}\n--- scenario ---\n{text}"));
    if let Some(stopped) = &o.stopped {
        panic!(
            "the run stopped at {}: {stopped}\n--- scenario ---\n{text}",
            o.ended_at
        );
    }
    o
}

/// The error of a scenario that must not run to its end: it cannot run at
/// all, or it stops part-way.
pub fn run_err(text: &str) -> String {
    record(text);
    match run_text(text) {
        Err(e) => e.to_string(),
        Ok(o) => o
            .error()
            .unwrap_or_else(|| panic!("the scenario ran, but an error was expected:\n{text}")),
    }
}

pub fn secs(ms: u64) -> f64 {
    ms as f64 / 1000.0
}

pub fn status(o: &Outcome) -> &JobStatus {
    &o.trace.jobs[0].status
}

pub fn pods(o: &Outcome) -> Vec<&Pod> {
    o.trace.jobs[0]
        .pods
        .iter()
        .map(|&p| &o.trace.pods[p])
        .collect()
}

/// Creation times of the Job's pods, in seconds.
pub fn created(o: &Outcome) -> Vec<f64> {
    pods(o).iter().map(|p| secs(p.created_at)).collect()
}

pub fn condition<'a>(o: &'a Outcome, type_: &str) -> Option<&'a JobCondition> {
    status(o)
        .conditions
        .iter()
        .find(|c| c.type_.as_str() == type_)
}

/// (time in seconds, reason, message) of the condition, which must exist.
pub fn cond(o: &Outcome, type_: &str) -> (f64, String, String) {
    let c = condition(o, type_)
        .unwrap_or_else(|| panic!("no {type_} condition in {:?}", status(o).conditions));
    (
        secs(c.last_transition_time),
        c.reason.clone(),
        c.message.clone(),
    )
}

pub fn events<'a>(o: &'a Outcome, reason: &str) -> Vec<&'a Event> {
    o.trace
        .events
        .iter()
        .filter(|e| &*e.reason == reason)
        .collect()
}

/// The Job's True condition types, in order.
pub fn true_conditions(o: &Outcome) -> Vec<String> {
    status(o)
        .conditions
        .iter()
        .filter(|c| c.status)
        .map(|c| c.type_.to_string())
        .collect()
}

/// The status as it was at `t` seconds.
pub fn status_at(o: &Outcome, t: f64) -> JobStatus {
    o.trace.log.statuses[0]
        .iter()
        .take_while(|(at, _)| secs(*at) <= t)
        .last()
        .map(|(_, s)| s.clone())
        .unwrap_or_default()
}

/// A pod's phase changes: (seconds, phase).
pub fn phases(pod: &Pod) -> Vec<(f64, Phase)> {
    pod.phase_history
        .iter()
        .map(|(t, ph)| (secs(*t), *ph))
        .collect()
}
