//! Scenarios back to text: the playground's export and share links write
//! the scenario it holds, keeping the manifest exactly as the user typed it.

use super::duration::{RunFor, format as dur};
use super::{
    About, ActionKind, Behavior, ContainerBehavior, PodMatch, PodSelector, Scenario, Text,
};
use crate::time::{Clock, Ms};
use crate::yaml::{Mapping, Value};

/// The manifest block of a scenario file, de-indented, as its author wrote
/// it (comments and flow style kept). None when it is not a plain block
/// under a top-level `manifest:` key.
pub fn manifest_text(file: &str) -> Option<String> {
    let lines: Vec<&str> = file.lines().collect();
    let start = lines.iter().position(|l| l.trim_end() == "manifest:")?;
    let block: Vec<&str> = lines[start + 1..]
        .iter()
        .take_while(|l| l.is_empty() || l.starts_with(' ') || l.starts_with('#'))
        .copied()
        .collect();
    let indent = block
        .iter()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|l| l.len() - l.trim_start().len())
        .min()?;
    let mut text: String = block
        .iter()
        .map(|l| {
            if l.len() >= indent {
                &l[indent..]
            } else {
                l.trim_start()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    text = text.trim_end().to_string() + "\n";
    Some(text)
}

/// An imported file as a scenario: a scenario file as it is, or a bare
/// Job or CronJob manifest (what a docs page offers for download) wrapped
/// in one with the built-in behaviour. A file that is neither gets the
/// scenario parser's error.
pub fn import(text: &str) -> Result<String, super::ScenarioError> {
    let error = match super::parse(text) {
        Ok(_) => return Ok(text.to_string()),
        Err(e) => e,
    };
    let bare_manifest = crate::yaml::parse(text).is_ok_and(|v| {
        v.get("kind").is_some() && v.get("scenario").is_none() && v.get("manifest").is_none()
    });
    if !bare_manifest {
        return Err(error);
    }
    let mut scenario = String::from("scenario: v1\nmanifest:\n");
    for line in text.trim_end().lines() {
        if !line.is_empty() && !line.starts_with("---") {
            scenario.push_str("  ");
            scenario.push_str(line);
        }
        scenario.push('\n');
    }
    super::parse(&scenario).map(|_| scenario).map_err(|_| error)
}

fn key(k: &str) -> Value {
    Value::String(k.to_string())
}

fn container_behavior(c: &ContainerBehavior, m: &mut Mapping) {
    if let Some(d) = c.start_delay {
        m.insert(key("startDelay"), key(&dur(d.0)));
    }
    match c.run_for {
        Some(RunFor::For(d)) => {
            m.insert(key("runFor"), key(&dur(d)));
        }
        Some(RunFor::Forever) => {
            m.insert(key("runFor"), key("forever"));
        }
        None => {}
    }
    if let Some(code) = c.exit_code {
        m.insert(key("exitCode"), code.into());
    }
    if let Some(reason) = &c.reason {
        m.insert(key("reason"), key(reason));
    }
    if let Some(d) = c.sigterm_delay {
        m.insert(key("sigtermDelay"), key(&dur(d.0)));
    }
    if let Some(code) = c.sigterm_exit_code {
        m.insert(key("sigtermExitCode"), code.into());
    }
}

fn pod_match(p: &PodMatch) -> Value {
    let mut m = Mapping::new();
    for (k, v) in [
        ("index", p.index),
        ("attempt", p.attempt),
        ("ordinal", p.ordinal),
        ("job", p.job),
        ("run", p.run),
    ] {
        if let Some(v) = v {
            m.insert(key(k), v.into());
        }
    }
    Value::Mapping(m)
}

fn selector(p: &PodSelector) -> Value {
    let mut m = Mapping::new();
    if let Some(job) = p.job {
        m.insert(key("job"), job.into());
    }
    if let Some(index) = p.index {
        m.insert(key("index"), index.into());
    }
    if let Some(name) = &p.name {
        m.insert(key("name"), key(name));
    }
    if let Some(ordinal) = p.ordinal {
        m.insert(key("ordinal"), ordinal.into());
    }
    Value::Mapping(m)
}

fn behavior(b: &Behavior) -> Option<Value> {
    let mut m = Mapping::new();
    let mut default = Mapping::new();
    container_behavior(&b.default, &mut default);
    if !default.is_empty() {
        m.insert(key("default"), Value::Mapping(default));
    }
    if !b.containers.is_empty() {
        let mut containers = Mapping::new();
        for (name, c) in &b.containers {
            let mut entry = Mapping::new();
            container_behavior(c, &mut entry);
            containers.insert(key(name), Value::Mapping(entry));
        }
        m.insert(key("containers"), Value::Mapping(containers));
    }
    if !b.pods.is_empty() {
        let rules = b
            .pods
            .iter()
            .map(|r| {
                let mut rule = Mapping::new();
                rule.insert(key("match"), pod_match(&r.matches));
                if let Some(c) = &r.container {
                    rule.insert(key("container"), key(c));
                }
                container_behavior(&r.behavior, &mut rule);
                Value::Mapping(rule)
            })
            .collect();
        m.insert(key("pods"), Value::Sequence(rules));
    }
    (!m.is_empty()).then_some(Value::Mapping(m))
}

fn action(at: Ms, kind: &ActionKind) -> Value {
    let mut m = Mapping::new();
    m.insert(key("at"), key(&dur(at)));
    m.insert(key("action"), key(kind.name()));
    match kind {
        ActionKind::FailPod {
            pod,
            exit_code,
            reason,
            container,
        } => {
            m.insert(key("pod"), selector(pod));
            m.insert(key("exitCode"), (*exit_code).into());
            if let Some(r) = reason {
                m.insert(key("reason"), key(r));
            }
            if let Some(c) = container {
                m.insert(key("container"), key(c));
            }
        }
        ActionKind::EvictPod { pod } => {
            m.insert(key("pod"), selector(pod));
        }
        ActionKind::DeletePod {
            pod,
            grace_period_seconds,
        } => {
            m.insert(key("pod"), selector(pod));
            if let Some(g) = grace_period_seconds {
                m.insert(key("gracePeriodSeconds"), (*g).into());
            }
        }
        ActionKind::SetParallelism { value } => {
            m.insert(key("value"), (*value).into());
        }
        ActionKind::Patch { patch } => {
            m.insert(key("patch"), patch.clone());
        }
        _ => {}
    }
    Value::Mapping(m)
}

fn about_value(a: &About) -> Value {
    let text = |t: &Text| {
        let mut m = Mapping::new();
        m.insert(key("en"), key(&t.en));
        if let Some(ja) = &t.ja {
            m.insert(key("ja"), key(ja));
        }
        Value::Mapping(m)
    };
    let mut m = Mapping::new();
    if let Some(docs) = &a.docs {
        m.insert(key("docs"), key(docs));
    }
    if let Some(notice) = &a.notice {
        m.insert(key("notice"), text(notice));
    }
    if let Some(next) = &a.try_next {
        m.insert(key("try"), text(next));
    }
    Value::Mapping(m)
}

fn to_text(m: Mapping) -> String {
    if m.is_empty() {
        return String::new();
    }
    crate::yaml::to_yaml(&Value::Mapping(m))
}

/// The scenario as a file, with `manifest_text` as its manifest.
pub fn to_yaml(s: &Scenario, manifest_text: &str) -> String {
    let mut head = Mapping::new();
    head.insert(key("scenario"), key("v1"));
    if let Some(name) = &s.name {
        head.insert(key("name"), key(name));
    }
    if let Some(about) = &s.about {
        head.insert(key("about"), about_value(about));
    }
    if let Some(version) = &s.kubernetes_version {
        head.insert(key("kubernetesVersion"), key(version));
    }
    if s.seed != 0 {
        head.insert(key("seed"), s.seed.into());
    }
    if s.clock != Clock::default() {
        let mut clock = Mapping::new();
        clock.insert(key("start"), key(&s.clock.rfc3339(0)));
        head.insert(key("clock"), Value::Mapping(clock));
    }
    if let Some(until) = s.until {
        head.insert(key("until"), key(&dur(until)));
    }
    let mut out = to_text(head);
    out.push_str("manifest:\n");
    for line in manifest_text.trim_end().lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str("  ");
            out.push_str(line);
            out.push('\n');
        }
    }
    let mut tail = Mapping::new();
    if let Some(b) = behavior(&s.behavior) {
        tail.insert(key("behavior"), b);
    }
    if !s.actions.is_empty() {
        tail.insert(
            key("actions"),
            Value::Sequence(s.actions.iter().map(|a| action(a.at, &a.kind)).collect()),
        );
    }
    out.push_str(&to_text(tail));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::parse;

    #[test]
    fn every_seed_scenario_round_trips() {
        for entry in std::fs::read_dir("www/scenarios").unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let scenario = parse(&text).unwrap();
            let manifest = manifest_text(&text).unwrap();
            assert_eq!(
                crate::yaml::parse(&manifest).unwrap(),
                scenario.manifest,
                "{path:?}"
            );
            let written = to_yaml(&scenario, &manifest);
            assert_eq!(parse(&written).unwrap(), scenario, "{path:?}\n{written}");
        }
    }

    #[test]
    fn a_bare_manifest_imports_as_a_scenario_and_anything_else_says_why() {
        let job = "# from the docs\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: pi\nspec:\n  template: {}\n";
        let text = import(job).unwrap();
        assert_eq!(manifest_text(&text).unwrap(), job);
        assert_eq!(
            parse(&text).unwrap().manifest,
            crate::yaml::parse(job).unwrap()
        );
        let scenario = "scenario: v1\nmanifest: {kind: Job}\nuntil: 5s\n";
        assert_eq!(import(scenario).unwrap(), scenario);
        let err = import("scenario: v1\nmanifest: {kind: Job}\nuntill: 5s\n").unwrap_err();
        assert_eq!(err.path, "untill");
        assert!(import("just text").is_err());
    }

    #[test]
    fn every_action_and_setting_round_trips() {
        let text = "scenario: v1\nname: all\nabout:\n  docs: https://kubernetes.io/docs/concepts/workloads/controllers/job/\n  notice: {en: \"Watch: the pods.\", ja: \"Pod を見てください。\"}\n  try: {en: Set parallelism to 3.}\nkubernetesVersion: \"1.37\"\nseed: 5\nclock: {start: 2025-06-01T12:00:00Z}\nuntil: 90s\nmanifest:\n  kind: Job # a comment\n  spec: {completions: 2}\nbehavior:\n  default: {startDelay: 500ms, runFor: forever, sigtermDelay: 3s, sigtermExitCode: 0}\n  containers: {side: {runFor: 1m}}\n  pods:\n  - match: {index: 1, attempt: 0, ordinal: 2, job: 0, run: 1}\n    container: main\n    exitCode: 137\n    reason: OOMKilled\nactions:\n- {at: 1s, action: fail-pod, pod: {index: 1}, exitCode: 3, reason: OOMKilled, container: main}\n- {at: 2s, action: evict-pod, pod: {name: x}}\n- {at: 3s, action: delete-pod, pod: {ordinal: 0}, gracePeriodSeconds: 5}\n- {at: 4s, action: suspend}\n- {at: 5s, action: resume}\n- {at: 6s, action: set-parallelism, value: 4}\n- {at: 7s, action: patch, patch: {spec: {activeDeadlineSeconds: 9}}}\n- {at: 8s, action: controller-down}\n- {at: 9s, action: controller-up}\n- {at: 10s, action: delete-job}\n";
        let scenario = parse(text).unwrap();
        let about = scenario.about.as_ref().unwrap();
        assert_eq!(
            about.notice.as_ref().unwrap().get(true),
            "Pod を見てください。"
        );
        assert_eq!(
            about.try_next.as_ref().unwrap().get(true),
            "Set parallelism to 3."
        );
        let manifest = manifest_text(text).unwrap();
        assert_eq!(manifest, "kind: Job # a comment\nspec: {completions: 2}\n");
        assert_eq!(parse(&to_yaml(&scenario, &manifest)).unwrap(), scenario);
    }
}
