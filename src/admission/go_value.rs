//! How field.Error prints a structured bad value: the JSON of the
//! internal Go type (Go field names, no tags) from 1.34, where
//! apimachinery's `ErrorBody` tries `json.Marshal` first; before, Go's
//! `%#v` of the value (a pointer dereferenced once). `%#v` prints the
//! addresses of pointers inside, which differ on every call; where a value
//! holds one the playground prints `batch.X{...}` instead.

use super::tree::{get, str_at};
use crate::sim::profile::Profile;
use crate::yaml::Value;

/// Go's encoding/json string: HTML-safe escapes for `<`, `>` and `&`.
fn json_string(s: &str) -> String {
    crate::json::quote_with(s, |c| match c {
        '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => Some(format!("\\u{:04x}", c as u32)),
        c if (c as u32) < 0x20 => Some(format!("\\u{:04x}", c as u32)),
        _ => None,
    })
}

fn json_opt_str(v: Option<&str>) -> String {
    v.map_or("null".into(), json_string)
}

fn json_opt_int(v: &Value, key: &str) -> String {
    get(v, key)
        .and_then(Value::as_i64)
        .map_or("null".into(), |n| n.to_string())
}

/// A list field: `null` when absent (a nil slice), else its items.
fn json_list(v: &Value, key: &str, item: impl Fn(&Value) -> String) -> String {
    match get(v, key) {
        Some(Value::Sequence(items)) => {
            format!("[{}]", items.iter().map(item).collect::<Vec<_>>().join(","))
        }
        _ => "null".into(),
    }
}

/// A list field as `%#v` prints it when its items hold no pointer:
/// `[]T(nil)` when absent, `[]T{...}` else.
fn go_list(
    v: &Value,
    key: &str,
    ty: &str,
    item: impl Fn(&Value) -> Option<String>,
) -> Option<String> {
    match get(v, key) {
        Some(Value::Sequence(items)) => {
            let items: Option<Vec<String>> = items.iter().map(item).collect();
            Some(format!("[]{ty}{{{}}}", items?.join(", ")))
        }
        _ => Some(format!("[]{ty}(nil)")),
    }
}

/// `spec.successPolicy` as an error prints it.
pub fn success_policy(profile: &Profile, policy: &Value) -> String {
    if policy.is_null() {
        return "null".into();
    }
    if profile.field_values_as_json {
        let rules = json_list(policy, "rules", |r| {
            format!(
                "{{\"SucceededIndexes\":{},\"SucceededCount\":{}}}",
                json_opt_str(str_at(r, "succeededIndexes")),
                json_opt_int(r, "succeededCount")
            )
        });
        return format!("{{\"Rules\":{rules}}}");
    }
    // Every rule holds pointers.
    go_list(policy, "rules", "batch.SuccessPolicyRule", |_| None)
        .map_or("batch.SuccessPolicy{...}".into(), |rules| {
            format!("batch.SuccessPolicy{{Rules:{rules}}}")
        })
}

/// `spec.podFailurePolicy` as an error prints it.
pub fn pod_failure_policy(profile: &Profile, policy: &Value) -> String {
    if policy.is_null() {
        return "null".into();
    }
    if profile.field_values_as_json {
        let rules = json_list(policy, "rules", |r| {
            let codes = get(r, "onExitCodes").map_or("null".into(), |c| {
                format!(
                    "{{\"ContainerName\":{},\"Operator\":{},\"Values\":{}}}",
                    json_opt_str(str_at(c, "containerName")),
                    json_string(str_at(c, "operator").unwrap_or("")),
                    json_list(c, "values", |v| v.as_i64().unwrap_or(0).to_string())
                )
            });
            let conditions = json_list(r, "onPodConditions", |p| {
                format!(
                    "{{\"Type\":{},\"Status\":{}}}",
                    json_string(str_at(p, "type").unwrap_or("")),
                    json_string(str_at(p, "status").unwrap_or(""))
                )
            });
            format!(
                "{{\"Action\":{},\"OnExitCodes\":{codes},\"OnPodConditions\":{conditions}}}",
                json_string(str_at(r, "action").unwrap_or(""))
            )
        });
        return format!("{{\"Rules\":{rules}}}");
    }
    // A rule with onExitCodes holds a pointer; the others print in full.
    let rule = |r: &Value| -> Option<String> {
        if get(r, "onExitCodes").is_some() {
            return None;
        }
        let conditions = go_list(
            r,
            "onPodConditions",
            "batch.PodFailurePolicyOnPodConditionsPattern",
            |p| {
                Some(format!(
                    "batch.PodFailurePolicyOnPodConditionsPattern{{Type:{}, Status:{}}}",
                    super::go_quote(str_at(p, "type").unwrap_or("")),
                    super::go_quote(str_at(p, "status").unwrap_or(""))
                ))
            },
        )?;
        Some(format!(
            "batch.PodFailurePolicyRule{{Action:{}, OnExitCodes:(*batch.PodFailurePolicyOnExitCodesRequirement)(nil), OnPodConditions:{conditions}}}",
            super::go_quote(str_at(r, "action").unwrap_or(""))
        ))
    };
    go_list(policy, "rules", "batch.PodFailurePolicyRule", rule)
        .map_or("batch.PodFailurePolicy{...}".into(), |rules| {
            format!("batch.PodFailurePolicy{{Rules:{rules}}}")
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::profile::profile;

    fn yaml(s: &str) -> Value {
        crate::yaml::parse(s).unwrap()
    }

    #[test]
    fn json_from_1_34() {
        let p = profile("1.34").unwrap();
        assert_eq!(
            success_policy(&p, &yaml("{rules: [{succeededIndexes: 0-2}]}")),
            r#"{"Rules":[{"SucceededIndexes":"0-2","SucceededCount":null}]}"#
        );
        assert_eq!(success_policy(&p, &yaml("{}")), r#"{"Rules":null}"#);
        assert_eq!(success_policy(&p, &yaml("{rules: []}")), r#"{"Rules":[]}"#);
        assert_eq!(
            pod_failure_policy(
                &p,
                &yaml(
                    "{rules: [{action: FailJob, onExitCodes: {operator: In, values: [42]}}, {action: Ignore, onPodConditions: [{type: DisruptionTarget, status: 'True'}]}]}"
                )
            ),
            r#"{"Rules":[{"Action":"FailJob","OnExitCodes":{"ContainerName":null,"Operator":"In","Values":[42]},"OnPodConditions":null},{"Action":"Ignore","OnExitCodes":null,"OnPodConditions":[{"Type":"DisruptionTarget","Status":"True"}]}]}"#
        );
        assert_eq!(json_string("a<b&c"), r#""a\u003cb\u0026c""#);
    }

    #[test]
    fn go_syntax_before_1_34_unless_a_pointer_is_inside() {
        let p = profile("1.33").unwrap();
        assert_eq!(
            success_policy(&p, &yaml("{rules: []}")),
            "batch.SuccessPolicy{Rules:[]batch.SuccessPolicyRule{}}"
        );
        assert_eq!(
            success_policy(&p, &yaml("{}")),
            "batch.SuccessPolicy{Rules:[]batch.SuccessPolicyRule(nil)}"
        );
        assert_eq!(
            success_policy(&p, &yaml("{rules: [{succeededCount: 1}]}")),
            "batch.SuccessPolicy{...}"
        );
        assert_eq!(
            pod_failure_policy(
                &p,
                &yaml(
                    "{rules: [{action: Ignore, onPodConditions: [{type: DisruptionTarget, status: 'True'}]}]}"
                )
            ),
            "batch.PodFailurePolicy{Rules:[]batch.PodFailurePolicyRule{batch.PodFailurePolicyRule{Action:\"Ignore\", OnExitCodes:(*batch.PodFailurePolicyOnExitCodesRequirement)(nil), OnPodConditions:[]batch.PodFailurePolicyOnPodConditionsPattern{batch.PodFailurePolicyOnPodConditionsPattern{Type:\"DisruptionTarget\", Status:\"True\"}}}}}"
        );
        assert_eq!(
            pod_failure_policy(
                &p,
                &yaml("{rules: [{action: FailJob, onExitCodes: {operator: In, values: [1]}}]}")
            ),
            "batch.PodFailurePolicy{...}"
        );
    }
}
