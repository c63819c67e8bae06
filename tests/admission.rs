//! Admission as kubectl reports it: each expected text was taken from the
//! upstream source (pkg/apis/batch/validation, pkg/apis/core/validation,
//! apimachinery's validators and field.Error formatting, kubectl's
//! checkErr) or from a real kubectl transcript, not from this code.

use jobsim::admission::{AdmissionError, admit_job, check_manifest};
use jobsim::sim::profile::newest;
use jobsim::yaml::Value;

/// A Job manifest with `spec` lines (under the Job's spec), `pod` lines
/// (under the pod template's spec) and `container` lines (in its one
/// container, busybox `main`), each at any indentation.
#[derive(Default)]
struct JobManifest {
    name: String,
    spec: String,
    pod: String,
    container: String,
}

impl JobManifest {
    fn new(name: &str) -> JobManifest {
        JobManifest {
            name: name.into(),
            ..JobManifest::default()
        }
    }

    fn spec(self, spec: &str) -> JobManifest {
        JobManifest {
            spec: spec.into(),
            ..self
        }
    }

    fn pod(self, pod: &str) -> JobManifest {
        JobManifest {
            pod: pod.into(),
            ..self
        }
    }

    fn container(self, container: &str) -> JobManifest {
        JobManifest {
            container: container.into(),
            ..self
        }
    }

    fn text(&self) -> String {
        format!(
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {}\nspec:\n{}\n  template:\n    spec:\n{}\n      containers:\n      - name: main\n        image: busybox:1.36\n{}\n",
            self.name,
            indent(&self.spec, 2),
            indent(&self.pod, 6),
            indent(&self.container, 8),
        )
    }
}

/// `text`'s lines moved so that the least indented starts at column `to`.
fn indent(text: &str, to: usize) -> String {
    let least = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    text.lines()
        .map(|l| format!("{}{}", " ".repeat(to), l.get(least..).unwrap_or("")))
        .collect::<Vec<_>>()
        .join("\n")
}

fn error(text: &str) -> String {
    match check_manifest(text, &newest()) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e.message,
    }
}

fn admitted(text: &str) -> jobsim::admission::AdmittedJob {
    let v: Value = jobsim::yaml::parse(text).unwrap();
    admit_job(&v, "uid-1", &newest()).unwrap_or_else(|e| panic!("{e}"))
}

const NEVER: &str = "      restartPolicy: Never";

#[test]
fn restart_policy_rules() {
    assert_eq!(
        error(&JobManifest::new("pi").text()),
        "The Job \"pi\" is invalid: spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""
    );
    assert_eq!(
        error(
            &JobManifest::new("pi")
                .pod("restartPolicy: Sometimes")
                .text()
        ),
        "The Job \"pi\" is invalid: \n* spec.template.spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"\n* spec.template.spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"OnFailure\", \"Never\""
    );
    assert_eq!(
        error(&JobManifest::new("pi").spec("podFailurePolicy: {rules: [{action: FailJob, onExitCodes: {operator: In, values: [1]}}]}").pod("restartPolicy: OnFailure").text()),
        "The Job \"pi\" is invalid: spec.template.spec.restartPolicy: Invalid value: \"OnFailure\": only \"Never\" is supported when podFailurePolicy is specified"
    );
}

#[test]
fn job_spec_numbers_and_modes() {
    let e = |spec: &str| error(&JobManifest::new("pi").spec(spec).pod(NEVER).text());
    assert_eq!(
        e("  parallelism: -1"),
        "The Job \"pi\" is invalid: spec.parallelism: Invalid value: -1: must be greater than or equal to 0"
    );
    // SetDefaults_Job gives completions 1 when parallelism is unset too,
    // so the error needs a parallelism.
    assert_eq!(
        e("  completionMode: Indexed\n  parallelism: 3"),
        "The Job \"pi\" is invalid: spec.completions: Required value: when completion mode is Indexed"
    );
    assert_eq!(
        e("  completionMode: Random"),
        "The Job \"pi\" is invalid: spec.completionMode: Unsupported value: \"Random\": supported values: \"NonIndexed\", \"Indexed\""
    );
    assert_eq!(
        e("  backoffLimitPerIndex: 1"),
        "The Job \"pi\" is invalid: spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode"
    );
    // Two errors for maxFailedIndexes alone on a NonIndexed Job.
    assert_eq!(
        e("  maxFailedIndexes: 2"),
        "The Job \"pi\" is invalid: \n* spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified\n* spec.maxFailedIndexes: Invalid value: 2: requires indexed completion mode"
    );
    assert_eq!(
        e("  completionMode: Indexed\n  completions: 5\n  parallelism: 100001"),
        "The Job \"pi\" is invalid: spec.parallelism: Invalid value: 100001: must be less than or equal to 100000 when completion mode is Indexed"
    );
    assert_eq!(
        e(
            "  completionMode: Indexed\n  completions: 3\n  backoffLimitPerIndex: 1\n  maxFailedIndexes: 4"
        ),
        "The Job \"pi\" is invalid: spec.maxFailedIndexes: Invalid value: 4: must be less than or equal to completions"
    );
    assert_eq!(
        e(
            "  completionMode: Indexed\n  completions: 200000\n  parallelism: 20000\n  backoffLimitPerIndex: 1"
        ),
        "The Job \"pi\" is invalid: \n* spec.maxFailedIndexes: Required value: must be specified when completions is above 100000\n* spec.parallelism: Invalid value: 20000: must be less than or equal to 10000 when completions are above 100000 and used with backoff limit per index"
    );
    assert_eq!(
        e("  podReplacementPolicy: Sometimes"),
        "The Job \"pi\" is invalid: spec.podReplacementPolicy: Unsupported value: \"Sometimes\": supported values: \"Failed\", \"TerminatingOrFailed\""
    );
    assert_eq!(
        e("  managedBy: kueue"),
        "The Job \"pi\" is invalid: spec.managedBy: Invalid value: \"kueue\": must be a domain-prefixed path (such as \"acme.io/foo\")"
    );
    assert_eq!(
        e("  successPolicy: {rules: [{succeededCount: 1}]}"),
        // From 1.34 field.Error prints a struct as the JSON of the internal
        // type (apimachinery's ErrorBody tries json.Marshal first).
        "The Job \"pi\" is invalid: spec.successPolicy: Invalid value: {\"Rules\":[{\"SucceededIndexes\":null,\"SucceededCount\":1}]}: requires indexed completion mode"
    );
}

#[test]
fn pod_failure_policy_rules() {
    let e = |policy: &str| {
        error(
            &JobManifest::new("pi")
                .spec(&format!("  podFailurePolicy: {policy}"))
                .pod(NEVER)
                .text(),
        )
    };
    assert_eq!(
        e("{rules: [{action: FailJob, onExitCodes: {operator: In, values: [0]}}]}"),
        "The Job \"pi\" is invalid: spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator"
    );
    assert_eq!(
        e("{rules: [{action: FailIndex, onExitCodes: {operator: In, values: [1]}}]}"),
        "The Job \"pi\" is invalid: spec.podFailurePolicy.rules[0].action: Invalid value: \"FailIndex\": requires the backoffLimitPerIndex to be set"
    );
    assert_eq!(
        e("{rules: [{action: '', onExitCodes: {operator: In, values: [1]}}]}"),
        "The Job \"pi\" is invalid: spec.podFailurePolicy.rules[0].action: Required value: valid values: [\"Count\" \"FailIndex\" \"FailJob\" \"Ignore\"]"
    );
    assert_eq!(
        e("{rules: [{action: Ignore}]}"),
        "The Job \"pi\" is invalid: spec.podFailurePolicy.rules[0]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required"
    );
    assert_eq!(
        e("{rules: [{action: Count, onExitCodes: {operator: NotIn, values: [3, 1, 3]}}]}"),
        "The Job \"pi\" is invalid: \n* spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Duplicate value: 3\n* spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{3, 1, 3}: must be ordered"
    );
    assert_eq!(
        e(
            "{rules: [{action: FailJob, onExitCodes: {containerName: side, operator: In, values: [1]}}]}"
        ),
        "The Job \"pi\" is invalid: spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: \"side\": must be one of the container or initContainer names in the pod template"
    );
    assert_eq!(
        e("{rules: [{action: FailJob, onExitCodes: {operator: In}}]}"),
        "The Job \"pi\" is invalid: spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32(nil): at least one value is required"
    );
}

#[test]
fn names() {
    assert_eq!(
        error(&JobManifest::new("My_Job").pod(NEVER).text()),
        // My_Job is a valid label value, so only the name fails.
        "The Job \"My_Job\" is invalid: metadata.name: Invalid value: \"My_Job\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    );
    // A 64-character name passes as a subdomain but not as a label value
    // (the job-name labels); kubectl prints the repeated line once.
    let long = "a".repeat(64);
    assert_eq!(
        error(&JobManifest::new(&long).pod(NEVER).text()),
        format!(
            "The Job \"{long}\" is invalid: spec.template.labels: Invalid value: \"{long}\": must be no more than 63 bytes"
        )
    );
    let name = "a".repeat(62);
    assert_eq!(
        error(
            &JobManifest::new(&name)
                .spec("  completionMode: Indexed\n  completions: 10")
                .pod(NEVER)
                .text()
        ),
        format!(
            "The Job \"{name}\" is invalid: metadata.name: Invalid value: \"{name}\": will not able to create pod with invalid DNS label: {name}-9"
        )
    );
    assert!(error("apiVersion: batch/v1\nkind: Job\nmetadata: {}\nspec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: i}]}}}\n")
        .starts_with("The Job \"\" is invalid: metadata.name: Required value: name or generateName is required"));
}

#[test]
fn generate_name_gives_a_name() {
    let a = admitted(
        "apiVersion: batch/v1\nkind: Job\nmetadata: {generateName: pi-}\nspec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: i}]}}}\n",
    );
    assert!(a.name.starts_with("pi-") && a.name.len() == 8, "{}", a.name);
}

#[test]
fn containers() {
    let e = |pod: &str, container: &str| {
        error(
            &JobManifest::new("pi")
                .pod(&format!("{NEVER}\n{pod}"))
                .container(container)
                .text(),
        )
    };
    assert_eq!(
        error(
            "apiVersion: batch/v1\nkind: Job\nmetadata: {name: pi}\nspec: {template: {spec: {restartPolicy: Never}}}\n"
        ),
        "The Job \"pi\" is invalid: spec.template.spec.containers: Required value"
    );
    assert_eq!(
        error(
            "apiVersion: batch/v1\nkind: Job\nmetadata: {name: pi}\nspec: {template: {spec: {restartPolicy: Never, containers: [{name: c}]}}}\n"
        ),
        "The Job \"pi\" is invalid: spec.template.spec.containers[0].image: Required value"
    );
    assert_eq!(
        error(
            "apiVersion: batch/v1\nkind: Job\nmetadata: {name: pi}\nspec: {template: {spec: {restartPolicy: Never, containers: [{name: Web_1, image: i}]}}}\n"
        ),
        "The Job \"pi\" is invalid: spec.template.spec.containers[0].name: Invalid value: \"Web_1\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    );
    assert_eq!(
        error(
            "apiVersion: batch/v1\nkind: Job\nmetadata: {name: pi}\nspec: {template: {spec: {restartPolicy: Never, initContainers: [{name: c, image: i}], containers: [{name: c, image: i}, {name: c, image: i}]}}}\n"
        ),
        "The Job \"pi\" is invalid: \n* spec.template.spec.containers[1].name: Duplicate value: \"c\"\n* spec.template.spec.initContainers[0].name: Duplicate value: \"c\""
    );
    assert_eq!(
        e("", "        volumeMounts: [{name: data, mountPath: /data}]"),
        "The Job \"pi\" is invalid: spec.template.spec.containers[0].volumeMounts[0].name: Not found: \"data\""
    );
    assert_eq!(
        e("", "        ports: [{containerPort: 70000}]"),
        "The Job \"pi\" is invalid: spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"
    );
    assert_eq!(
        e("", "        ports: [{containerPort: 80, protocol: HTTP}]"),
        "The Job \"pi\" is invalid: spec.template.spec.containers[0].ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\""
    );
    assert_eq!(
        e("", "        imagePullPolicy: Sometimes"),
        "The Job \"pi\" is invalid: spec.template.spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\""
    );
    assert_eq!(
        e(
            "",
            "        resources: {requests: {cpu: 2}, limits: {cpu: 1}}"
        ),
        "The Job \"pi\" is invalid: spec.template.spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1"
    );
    assert_eq!(
        e("", "        env: [{name: A=B, value: x}]"),
        "The Job \"pi\" is invalid: spec.template.spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='"
    );
    assert_eq!(
        e("      activeDeadlineSeconds: 0", ""),
        "The Job \"pi\" is invalid: spec.template.spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"
    );
    assert_eq!(
        e("", "        livenessProbe: {periodSeconds: 5}"),
        "The Job \"pi\" is invalid: spec.template.spec.containers[0].livenessProbe: Required value: must specify a handler type"
    );
    // An init container's own restartPolicy other than Always:
    // tests/restart_rules.rs (it depends on the release).
    assert_eq!(
        e(
            "      initContainers: [{name: init, image: i, readinessProbe: {exec: {command: [x]}}}]",
            ""
        ),
        "The Job \"pi\" is invalid: spec.template.spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always"
    );
    assert_eq!(
        e("      volumes: [{name: data, secret: {}}]", ""),
        "The Job \"pi\" is invalid: spec.template.spec.volumes[0].secret.secretName: Required value"
    );
}

#[test]
fn everything_else_in_a_real_pod_spec_is_accepted() {
    let a = admitted(&JobManifest::new("pi").pod("      restartPolicy: Never\n      serviceAccountName: runner\n      nodeSelector: {kubernetes.io/os: linux}\n      tolerations: [{key: k, operator: Exists, effect: NoSchedule}]\n      volumes: [{name: data, emptyDir: {}}, {name: cfg, configMap: {name: settings}}]").container("        resources: {requests: {cpu: 250m, memory: 64Mi}, limits: {cpu: 1, memory: 128Mi}}\n        volumeMounts: [{name: data, mountPath: /data}, {name: cfg, mountPath: /etc/cfg}]\n        env: [{name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}, {name: '1X', value: relaxed}]\n        livenessProbe: {httpGet: {path: /healthz, port: 8080}}\n        ports: [{name: http, containerPort: 8080}]").text());
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);
}

#[test]
fn strict_decoding_and_kubectl_client_errors() {
    assert_eq!(
        error(
            &JobManifest::new("pi")
                .spec("backofLimit: 3")
                .pod(NEVER)
                .text()
        ),
        "Error from server (BadRequest): error when creating \"STDIN\": Job in version \"v1\" cannot be handled as a Job: strict decoding error: unknown field \"spec.backofLimit\""
    );
    assert_eq!(
        error(
            &JobManifest::new("pi")
                .spec("  completions: \"3\"")
                .pod(NEVER)
                .text()
        ),
        "Error from server (BadRequest): error when creating \"STDIN\": Job in version \"v1\" cannot be handled as a Job: json: cannot unmarshal string into Go struct field JobSpec.spec.completions of type int32"
    );
    assert_eq!(
        error("metadata: {name: pi}\n"),
        "error: error validating \"STDIN\": error validating data: [apiVersion not set, kind not set]; if you choose to ignore these errors, turn validation off with --validate=false"
    );
    assert_eq!(
        error("apiVersion: batch/v2\nkind: Job\nmetadata: {name: pi}\n"),
        "error: resource mapping not found for name: \"pi\" namespace: \"\" from \"STDIN\": no matches for kind \"Job\" in version \"batch/v2\"\nensure CRDs are installed first"
    );
}

#[test]
fn defaults_fill_the_stored_object() {
    let a = admitted(&JobManifest::new("pi").pod(NEVER).text());
    let o = &a.object;
    assert_eq!(o["metadata"]["namespace"], "default");
    let spec = &o["spec"];
    assert_eq!(spec["backoffLimit"], 6);
    assert_eq!(
        spec["selector"]["matchLabels"]["batch.kubernetes.io/controller-uid"],
        "uid-1"
    );
    let labels = &spec["template"]["metadata"]["labels"];
    for (k, v) in [
        ("batch.kubernetes.io/controller-uid", "uid-1"),
        ("batch.kubernetes.io/job-name", "pi"),
        ("controller-uid", "uid-1"),
        ("job-name", "pi"),
    ] {
        assert_eq!(labels[k], v);
        // Defaulting on read gives the unlabelled Job its template's labels.
        assert_eq!(a.labels[k], v);
    }
    let c = &spec["template"]["spec"]["containers"][0];
    assert_eq!(c["imagePullPolicy"], "IfNotPresent");
    assert_eq!(c["resources"], Value::Mapping(Default::default()));
    assert_eq!(
        spec["template"]["spec"]["securityContext"],
        Value::Mapping(Default::default())
    );
    assert_eq!(
        spec["template"]["metadata"]["creationTimestamp"],
        Value::Null
    );
}

#[test]
fn a_conflicting_generated_label_or_a_manual_selector() {
    let text = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: pi}\nspec:\n  template:\n    metadata: {labels: {job-name: other}}\n    spec: {restartPolicy: Never, containers: [{name: c, image: i}]}\n";
    let uid = "5eed0001-0001-4001-8001-000000000001";
    assert_eq!(
        error(text),
        format!(
            "The Job \"pi\" is invalid: spec.template.metadata.labels[job-name]: Invalid value: map[string]string{{\"batch.kubernetes.io/controller-uid\":\"{uid}\", \"batch.kubernetes.io/job-name\":\"pi\", \"controller-uid\":\"{uid}\", \"job-name\":\"other\"}}: must be 'pi'"
        )
    );
    let text = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: pi}\nspec:\n  manualSelector: true\n  selector: {matchLabels: {app: x}}\n  template:\n    metadata: {labels: {app: y}}\n    spec: {restartPolicy: Never, containers: [{name: c, image: i}]}\n";
    assert_eq!(
        error(text),
        "The Job \"pi\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"y\"}: `selector` does not match template `labels`"
    );
    let text = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: pi}\nspec:\n  manualSelector: true\n  template:\n    metadata: {labels: {app: y}}\n    spec: {restartPolicy: Never, containers: [{name: c, image: i}]}\n";
    assert_eq!(
        error(text),
        "The Job \"pi\" is invalid: \n* spec.selector: Required value\n* spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"y\"}: `selector` does not match template `labels`"
    );
}

#[test]
fn warnings_come_with_an_accepted_job() {
    let a = admitted(
        &JobManifest::new("my.job")
            .pod(&format!("{NEVER}\n      terminationGracePeriodSeconds: -5"))
            .text(),
    );
    assert_eq!(
        a.warnings,
        [
            "metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]",
            "spec.template.spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1",
        ]
    );
}

#[test]
fn the_api_servers_own_message_uses_brackets() {
    let v: Value = jobsim::yaml::parse(
        &JobManifest::new("pi")
            .spec("  parallelism: -1\n  completions: -2")
            .pod(NEVER)
            .text(),
    )
    .unwrap();
    let AdmissionError::Invalid(e) = admit_job(&v, "u", &newest()).unwrap_err() else {
        panic!("not an Invalid error")
    };
    assert_eq!(
        e.api_message(),
        "Job.batch \"pi\" is invalid: [spec.parallelism: Invalid value: -1: must be greater than or equal to 0, spec.completions: Invalid value: -2: must be greater than or equal to 0]"
    );
}

fn cron_job(name: &str, spec: &str) -> String {
    format!(
        "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: {name}\nspec:\n{spec}\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers: [{{name: hello, image: busybox:1.28}}]\n"
    )
}

#[test]
fn cron_job_schedules() {
    let e = |schedule: &str| error(&cron_job("hello", &format!("  schedule: {schedule:?}")));
    assert_eq!(
        e("* * * *"),
        "The CronJob \"hello\" is invalid: spec.schedule: Invalid value: \"* * * *\": expected exactly 5 fields, found 4: [* * * *]"
    );
    assert_eq!(
        e("61 * * * *"),
        "The CronJob \"hello\" is invalid: spec.schedule: Invalid value: \"61 * * * *\": end of range (61) above maximum (59): 61"
    );
    assert_eq!(
        e("CRON_TZ=UTC * * * * *"),
        "The CronJob \"hello\" is invalid: spec.schedule: Invalid value: \"CRON_TZ=UTC * * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead"
    );
    assert_eq!(
        e(""),
        "The CronJob \"hello\" is invalid: spec.schedule: Required value"
    );
    assert_eq!(
        e("@reboot"),
        "The CronJob \"hello\" is invalid: spec.schedule: Invalid value: \"@reboot\": unrecognized descriptor: @reboot"
    );
}

#[test]
fn cron_job_fields() {
    let e = |spec: &str| {
        error(&cron_job(
            "hello",
            &format!("  schedule: '*/1 * * * *'\n{spec}"),
        ))
    };
    assert_eq!(
        e("  concurrencyPolicy: Sometimes"),
        "The CronJob \"hello\" is invalid: spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values: \"Allow\", \"Forbid\", \"Replace\""
    );
    assert_eq!(
        e("  startingDeadlineSeconds: -5"),
        "The CronJob \"hello\" is invalid: spec.startingDeadlineSeconds: Invalid value: -5: must be greater than or equal to 0"
    );
    assert_eq!(
        e("  timeZone: Mars/Olympus"),
        "The CronJob \"hello\" is invalid: spec.timeZone: Invalid value: \"Mars/Olympus\": unknown time zone Mars/Olympus"
    );
    assert_eq!(
        e("  timeZone: ''"),
        "The CronJob \"hello\" is invalid: spec.timeZone: Invalid value: \"\": timeZone must be nil or non-empty string"
    );
    assert_eq!(
        e("  timeZone: Local"),
        "The CronJob \"hello\" is invalid: spec.timeZone: Invalid value: \"Local\": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"
    );
    assert_eq!(
        e("  failedJobsHistoryLimit: -1"),
        "The CronJob \"hello\" is invalid: spec.failedJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0"
    );
    let long = "c".repeat(53);
    assert_eq!(
        error(&cron_job(&long, "  schedule: '@hourly'")),
        format!(
            "The CronJob \"{long}\" is invalid: metadata.name: Invalid value: \"{long}\": must be no more than 52 characters"
        )
    );
    // The job template is validated as a JobSpec under its own path.
    let text = cron_job("hello", "  schedule: '@hourly'")
        .replace("restartPolicy: OnFailure", "restartPolicy: Always");
    assert_eq!(
        error(&text),
        "The CronJob \"hello\" is invalid: spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""
    );
    let text = cron_job("hello", "  schedule: '@hourly'").replace(
        "    spec:\n      template:",
        "    spec:\n      manualSelector: true\n      template:",
    );
    assert_eq!(
        error(&text),
        "The CronJob \"hello\" is invalid: spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: \"nil\", \"false\""
    );
}

#[test]
fn a_cron_job_is_stored_with_its_defaults() {
    let v: Value = jobsim::yaml::parse(&cron_job(
        "hello",
        "  schedule: '*/1 * * * *'\n  timeZone: Asia/Tokyo",
    ))
    .unwrap();
    let Ok(jobsim::admission::Admitted::CronJob(c)) = jobsim::admission::admit(&v, "u", &newest())
    else {
        panic!("not admitted")
    };
    let spec = &c.object["spec"];
    assert_eq!(spec["concurrencyPolicy"], "Allow");
    assert_eq!(spec["suspend"], false);
    assert_eq!(spec["successfulJobsHistoryLimit"], 3);
    assert_eq!(spec["failedJobsHistoryLimit"], 1);
    // SetDefaults_Job does not run on the template; the pod defaults do.
    assert!(spec["jobTemplate"]["spec"].get("backoffLimit").is_none());
    assert_eq!(
        spec["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"],
        "IfNotPresent"
    );
}

fn update(
    spec: &str,
    patch: &str,
    state: jobsim::admission::JobState,
) -> Result<jobsim::admission::AdmittedJob, String> {
    let old = admitted(&JobManifest::new("pi").spec(spec).pod(NEVER).text());
    let kind = jobsim::scenario::ActionKind::Patch {
        patch: jobsim::yaml::parse(patch).unwrap(),
    };
    jobsim::admission::update_job(&old.object, state, "uid-1", &kind, &newest())
        .map_err(|e| e.to_string())
}

#[test]
fn updates_keep_immutable_fields() {
    let running = jobsim::admission::JobState {
        started: true,
        safely_suspended: false,
    };
    assert_eq!(
        update("  completions: 3", "{spec: {completions: 5}}", running).unwrap_err(),
        "The Job \"pi\" is invalid: spec.completions: Invalid value: 5: field is immutable"
    );
    assert_eq!(
        update(
            "",
            "{spec: {template: {spec: {containers: [{name: main, image: busybox:1.37}]}}}}",
            running
        )
        .unwrap_err(),
        "The Job \"pi\" is invalid: spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable"
    );
    assert_eq!(
        update("", "{spec: {completionMode: Indexed}}", running).unwrap_err(),
        "The Job \"pi\" is invalid: spec.completionMode: Invalid value: \"Indexed\": field is immutable"
    );
    // Mutable fields.
    let new = update(
        "",
        "{spec: {parallelism: 4, activeDeadlineSeconds: 30, backoffLimit: 1}}",
        running,
    )
    .unwrap();
    assert_eq!(new.spec.parallelism, Some(4));
    assert_eq!(new.spec.active_deadline_seconds, Some(30));
}

#[test]
fn elastic_indexed_jobs_change_completions_with_parallelism() {
    let state = jobsim::admission::JobState::default();
    let spec = "  completionMode: Indexed\n  completions: 3\n  parallelism: 3";
    assert_eq!(
        update(spec, "{spec: {completions: 5}}", state).unwrap_err(),
        "The Job \"pi\" is invalid: spec.completions: Invalid value: 5: can only be modified in tandem with spec.parallelism"
    );
    let new = update(spec, "{spec: {completions: 5, parallelism: 5}}", state).unwrap();
    assert_eq!(new.spec.completions, Some(5));
}

#[test]
fn scheduling_directives_change_only_while_suspended_and_never_started() {
    let patch = "{spec: {template: {spec: {nodeSelector: {zone: a}, containers: [{name: main, image: busybox:1.36, resources: {requests: {cpu: 2}}}]}}}}";
    let never_started = jobsim::admission::JobState::default();
    assert!(update("  suspend: true", patch, never_started).is_ok());
    let started = jobsim::admission::JobState {
        started: true,
        safely_suspended: false,
    };
    assert!(
        update("  suspend: true", patch, started)
            .unwrap_err()
            .ends_with(
                "spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable"
            )
    );
    // Suspended again with no active pods (1.36+).
    let safely = jobsim::admission::JobState {
        started: true,
        safely_suspended: true,
    };
    assert!(update("  suspend: true", patch, safely).is_ok());
    // Not suspended: immutable.
    assert!(update("", patch, never_started).is_err());
    // The image is not a scheduling directive.
    assert!(
        update(
            "  suspend: true",
            "{spec: {template: {spec: {containers: [{name: main, image: other}]}}}}",
            never_started
        )
        .is_err()
    );
}

#[test]
fn a_patch_is_strictly_decoded_too() {
    assert_eq!(
        update(
            "",
            "{spec: {paralelism: 2}}",
            jobsim::admission::JobState::default()
        )
        .unwrap_err(),
        "Error from server (BadRequest): Job in version \"v1\" cannot be handled as a Job: strict decoding error: unknown field \"spec.paralelism\""
    );
}
