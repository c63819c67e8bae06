//! Admission as kubectl reports it: each expected text was taken from the
//! upstream source (pkg/apis/batch/validation, pkg/apis/core/validation,
//! apimachinery's validators and field.Error formatting, kubectl's
//! checkErr) or from a real kubectl transcript, not from this code.

mod common;
use common::indent;
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
fn everything_else_in_a_real_pod_spec_is_accepted() {
    let a = admitted(&JobManifest::new("pi").pod("      restartPolicy: Never\n      serviceAccountName: runner\n      nodeSelector: {kubernetes.io/os: linux}\n      tolerations: [{key: k, operator: Exists, effect: NoSchedule}]\n      volumes: [{name: data, emptyDir: {}}, {name: cfg, configMap: {name: settings}}]").container("        resources: {requests: {cpu: 250m, memory: 64Mi}, limits: {cpu: 1, memory: 128Mi}}\n        volumeMounts: [{name: data, mountPath: /data}, {name: cfg, mountPath: /etc/cfg}]\n        env: [{name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}, {name: '1X', value: relaxed}]\n        livenessProbe: {httpGet: {path: /healthz, port: 8080}}\n        ports: [{name: http, containerPort: 8080}]").text());
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);
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

/// Every case of tests/data/admission/*.txt: a manifest and the text
/// kubectl prints for it (from upstream's validation source or a real
/// kubectl transcript), one file per subject.
#[test]
fn fixtures_get_kubectls_words() {
    let mut files: Vec<_> = std::fs::read_dir("tests/data/admission")
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut cases = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        for case in text.split("\n=== case").skip(1) {
            let (title, rest) = case.split_once('\n').unwrap();
            let (manifest, expected) = rest.split_once("\n=== kubectl says\n").unwrap();
            let manifest = format!("{}\n", manifest.trim_end());
            assert_eq!(
                error(&manifest),
                expected.trim_end(),
                "{path:?}, case{title}"
            );
            cases += 1;
        }
    }
    assert!(cases >= 44, "only {cases} fixture cases found");
}
