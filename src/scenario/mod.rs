//! The scenario file format, v1 (SCENARIO.md): the manifest a user pasted,
//! what the simulated containers do, and what the user injected and when.
//! Unknown keys are errors that name their path.

pub mod duration;
mod field;
mod schema;
pub mod share;
pub mod write;

pub use field::BehaviorField;

use crate::admission::tree::{get, int_at, list, str_at};
use crate::time::{Clock, Ms};
use crate::yaml::Value;
use duration::{Duration, RunFor, from_value as duration_at, run_for_from_value};
use std::collections::BTreeMap;
use std::fmt;

/// A parsed scenario. The manifest stays a YAML tree: admission decodes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub name: Option<String>,
    /// What the scenario shows, for the reader (the engine ignores it).
    pub about: Option<About>,
    pub kubernetes_version: Option<String>,
    pub seed: u64,
    pub clock: Clock,
    pub until: Option<Ms>,
    pub manifest: crate::yaml::Value,
    pub behavior: Behavior,
    pub actions: Vec<Action>,
}

/// What an example says about itself (`about`): what to notice in the run,
/// something to try next, and the docs page it comes from. The playground
/// shows it beside the run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct About {
    pub notice: Option<Text>,
    /// `try`.
    pub try_next: Option<Text>,
    /// The documentation page the example comes from.
    pub docs: Option<String>,
}

/// A text in English, and in Japanese where it has been translated.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Text {
    pub en: String,
    pub ja: Option<String>,
}

impl Text {
    /// The Japanese text when asked for and there is one, else the English.
    pub fn get(&self, japanese: bool) -> &str {
        self.ja.as_deref().filter(|_| japanese).unwrap_or(&self.en)
    }

    fn read(v: &Value) -> Text {
        Text {
            en: string(v, "en").unwrap_or_default(),
            ja: string(v, "ja"),
        }
    }
}

impl About {
    fn read(v: &Value) -> About {
        About {
            notice: get(v, "notice").map(Text::read),
            try_next: get(v, "try").map(Text::read),
            docs: string(v, "docs"),
        }
    }
}

/// What the simulated containers do (`behavior`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Behavior {
    pub default: ContainerBehavior,
    /// Per container name (containers and initContainers).
    pub containers: BTreeMap<String, ContainerBehavior>,
    /// Per pod; the first matching rule wins.
    pub pods: Vec<PodRule>,
}

/// The behaviour of one container; unset fields fall back to the next level
/// (pod rule, then per-container, then default, then the built-in values).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContainerBehavior {
    pub start_delay: Option<Duration>,
    pub run_for: Option<RunFor>,
    pub exit_code: Option<i32>,
    pub reason: Option<String>,
    pub sigterm_delay: Option<Duration>,
    pub sigterm_exit_code: Option<i32>,
}

/// One entry of `behavior.pods`: a match, an optional container, and the
/// fields of `ContainerBehavior` inline.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PodRule {
    pub matches: PodMatch,
    /// Only this container; every container of the pod when unset.
    pub container: Option<String>,
    pub behavior: ContainerBehavior,
}

/// Which pods a rule applies to; every key is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodMatch {
    pub index: Option<u32>,
    pub attempt: Option<u32>,
    pub ordinal: Option<u32>,
    /// CronJob: the Nth Job it created, from 0.
    pub job: Option<u32>,
    /// The container's Nth start inside one pod (restarts), from 0.
    pub run: Option<u32>,
}

/// The built-in behaviour when nothing else is said.
pub const DEFAULT_START_DELAY: Ms = 1_000;
pub const DEFAULT_RUN_FOR: Ms = 10_000;
pub const DEFAULT_SIGTERM_EXIT_CODE: i32 = 143;

/// The effective behaviour of one container start, every field resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    /// The `behavior.pods` rule that matched (its index), if one did.
    pub rule: Option<usize>,
    pub start_delay: Ms,
    pub run_for: RunFor,
    pub exit_code: i32,
    pub reason: String,
    pub sigterm_delay: Ms,
    pub sigterm_exit_code: i32,
}

/// Where a container start happens, for matching `behavior.pods` rules.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PodPlace {
    pub index: Option<u32>,
    pub attempt: u32,
    pub ordinal: u32,
    pub job: u32,
    pub run: u32,
}

impl PodMatch {
    fn matches(&self, at: &PodPlace) -> bool {
        fn ok(want: Option<u32>, have: Option<u32>) -> bool {
            want.is_none() || want == have
        }
        ok(self.index, at.index)
            && ok(self.attempt, Some(at.attempt))
            && ok(self.ordinal, Some(at.ordinal))
            && ok(self.job, Some(at.job))
            && ok(self.run, Some(at.run))
    }
}

impl ContainerBehavior {
    /// The built-in behaviour, below every level of `behavior` (the
    /// reason follows the exit code).
    pub fn built_in() -> ContainerBehavior {
        ContainerBehavior {
            start_delay: Some(Duration(DEFAULT_START_DELAY)),
            run_for: Some(RunFor::For(DEFAULT_RUN_FOR)),
            exit_code: Some(0),
            reason: None,
            sigterm_delay: Some(Duration(0)),
            sigterm_exit_code: Some(DEFAULT_SIGTERM_EXIT_CODE),
        }
    }

    /// Every field set here, the others from `fallback`.
    pub fn or(&self, fallback: &ContainerBehavior) -> ContainerBehavior {
        ContainerBehavior {
            start_delay: self.start_delay.or(fallback.start_delay),
            run_for: self.run_for.or(fallback.run_for),
            exit_code: self.exit_code.or(fallback.exit_code),
            reason: self.reason.clone().or_else(|| fallback.reason.clone()),
            sigterm_delay: self.sigterm_delay.or(fallback.sigterm_delay),
            sigterm_exit_code: self.sigterm_exit_code.or(fallback.sigterm_exit_code),
        }
    }
}

/// The pod rules of a `Behavior` by the completion index they name, so
/// that a container start looks at its own index's rules and the ones for
/// every index, not at all of them (a level or a benchmark may have one
/// rule per index).
#[derive(Clone, Default)]
pub struct RuleIndex {
    /// (index, rule number), sorted by index, then rule number.
    by_index: Vec<(u32, usize)>,
    any_index: Vec<usize>,
}

impl RuleIndex {
    pub fn new(rules: &[PodRule]) -> RuleIndex {
        let mut index = RuleIndex::default();
        for (i, r) in rules.iter().enumerate() {
            match r.matches.index {
                Some(n) => {
                    let at = index.by_index.partition_point(|&(m, _)| m <= n);
                    index.by_index.insert(at, (n, i));
                }
                None => index.any_index.push(i),
            }
        }
        index
    }
}

impl Behavior {
    /// The behaviour of `container` at `place`: the first matching pod rule
    /// (`rules` is this behaviour's `RuleIndex`), over the per-container
    /// entry, over the default, over built-ins.
    pub fn resolve(&self, rules: &RuleIndex, container: &str, place: &PodPlace) -> Resolved {
        let empty = ContainerBehavior::default();
        let fits = |&i: &usize| {
            let r = &self.pods[i];
            r.matches.matches(place) && r.container.as_deref().is_none_or(|c| c == container)
        };
        // The first fitting rule of this index and of any index; the
        // earlier of the two wins.
        let own = place.index.map_or(&[][..], |n| {
            let from = rules.by_index.partition_point(|&(m, _)| m < n);
            let to = rules.by_index.partition_point(|&(m, _)| m <= n);
            &rules.by_index[from..to]
        });
        let first_own = own.iter().map(|&(_, i)| i).find(fits);
        let first_any = rules.any_index.iter().copied().find(fits);
        let rule = match (first_own, first_any) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let merged = rule
            .map_or(&empty, |i| &self.pods[i].behavior)
            .or(self.containers.get(container).unwrap_or(&empty))
            .or(&self.default);
        let exit_code = merged.exit_code.unwrap_or(0);
        Resolved {
            rule,
            start_delay: merged.start_delay.map_or(DEFAULT_START_DELAY, |d| d.0),
            run_for: merged.run_for.unwrap_or(RunFor::For(DEFAULT_RUN_FOR)),
            exit_code,
            reason: merged
                .reason
                .unwrap_or_else(|| exit_reason(exit_code).to_string()),
            sigterm_delay: merged.sigterm_delay.map_or(0, |d| d.0),
            sigterm_exit_code: merged
                .sigterm_exit_code
                .unwrap_or(DEFAULT_SIGTERM_EXIT_CODE),
        }
    }
}

/// The runtime's termination reason for an exit code.
pub fn exit_reason(code: i32) -> &'static str {
    if code == 0 { "Completed" } else { "Error" }
}

/// Which pod an action targets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodSelector {
    /// The newest live pod of this completion index.
    pub index: Option<u32>,
    pub name: Option<String>,
    /// The Nth pod the Job created, from 0.
    pub ordinal: Option<u32>,
    /// CronJob: the Nth Job it created, from 0.
    pub job: Option<u32>,
}

impl fmt::Display for PodSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(job) = self.job {
            parts.push(format!("job: {job}"));
        }
        if let Some(index) = self.index {
            parts.push(format!("index: {index}"));
        }
        if let Some(name) = &self.name {
            parts.push(format!("name: {name}"));
        }
        if let Some(ordinal) = self.ordinal {
            parts.push(format!("ordinal: {ordinal}"));
        }
        write!(f, "{{{}}}", parts.join(", "))
    }
}

/// What an action does.
#[derive(Clone, Debug, PartialEq)]
pub enum ActionKind {
    /// The pod's container process exits now with this code.
    FailPod {
        pod: PodSelector,
        exit_code: i32,
        reason: Option<String>,
        container: Option<String>,
    },
    /// The Eviction API: DisruptionTarget condition, then a graceful delete.
    EvictPod {
        pod: PodSelector,
    },
    /// `kubectl delete pod`: a graceful delete.
    DeletePod {
        pod: PodSelector,
        grace_period_seconds: Option<i64>,
    },
    Suspend,
    Resume,
    SetParallelism {
        value: i32,
    },
    /// A JSON merge patch (RFC 7386) of the Job or CronJob.
    Patch {
        patch: crate::yaml::Value,
    },
    ControllerDown,
    ControllerUp,
    DeleteJob,
    /// CronJob: `kubectl create job <cronjob>-manual-<n> --from=cronjob/<cronjob>`.
    Trigger,
}

/// An action at its virtual time.
#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    pub at: Ms,
    pub kind: ActionKind,
}

impl ActionKind {
    /// The name used in scenario files.
    pub fn name(&self) -> &'static str {
        match self {
            ActionKind::FailPod { .. } => "fail-pod",
            ActionKind::EvictPod { .. } => "evict-pod",
            ActionKind::DeletePod { .. } => "delete-pod",
            ActionKind::Suspend => "suspend",
            ActionKind::Resume => "resume",
            ActionKind::SetParallelism { .. } => "set-parallelism",
            ActionKind::Patch { .. } => "patch",
            ActionKind::ControllerDown => "controller-down",
            ActionKind::ControllerUp => "controller-up",
            ActionKind::DeleteJob => "delete-job",
            ActionKind::Trigger => "trigger",
        }
    }
}

/// An error in a scenario file, with the path of the key and, when known,
/// its 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    pub path: String,
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("error: scenario ")?;
        if !self.path.is_empty() && self.path != "." {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)?;
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, " (line {line}, column {column})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {}

fn error(path: impl Into<String>, message: impl Into<String>) -> ScenarioError {
    ScenarioError {
        path: path.into(),
        message: message.into(),
        line: None,
        column: None,
    }
}

fn uint(v: &Value, key: &str) -> Option<u32> {
    get(v, key)
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
}

fn int32(v: &Value, key: &str) -> Option<i32> {
    int_at(v, key).and_then(|n| i32::try_from(n).ok())
}

fn string(v: &Value, key: &str) -> Option<String> {
    str_at(v, key).map(str::to_string)
}

impl ContainerBehavior {
    /// Reads the fields from a tree that passed the scenario schema (so
    /// every value has its type).
    fn read(v: &Value) -> ContainerBehavior {
        ContainerBehavior {
            start_delay: get(v, "startDelay").and_then(duration_at).map(Duration),
            run_for: get(v, "runFor").and_then(run_for_from_value),
            exit_code: int32(v, "exitCode"),
            reason: string(v, "reason"),
            sigterm_delay: get(v, "sigtermDelay").and_then(duration_at).map(Duration),
            sigterm_exit_code: int32(v, "sigtermExitCode"),
        }
    }
}

impl Behavior {
    fn read(v: &Value) -> Behavior {
        // `extend`, not `collect`: see api::job::map.
        let mut containers = BTreeMap::new();
        if let Some(Value::Mapping(m)) = get(v, "containers") {
            containers.extend(
                m.iter()
                    .map(|(k, c)| (crate::schema::key_text(k), ContainerBehavior::read(c))),
            );
        }
        Behavior {
            default: get(v, "default")
                .map(ContainerBehavior::read)
                .unwrap_or_default(),
            containers,
            pods: list(v, "pods")
                .iter()
                .map(|r| {
                    let m = get(r, "match").unwrap_or(&Value::Null);
                    PodRule {
                        matches: PodMatch {
                            index: uint(m, "index"),
                            attempt: uint(m, "attempt"),
                            ordinal: uint(m, "ordinal"),
                            job: uint(m, "job"),
                            run: uint(m, "run"),
                        },
                        container: string(r, "container"),
                        behavior: ContainerBehavior::read(r),
                    }
                })
                .collect(),
        }
    }
}

/// One entry of `actions` as written; `convert_action` checks it.
struct RawAction {
    at: Ms,
    action: String,
    pod: Option<PodSelector>,
    exit_code: Option<i32>,
    reason: Option<String>,
    container: Option<String>,
    grace_period_seconds: Option<i64>,
    value: Option<i32>,
    patch: Option<Value>,
}

impl RawAction {
    fn read(v: &Value) -> RawAction {
        RawAction {
            at: get(v, "at").and_then(duration_at).unwrap_or(0),
            action: str_at(v, "action").unwrap_or_default().to_string(),
            pod: get(v, "pod").map(|p| PodSelector {
                index: uint(p, "index"),
                name: string(p, "name"),
                ordinal: uint(p, "ordinal"),
                job: uint(p, "job"),
            }),
            exit_code: int32(v, "exitCode"),
            reason: string(v, "reason"),
            container: string(v, "container"),
            grace_period_seconds: int_at(v, "gracePeriodSeconds"),
            value: int32(v, "value"),
            patch: get(v, "patch").cloned(),
        }
    }
}

const ACTIONS: [&str; 11] = [
    "fail-pod",
    "evict-pod",
    "delete-pod",
    "suspend",
    "resume",
    "set-parallelism",
    "patch",
    "controller-down",
    "controller-up",
    "delete-job",
    "trigger",
];

/// Parses a scenario file.
pub fn parse(text: &str) -> Result<Scenario, ScenarioError> {
    // One decoding path for everything (text -> YAML tree -> typed, with
    // the path of an error placed back in the text): it keeps the wasm
    // small (each serde deserializer is compiled once per type).
    let value = crate::admission::parse_yaml(text).map_err(|d| ScenarioError {
        path: String::new(),
        message: d.message,
        line: d.line,
        column: d.column,
    })?;
    crate::schema::check(&value, schema::types(), schema::SCENARIO).map_err(|e| {
        let (path, message) = match e {
            crate::schema::DecodeError::Unknown(unknown) => {
                let (path, ty) = unknown.into_iter().next().expect("an unknown key");
                let key = path.rsplit('.').next().unwrap_or(&path).to_string();
                let fields: Vec<String> = schema::types()[ty]
                    .fields
                    .iter()
                    .map(|f| format!("`{}`", f.name))
                    .collect();
                (
                    path,
                    format!(
                        "unknown field `{key}`, expected one of {}",
                        fields.join(", ")
                    ),
                )
            }
            crate::schema::DecodeError::Type(e) => {
                let message = match e.detail {
                    Some(detail) => detail,
                    None => format!(
                        "invalid type: {}, expected {}",
                        e.found,
                        schema::expected(&e.expected)
                    ),
                };
                (e.path, message)
            }
        };
        let at = crate::admission::locate(text, &path);
        ScenarioError {
            path,
            message,
            line: at.map(|a| a.0),
            column: at.map(|a| a.1),
        }
    })?;
    // The tree fits the format: every value has its type.
    match str_at(&value, "scenario") {
        Some("v1") => {}
        Some(other) => {
            return Err(error(
                "scenario",
                format!("Unsupported value: {other:?}: supported values: \"v1\""),
            ));
        }
        None => return Err(error("scenario", "Required value: must be \"v1\"")),
    }
    let clock = match get(&value, "clock").and_then(|c| str_at(c, "start")) {
        Some(start) => Clock::parse(start).map_err(|e| error("clock.start", e))?,
        None => Clock::default(),
    };
    let manifest = get(&value, "manifest")
        .cloned()
        .ok_or_else(|| error("manifest", "Required value: one batch/v1 Job or CronJob"))?;
    // Cheap counts before the expensive work: each rule and action is
    // looked at by the engine again and again.
    let limit = |path: &str, what: &str, count: usize, max: usize| {
        (count > max).then(|| {
            error(
                path,
                format!("{count} {what}, more than the playground's limit of {max}"),
            )
        })
    };
    let rules = get(&value, "behavior").map_or(0, |b| list(b, "pods").len());
    if let Some(e) = limit("behavior.pods", "rules", rules, crate::limits::MAX_RULES) {
        return Err(e);
    }
    let count = list(&value, "actions").len();
    if let Some(e) = limit("actions", "actions", count, crate::limits::MAX_ACTIONS) {
        return Err(e);
    }
    let behavior = get(&value, "behavior")
        .map(Behavior::read)
        .unwrap_or_default();
    validate_behavior(&behavior)?;
    let actions = list(&value, "actions")
        .iter()
        .enumerate()
        .map(|(i, a)| convert_action(i, RawAction::read(a)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Scenario {
        name: string(&value, "name"),
        about: get(&value, "about").map(About::read),
        kubernetes_version: string(&value, "kubernetesVersion"),
        seed: get(&value, "seed").and_then(Value::as_u64).unwrap_or(0),
        clock,
        until: get(&value, "until").and_then(duration_at),
        manifest,
        behavior,
        actions,
    })
}

fn validate_behavior(b: &Behavior) -> Result<(), ScenarioError> {
    let check = |path: String, c: &ContainerBehavior| -> Result<(), ScenarioError> {
        for (field, code) in [
            ("exitCode", c.exit_code),
            ("sigtermExitCode", c.sigterm_exit_code),
        ] {
            if let Some(code) = code
                && !(0..=255).contains(&code)
            {
                return Err(error(
                    format!("{path}.{field}"),
                    format!("Invalid value: {code}: must be between 0 and 255"),
                ));
            }
        }
        Ok(())
    };
    check("behavior.default".into(), &b.default)?;
    for (name, c) in &b.containers {
        check(format!("behavior.containers.{name}"), c)?;
    }
    for (i, rule) in b.pods.iter().enumerate() {
        check(format!("behavior.pods[{i}]"), &rule.behavior)?;
    }
    Ok(())
}

fn convert_action(i: usize, a: RawAction) -> Result<Action, ScenarioError> {
    let path = |field: &str| format!("actions[{i}].{field}");
    let name = a.action.as_str();
    if !ACTIONS.contains(&name) {
        let supported = ACTIONS.map(|n| format!("{n:?}")).join(", ");
        return Err(error(
            path("action"),
            format!("Unsupported value: {name:?}: supported values: {supported}"),
        ));
    }
    let takes_pod = matches!(name, "fail-pod" | "evict-pod" | "delete-pod");
    let allowed: &[&str] = match name {
        "fail-pod" => &["pod", "exitCode", "reason", "container"],
        "evict-pod" => &["pod"],
        "delete-pod" => &["pod", "gracePeriodSeconds"],
        "set-parallelism" => &["value"],
        "patch" => &["patch"],
        _ => &[],
    };
    let present = [
        ("pod", a.pod.is_some()),
        ("exitCode", a.exit_code.is_some()),
        ("reason", a.reason.is_some()),
        ("container", a.container.is_some()),
        ("gracePeriodSeconds", a.grace_period_seconds.is_some()),
        ("value", a.value.is_some()),
        ("patch", a.patch.is_some()),
    ];
    if let Some((field, _)) = present.iter().find(|(f, set)| *set && !allowed.contains(f)) {
        return Err(error(
            path(field),
            format!("Forbidden: not allowed for action {name:?}"),
        ));
    }
    if let Some((field, _)) = present
        .iter()
        .find(|(f, set)| !*set && allowed.contains(f) && required(name, f))
    {
        return Err(error(
            path(field),
            format!("Required value: action {name:?} needs it"),
        ));
    }
    let pod = a.pod.unwrap_or_default();
    if takes_pod {
        let targets = [
            pod.index.is_some(),
            pod.name.is_some(),
            pod.ordinal.is_some(),
        ];
        if targets.iter().filter(|t| **t).count() != 1 {
            return Err(error(
                path("pod"),
                "Invalid value: exactly one of index, name or ordinal is required",
            ));
        }
    }
    if let Some(code) = a.exit_code
        && !(1..=255).contains(&code)
    {
        return Err(error(
            path("exitCode"),
            format!("Invalid value: {code}: must be between 1 and 255"),
        ));
    }
    if let Some(grace) = a.grace_period_seconds
        && grace < 0
    {
        return Err(error(
            path("gracePeriodSeconds"),
            format!("Invalid value: {grace}: must be greater than or equal to 0"),
        ));
    }
    let kind = match name {
        "fail-pod" => ActionKind::FailPod {
            pod,
            exit_code: a.exit_code.unwrap_or(1),
            reason: a.reason,
            container: a.container,
        },
        "evict-pod" => ActionKind::EvictPod { pod },
        "delete-pod" => ActionKind::DeletePod {
            pod,
            grace_period_seconds: a.grace_period_seconds,
        },
        "suspend" => ActionKind::Suspend,
        "resume" => ActionKind::Resume,
        "set-parallelism" => ActionKind::SetParallelism {
            value: a.value.unwrap_or_default(),
        },
        "patch" => ActionKind::Patch {
            patch: a.patch.unwrap_or(crate::yaml::Value::Null),
        },
        "controller-down" => ActionKind::ControllerDown,
        "controller-up" => ActionKind::ControllerUp,
        "trigger" => ActionKind::Trigger,
        _ => ActionKind::DeleteJob,
    };
    Ok(Action { at: a.at, kind })
}

fn required(action: &str, field: &str) -> bool {
    matches!(
        (action, field),
        ("fail-pod" | "evict-pod" | "delete-pod", "pod")
            | ("set-parallelism", "value")
            | ("patch", "patch")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_index_keeps_rule_order_first_match_wins() {
        let b = parse("scenario: v1\nmanifest: {}\nbehavior:\n  pods:\n  - {match: {attempt: 1}, exitCode: 4}\n  - {match: {index: 2}, exitCode: 3}\n  - {match: {index: 2, attempt: 1}, exitCode: 5}\n  - {match: {}, exitCode: 6}\n").unwrap().behavior;
        let rules = RuleIndex::new(&b.pods);
        let exit = |index: Option<u32>, attempt| {
            b.resolve(
                &rules,
                "c",
                &PodPlace {
                    index,
                    attempt,
                    ..PodPlace::default()
                },
            )
            .exit_code
        };
        assert_eq!(
            exit(Some(2), 1),
            4,
            "an any-index rule before the index's own"
        );
        assert_eq!(exit(Some(2), 0), 3);
        assert_eq!(exit(Some(7), 0), 6);
        assert_eq!(exit(None, 1), 4);
        assert_eq!(exit(None, 0), 6);
    }

    const FULL: &str = r#"
scenario: v1
name: pi-backoff
kubernetesVersion: "1.34"
seed: 7
clock:
  start: 2024-01-01T00:00:00Z
until: 10m
manifest:
  apiVersion: batch/v1
  kind: Job
  metadata: {name: pi}
  spec: {}
behavior:
  default:
    startDelay: 1s
    runFor: 10s
    exitCode: 0
    reason: null
    sigtermDelay: 0s
    sigtermExitCode: 143
  containers:
    cloud-sql-proxy: {runFor: forever}
  pods:
    - match: {index: 2, attempt: 0}
      container: job
      exitCode: 1
      runFor: 3s
    - match: {ordinal: 4}
      exitCode: 137
      reason: OOMKilled
    - match: {job: 1, run: 2}
      exitCode: 1
actions:
  - {at: 15s, action: fail-pod, pod: {index: 1}, exitCode: 2}
  - {at: 20s, action: evict-pod, pod: {index: 0}}
  - {at: 25s, action: delete-pod, pod: {name: pi-x7k2p}}
  - {at: 30s, action: suspend}
  - {at: 60s, action: resume}
  - {at: 70s, action: set-parallelism, value: 5}
  - {at: 75s, action: patch, patch: {spec: {activeDeadlineSeconds: 100}}}
  - {at: 80s, action: controller-down}
  - {at: 9m,  action: controller-up}
  - {at: 95s, action: delete-job}
"#;

    #[test]
    fn the_documented_example_parses() {
        let s = parse(FULL).unwrap();
        assert_eq!(s.name.as_deref(), Some("pi-backoff"));
        assert_eq!(s.kubernetes_version.as_deref(), Some("1.34"));
        assert_eq!(s.seed, 7);
        assert_eq!(s.until, Some(600_000));
        assert_eq!(s.actions.len(), 10);
        assert_eq!(s.actions[8].at, 540_000);
        assert_eq!(
            s.actions[0].kind,
            ActionKind::FailPod {
                pod: PodSelector {
                    index: Some(1),
                    ..Default::default()
                },
                exit_code: 2,
                reason: None,
                container: None
            }
        );
        assert_eq!(s.actions[5].kind, ActionKind::SetParallelism { value: 5 });
        assert_eq!(s.behavior.pods.len(), 3);
        assert_eq!(
            s.behavior.containers["cloud-sql-proxy"].run_for,
            Some(RunFor::Forever)
        );
    }

    #[test]
    fn unknown_keys_name_their_path_and_line() {
        let text = "scenario: v1\nmanifest: {}\nbehavior:\n  default:\n    runFr: 3s\n";
        let err = parse(text).unwrap_err();
        assert_eq!(err.path, "behavior.default.runFr");
        assert!(
            err.message.contains("unknown field `runFr`"),
            "{}",
            err.message
        );
        assert_eq!(err.line, Some(5));
        let err =
            parse("scenario: v1\nmanifest: {}\nactions:\n- {at: 1s, action: suspend, pood: 1}\n")
                .unwrap_err();
        assert_eq!(err.path, "actions[0].pood");
    }

    #[test]
    fn version_and_manifest_are_required() {
        assert_eq!(parse("manifest: {}\n").unwrap_err().path, "scenario");
        assert!(
            parse("scenario: v2\nmanifest: {}\n")
                .unwrap_err()
                .message
                .contains("Unsupported value: \"v2\"")
        );
        assert_eq!(parse("scenario: v1\n").unwrap_err().path, "manifest");
    }

    #[test]
    fn actions_are_checked_per_kind() {
        let err = |actions: &str| {
            parse(&format!(
                "scenario: v1\nmanifest: {{}}\nactions:\n- {actions}\n"
            ))
            .unwrap_err()
        };
        assert_eq!(err("{at: 1s, action: explode}").path, "actions[0].action");
        assert_eq!(
            err("{at: 1s, action: suspend, value: 3}").path,
            "actions[0].value"
        );
        assert_eq!(
            err("{at: 1s, action: set-parallelism}").path,
            "actions[0].value"
        );
        assert_eq!(err("{at: 1s, action: fail-pod}").path, "actions[0].pod");
        assert_eq!(
            err("{at: 1s, action: fail-pod, pod: {index: 1, name: x}}").path,
            "actions[0].pod"
        );
        assert_eq!(
            err("{at: 1s, action: fail-pod, pod: {index: 1}, exitCode: 0}").path,
            "actions[0].exitCode"
        );
        assert_eq!(err("{at: -1s, action: suspend}").path, "actions[0].at");
    }

    #[test]
    fn behaviour_resolves_rule_over_container_over_default() {
        let s = parse(FULL).unwrap();
        let b = &s.behavior;
        let rules = RuleIndex::new(&b.pods);
        let place = PodPlace {
            index: Some(2),
            ..Default::default()
        };
        let job = b.resolve(&rules, "job", &place);
        assert_eq!(
            (job.exit_code, job.run_for, job.reason.as_str()),
            (1, RunFor::For(3_000), "Error")
        );
        let proxy = b.resolve(&rules, "cloud-sql-proxy", &place);
        assert_eq!((proxy.exit_code, proxy.run_for), (0, RunFor::Forever));
        let oom = b.resolve(
            &rules,
            "job",
            &PodPlace {
                ordinal: 4,
                ..Default::default()
            },
        );
        assert_eq!((oom.exit_code, oom.reason.as_str()), (137, "OOMKilled"));
        assert_eq!((job.rule, proxy.rule, oom.rule), (Some(0), None, Some(1)));
        let plain = b.resolve(&rules, "job", &PodPlace::default());
        assert_eq!(
            plain,
            Resolved {
                rule: None,
                start_delay: 1_000,
                run_for: RunFor::For(10_000),
                exit_code: 0,
                reason: "Completed".into(),
                sigterm_delay: 0,
                sigterm_exit_code: 143
            }
        );
    }

    #[test]
    fn exit_codes_are_bytes() {
        let err = parse("scenario: v1\nmanifest: {}\nbehavior: {default: {exitCode: 300}}\n")
            .unwrap_err();
        assert_eq!(err.path, "behavior.default.exitCode");
    }
}
