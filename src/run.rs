//! Runs a scenario to its end: the driver around the sans-I/O engine. It
//! feeds the scenario's actions at their times, advances virtual time from
//! one wake-up to the next, and decides when the run is over.

use crate::admission::AdmissionError;
use crate::scenario::{self, Scenario, ScenarioError, duration};
use crate::sim::world::Limits;
use crate::sim::{SimError, Simulation, profile};
use crate::time::{HOUR, Ms};
use std::fmt;

/// A finished run.
pub struct Outcome {
    pub scenario: Scenario,
    pub sim: Simulation,
    pub ended_at: Ms,
}

/// Why a scenario could not be run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunError {
    Scenario(ScenarioError),
    Admission(AdmissionError),
    Sim(SimError),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Scenario(e) => write!(f, "{e}"),
            RunError::Admission(e) => write!(f, "{e}"),
            RunError::Sim(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for RunError {}

/// Without `until`, a run stops when the Job is done, or after an hour.
pub const DEFAULT_RUN_LIMIT: Ms = HOUR;

/// Parses and runs scenario text.
pub fn run_text(text: &str) -> Result<Outcome, RunError> {
    let scenario = scenario::parse(text).map_err(RunError::Scenario)?;
    run(scenario, Limits::default())
}

/// Runs a parsed scenario.
pub fn run(scenario: Scenario, limits: Limits) -> Result<Outcome, RunError> {
    let version = scenario
        .kubernetes_version
        .as_deref()
        .unwrap_or(profile::NEWEST);
    let profile = profile::profile(version).map_err(|message| {
        RunError::Scenario(ScenarioError {
            path: "kubernetesVersion".into(),
            message,
            line: None,
            column: None,
        })
    })?;
    let mut sim = Simulation::new(
        profile,
        scenario.behavior.clone(),
        scenario.seed,
        limits,
        scenario.clock,
    );
    sim.create(&scenario.manifest)
        .map_err(RunError::Admission)?;

    let mut actions: Vec<(usize, &scenario::Action)> =
        scenario.actions.iter().enumerate().collect();
    crate::sort::sort_by_key(&mut actions, |(i, a)| (a.at, *i));
    let end = scenario.until.unwrap_or(DEFAULT_RUN_LIMIT);
    let mut next_action = 0;
    let ended_at = loop {
        let wake = sim.poll_timeout();
        let action_at = actions.get(next_action).map(|(_, a)| a.at);
        // An action happens before the wake-ups of the same instant.
        let action_first = match (action_at, wake) {
            (Some(a), Some(w)) => a <= w,
            (Some(_), None) => true,
            _ => false,
        };
        let t = if action_first { action_at } else { wake };
        let Some(t) = t.filter(|&t| t <= end) else {
            sim.handle_timeout(end).map_err(RunError::Sim)?;
            break end;
        };
        if action_first {
            let (i, action) = actions[next_action];
            next_action += 1;
            sim.handle_timeout(t.saturating_sub(1))
                .map_err(RunError::Sim)?;
            sim.advance_to(t);
            sim.handle_action(&action.kind).map_err(|e| {
                RunError::Sim(SimError::Action(format!(
                    "actions[{i}] ({} at {}): {}",
                    action.kind.name(),
                    duration::format(action.at),
                    match e {
                        SimError::Action(m) | SimError::Limit(m) => m,
                    }
                )))
            })?;
        } else {
            sim.handle_timeout(t).map_err(RunError::Sim)?;
        }
        if scenario.until.is_none() && next_action == actions.len() && sim.is_settled() {
            break sim.now();
        }
    };
    Ok(Outcome {
        scenario,
        sim,
        ended_at,
    })
}
