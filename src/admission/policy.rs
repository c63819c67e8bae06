//! `validatePodFailurePolicy` and `validateSuccessPolicy` (batch
//! validation), on the tree.

use super::names;
use super::tree::{Seen, get, int_at, list, str_at};
use super::validation::{FieldError, go_quote, sorted};
use crate::api::{ExitCodesOperator, PodFailurePolicyAction};
use crate::yaml::Value;

/// Go's `%q` of a []string: `["A" "B"]`.
fn go_quoted_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| go_quote(s)).collect();
    format!("[{}]", quoted.join(" "))
}

pub fn pod_failure_policy(errs: &mut Vec<FieldError>, spec: &Value, policy: &Value, path: &str) {
    let rules = list(policy, "rules");
    let rules_path = format!("{path}.rules");
    if rules.len() > 20 {
        errs.push(FieldError::too_many(&rules_path, rules.len(), 20));
    }
    let pod = get(spec, "template").and_then(|t| get(t, "spec"));
    let mut containers = Seen::default();
    containers.extend(
        ["containers", "initContainers"]
            .iter()
            .flat_map(|k| pod.map_or(&[][..], |p| list(p, k)))
            .map(|c| str_at(c, "name").unwrap_or("")),
    );
    let actions = sorted(PodFailurePolicyAction::NAMES);
    for (i, rule) in rules.iter().enumerate() {
        let at = format!("{rules_path}[{i}]");
        let action = str_at(rule, "action").unwrap_or("");
        let action_path = format!("{at}.action");
        match action {
            "" => errs.push(FieldError::required(
                action_path,
                format!("valid values: {}", go_quoted_list(&actions)),
            )),
            "FailIndex" => {
                if int_at(spec, "backoffLimitPerIndex").is_none() {
                    errs.push(FieldError::invalid_str(
                        action_path,
                        action,
                        "requires the backoffLimitPerIndex to be set",
                    ));
                }
            }
            a if PodFailurePolicyAction::parse(a).is_none() => {
                errs.push(FieldError::unsupported(action_path, a, &actions));
            }
            _ => {}
        }
        let exit_codes = get(rule, "onExitCodes");
        if let Some(codes) = exit_codes {
            on_exit_codes(errs, codes, &containers, &format!("{at}.onExitCodes"));
        }
        let conditions = list(rule, "onPodConditions");
        if !conditions.is_empty() {
            on_pod_conditions(errs, conditions, &format!("{at}.onPodConditions"));
        }
        match (exit_codes.is_some(), conditions.is_empty()) {
            (true, false) => errs.push(FieldError::invalid_omit_value(
                &at,
                "specifying both OnExitCodes and OnPodConditions is not supported",
            )),
            (false, true) => errs.push(FieldError::invalid_omit_value(
                &at,
                "specifying one of OnExitCodes and OnPodConditions is required",
            )),
            _ => {}
        }
    }
}

fn on_exit_codes(errs: &mut Vec<FieldError>, codes: &Value, containers: &Seen, path: &str) {
    let operator = str_at(codes, "operator").unwrap_or("");
    match operator {
        "" => errs.push(FieldError::required(
            format!("{path}.operator"),
            format!(
                "valid values: {}",
                go_quoted_list(&ExitCodesOperator::NAMES)
            ),
        )),
        other if ExitCodesOperator::parse(other).is_none() => errs.push(FieldError::unsupported(
            format!("{path}.operator"),
            other,
            &ExitCodesOperator::NAMES,
        )),
        _ => {}
    }
    if let Some(name) = get(codes, "containerName").and_then(Value::as_str)
        && !containers.contains(name)
    {
        errs.push(FieldError::invalid_str(
            format!("{path}.containerName"),
            name,
            "must be one of the container or initContainer names in the pod template",
        ));
    }
    let values: Vec<i64> = list(codes, "values")
        .iter()
        .filter_map(Value::as_i64)
        .collect();
    let values_path = format!("{path}.values");
    let go_values = match get(codes, "values") {
        None => "[]int32(nil)".to_string(),
        Some(_) => {
            let v: Vec<String> = values.iter().map(i64::to_string).collect();
            format!("[]int32{{{}}}", v.join(", "))
        }
    };
    if values.is_empty() {
        errs.push(FieldError::invalid(
            &values_path,
            go_values.clone(),
            "at least one value is required",
        ));
    } else if values.len() > 255 {
        errs.push(FieldError::too_many(&values_path, values.len(), 255));
    }
    let mut seen = Seen::default();
    let mut ordered = true;
    for (j, &v) in values.iter().enumerate() {
        let at = format!("{values_path}[{j}]");
        if operator == "In" && v == 0 {
            errs.push(FieldError::invalid(
                &at,
                "0",
                "must not be 0 for the In operator",
            ));
        }
        if !seen.insert(&v.to_string()) {
            errs.push(FieldError::duplicate(&at, v.to_string()));
        }
        if j > 0 && values[j - 1] > v {
            ordered = false;
        }
    }
    if !ordered {
        errs.push(FieldError::invalid(
            values_path,
            go_values,
            "must be ordered",
        ));
    }
}

fn on_pod_conditions(errs: &mut Vec<FieldError>, patterns: &[Value], path: &str) {
    const STATUSES: [&str; 3] = ["False", "True", "Unknown"];
    if patterns.len() > 20 {
        errs.push(FieldError::too_many(path, patterns.len(), 20));
    }
    for (j, p) in patterns.iter().enumerate() {
        let at = format!("{path}[{j}]");
        let kind = str_at(p, "type").unwrap_or("");
        for m in names::label_key(kind) {
            errs.push(FieldError::invalid_str(format!("{at}.type"), kind, m));
        }
        match str_at(p, "status").unwrap_or("") {
            "" => errs.push(FieldError::required(
                format!("{at}.status"),
                format!("valid values: {}", go_quoted_list(&STATUSES)),
            )),
            s if !STATUSES.contains(&s) => errs.push(FieldError::unsupported(
                format!("{at}.status"),
                s,
                &STATUSES,
            )),
            _ => {}
        }
    }
}

pub fn success_policy(errs: &mut Vec<FieldError>, spec: &Value, policy: &Value, path: &str) {
    let rules = list(policy, "rules");
    let rules_path = format!("{path}.rules");
    if rules.is_empty() {
        errs.push(FieldError::required(
            &rules_path,
            "at least one rules must be specified when the successPolicy is specified",
        ));
    }
    if rules.len() > 20 {
        errs.push(FieldError::too_many(&rules_path, rules.len(), 20));
    }
    let completions = int_at(spec, "completions");
    for (i, rule) in rules.iter().enumerate() {
        let at = format!("{rules_path}[{i}]");
        let indexes = get(rule, "succeededIndexes").and_then(Value::as_str);
        let count = int_at(rule, "succeededCount");
        if indexes.is_none() && count.is_none() {
            errs.push(FieldError::required(
                &at,
                "at least one of succeededCount or succeededIndexes must be specified",
            ));
        }
        let mut total = 0;
        if let Some(indexes) = indexes {
            let p = format!("{at}.succeededIndexes");
            if indexes.len() > 65_536 {
                errs.push(FieldError::too_long(&p, 65_536));
            }
            // Without completions (already an error) the index checks
            // cannot run.
            if let Some(c) = completions {
                match indexes_format(indexes, c) {
                    Ok(n) => total = n,
                    Err(e) => errs.push(FieldError::invalid_str(
                        p,
                        indexes,
                        format!("error parsing succeededIndexes: {e}"),
                    )),
                }
            }
        }
        if let Some(count) = count {
            let p = format!("{at}.succeededCount");
            if count < 0 {
                errs.push(FieldError::invalid(
                    &p,
                    count.to_string(),
                    "must be greater than or equal to 0",
                ));
            }
            if let Some(c) = completions.filter(|c| count > *c) {
                errs.push(FieldError::invalid(
                    &p,
                    count.to_string(),
                    format!(
                        "must be less than or equal to {c} (the number of specified completions)"
                    ),
                ));
            }
            if indexes.is_some() && completions.is_some() && count > total {
                errs.push(FieldError::invalid(
                    p,
                    count.to_string(),
                    format!("must be less than or equal to {total} (the number of indexes in the specified succeededIndexes field)"),
                ));
            }
        }
    }
}

/// `validateIndexesFormat`: the number of indexes, or the parse error.
pub fn indexes_format(indexes: &str, completions: i64) -> Result<i64, String> {
    if indexes.is_empty() {
        return Ok(0);
    }
    let mut total = 0;
    let mut last: Option<i64> = None;
    let parse = |s: &str| -> Result<i64, String> {
        let x: i64 = s
            .parse()
            .ok()
            .filter(|_| !s.starts_with('+'))
            .ok_or_else(|| {
                format!(
                    "cannot convert string to integer for index: {}",
                    go_quote(s)
                )
            })?;
        if x >= completions {
            return Err(format!("too large index: {}", go_quote(s)));
        }
        Ok(x)
    };
    for fragment in indexes.split(',') {
        let limits: Vec<&str> = fragment.split('-').collect();
        if limits.len() > 2 {
            return Err(format!(
                "the fragment {} violates the requirement that an index interval can have at most two parts separated by '-'",
                go_quote(fragment)
            ));
        }
        let x = parse(limits[0])?;
        if let Some(previous) = last.filter(|l| *l >= x) {
            return Err(format!(
                "non-increasing order, previous: {previous}, current: {x}"
            ));
        }
        total += 1;
        last = Some(x);
        if let Some(y) = limits.get(1) {
            let y = parse(y)?;
            if x >= y {
                return Err(format!("non-increasing order, previous: {x}, current: {y}"));
            }
            total += y - x;
            last = Some(y);
        }
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_lists() {
        assert_eq!(indexes_format("", 5), Ok(0));
        assert_eq!(indexes_format("0,2-4", 5), Ok(4));
        for (text, error) in [
            (
                "0-1-2",
                "the fragment \"0-1-2\" violates the requirement that an index interval can have at most two parts separated by '-'",
            ),
            ("a", "cannot convert string to integer for index: \"a\""),
            ("5", "too large index: \"5\""),
            ("3,1", "non-increasing order, previous: 3, current: 1"),
            ("3-3", "non-increasing order, previous: 3, current: 3"),
        ] {
            assert_eq!(indexes_format(text, 5).unwrap_err(), error, "{text}");
        }
    }
}
