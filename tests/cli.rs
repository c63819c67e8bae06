//! The `jobsim` command line: output formats, errors and exit codes.

use std::process::{Command, Output};

fn jobsim(args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jobsim"));
    cmd.args(args);
    if let Some(text) = stdin {
        use std::io::Write;
        cmd.stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        return child.wait_with_output().unwrap();
    }
    cmd.output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn version_and_help() {
    let out = jobsim(&["--version"], None);
    assert!(out.status.success());
    assert_eq!(
        text(&out.stdout),
        format!("jobsim {}\n", env!("CARGO_PKG_VERSION"))
    );
    let out = jobsim(&["--help"], None);
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("jobsim run FILE [--output human|json|yaml]"));
}

#[test]
fn json_output_is_the_report() {
    let out = jobsim(&["run", "www/scenarios/pi.yaml", "--output", "json"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["scenario"], "pi");
    assert_eq!(json["endedAt"], 12.0);
    assert_eq!(json["jobs"][0]["status"]["succeeded"], 1);
    assert_eq!(json["cronJob"], serde_json::Value::Null);
    let same = jobsim(&["run", "-o=json", "www/scenarios/pi.yaml"], None);
    assert_eq!(
        out.stdout, same.stdout,
        "deterministic, and -o=json is --output json"
    );
}

#[test]
fn human_output_is_a_pod_watch_and_a_describe() {
    let out = jobsim(&["run", "www/scenarios/pi.yaml"], None);
    assert!(out.status.success());
    insta::assert_snapshot!("pi-human", text(&out.stdout));
}

#[test]
fn a_failing_job_in_human_output() {
    let out = jobsim(&["run", "www/scenarios/pod-failure-policy.yaml"], None);
    assert!(out.status.success());
    insta::assert_snapshot!("pod-failure-policy-human", text(&out.stdout));
}

#[test]
fn scenarios_can_come_from_stdin() {
    let scenario = std::fs::read_to_string("www/scenarios/pi.yaml").unwrap();
    let out = jobsim(&["run", "-", "-o", "json"], Some(&scenario));
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("\"endedAt\": 12.0"));
}

#[test]
fn errors_go_to_stderr_with_exit_status_1_and_nothing_on_stdout() {
    let bad = "scenario: v1\nmanifest:\n  apiVersion: batch/v1\n  kind: Job\n  metadata: {name: pi}\n  spec:\n    parallelism: -1\n    template:\n      spec:\n        restartPolicy: Never\n        containers: [{name: pi, image: perl}]\n";
    let out = jobsim(&["run", "-"], Some(bad));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        text(&out.stderr),
        "The Job \"pi\" is invalid: spec.parallelism: Invalid value: -1: must be greater than or equal to 0\n"
    );

    let out = jobsim(
        &["run", "-"],
        Some("scenario: v1\nmanifest: {}\nbehavior: {defaults: {}}\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = text(&out.stderr);
    assert!(
        err.starts_with(
            "error: scenario behavior.defaults: unknown field `defaults`, expected one of"
        ),
        "{err}"
    );
    assert!(err.ends_with("(line 3, column 1)\n"), "{err}");

    let out = jobsim(&["run", "no/such/file.yaml"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with("error: the path \"no/such/file.yaml\" cannot be read"));

    let out = jobsim(&["run", "www/scenarios/pi.yaml", "-o", "wide"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let out = jobsim(&["frobnicate"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with("error: unknown command \"frobnicate\" for \"jobsim\""));
}

#[test]
fn output_yaml_is_the_stored_job_and_warnings_go_to_stderr() {
    let scenario = "scenario: v1\nmanifest:\n  apiVersion: batch/v1\n  kind: Job\n  metadata: {name: my.job}\n  spec:\n    template:\n      spec:\n        restartPolicy: Never\n        containers: [{name: pi, image: perl}]\n";
    let out = jobsim(&["run", "-", "-o", "yaml"], Some(scenario));
    assert_eq!(out.status.code(), Some(0));
    let yaml = text(&out.stdout);
    // The API server's defaults, as `kubectl get job -o yaml` shows them.
    for line in [
        "  backoffLimit: 6\n",
        "  completionMode: NonIndexed\n",
        "  podReplacementPolicy: TerminatingOrFailed\n",
        "        imagePullPolicy: Always\n",
        "        terminationMessagePath: /dev/termination-log\n",
        "      dnsPolicy: ClusterFirst\n",
        "      schedulerName: default-scheduler\n",
        "      creationTimestamp: null\n",
        "  creationTimestamp: \"2024-01-01T00:00:00Z\"\n",
    ] {
        assert!(yaml.contains(line), "{line:?} in\n{yaml}");
    }
    assert!(
        yaml.starts_with("apiVersion: batch/v1\nkind: Job\nmetadata:\n"),
        "{yaml}"
    );
    let out = jobsim(&["run", "-"], Some(scenario));
    assert_eq!(
        text(&out.stderr),
        "Warning: metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]\n"
    );
}

#[test]
fn a_run_stopped_by_an_action_prints_what_ran_and_the_error() {
    // pi's pod succeeds at 11 s; failing it at 12 s cannot be. The report
    // covers the run up to 12 s and says why it stopped; exit status 1.
    let scenario = std::fs::read_to_string("www/scenarios/pi.yaml").unwrap()
        + "actions:\n- {at: 12s, action: fail-pod, pod: {ordinal: 0}}\n";
    let out = jobsim(&["run", "-", "--output", "json"], Some(&scenario));
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["endedAt"], 12.0);
    assert_eq!(json["error"]["at"], 12.0);
    assert_eq!(json["error"]["action"], 0);
    let message = "error: actions[0] (fail-pod at 12s): pod \"pi-hlgrq\" has no running container";
    assert_eq!(json["error"]["message"], message);
    assert_eq!(json["jobs"][0]["status"]["succeeded"], 1);
    assert_eq!(text(&out.stderr), format!("{message}\n"));
    // The human view too: the pods until then, then the error on stderr.
    let out = jobsim(&["run", "-"], Some(&scenario));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("Completed"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(text(&out.stderr), format!("{message}\n"));
    // A report of a run that ran to its end has no "error".
    let out = jobsim(&["run", "www/scenarios/pi.yaml", "--output", "json"], None);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json.get("error").is_none());
}
