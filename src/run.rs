//! Runs a scenario to its end: the driver around the sans-I/O engine. It
//! feeds the scenario's actions at their times, advances virtual time from
//! one wake-up to the next, and decides when the run is over. A run that
//! goes wrong part-way (an action that cannot apply, a limit) is kept up to
//! that point, with the reason: the views show what happened until then.

use crate::admission::AdmissionError;
use crate::scenario::{self, Scenario, ScenarioError, duration};
use crate::sim::world::Limits;
use crate::sim::{SimError, Simulation, profile};
use crate::time::{HOUR, Ms};
use crate::trace::Trace;
use std::fmt;

/// A run: to its end, or up to where it stopped.
#[derive(Clone)]
pub struct Outcome {
    pub scenario: Scenario,
    /// What the run made and why: all the views read.
    pub trace: Trace,
    /// The end of the run (where it stopped, when it did).
    pub ended_at: Ms,
    /// Why the run stopped before its end; None when it ran to the end.
    pub stopped: Option<Stopped>,
}

impl Outcome {
    /// When Job number `job` finished (Complete or Failed), with its status
    /// then.
    pub fn finished(&self, job: usize) -> Option<(Ms, &crate::sim::world::JobStatus)> {
        self.trace
            .log
            .statuses
            .get(job)?
            .iter()
            .find_map(|(at, s)| s.is_finished().then_some((*at, s)))
    }

    /// A CronJob's Jobs, with their number in the trace.
    pub fn cron_jobs(&self) -> impl Iterator<Item = (usize, &crate::sim::world::JobObject)> {
        self.trace
            .jobs
            .iter()
            .enumerate()
            .filter(|(_, j)| j.owner.is_some())
    }
}

/// Why a run stopped part-way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stopped {
    pub at: Ms,
    /// The action that could not apply: its index in the scenario's list
    /// and its name; None when a limit stopped the run.
    pub action: Option<(usize, &'static str)>,
    /// Why, in the API server's (or the playground's) words.
    pub message: String,
}

impl fmt::Display for Stopped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.action {
            Some((i, name)) => write!(
                f,
                "error: actions[{i}] ({name} at {}): {}",
                duration::format(self.at),
                self.message
            ),
            None => write!(f, "error: {}", self.message),
        }
    }
}

/// Why a scenario could not be run at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunError {
    Scenario(ScenarioError),
    Admission(AdmissionError),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Scenario(e) => write!(f, "{e}"),
            RunError::Admission(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for RunError {}

/// Without `until`, a run stops when the Job is done, or after an hour.
pub const DEFAULT_RUN_LIMIT: Ms = HOUR;

/// The scenario file of a run: it runs to the same outcome again (the
/// page's worker re-runs what is on screen from it).
pub fn scenario_text(outcome: &Outcome) -> String {
    let manifest = crate::yaml::to_yaml(&outcome.scenario.manifest);
    crate::scenario::write::to_yaml(&outcome.scenario, &manifest)
}

/// Parses and runs scenario text.
pub fn run_text(text: &str) -> Result<Outcome, RunError> {
    let scenario = scenario::parse(text).map_err(RunError::Scenario)?;
    run(scenario, Limits::default())
}

/// Runs a parsed scenario. The actions apply in time order (equal times in
/// list order), each after everything the engine does at its instant.
pub fn run(scenario: Scenario, limits: Limits) -> Result<Outcome, RunError> {
    let sim = start(&scenario, limits)?;
    let mut driver = Driver::new(sim, &scenario);
    let stopped = driver.finish().err();
    let sim = driver.sim;
    let ended_at = stopped.as_ref().map_or(sim.now(), |s| s.at);
    Ok(Outcome {
        scenario,
        trace: sim.into_trace(),
        ended_at,
        stopped,
    })
}

/// The simulation of a scenario at t = 0: its release, behaviour, seed
/// and clock, with the manifest created as `kubectl create` would.
pub fn start(scenario: &Scenario, limits: Limits) -> Result<Simulation, RunError> {
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
    crate::limits::check_manifest(&scenario.manifest).map_err(|message| {
        RunError::Scenario(ScenarioError {
            path: "manifest".into(),
            message,
            line: None,
            column: None,
        })
    })?;
    sim.create(&scenario.manifest)
        .map_err(RunError::Admission)?;
    Ok(sim)
}

/// Feeds a scenario's actions and the engine's wake-ups to a simulation in
/// time order: an action applies after everything due at or before its
/// instant, equal times in list order.
pub struct Driver<'a> {
    pub sim: Simulation,
    /// The actions (with their index in the scenario) by time.
    actions: Vec<(usize, &'a scenario::Action)>,
    next: usize,
    until: Option<Ms>,
    end: Ms,
}

impl<'a> Driver<'a> {
    pub fn new(sim: Simulation, scenario: &'a Scenario) -> Driver<'a> {
        let end = scenario.until.unwrap_or(DEFAULT_RUN_LIMIT);
        let mut actions: Vec<(usize, &scenario::Action)> = scenario
            .actions
            .iter()
            .enumerate()
            .filter(|(_, a)| a.at <= end)
            .collect();
        crate::sort::sort_by_key(&mut actions, |(i, a)| (a.at, *i));
        Driver {
            sim,
            actions,
            next: 0,
            until: scenario.until,
            end,
        }
    }

    fn limit(&self, error: SimError) -> Stopped {
        let (SimError::Limit(message) | SimError::Action(message)) = error;
        Stopped {
            at: self.sim.now(),
            action: None,
            message,
        }
    }

    /// Does everything up to and including `t`: the wake-ups and the
    /// actions of every instant up to `t`.
    pub fn run_until(&mut self, t: Ms) -> Result<(), Stopped> {
        while let Some(&(i, action)) = self.actions.get(self.next).filter(|(_, a)| a.at <= t) {
            self.next += 1;
            self.sim
                .handle_timeout(action.at)
                .map_err(|e| self.limit(e))?;
            self.sim
                .handle_action(action.at, &action.kind)
                .map_err(|e| match e {
                    SimError::Limit(_) => self.limit(e),
                    SimError::Action(message) => Stopped {
                        at: action.at,
                        action: Some((i, action.kind.name())),
                        message,
                    },
                })?;
        }
        self.sim.handle_timeout(t).map_err(|e| self.limit(e))
    }

    /// Runs to the end: `until`, or without it once every action happened
    /// and the Job is done (at most `DEFAULT_RUN_LIMIT`).
    pub fn finish(&mut self) -> Result<(), Stopped> {
        if let Some(&(_, last)) = self.actions.last() {
            self.run_until(last.at)?;
        }
        loop {
            if self.until.is_none() && self.sim.is_settled() {
                return Ok(());
            }
            match self.sim.poll_timeout().filter(|&t| t <= self.end) {
                Some(t) => self.sim.handle_timeout(t).map_err(|e| self.limit(e))?,
                None => return self.run_until(self.end),
            }
        }
    }
}

impl Outcome {
    /// The run's error, for a caller that wants all or nothing.
    pub fn error(&self) -> Option<String> {
        self.stopped.as_ref().map(Stopped::to_string)
    }
}
