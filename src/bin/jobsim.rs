//! `jobsim`: runs Job and CronJob scenario files with the playground's engine.

use jobsim::run::{Outcome, run_text};
use jobsim::view::{cronjob, kubectl, report};
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "\
jobsim: simulate Kubernetes batch/v1 Jobs from scenario files (SCENARIO.md v1)

Usage:
  jobsim run FILE [--output human|json|yaml]
                                          Run a scenario; FILE - reads stdin
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

fn run_file(file: &str, output: Output) -> ExitCode {
    let text = if file == "-" {
        std::io::read_to_string(std::io::stdin()).map_err(|e| e.to_string())
    } else {
        std::fs::read_to_string(file).map_err(|e| e.to_string())
    };
    let text = match text {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: the path \"{file}\" cannot be read: {e}");
            return ExitCode::FAILURE;
        }
    };
    match run_text(&text) {
        Ok(outcome) => {
            let text = match output {
                Output::Json => report::to_json(&outcome) + "\n",
                Output::Human => human(&outcome),
                Output::Yaml => yaml(&outcome),
            };
            // A closed pipe (`| head`) is not an error worth a panic.
            match std::io::stdout().lock().write_all(text.as_bytes()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
                _ => ExitCode::SUCCESS,
            }
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn human(outcome: &Outcome) -> String {
    let sim = &outcome.sim;
    for warning in &sim.warnings {
        eprintln!("Warning: {warning}");
    }
    for note in &sim.notes {
        eprintln!("Note: {note}");
    }
    let mut out = String::new();
    if !sim.world.cron_jobs.is_empty() {
        let (clock, t) = (&outcome.scenario.clock, outcome.ended_at);
        out.push_str(&cronjob::get_cronjob(sim, clock, 0, t));
        out.push('\n');
        out.push_str(&cronjob::get_jobs(sim, t));
        out.push('\n');
        out.push_str(&cronjob::events(sim, 0, t));
        return out;
    }
    for job in 0..sim.world.jobs.len() {
        out.push_str(&kubectl::pods_watch(sim, job, outcome.ended_at));
        out.push('\n');
        out.push_str(&kubectl::describe_job(
            sim,
            &outcome.scenario.clock,
            job,
            outcome.ended_at,
        ));
    }
    out
}

/// `kubectl get job NAME -o yaml` of every Job at the end of the run.
fn yaml(outcome: &Outcome) -> String {
    let sim = &outcome.sim;
    let clock = &outcome.scenario.clock;
    (0..sim.world.jobs.len())
        .map(|job| kubectl::get_job_yaml(sim, clock, job, outcome.ended_at))
        .collect::<Vec<_>>()
        .join("---\n")
}
