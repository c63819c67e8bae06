//! `jobsim`: runs Job and CronJob scenario files with the playground's engine.

use jobsim::run::{Outcome, run_text};
use jobsim::scenario::share;
use jobsim::view::{cronjob, kubectl, report};
use std::io::{Read, Write};
use std::process::ExitCode;

const USAGE: &str = "\
jobsim: simulate Kubernetes batch/v1 Jobs and CronJobs from scenario files (SCENARIO.md v1)

Usage:
  jobsim run FILE [--output human|json|yaml]
                                          Run a scenario; FILE - reads stdin,
                                          and a playground share link works too
  jobsim link FILE [--base URL] [--at TIME] [--embed]
                                          Print a share link that opens FILE in
                                          the playground at URL (default
                                          http://127.0.0.1:8080/), its cursor
                                          at TIME (e.g. 90s); --embed gives the
                                          compact layout for an iframe
  jobsim doc-test FILE...                 Check the claims a documentation page
                                          (Markdown, or HTML) makes about its
                                          Job and CronJob examples: each block
                                          followed by <!-- jobsim: ...;
                                          expect: ... --> is run and each
                                          claim compared (docs/doc-test.md);
                                          exit status 1 if one is false
  jobsim --help                           Print this help
  jobsim --version                        Print the version

The human output is a `kubectl get pods -w`-like timeline of the Job's pods
followed by a `kubectl describe job`-like summary at the end of the run (for
a CronJob: `kubectl get cronjob`, `kubectl get jobs` and its events);
warnings are printed on stderr as kubectl prints them (`Warning: ...`).
`--output yaml` prints `kubectl get job -o yaml` of each Job at the end.
Errors are printed on stderr, worded as kubectl words them, with exit status 1.
";

enum Output {
    Human,
    Json,
    Yaml,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--version" | "-V") => {
            println!("jobsim {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Some("--help" | "-h" | "help") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some("run") => match parse_run_args(&args[1..]) {
            Ok((file, output)) => run_file(&file, output),
            Err(message) => usage_error(&message),
        },
        Some("link") => match parse_link_args(&args[1..]) {
            Ok(link) => print_link(&link),
            Err(message) => usage_error(&message),
        },
        Some("doc-test") if args.len() > 1 => doc_test(&args[1..]),
        Some("doc-test") => usage_error("doc-test needs at least one page (FILE.md or FILE.html)"),
        Some(other) => usage_error(&format!("unknown command \"{other}\" for \"jobsim\"")),
        None => usage_error("a command is required"),
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{USAGE}");
    ExitCode::FAILURE
}

fn parse_run_args(args: &[String]) -> Result<(String, Output), String> {
    let mut file = None;
    let mut output = Output::Human;
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        let value = match arg.split_once('=') {
            Some(("--output" | "-o", v)) => Some(v.to_string()),
            _ if arg == "--output" || arg == "-o" => {
                i += 1;
                Some(
                    args.get(i)
                        .cloned()
                        .ok_or("flag needs an argument: --output")?,
                )
            }
            _ => None,
        };
        if let Some(v) = value {
            output = match v.as_str() {
                "json" => Output::Json,
                "human" => Output::Human,
                "yaml" => Output::Yaml,
                other => {
                    return Err(format!(
                        "unable to match a printer suitable for the output format \"{other}\", allowed formats are: human,json,yaml"
                    ));
                }
            };
        } else if arg.starts_with('-') && arg != "-" {
            return Err(format!("unknown flag: {arg}"));
        } else if file.replace(arg.to_string()).is_some() {
            return Err("exactly one scenario FILE is expected".into());
        }
        i += 1;
    }
    file.map(|f| (f, output))
        .ok_or_else(|| "a scenario FILE is required".to_string())
}

struct LinkArgs {
    file: String,
    base: String,
    at: jobsim::time::Ms,
    embed: bool,
}

fn parse_link_args(args: &[String]) -> Result<LinkArgs, String> {
    let mut link = LinkArgs {
        file: String::new(),
        base: "http://127.0.0.1:8080/".into(),
        at: 0,
        embed: false,
    };
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg, None),
        };
        let mut value = || {
            inline.clone().map_or_else(
                || {
                    i += 1;
                    args.get(i)
                        .cloned()
                        .ok_or(format!("flag needs an argument: {flag}"))
                },
                Ok,
            )
        };
        match flag {
            "--base" => link.base = value()?,
            "--at" => {
                let v = value()?;
                link.at = jobsim::scenario::duration::parse(&v)
                    .map_err(|e| format!("invalid argument \"{v}\" for \"--at\" flag: {e}"))?;
            }
            "--embed" => link.embed = true,
            f if f.starts_with('-') && f != "-" => return Err(format!("unknown flag: {f}")),
            _ if !link.file.is_empty() => {
                return Err("exactly one scenario FILE is expected".into());
            }
            _ => link.file = arg.to_string(),
        }
        i += 1;
    }
    if link.file.is_empty() {
        return Err("a scenario FILE is required".into());
    }
    Ok(link)
}

fn print_link(link: &LinkArgs) -> ExitCode {
    let Some(text) = read_input(&link.file) else {
        return ExitCode::FAILURE;
    };
    let scenario = match share::pinned(&text) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let base = link.base.split('#').next().unwrap_or_default();
    let base = if link.embed {
        let sep = if base.contains('?') { '&' } else { '?' };
        format!("{base}{sep}embed=1")
    } else {
        base.to_string()
    };
    let url = format!("{base}#{}", share::to_fragment(&scenario, link.at));
    if url.len() > share::MAX_LINK_CHARS {
        eprintln!(
            "Warning: the link has {} characters, more than the playground offers ({}); share the file instead",
            url.len(),
            share::MAX_LINK_CHARS
        );
    }
    println!("{url}");
    ExitCode::SUCCESS
}

/// The scenario text of FILE: a path, `-` (stdin) or a share link.
fn read_input(file: &str) -> Option<String> {
    if let Some((_, fragment)) = file.split_once('#') {
        match share::from_fragment(fragment) {
            Ok(Some(link)) => return Some(link.scenario),
            Ok(None) => {}
            Err(e) => {
                eprintln!("error: {e}");
                return None;
            }
        }
    }
    // At most the playground's limit, and one byte more to tell.
    let limit = jobsim::limits::MAX_TEXT_BYTES;
    let read = |from: &mut dyn std::io::Read| -> std::io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        from.take(limit as u64 + 1).read_to_end(&mut bytes)?;
        Ok(bytes)
    };
    let bytes = if file == "-" {
        read(&mut std::io::stdin().lock())
    } else {
        std::fs::File::open(file).and_then(|mut f| read(&mut f))
    };
    let bytes = match bytes {
        Ok(b) if b.len() > limit => {
            eprintln!(
                "error: the path \"{file}\" holds more than {}, the playground's limit",
                jobsim::limits::size_text(limit)
            );
            return None;
        }
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: the path \"{file}\" cannot be read: {e}");
            return None;
        }
    };
    String::from_utf8(bytes)
        .map_err(|_| eprintln!("error: the path \"{file}\" is not UTF-8 text"))
        .ok()
}

/// `jobsim doc-test FILE...`: each claim with what the simulation says.
fn doc_test(files: &[String]) -> ExitCode {
    use jobsim::doctest::{Verdict, check_page};
    let (mut blocks, mut truths, mut falses, mut errors) = (0, 0, 0, 0);
    for file in files {
        let Some(text) = read_input(file) else {
            errors += 1;
            continue;
        };
        let html = file.ends_with(".html") || file.ends_with(".htm");
        let (n, verdicts) = check_page(&text, html);
        blocks += n;
        for (line, v) in verdicts {
            match v {
                Verdict::True(m) => {
                    truths += 1;
                    println!("{file}:{line}: ok: {m}");
                }
                Verdict::False(m) => {
                    falses += 1;
                    println!("{file}:{line}: FALSE: {m}");
                }
                Verdict::Error(m) => {
                    errors += 1;
                    println!("{file}:{line}: error: {m}");
                }
            }
        }
    }
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    println!(
        "doc-test: {}, {}: {truths} true, {falses} false, {}",
        plural(blocks, "Job or CronJob block", "Job or CronJob blocks"),
        plural(truths + falses, "claim", "claims"),
        plural(errors, "error", "errors"),
    );
    if falses + errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn run_file(file: &str, output: Output) -> ExitCode {
    let Some(text) = read_input(file) else {
        return ExitCode::FAILURE;
    };
    match run_text(&text) {
        Ok(outcome) => {
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            let mut failed: Option<std::io::Error> = None;
            let mut put = |piece: &str| {
                if failed.is_none()
                    && let Err(e) = stdout.write_all(piece.as_bytes())
                {
                    failed = Some(e);
                }
            };
            match output {
                // Streamed: a report of 100,000 pods is never one string.
                Output::Json => {
                    report::write_report(&outcome, &mut put);
                    put("\n");
                }
                Output::Human => put(&human(&outcome)),
                Output::Yaml => put(&yaml(&outcome)),
            }
            let result = failed.map_or_else(|| stdout.flush(), Err);
            // A closed pipe (`| head`) is not an error worth a panic.
            let written = match result {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    eprintln!("error: {e}");
                    false
                }
                _ => true,
            };
            // A run that stopped part-way was printed up to there; the
            // error says why it stopped.
            if let Some(stopped) = &outcome.stopped {
                eprintln!("{stopped}");
                return ExitCode::FAILURE;
            }
            if written {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn human(outcome: &Outcome) -> String {
    let trace = &outcome.trace;
    for warning in &trace.log.warnings {
        eprintln!("Warning: {warning}");
    }
    for note in &trace.log.notes {
        eprintln!("Note: {note}");
    }
    let mut out = String::new();
    if !trace.cron_jobs.is_empty() {
        let (clock, t) = (&outcome.scenario.clock, outcome.ended_at);
        out.push_str(&cronjob::get_cronjob(trace, clock, 0, t));
        out.push('\n');
        out.push_str(&cronjob::get_jobs(trace, t));
        out.push('\n');
        out.push_str(&cronjob::events(trace, 0, t));
        return out;
    }
    for job in 0..trace.jobs.len() {
        out.push_str(&kubectl::pods_watch(trace, job, outcome.ended_at));
        out.push('\n');
        out.push_str(&kubectl::describe_job(
            trace,
            &outcome.scenario.clock,
            job,
            outcome.ended_at,
        ));
    }
    out
}

/// `kubectl get job NAME -o yaml` of every Job at the end of the run.
fn yaml(outcome: &Outcome) -> String {
    let trace = &outcome.trace;
    let clock = &outcome.scenario.clock;
    (0..trace.jobs.len())
        .map(|job| kubectl::get_job_yaml(trace, clock, job, outcome.ended_at))
        .collect::<Vec<_>>()
        .join("---\n")
}
