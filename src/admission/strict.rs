//! The API server's strict decoding of a Job or CronJob: type errors as
//! encoding/json words them, then every unknown field.

use crate::schema::{DecodeError, Type, check as check_tree, read_table};
use crate::tables::{Table, text};

/// The API's types (www/tables/schema.txt, without its `#` comments),
/// read once.
pub fn types() -> &'static [Type] {
    static TYPES: std::sync::OnceLock<Vec<Type>> = std::sync::OnceLock::new();
    TYPES.get_or_init(|| read_table(text(Table::Schema)))
}

/// The index of a root type of the table.
fn root(name: &str) -> usize {
    types().iter().position(|t| t.name == name).unwrap_or(0)
}

/// The index of batch/v1 Job in the table.
pub fn job() -> usize {
    root("Job")
}

/// The index of batch/v1 CronJob in the table.
pub fn cron_job() -> usize {
    root("CronJob")
}

/// The decoder's message and the paths of the fields it is about.
pub fn check(value: &crate::yaml::Value, root: usize) -> Result<(), (String, Vec<String>)> {
    match check_tree(value, types(), root) {
        Ok(()) => Ok(()),
        Err(DecodeError::Unknown(unknown)) => {
            let paths: Vec<String> = unknown.into_iter().map(|(p, _)| p).collect();
            let list: Vec<String> = paths
                .iter()
                .map(|p| format!("unknown field {p:?}"))
                .collect();
            Err((format!("strict decoding error: {}", list.join(", ")), paths))
        }
        Err(DecodeError::Type(e)) => {
            let super::super::schema::TypeError {
                path,
                go_path,
                owner,
                found,
                expected,
                quantity,
                ..
            } = *e;
            let message = if quantity {
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'".to_string()
            } else if go_path.is_empty() {
                format!("json: cannot unmarshal {found} into Go value of type {expected}")
            } else {
                format!(
                    "json: cannot unmarshal {found} into Go struct field {owner}.{go_path} of type {expected}"
                )
            };
            Err((message, vec![path]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(yaml: &str) -> Result<(), (String, Vec<String>)> {
        check(&crate::yaml::parse(yaml).unwrap(), super::job())
    }

    #[test]
    fn the_table_knows_the_whole_pod_template() {
        let text = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: pi, labels: {a: b}}\nspec:\n  template:\n    spec:\n      serviceAccountName: sa\n      tolerations: [{key: k, operator: Exists, effect: NoSchedule}]\n      affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: In, values: [a]}]}]}}}\n      volumes: [{name: data, emptyDir: {sizeLimit: 1Gi}}, {name: cfg, configMap: {name: c, defaultMode: 420}}]\n      containers:\n      - name: c\n        image: busybox\n        resources: {limits: {cpu: 500m, memory: 128Mi}, requests: {cpu: 0.25}}\n        ports: [{containerPort: 80}]\n        livenessProbe: {httpGet: {path: /, port: http}, periodSeconds: 5}\n        env: [{name: A, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]\n      restartPolicy: Never\n";
        assert_eq!(job(text), Ok(()));
    }

    #[test]
    fn unknown_fields_are_all_reported_with_their_paths() {
        let e = job("spec:\n  backofLimit: 3\n  template:\n    spec:\n      containers:\n      - name: c\n        imagePullPolicyy: Always\n").unwrap_err();
        assert_eq!(
            e.0,
            "strict decoding error: unknown field \"spec.backofLimit\", unknown field \"spec.template.spec.containers[0].imagePullPolicyy\""
        );
        assert_eq!(
            e.1,
            [
                "spec.backofLimit",
                "spec.template.spec.containers[0].imagePullPolicyy"
            ]
        );
    }

    #[test]
    fn wrong_types_get_the_json_decoders_message() {
        let msg = |yaml: &str| job(yaml).unwrap_err().0;
        assert_eq!(
            msg("spec:\n  completions: many\n"),
            "json: cannot unmarshal string into Go struct field JobSpec.spec.completions of type int32"
        );
        assert_eq!(
            msg("spec:\n  parallelism: 1.5\n"),
            "json: cannot unmarshal number 1.5 into Go struct field JobSpec.spec.parallelism of type int32"
        );
        assert_eq!(
            msg("spec:\n  parallelism: 3000000000\n"),
            "json: cannot unmarshal number 3000000000 into Go struct field JobSpec.spec.parallelism of type int32"
        );
        assert_eq!(
            msg("spec:\n  template:\n    spec:\n      containers: {name: c}\n"),
            "json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container"
        );
        let e = job("spec:\n  template:\n    spec:\n      containers:\n      - image: 3\n")
            .unwrap_err();
        assert_eq!(
            e.0,
            "json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.image of type string"
        );
        assert_eq!(e.1, ["spec.template.spec.containers[0].image"]);
        assert_eq!(
            check(&crate::yaml::parse("[1]").unwrap(), super::job())
                .unwrap_err()
                .0,
            "json: cannot unmarshal array into Go value of type v1.Job"
        );
    }

    #[test]
    fn quantities_and_nested_structs() {
        assert!(
            job(
                "spec: {template: {spec: {containers: [{name: c, resources: {limits: {cpu: 2}}}]}}}"
            )
            .is_ok()
        );
        let e = job(
            "spec: {template: {spec: {containers: [{name: c, resources: {limits: {cpu: lots}}}]}}}",
        )
        .unwrap_err();
        assert!(
            e.0.starts_with("quantities must match the regular expression"),
            "{}",
            e.0
        );
        let e = job("spec: {template: {spec: {containers: [{name: c, ports: [{containerPort: 80, hostIP: [1]}]}]}}}").unwrap_err();
        assert!(e.0.contains("Go struct field ContainerPort.spec.template.spec.containers.ports.hostIP of type string"), "{}", e.0);
    }
}
