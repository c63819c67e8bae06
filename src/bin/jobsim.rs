//! `jobsim`: runs Job and CronJob scenario files with the playground's engine.

use std::process::ExitCode;

const USAGE: &str = "\
jobsim: simulate Kubernetes batch/v1 Jobs and CronJobs from scenario files

Usage:
  jobsim --help       Print this help
  jobsim --version    Print the version
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--version" | "-V") => {
            println!("jobsim {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Some("--help" | "-h") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("error: unknown command \"{other}\" for \"jobsim\"\n\n{USAGE}");
            ExitCode::FAILURE
        }
        None => {
            eprint!("{USAGE}");
            ExitCode::FAILURE
        }
    }
}
