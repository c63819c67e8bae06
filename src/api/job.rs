//! batch/v1 Job and the parts of core/v1 it embeds, as far as the
//! simulation reads them. Fields the simulation does not read are not
//! modelled (admission checks them on the tree). Each type is read from a
//! YAML tree that has passed the schema check (`admission::strict`), by
//! hand rather than by serde derives: one small reader per type instead of
//! a serde visitor each keeps the wasm smaller.

use super::{
    CompletionMode, ExitCodesOperator, PodFailurePolicyAction, PodReplacementPolicy,
    RestartRuleAction,
};
use crate::admission::tree::{bool_at, get, int_at, list, str_at, string_map};
use crate::yaml::Value;
use std::collections::BTreeMap;

/// metadata of any object.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ObjectMeta {
    pub name: Option<String>,
    pub generate_name: Option<String>,
    pub namespace: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
}

/// A batch/v1 Job as a user writes it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Job {
    pub api_version: Option<String>,
    pub kind: Option<String>,
    pub metadata: ObjectMeta,
    pub spec: JobSpec,
}

/// batch/v1 JobSpec.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JobSpec {
    pub parallelism: Option<i32>,
    pub completions: Option<i32>,
    pub active_deadline_seconds: Option<i64>,
    pub pod_failure_policy: Option<PodFailurePolicy>,
    pub success_policy: Option<SuccessPolicy>,
    pub backoff_limit: Option<i32>,
    pub backoff_limit_per_index: Option<i32>,
    pub max_failed_indexes: Option<i32>,
    pub selector: Option<LabelSelector>,
    pub manual_selector: Option<bool>,
    pub template: PodTemplateSpec,
    pub ttl_seconds_after_finished: Option<i32>,
    pub completion_mode: Option<CompletionMode>,
    pub suspend: Option<bool>,
    pub pod_replacement_policy: Option<PodReplacementPolicy>,
    pub managed_by: Option<String>,
}

impl JobSpec {
    /// `completionMode: Indexed` (admission defaults it to NonIndexed).
    pub fn is_indexed(&self) -> bool {
        self.completion_mode == Some(CompletionMode::Indexed)
    }
}

/// meta/v1 LabelSelector (matchLabels only is what Jobs generate).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LabelSelector {
    pub match_labels: BTreeMap<String, String>,
}

/// batch/v1 PodFailurePolicy.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PodFailurePolicy {
    pub rules: Vec<PodFailurePolicyRule>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct PodFailurePolicyRule {
    /// None only for a value the API server refuses (admission runs first).
    pub action: Option<PodFailurePolicyAction>,
    pub on_exit_codes: Option<OnExitCodes>,
    pub on_pod_conditions: Vec<OnPodCondition>,
}

/// The operator of an exit-code rule (`onExitCodes` of a pod failure
/// policy, `exitCodes` of a container restart rule).
impl ExitCodesOperator {
    /// Whether `code` is (In) or is not (NotIn) one of `values`.
    pub fn matches(self, code: i32, values: &[i32]) -> bool {
        values.contains(&code) == (self == ExitCodesOperator::In)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct OnExitCodes {
    pub container_name: Option<String>,
    /// None only for a value the API server refuses.
    pub operator: Option<ExitCodesOperator>,
    pub values: Vec<i32>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct OnPodCondition {
    pub type_: String,
    /// Defaults to "True".
    pub status: Option<String>,
}

/// batch/v1 SuccessPolicy.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SuccessPolicy {
    pub rules: Vec<SuccessPolicyRule>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SuccessPolicyRule {
    pub succeeded_indexes: Option<String>,
    pub succeeded_count: Option<i32>,
}

/// core/v1 PodTemplateSpec.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PodTemplateSpec {
    pub metadata: ObjectMeta,
    pub spec: PodSpec,
}

/// core/v1 PodSpec.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PodSpec {
    pub containers: Vec<Container>,
    pub init_containers: Vec<Container>,
    pub restart_policy: Option<String>,
    pub termination_grace_period_seconds: Option<i64>,
    pub active_deadline_seconds: Option<i64>,
}

/// core/v1 Container.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Container {
    pub name: String,
    pub image: Option<String>,
    /// On an init container `Always` makes it a native sidecar; with
    /// ContainerRestartRules any container may set it, and its rules.
    pub restart_policy: Option<String>,
    pub restart_policy_rules: Vec<ContainerRestartRule>,
    pub env: Vec<EnvVar>,
}

/// core/v1 ContainerRestartRule: on a matching exit, the kubelet restarts
/// the container (or all of the pod's containers) in place.
#[derive(Clone, Debug, PartialEq)]
pub struct ContainerRestartRule {
    pub action: RestartRuleAction,
    /// Admission requires it; a rule without it never matches.
    pub exit_codes: Option<RestartRuleExitCodes>,
}

/// core/v1 ContainerRestartRuleOnExitCodes.
#[derive(Clone, Debug, PartialEq)]
pub struct RestartRuleExitCodes {
    pub operator: ExitCodesOperator,
    pub values: Vec<i32>,
}

impl RestartRuleExitCodes {
    pub fn matches(&self, code: i32) -> bool {
        self.operator.matches(code, &self.values)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct EnvVar {
    pub name: String,
    pub value: Option<String>,
    pub value_from: Option<EnvVarSource>,
}

/// core/v1 EnvVarSource (the downward API part the Job controller uses).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EnvVarSource {
    pub field_ref: Option<ObjectFieldSelector>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ObjectFieldSelector {
    pub field_path: String,
}

impl Container {
    /// `FindMatchingContainerRestartRule`: the first rule whose exit codes
    /// match (rules apply only with the container's own restartPolicy).
    pub fn matching_restart_rule(&self, code: i32) -> Option<(usize, &ContainerRestartRule)> {
        self.restart_policy.as_ref()?;
        self.restart_policy_rules
            .iter()
            .enumerate()
            .find(|(_, r)| r.exit_codes.as_ref().is_some_and(|c| c.matches(code)))
    }

    /// A native sidecar: an init container with `restartPolicy: Always`.
    pub fn is_sidecar(&self) -> bool {
        self.restart_policy.as_deref() == Some("Always")
    }
}

fn string(v: &Value, key: &str) -> Option<String> {
    str_at(v, key).map(str::to_string)
}

fn int32(v: &Value, key: &str) -> Option<i32> {
    int_at(v, key).and_then(|n| i32::try_from(n).ok())
}

/// A list of integers that fit int32 (admission refused any other).
fn int32_list(v: &Value, key: &str) -> Vec<i32> {
    list(v, key)
        .iter()
        .filter_map(|n| n.as_i64().and_then(|n| i32::try_from(n).ok()))
        .collect()
}

fn map(v: &Value, key: &str) -> BTreeMap<String, String> {
    // `extend` inserts one by one; `collect` would sort with another copy
    // of the standard library's sort in the wasm.
    let mut map = BTreeMap::new();
    map.extend(string_map(v, key));
    map
}

fn child<'a>(v: &'a Value, key: &str) -> &'a Value {
    get(v, key).unwrap_or(&Value::Null)
}

fn each<T>(v: &Value, key: &str, read: fn(&Value) -> T) -> Vec<T> {
    list(v, key).iter().map(read).collect()
}

impl ObjectMeta {
    pub fn read(v: &Value) -> ObjectMeta {
        ObjectMeta {
            name: string(v, "name"),
            generate_name: string(v, "generateName"),
            namespace: string(v, "namespace"),
            labels: map(v, "labels"),
            annotations: map(v, "annotations"),
        }
    }
}

impl Job {
    pub fn read(v: &Value) -> Job {
        Job {
            api_version: string(v, "apiVersion"),
            kind: string(v, "kind"),
            metadata: ObjectMeta::read(child(v, "metadata")),
            spec: JobSpec::read(child(v, "spec")),
        }
    }
}

impl JobSpec {
    pub fn read(v: &Value) -> JobSpec {
        JobSpec {
            parallelism: int32(v, "parallelism"),
            completions: int32(v, "completions"),
            active_deadline_seconds: int_at(v, "activeDeadlineSeconds"),
            pod_failure_policy: get(v, "podFailurePolicy").map(|p| PodFailurePolicy {
                rules: each(p, "rules", |r| PodFailurePolicyRule {
                    action: str_at(r, "action").and_then(PodFailurePolicyAction::parse),
                    on_exit_codes: get(r, "onExitCodes").map(|c| OnExitCodes {
                        container_name: string(c, "containerName"),
                        operator: str_at(c, "operator").and_then(ExitCodesOperator::parse),
                        values: int32_list(c, "values"),
                    }),
                    on_pod_conditions: each(r, "onPodConditions", |p| OnPodCondition {
                        type_: str_at(p, "type").unwrap_or_default().to_string(),
                        status: string(p, "status"),
                    }),
                }),
            }),
            success_policy: get(v, "successPolicy").map(|p| SuccessPolicy {
                rules: each(p, "rules", |r| SuccessPolicyRule {
                    succeeded_indexes: string(r, "succeededIndexes"),
                    succeeded_count: int32(r, "succeededCount"),
                }),
            }),
            backoff_limit: int32(v, "backoffLimit"),
            backoff_limit_per_index: int32(v, "backoffLimitPerIndex"),
            max_failed_indexes: int32(v, "maxFailedIndexes"),
            selector: get(v, "selector").map(|s| LabelSelector {
                match_labels: map(s, "matchLabels"),
            }),
            manual_selector: bool_at(v, "manualSelector"),
            template: PodTemplateSpec::read(child(v, "template")),
            ttl_seconds_after_finished: int32(v, "ttlSecondsAfterFinished"),
            completion_mode: str_at(v, "completionMode").and_then(CompletionMode::parse),
            suspend: bool_at(v, "suspend"),
            pod_replacement_policy: str_at(v, "podReplacementPolicy")
                .and_then(PodReplacementPolicy::parse),
            managed_by: string(v, "managedBy"),
        }
    }
}

impl PodTemplateSpec {
    pub fn read(v: &Value) -> PodTemplateSpec {
        let spec = child(v, "spec");
        PodTemplateSpec {
            metadata: ObjectMeta::read(child(v, "metadata")),
            spec: PodSpec {
                containers: each(spec, "containers", Container::read),
                init_containers: each(spec, "initContainers", Container::read),
                restart_policy: string(spec, "restartPolicy"),
                termination_grace_period_seconds: int_at(spec, "terminationGracePeriodSeconds"),
                active_deadline_seconds: int_at(spec, "activeDeadlineSeconds"),
            },
        }
    }
}

impl Container {
    fn read(v: &Value) -> Container {
        Container {
            name: str_at(v, "name").unwrap_or_default().to_string(),
            image: string(v, "image"),
            restart_policy: string(v, "restartPolicy"),
            restart_policy_rules: each(v, "restartPolicyRules", |r| ContainerRestartRule {
                // Admission has refused any other action.
                action: str_at(r, "action")
                    .and_then(RestartRuleAction::parse)
                    .unwrap_or(RestartRuleAction::Restart),
                exit_codes: get(r, "exitCodes").map(|c| RestartRuleExitCodes {
                    // Admission has refused any other operator.
                    operator: str_at(c, "operator")
                        .and_then(ExitCodesOperator::parse)
                        .unwrap_or(ExitCodesOperator::NotIn),
                    values: int32_list(c, "values"),
                }),
            }),
            env: each(v, "env", |e| EnvVar {
                name: str_at(e, "name").unwrap_or_default().to_string(),
                value: string(e, "value"),
                value_from: get(e, "valueFrom").map(|f| EnvVarSource {
                    field_ref: get(f, "fieldRef").map(|r| ObjectFieldSelector {
                        field_path: str_at(r, "fieldPath").unwrap_or_default().to_string(),
                    }),
                }),
            }),
        }
    }
}
