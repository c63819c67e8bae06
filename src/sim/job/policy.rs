//! podFailurePolicy (pod_failure_policy.go), successPolicy
//! (success_policy.go) and the order in which active pods are deleted
//! (controller.ActivePods).

use super::backoff::api_time;
use super::indexes::IndexSet;
pub use crate::api::PodFailurePolicyAction as PolicyAction;
use crate::api::{PodFailurePolicy, SuccessPolicy};
use crate::sim::world::{ContainerKind, Phase, Pod};
use std::cmp::Ordering;

/// What `matchPodFailurePolicy` says about a failed pod.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyMatch {
    /// The rule that matched (its position in spec.podFailurePolicy.rules).
    pub rule: usize,
    pub action: PolicyAction,
    /// The FailJob condition message.
    pub message: String,
}

impl PolicyMatch {
    /// `countFailed`: only Ignore keeps a failure out of the counts.
    pub fn counts(m: &Option<PolicyMatch>) -> bool {
        !matches!(
            m,
            Some(PolicyMatch {
                action: PolicyAction::Ignore,
                ..
            })
        )
    }
}

/// `matchPodFailurePolicy`. `fail_index_enabled` is the
/// JobBackoffLimitPerIndex gate: without it a FailIndex rule is skipped.
pub fn match_pod_failure_policy(
    policy: Option<&PodFailurePolicy>,
    pod: &Pod,
    namespace: &str,
    fail_index_enabled: bool,
) -> Option<PolicyMatch> {
    let policy = policy?;
    for (i, rule) in policy.rules.iter().enumerate() {
        let matched = if let Some(on_exit) = &rule.on_exit_codes {
            // App containers first, then init containers.
            let ordered = pod.regular_containers().chain(
                pod.containers
                    .iter()
                    .filter(|c| c.kind != ContainerKind::Regular),
            );
            ordered
                .filter_map(|c| c.terminated().map(|(code, _, _)| (&*c.name, code)))
                .find(|&(name, code)| {
                    code != 0
                        && on_exit.container_name.as_deref().is_none_or(|n| n == name)
                        && on_exit
                            .operator
                            .is_some_and(|op| op.matches(code, &on_exit.values))
                })
                .map(|(name, code)| {
                    format!("Container {name} for pod {namespace}/{} failed with exit code {code} matching FailJob rule at index {i}", pod.name)
                })
        } else {
            pod.conditions
                .iter()
                .find(|c| {
                    rule.on_pod_conditions.iter().any(|p| {
                        p.type_ == c.type_()
                            && (p.status.as_deref().unwrap_or("True") == "True") == c.status
                    })
                })
                .map(|c| {
                    format!(
                        "Pod {namespace}/{} has condition {} matching FailJob rule at index {i}",
                        pod.name,
                        c.type_()
                    )
                })
        };
        let Some(message) = matched else { continue };
        // FailIndex counts only with BackoffLimitPerIndex on.
        let action = match rule.action {
            Some(PolicyAction::FailIndex) if !fail_index_enabled => continue,
            Some(action) => action,
            None => continue,
        };
        return Some(PolicyMatch {
            rule: i,
            action,
            message,
        });
    }
    None
}

/// `matchSuccessPolicy`: the first rule met by the succeeded indexes, with
/// the condition message `Matched rules at index <i>`.
pub fn match_success_policy(
    policy: Option<&SuccessPolicy>,
    completions: u32,
    succeeded: &IndexSet,
) -> Option<(usize, String)> {
    let policy = policy?;
    if succeeded.is_empty() {
        return None;
    }
    for (i, rule) in policy.rules.iter().enumerate() {
        let met = match &rule.succeeded_indexes {
            Some(text) => {
                let wanted = IndexSet::parse(text, completions);
                if wanted.is_empty() {
                    continue;
                }
                let done = wanted
                    .intervals()
                    .iter()
                    .flat_map(|&(a, b)| a..=b)
                    .filter(|&x| succeeded.contains(x))
                    .count() as u64;
                done == wanted.total()
                    || rule
                        .succeeded_count
                        .is_some_and(|n| done >= n.max(0) as u64)
            }
            None => rule
                .succeeded_count
                .is_some_and(|n| succeeded.total() >= n.max(0) as u64),
        };
        if met {
            return Some((i, format!("Matched rules at index {i}")));
        }
    }
    None
}

/// `controller.ActivePods.Less`: which active pod is deleted first
/// (`Ordering::Less` = `a` first). Every simulated pod is scheduled, so
/// the unassigned rule never applies; ties go to the newer pod (upstream
/// leaves them unordered; the simulation must be deterministic).
pub fn deletion_order(a: &Pod, b: &Pod) -> Ordering {
    let phase_rank = |p: &Pod| match p.phase {
        Phase::Pending => 0,
        _ => 2,
    };
    // Ready and creation times are metav1.Time: whole seconds.
    let ready_time = |p: &Pod| {
        p.condition(super::super::world::PodText::Ready)
            .filter(|c| c.status)
            .map(|c| api_time(c.last_transition_time))
    };
    let max_restarts = |p: &Pod, sidecar: bool| {
        p.containers
            .iter()
            .filter(|c| {
                (c.kind == ContainerKind::Sidecar) == sidecar && c.kind != ContainerKind::Init
            })
            .map(|c| c.restart_count)
            .max()
            .unwrap_or(0)
    };
    phase_rank(a)
        .cmp(&phase_rank(b))
        .then_with(|| a.is_ready().cmp(&b.is_ready()))
        // Both ready: the more recently ready first.
        .then_with(|| ready_time(b).cmp(&ready_time(a)))
        .then_with(|| max_restarts(b, false).cmp(&max_restarts(a, false)))
        .then_with(|| max_restarts(b, true).cmp(&max_restarts(a, true)))
        .then_with(|| api_time(b.created_at).cmp(&api_time(a.created_at)))
        .then_with(|| b.ordinal.cmp(&a.ordinal))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::SuccessPolicyRule;

    fn policy(rules: &[(Option<&str>, Option<i32>)]) -> SuccessPolicy {
        SuccessPolicy {
            rules: rules
                .iter()
                .map(|(idx, count)| SuccessPolicyRule {
                    succeeded_indexes: idx.map(str::to_string),
                    succeeded_count: *count,
                })
                .collect(),
        }
    }

    #[test]
    fn success_policy_rules() {
        // success_policy_test.go cases: all listed indexes, or a count of them.
        let done: IndexSet = [0, 2, 3].into_iter().collect();
        let p = policy(&[(Some("0-1"), None), (Some("0-3"), Some(3))]);
        assert_eq!(
            match_success_policy(Some(&p), 10, &done),
            Some((1, "Matched rules at index 1".into()))
        );
        let p = policy(&[(None, Some(4))]);
        assert_eq!(match_success_policy(Some(&p), 10, &done), None);
        let p = policy(&[(None, Some(3))]);
        assert_eq!(
            match_success_policy(Some(&p), 10, &done).map(|m| m.0),
            Some(0)
        );
        let p = policy(&[(Some("0,2"), None)]);
        assert!(match_success_policy(Some(&p), 10, &done).is_some());
        assert!(match_success_policy(Some(&p), 10, &IndexSet::default()).is_none());
    }
}
