//! `jobsim doc-test` (src/doctest.rs): claims of documentation pages about
//! their Job and CronJob examples, true, false and malformed, in Markdown
//! and in the HTML of the docs tools people use.

use jobsim::doctest::{Verdict, check_page, html_blocks, is_job_yaml, markdown_blocks};
use std::process::Command;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("tests/fixtures/docs/{name}")).unwrap()
}

const PI: &str = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: pi\nspec:\n  template:\n    spec:\n      containers:\n      - name: pi\n        image: perl:5.34.0\n        command: [\"perl\",  \"-Mbignum=bpi\", \"-wle\", \"print bpi(2000)\"]\n      restartPolicy: Never\n  backoffLimit: 4\n";

#[test]
fn the_old_at_least_two_minutes_claim_is_false_and_says_the_run_takes_9m5s() {
    let (blocks, verdicts) = check_page(&fixture("pod-failure-policy-before-54415.md"), false);
    assert_eq!(blocks, 1);
    assert_eq!(
        verdicts,
        [
            (32, Verdict::True("failed: the Job failed at 9m5s (BackoffLimitExceeded, 8 pods)".into())),
            (
                32,
                Verdict::False(
                    "the page says failed-within 2m; the Job failed at 9m5s (BackoffLimitExceeded, 8 pods)".into()
                )
            ),
        ]
    );
    let (_, fixed) = check_page(&fixture("pod-failure-policy-after-54415.md"), false);
    assert_eq!(fixed.len(), 4);
    assert!(
        fixed.iter().all(|(_, v)| matches!(v, Verdict::True(_))),
        "{fixed:?}"
    );
}

#[test]
fn malformed_claims_are_errors_that_say_why() {
    let (blocks, verdicts) = check_page(&fixture("malformed.md"), false);
    assert_eq!(blocks, 3, "the Pod is not a Job");
    let errors: Vec<&str> = verdicts
        .iter()
        .map(|(_, v)| match v {
            Verdict::Error(e) => e.as_str(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert!(errors[0].starts_with("unknown claim \"finishes-soon\" (claims: complete, failed,"));
    assert!(errors[1].starts_with("the example does not run: Error from server (BadRequest)"));
    assert!(errors[1].ends_with("unknown field \"spec.backofLimit\""));
    assert_eq!(
        errors[2],
        "unknown key \"behaviour\" (keys: behavior, release, until, expect)"
    );
}

#[test]
fn code_blocks_are_read_from_the_html_of_hugo_mdbook_docusaurus_and_mkdocs() {
    // kubernetes.io (Hugo, Chroma): a Job, a shell block, a Pod, a CronJob.
    let hugo = html_blocks(&fixture("hugo.html"));
    assert_eq!(hugo.len(), 4);
    assert_eq!(hugo[0].code, PI);
    let jobs: Vec<bool> = hugo.iter().map(|b| is_job_yaml(&b.code)).collect();
    assert_eq!(jobs, [true, false, false, true]);
    assert!(
        hugo[0]
            .annotation
            .as_ref()
            .unwrap()
            .1
            .starts_with("behavior: {default: {runFor: 10s}}")
    );
    // mdBook's copy button inside the block is not code.
    let mdbook = html_blocks(&fixture("mdbook.html"));
    assert_eq!(mdbook[0].code, PI);
    // Docusaurus: one span per line, ending in <br>.
    assert_eq!(html_blocks(&fixture("docusaurus.html"))[0].code, PI);
    // MkDocs Material with line numbers in a table: the numbers are skipped.
    let mkdocs = html_blocks(&fixture("mkdocs.html"));
    let code: Vec<&str> = mkdocs
        .iter()
        .map(|b| b.code.as_str())
        .filter(|c| is_job_yaml(c))
        .collect();
    assert_eq!(code.len(), 1);
    assert!(
        code[0].starts_with("apiVersion: batch/v1\nkind: CronJob\n"),
        "{}",
        code[0]
    );
    let (_, verdicts) = check_page(&fixture("mkdocs.html"), true);
    assert_eq!(
        verdicts,
        [(
            47,
            Verdict::True("jobs 3: the CronJob created 3 Jobs by 3m30s".into())
        )]
    );
}

#[test]
fn markdown_fences_in_lists_and_tildes() {
    let page = "1. Create it:\n\n   ~~~yaml\n   apiVersion: batch/v1\n   kind: Job\n   metadata: {name: x}\n   spec:\n     template:\n       spec:\n         restartPolicy: Never\n         containers: [{name: x, image: busybox}]\n   ~~~\n   <!-- jobsim: behavior: {default: {runFor: 3s}};\n        expect: complete-within 10s -->\n";
    let blocks = markdown_blocks(page);
    assert_eq!(blocks.len(), 1);
    assert!(
        blocks[0]
            .code
            .starts_with("apiVersion: batch/v1\nkind: Job\n")
    );
    let (_, verdicts) = check_page(page, false);
    assert_eq!(verdicts.len(), 1);
    assert!(
        matches!(&verdicts[0].1, Verdict::True(m) if m.contains("completed at 5s")),
        "{verdicts:?}"
    );
}

#[test]
fn the_cli_prints_each_claim_and_exits_1_when_one_is_false() {
    let run = |files: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_jobsim"))
            .arg("doc-test")
            .args(files)
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    let (code, out) = run(&["tests/fixtures/docs/pod-failure-policy-before-54415.md"]);
    assert_eq!(code, Some(1));
    assert!(out.contains(
        "tests/fixtures/docs/pod-failure-policy-before-54415.md:32: FALSE: the page says failed-within 2m; the Job failed at 9m5s"
    ), "{out}");
    assert!(
        out.ends_with("doc-test: 1 Job or CronJob block, 2 claims: 1 true, 1 false, 0 errors\n"),
        "{out}"
    );
    let (code, out) = run(&[
        "tests/fixtures/docs/pod-failure-policy-after-54415.md",
        "tests/fixtures/docs/hugo.html",
    ]);
    assert_eq!(code, Some(0), "{out}");
    let (code, _) = run(&["tests/fixtures/docs/malformed.md"]);
    assert_eq!(code, Some(1));
}
