//! The editor's language services (src/assist.rs): completion from the
//! API's field table at the cursor's path, hover docs from the API
//! reference, and admission's diagnostics with "did you mean" fixes.

use jobsim::assist::{complete, hover, lint};
use jobsim::sim::profile::profile;

const JOB: &str = "apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  activeDeadlineSeconds: 30
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: pi
        image: perl:5.34.0
";

/// The text with `typed` inserted at the end of the line that holds
/// `after`, on a new line; and the offset (UTF-16) just after `typed`.
fn typing(text: &str, after: &str, typed: &str) -> (String, usize) {
    let at = text.find(after).unwrap() + after.len();
    let end = at + text[at..].find('\n').unwrap();
    let out = format!("{}\n{typed}{}", &text[..end], &text[end..]);
    let cursor = end + 1 + typed.len();
    (out.clone(), out[..cursor].encode_utf16().count())
}

fn labels(text: &str, at: usize, version: &str) -> Vec<String> {
    complete(text, at, &profile(version).unwrap())
        .options
        .into_iter()
        .map(|c| c.label)
        .collect()
}

#[test]
fn keys_valid_at_the_cursor_are_offered() {
    let (text, at) = typing(JOB, "activeDeadlineSeconds: 30", "  backo");
    let c = complete(&text, at, &profile("1.37").unwrap());
    let offered: Vec<&str> = c.options.iter().map(|o| o.label.as_str()).collect();
    assert!(offered.contains(&"backoffLimit"), "{offered:?}");
    assert!(offered.contains(&"backoffLimitPerIndex"), "{offered:?}");
    assert!(!offered.contains(&"image"), "only JobSpec's keys");
    // They replace what was typed, with the key's form.
    assert_eq!(c.to - c.from, "backo".len());
    let limit = c
        .options
        .iter()
        .find(|o| o.label == "backoffLimit")
        .unwrap();
    assert_eq!(
        (limit.apply.as_str(), limit.detail.as_str()),
        ("backoffLimit: ", "int32")
    );
    let policy = c
        .options
        .iter()
        .find(|o| o.label == "podFailurePolicy")
        .unwrap();
    assert_eq!(policy.apply, "podFailurePolicy:\n    ");
    // A key the mapping already has is offered last, saying so; the same
    // key in another mapping is not.
    let info = |c: &jobsim::assist::Completions, label: &str| {
        c.options
            .iter()
            .find(|o| o.label == label)
            .unwrap()
            .info
            .clone()
    };
    assert_eq!(info(&c, "template"), "already set in this mapping");
    assert_eq!(info(&c, "backoffLimit"), "");
    let (text, at) = typing(JOB, "image: perl:5.34.0", "        na");
    let here = complete(&text, at, &profile("1.37").unwrap());
    assert_eq!(info(&here, "name"), "already set in this mapping");
    let (text, at) = typing(JOB, "image: perl:5.34.0", "      - na");
    let new = complete(&text, at, &profile("1.37").unwrap());
    assert_eq!(info(&new, "name"), "", "a new container has no name yet");
    // Snippets for the blocks people write.
    assert!(offered.contains(&"podFailurePolicy (rule)"));
    // Inside a container of the list.
    let (text, at) = typing(JOB, "image: perl:5.34.0", "        imagePull");
    assert!(labels(&text, at, "1.37").contains(&"imagePullPolicy".to_string()));
    // At the top: the object's keys, not status.
    let top = labels("kind: Job\nme", 12, "1.37");
    assert!(
        top.contains(&"metadata".to_string()) && !top.contains(&"status".to_string()),
        "{top:?}"
    );
}

#[test]
fn enum_values_are_offered_after_the_key() {
    let (text, at) = typing(JOB, "activeDeadlineSeconds: 30", "  completionMode: ");
    assert_eq!(labels(&text, at, "1.37"), ["NonIndexed", "Indexed"]);
    let (text, at) = typing(JOB, "image: perl:5.34.0", "        imagePullPolicy: If");
    let c = complete(&text, at, &profile("1.37").unwrap());
    assert_eq!(c.to - c.from, 2, "replaces what was typed of the value");
    assert!(c.options.iter().any(|o| o.label == "IfNotPresent"));
    // A CronJob's Job template is a JobSpec too.
    let cron = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: \"* * * * *\"\n  concurrencyPolicy: \n";
    let at = cron.find("concurrencyPolicy: ").unwrap() + "concurrencyPolicy: ".len();
    assert_eq!(labels(cron, at, "1.37"), ["Allow", "Forbid", "Replace"]);
}

#[test]
fn fields_a_release_does_not_know_say_so() {
    let (text, at) = typing(JOB, "activeDeadlineSeconds: 30", "  backoffLimitP");
    let old = complete(&text, at, &profile("1.27").unwrap());
    let per_index = old
        .options
        .iter()
        .find(|o| o.label == "backoffLimitPerIndex")
        .unwrap();
    assert_eq!(
        per_index.info,
        "Kubernetes 1.27 does not know this field (unknown field)"
    );
    let alpha = complete(&text, at, &profile("1.28").unwrap());
    let per_index = alpha
        .options
        .iter()
        .find(|o| o.label == "backoffLimitPerIndex")
        .unwrap();
    assert!(
        per_index.info.contains("dropped on create"),
        "{}",
        per_index.info
    );
}

#[test]
fn hovering_a_key_shows_its_description_from_the_api_reference() {
    let docs = std::fs::read_to_string("www/tables/docs.txt").unwrap();
    let at = JOB.find("activeDeadlineSeconds").unwrap() + 3;
    let h = hover(JOB, at, &profile("1.37").unwrap(), &docs).unwrap();
    assert_eq!(
        (h.field.as_str(), h.type_.as_str()),
        ("JobSpec.activeDeadlineSeconds", "int64")
    );
    assert!(
        h.doc
            .starts_with("Specifies the duration in seconds relative to the startTime"),
        "{}",
        h.doc
    );
    assert_eq!(&JOB[h.from..h.to], "activeDeadlineSeconds");
    // Its default and the release it came with, when the API says so.
    let per_index = JOB.replace("activeDeadlineSeconds: 30", "backoffLimitPerIndex: 1");
    let at = per_index.find("backoffLimitPerIndex").unwrap() + 2;
    let h = hover(&per_index, at, &profile("1.37").unwrap(), &docs).unwrap();
    assert_eq!(
        h.since,
        "New in Kubernetes 1.28 (alpha, off by default); on by default from 1.29."
    );
    let backoff = JOB.replace("activeDeadlineSeconds: 30", "backoffLimit: 1");
    let at = backoff.find("backoffLimit").unwrap() + 2;
    let h = hover(&backoff, at, &profile("1.37").unwrap(), &docs).unwrap();
    assert_eq!(
        (h.default.as_str(), h.since.as_str()),
        (
            "Defaults to 6, unless backoffLimitPerIndex (only Indexed Job) is specified",
            ""
        )
    );
    // A container's key, through the list.
    let at = JOB.find("image:").unwrap() + 1;
    let h = hover(JOB, at, &profile("1.37").unwrap(), &docs).unwrap();
    assert_eq!(h.field, "Container.image");
    // Not on a value.
    let at = JOB.find("perl").unwrap();
    assert!(hover(JOB, at, &profile("1.37").unwrap(), &docs).is_none());
}

#[test]
fn an_unknown_key_is_marked_with_kubectls_error_and_a_fix() {
    let text = JOB.replace("activeDeadlineSeconds: 30", "backofLimit: 3");
    let lints = lint(&text, &profile("1.37").unwrap());
    assert_eq!(lints.len(), 1, "{lints:?}");
    let l = &lints[0];
    assert_eq!(l.severity, "error");
    assert_eq!(
        l.message,
        "Error from server (BadRequest): error when creating \"STDIN\": Job in version \"v1\" cannot be handled as a Job: strict decoding error: unknown field \"spec.backofLimit\""
    );
    assert_eq!(&text[l.from..l.to], "backofLimit");
    assert_eq!(l.fixes.len(), 1);
    assert_eq!(l.fixes[0].label, "Did you mean backoffLimit?");
    assert_eq!(l.fixes[0].insert, "backoffLimit");
    assert_eq!((l.fixes[0].from, l.fixes[0].to), (l.from, l.to));
    // A value error is placed at its key; a clean manifest has nothing.
    let bad = JOB.replace("restartPolicy: Never", "restartPolicy: Always");
    let lints = lint(&bad, &profile("1.37").unwrap());
    assert!(
        lints[0]
            .message
            .contains("spec.template.spec.restartPolicy"),
        "{lints:?}"
    );
    assert_eq!(&bad[lints[0].from..lints[0].to], "restartPolicy");
    assert!(lint(JOB, &profile("1.37").unwrap()).is_empty());
}

#[test]
fn positions_are_utf16_as_the_editor_counts_them() {
    // A Japanese comment before the cursor: 3 bytes but 1 UTF-16 unit each.
    let text = format!(
        "# 日本語のコメント\n{}",
        JOB.replace("activeDeadlineSeconds: 30", "backofLimit: 3")
    );
    let lints = lint(&text, &profile("1.37").unwrap());
    let utf16: Vec<u16> = text.encode_utf16().collect();
    assert_eq!(
        String::from_utf16(&utf16[lints[0].from..lints[0].to]).unwrap(),
        "backofLimit"
    );
}

#[test]
fn a_hostile_text_gets_a_bounded_answer() {
    // 5,000 unknown keys: the first 100 are marked, the first 20 with a fix.
    let mut text = JOB.to_string();
    for i in 0..5000 {
        text.push_str(&format!("  backofLimit{i}: 1\n"));
    }
    let lints = lint(&text, &profile("1.37").unwrap());
    assert_eq!(lints.len(), 100);
    assert!(lints.iter().filter(|l| !l.fixes.is_empty()).count() <= 20);
    text.push_str("  ba");
    let c = complete(
        &text,
        text.encode_utf16().count(),
        &profile("1.37").unwrap(),
    );
    assert!(c.options.iter().any(|o| o.label == "backoffLimit"));
}
