//! Share links made by earlier releases open exactly as they were: the
//! committed links in tests/fixtures/links.txt decode to their scenario
//! files byte for byte, with their cursor, and run; `jobsim run LINK` runs
//! them like the file.

mod common;

use jobsim::scenario::share;

/// (scenario file, cursor, link) of every committed link.
fn fixtures() -> Vec<(String, u64, String)> {
    std::fs::read_to_string("tests/fixtures/links.txt")
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut cols = l.split(' ');
            let file = cols.next().unwrap().to_string();
            let cursor = cols.next().unwrap().parse().unwrap();
            (file, cursor, cols.next().unwrap().to_string())
        })
        .collect()
}

#[test]
fn every_committed_link_opens_as_it_was_made() {
    let all = fixtures();
    assert!(
        all.iter().any(|(_, _, l)| l.contains("#v=1&")),
        "a format-1 link"
    );
    assert!(
        all.iter().any(|(_, _, l)| l.contains("#s=")),
        "a format-0 link"
    );
    for (file, cursor, link) in all {
        let expected = std::fs::read_to_string(format!("tests/fixtures/links/{file}")).unwrap();
        let (_, fragment) = link.split_once('#').unwrap();
        let opened = share::from_fragment(fragment).unwrap().unwrap();
        assert_eq!(opened.scenario, expected, "{file}");
        assert_eq!(opened.cursor, cursor, "{file}");
        // The release is pinned, so a newer default never changes the run.
        let scenario = jobsim::scenario::parse(&opened.scenario).unwrap();
        assert!(scenario.kubernetes_version.is_some(), "{file}");
        common::run(&opened.scenario);
    }
}

#[test]
fn jobsim_runs_a_link_like_its_file() {
    let bin = env!("CARGO_BIN_EXE_jobsim");
    for (file, _, link) in fixtures() {
        let run = |arg: &str| {
            let out = std::process::Command::new(bin)
                .args(["run", arg, "--output", "json"])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            out.stdout
        };
        assert_eq!(
            run(&link),
            run(&format!("tests/fixtures/links/{file}")),
            "{file}"
        );
    }
}

#[test]
fn jobsim_link_makes_a_link_that_opens_to_the_pinned_scenario() {
    let bin = env!("CARGO_BIN_EXE_jobsim");
    let out = std::process::Command::new(bin)
        .args([
            "link",
            "www/scenarios/pi.yaml",
            "--at",
            "90s",
            "--embed",
            "--base",
            "https://example.org/play/?lang=ja",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let link = String::from_utf8(out.stdout).unwrap();
    assert!(
        link.starts_with("https://example.org/play/?lang=ja&embed=1#v=1&t=90000&z="),
        "{link}"
    );
    let (_, fragment) = link.trim_end().split_once('#').unwrap();
    let opened = share::from_fragment(fragment).unwrap().unwrap();
    let scenario = jobsim::scenario::parse(&opened.scenario).unwrap();
    assert_eq!(
        scenario.kubernetes_version.as_deref(),
        Some(jobsim::sim::profile::NEWEST)
    );
    let original =
        jobsim::scenario::parse(&std::fs::read_to_string("www/scenarios/pi.yaml").unwrap())
            .unwrap();
    assert_eq!(scenario.manifest, original.manifest);
}

#[test]
fn a_damaged_link_is_an_error_that_says_so() {
    let bin = env!("CARGO_BIN_EXE_jobsim");
    let out = std::process::Command::new(bin)
        .args(["run", "https://example.org/#v=1&t=0&z=AAAA"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: the link is damaged: its scenario does not inflate (cut short?)\n"
    );
}
