//! The playground page's state: one scenario (the source of truth) and
//! what the engine derived from it, plus where the user is looking. Every
//! change goes through `Model::reduce`. No web types: the page (src/ui)
//! wraps it for Yew, and tests drive it natively (tests/app.rs).

use crate::admission::{ManifestError, check_manifest};
use crate::presets::{self, PRESETS};
use crate::run::{Outcome, run};
use crate::scenario::write::{manifest_text, to_yaml};
use crate::scenario::{Action, ActionKind, Behavior, Scenario, parse};
use crate::sim::profile::{NEWEST, profile};
use crate::sim::world::Limits;
use crate::time::Ms;
use crate::view::explain::Locale;
use crate::view::overview::Overview;
use crate::view::timeline::Timeline;
use crate::view::window::{Axis, Window};
use std::rc::Rc;

/// A run, ready to draw: the pod timeline is of one Job (a CronJob's Jobs
/// are picked one at a time). It may have stopped part-way
/// (`outcome.stopped`): it is drawn up to there.
#[derive(Clone)]
pub struct Run {
    pub outcome: Rc<Outcome>,
    /// The Job the timeline, the status and the kubectl views are about;
    /// None while a CronJob has not created one.
    pub job: Option<usize>,
    pub timeline: Rc<Timeline>,
    /// The whole run at a glance (the timeline's overview).
    pub overview: Rc<Overview>,
}

/// The overview's columns: one per pixel of its canvas.
pub const OVERVIEW_COLUMNS: usize = 600;

impl Run {
    pub fn new(outcome: Rc<Outcome>, job: Option<usize>) -> Run {
        let timeline = Rc::new(job.map_or_else(Timeline::default, |j| {
            Timeline::build(&outcome.trace, j, outcome.ended_at)
        }));
        let overview = Rc::new(Overview::build(&timeline, OVERVIEW_COLUMNS));
        Run {
            outcome,
            job,
            timeline,
            overview,
        }
    }

    /// A CronJob scenario.
    pub fn cron_job(&self) -> bool {
        !self.outcome.trace.cron_jobs.is_empty()
    }
}

/// Why the scenario as it is now does not run.
#[derive(Clone)]
pub enum Problem {
    /// The manifest is not a Job the API server would take.
    Manifest(ManifestError),
    /// Anything else (an unknown release).
    Other(String),
}

/// What the engine made of the scenario. While the scenario does not run,
/// the last run that did stays on screen (dimmed): the page never goes
/// blank.
#[derive(Default)]
pub struct Derived {
    /// The example to start from is on its way.
    pub loading: bool,
    /// The run on screen.
    pub run: Option<Run>,
    /// Why the scenario does not run now; `run` is then the last good one.
    pub problem: Option<Problem>,
}

impl Derived {
    /// The run of the scenario as it is now.
    pub fn current(&self) -> Option<&Run> {
        self.run.as_ref().filter(|_| self.problem.is_none())
    }

    /// The manifest's error, if that is why the scenario does not run.
    pub fn manifest_error(&self) -> Option<&ManifestError> {
        match &self.problem {
            Some(Problem::Manifest(e)) => Some(e),
            _ => None,
        }
    }
}

/// An injection the engine refused: it was not recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// From the patch form (else an Inject button).
    pub patch: bool,
    /// What refused it, in kubectl's (or the kubelet's) words.
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    None,
    Pod(usize),
    /// A backoff gap: the index of its decision.
    Gap(usize),
    /// A condition marker: its index in the timeline's markers.
    Marker(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Events,
    GetPods,
    Describe,
    Yaml,
}

/// What the page opens with: the saved work, and the example it started
/// from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Initial {
    pub scenario: Option<String>,
    /// The example the work started from (what "Restore example" loads).
    pub origin: Option<String>,
}

/// A manifest's kind and name: which object it is.
fn identity(manifest: &crate::yaml::Value) -> (Option<&str>, Option<&str>) {
    use crate::admission::tree::{get, str_at};
    let name = get(manifest, "metadata").and_then(|m| str_at(m, "name"));
    (str_at(manifest, "kind"), name)
}

/// Marks the start (`true`) and end of a piece of work by name; the page
/// turns them into performance marks (`jobsim-engine` around each run).
pub type Mark = fn(name: &str, start: bool);

#[derive(Clone)]
pub struct Model {
    pub preset: Option<&'static str>,
    /// The example the work started from: "Restore example" loads it.
    pub origin: &'static str,
    /// Why a link or an imported file could not be opened.
    pub problem: Option<String>,
    /// The user changed the scenario since the page opened it (only then
    /// is it saved over the work kept in this browser).
    pub edited: bool,
    /// Shared, like the scenario: a step of playback clones the model,
    /// never the text.
    pub manifest_text: Rc<str>,
    /// Behaviour, actions and settings; its `manifest` is filled in from
    /// `manifest_text` when the engine runs. A change copies it once
    /// (`Rc::make_mut`).
    pub scenario: Rc<Scenario>,
    pub derived: Rc<Derived>,
    /// The last injection the engine refused (cleared by the next change).
    pub refusal: Option<Refusal>,
    pub cursor: Ms,
    pub playing: bool,
    pub speed: f64,
    pub selection: Selection,
    pub tab: Tab,
    pub locale: Locale,
    /// The stretch of the run the timeline shows; None: all of it.
    pub view: Option<Window>,
    /// Quiet stretches (no pod) collapsed into breaks on the axis.
    pub collapse: bool,
    /// Breaks the user opened again (by where they start).
    pub expanded: Vec<Ms>,
    /// A workshop prediction is pending: the run stays hidden and the
    /// cursor at 0 until the learner has answered (`Msg::Seal`).
    pub sealed: bool,
    /// Called around every engine run.
    pub mark: Mark,
}

pub enum Msg {
    EditManifest(String),
    /// An example's text arrived; `picked` when the user chose it (it
    /// then replaces the saved work).
    PresetLoaded {
        id: &'static str,
        text: String,
        picked: bool,
    },
    /// A data table the engine reads arrived (src/tables.rs).
    TableLoaded(crate::tables::Table, String),
    /// A share link's scenario and cursor.
    OpenLink(String, Ms),
    /// A file the user picked or dropped (a scenario or a bare manifest).
    Import(String),
    /// A link or import problem, or none.
    Problem(Option<String>),
    SetBehavior(Behavior),
    Inject(ActionKind),
    RemoveAction(usize),
    Seek(Ms),
    Play,
    Pause,
    TogglePlay,
    Step(bool),
    SetSpeed(f64),
    Select(Selection),
    SetTab(Tab),
    SetLocale(Locale),
    /// Show this Job of a CronJob.
    SelectJob(usize),
    /// `kubernetesVersion` ("1.25" ... "1.37").
    SetVersion(String),
    /// Zoom the timeline by `factor` (below 1: in) about `at` (else the
    /// cursor, else the middle).
    Zoom {
        factor: f64,
        at: Option<Ms>,
    },
    /// Show the whole run.
    ZoomFit,
    /// Move the timeline's window by this many ms.
    Pan(i64),
    /// Show this stretch (the overview's brush).
    SetView(Ms, Ms),
    /// Collapse the quiet stretches into breaks, or show them.
    Collapse(bool),
    /// Open the break that starts here.
    Expand(Ms),
    /// Hide the run until a prediction is given (true), or show it.
    Seal(bool),
}

impl Model {
    /// The playground as it opens: `initial`'s scenario (saved work) if it
    /// parses, else loading (`Derived::loading`) until its example (else pi) arrives.
    pub fn new(initial: Initial, locale: Locale) -> Model {
        let origin = initial
            .origin
            .as_deref()
            .and_then(presets::id)
            .unwrap_or(PRESETS[0].0);
        let mut model = Model {
            preset: None,
            origin,
            problem: None,
            edited: false,
            manifest_text: "".into(),
            scenario: Rc::new(
                parse("scenario: v1\nmanifest: {}\n").expect("the empty scenario parses"),
            ),
            derived: Rc::new(Derived {
                loading: true,
                ..Derived::default()
            }),
            refusal: None,
            cursor: 0,
            playing: false,
            speed: 10.0,
            selection: Selection::None,
            tab: Tab::Events,
            locale,
            view: None,
            collapse: false,
            expanded: Vec::new(),
            sealed: false,
            mark: |_, _| {},
        };
        if let Some(text) = initial.scenario {
            model.load(&text);
        }
        model
    }

    /// Loads a scenario file, or keeps everything and says why it could
    /// not.
    fn load(&mut self, text: &str) {
        match parse(text) {
            Ok(scenario) => {
                self.manifest_text = manifest_text(text)
                    .unwrap_or_else(|| crate::yaml::to_yaml(&scenario.manifest))
                    .into();
                self.scenario = Rc::new(scenario);
                self.cursor = 0;
                self.playing = false;
                self.selection = Selection::None;
                self.problem = None;
                self.derive();
            }
            Err(e) => self.problem = Some(e.to_string()),
        }
    }

    /// Runs the engine on `scenario` with the manifest text; keeps the
    /// last run on screen when it does not run.
    fn compute(&self, scenario: &Scenario) -> Derived {
        let version = scenario.kubernetes_version.as_deref().unwrap_or(NEWEST);
        let last = self.run().cloned();
        // The engine's tables arrive just after the first render.
        if !crate::tables::ready() {
            return Derived {
                loading: true,
                run: last,
                problem: None,
            };
        }
        let previous_job = last.as_ref().and_then(|r| r.job);
        let broken = |problem| Derived {
            loading: false,
            run: last.clone(),
            problem: Some(problem),
        };
        let p = match profile(version) {
            Ok(p) => p,
            Err(e) => {
                return broken(Problem::Other(format!(
                    "error: scenario kubernetesVersion: {e}"
                )));
            }
        };
        let manifest = match check_manifest(&self.manifest_text, &p) {
            Ok((manifest, _)) => manifest,
            Err(e) => return broken(Problem::Manifest(e)),
        };
        let mut scenario = scenario.clone();
        scenario.manifest = manifest;
        (self.mark)("jobsim-engine", true);
        let outcome = run(scenario, Limits::default());
        (self.mark)("jobsim-engine", false);
        match outcome {
            Ok(outcome) => {
                let jobs = outcome.trace.jobs.len();
                let job = previous_job
                    .filter(|&j| j < jobs)
                    .or((jobs > 0).then_some(0));
                Derived {
                    loading: false,
                    run: Some(Run::new(Rc::new(outcome), job)),
                    problem: None,
                }
            }
            Err(e) => broken(Problem::Other(e.to_string())),
        }
    }

    /// Runs the engine on the current scenario.
    fn derive(&mut self) {
        self.derived = Rc::new(self.compute(&self.scenario));
        self.refusal = None;
        self.after_run();
    }

    /// Keeps the cursor and the selection within the run.
    fn after_run(&mut self) {
        if let Some(run) = self.run() {
            self.cursor = self.cursor.min(run.outcome.ended_at);
        }
        if let Selection::Pod(p) = self.selection
            && self.run().is_none_or(|r| r.outcome.trace.pods.len() <= p)
        {
            self.selection = Selection::None;
        }
    }

    /// Adds an injection at the cursor, unless the engine refuses it
    /// there: then nothing is recorded and the refusal is kept to show.
    fn inject(&mut self, kind: ActionKind) {
        let patch = matches!(kind, ActionKind::Patch { .. });
        let mut scenario = (*self.scenario).clone();
        crate::sort::sort_by_key(&mut scenario.actions, |a| a.at);
        // After the actions already at this instant (they apply in order).
        let at = scenario.actions.partition_point(|a| a.at <= self.cursor);
        scenario.actions.insert(
            at,
            Action {
                at: self.cursor,
                kind,
            },
        );
        let derived = self.compute(&scenario);
        let refused = derived
            .current()
            .and_then(|r| r.outcome.stopped.as_ref())
            .filter(|s| s.action.is_some_and(|(i, _)| i == at));
        if let Some(stopped) = refused {
            self.refusal = Some(Refusal {
                patch,
                message: stopped.message.clone(),
            });
            return;
        }
        self.scenario = Rc::new(scenario);
        self.derived = Rc::new(derived);
        self.refusal = None;
        self.edited = true;
        self.preset = None;
        self.playing = false;
        self.after_run();
    }

    /// The run on screen (the last good one while the scenario does not
    /// run).
    pub fn run(&self) -> Option<&Run> {
        self.derived.run.as_ref()
    }

    /// What the timeline shows: the zoomed stretch, else the whole run.
    pub fn window(&self) -> Window {
        let end = self.end();
        self.view.map_or(Window::whole(end), |w| {
            Window::fitted(w.from as i64, w.to as i64, end)
        })
    }

    /// The timeline's axis: the window, its quiet stretches collapsed
    /// when asked.
    pub fn axis(&self) -> Axis {
        let w = self.window();
        match self.run().filter(|_| self.collapse) {
            Some(run) => Axis::collapsed(
                w,
                run.timeline.bars.iter().map(|b| (b.from, b.to)),
                &self.expanded,
            ),
            None => Axis::linear(w),
        }
    }

    /// Sets the timeline's window; all of the run is no zoom at all.
    fn show(&mut self, w: Window) {
        self.view = (w != Window::whole(self.end())).then_some(w);
    }

    /// The end of the run (0 when it did not run).
    pub fn end(&self) -> Ms {
        self.run().map_or(0, |r| r.outcome.ended_at)
    }

    /// The scenario file of what the user sees (export, share, save).
    pub fn scenario_text(&self) -> String {
        to_yaml(&self.scenario, &self.manifest_text)
    }
}

impl Model {
    /// The model after `msg` (the page's reducer).
    pub fn reduce(&self, msg: Msg) -> Model {
        let mut m = self.clone();
        m.edited |= matches!(
            msg,
            Msg::EditManifest(_)
                | Msg::Import(_)
                | Msg::SetBehavior(_)
                | Msg::RemoveAction(_)
                | Msg::SetVersion(_)
        );
        if !matches!(msg, Msg::Inject(_) | Msg::SetTab(_) | Msg::SetLocale(_)) {
            m.refusal = None;
        }
        // A sealed run cannot be looked at: time stays at 0.
        let looks = matches!(
            msg,
            Msg::Seek(_)
                | Msg::Play
                | Msg::TogglePlay
                | Msg::Step(_)
                | Msg::Zoom { .. }
                | Msg::Pan(_)
                | Msg::SetView(..)
                | Msg::Inject(_)
        );
        if m.sealed && looks {
            return m;
        }
        match msg {
            Msg::EditManifest(text) => {
                let before = m.run().map(|r| r.outcome.clone());
                m.manifest_text = text.into();
                m.preset = None;
                m.derive();
                // Another object pasted over the example: its notes no
                // longer describe what is on screen.
                let now = m.derived.current().map(|r| &r.outcome);
                if let (Some(before), Some(now)) = (before, now)
                    && identity(&before.scenario.manifest) != identity(&now.scenario.manifest)
                {
                    Rc::make_mut(&mut m.scenario).about = None;
                }
            }
            Msg::PresetLoaded { id, text, picked } => {
                // A fallback example keeps the message about what failed.
                let problem = m.problem.take().filter(|_| !picked);
                m.load(&text);
                m.problem = m.problem.take().or(problem);
                m.preset = Some(id);
                m.origin = id;
                m.edited |= picked;
            }
            Msg::TableLoaded(table, text) => {
                crate::tables::install(table, text);
                if crate::tables::ready() && !m.manifest_text.is_empty() {
                    m.derive();
                }
            }
            Msg::OpenLink(text, cursor) => {
                m.load(&text);
                m.preset = None;
                m.edited = false;
                // Until the engine's tables arrive there is no run to clamp
                // to; the run clamps it when it comes (`after_run`).
                m.cursor = if m.derived.loading {
                    cursor
                } else {
                    cursor.min(m.end())
                };
            }
            Msg::Import(text) => match crate::scenario::write::import(&text) {
                Ok(text) => {
                    m.load(&text);
                    m.preset = None;
                }
                Err(e) => m.problem = Some(e.to_string()),
            },
            Msg::Problem(p) => m.problem = p,
            Msg::SetBehavior(behavior) => {
                Rc::make_mut(&mut m.scenario).behavior = behavior;
                m.preset = None;
                m.derive();
            }
            Msg::Inject(kind) => m.inject(kind),
            Msg::RemoveAction(i) => {
                if i < m.scenario.actions.len() {
                    Rc::make_mut(&mut m.scenario).actions.remove(i);
                    m.preset = None;
                    m.derive();
                }
            }
            Msg::Seek(t) => {
                m.cursor = t.min(m.end());
                // Playback follows the playhead out of a zoomed window (to
                // the end, where it stops).
                if m.playing && m.view.is_some() {
                    let w = m.window().follow(m.cursor, m.end());
                    m.show(w);
                }
                if m.cursor >= m.end() {
                    m.playing = false;
                }
            }
            Msg::Play => {
                if m.cursor >= m.end() {
                    m.cursor = 0;
                }
                m.playing = m.end() > 0;
            }
            Msg::Pause => m.playing = false,
            Msg::TogglePlay => {
                return if m.playing {
                    self.reduce(Msg::Pause)
                } else {
                    self.reduce(Msg::Play)
                };
            }
            Msg::Step(forward) => {
                m.playing = false;
                if let Some(run) = m.run() {
                    let t = if forward {
                        run.timeline.next_moment(m.cursor)
                    } else {
                        run.timeline.previous_moment(m.cursor)
                    };
                    m.cursor = t.unwrap_or(m.cursor);
                }
            }
            Msg::SetSpeed(speed) => m.speed = speed.clamp(0.5, 100.0),
            Msg::Select(selection) => m.selection = selection,
            Msg::SetTab(tab) => m.tab = tab,
            Msg::SetLocale(locale) => m.locale = locale,
            Msg::SelectJob(job) => {
                if let Some(run) = m.run()
                    && job < run.outcome.trace.jobs.len()
                {
                    let run = Run::new(run.outcome.clone(), Some(job));
                    m.derived = Rc::new(Derived {
                        loading: false,
                        run: Some(run),
                        problem: m.derived.problem.clone(),
                    });
                    m.selection = Selection::None;
                }
            }
            Msg::Zoom { factor, at } => {
                let w = m.window();
                let at = at.or(Some(m.cursor).filter(|&c| w.from <= c && c <= w.to));
                let at = at.unwrap_or(w.from + w.span() / 2);
                let zoomed = w.zoom(factor, at, m.end());
                m.show(zoomed);
            }
            Msg::ZoomFit => m.view = None,
            Msg::Collapse(on) => {
                m.collapse = on;
                m.expanded.clear();
            }
            Msg::Expand(at) => m.expanded.push(at),
            Msg::Pan(by) => {
                let panned = m.window().pan(by, m.end());
                m.show(panned);
            }
            Msg::SetView(from, to) => {
                let w = Window::fitted(from as i64, to as i64, m.end());
                m.show(w);
            }
            Msg::Seal(sealed) => {
                m.sealed = sealed;
                m.cursor = 0;
                m.playing = false;
                m.view = None;
            }
            Msg::SetVersion(version) => {
                Rc::make_mut(&mut m.scenario).kubernetes_version = Some(version);
                m.preset = None;
                m.derive();
            }
        }
        m
    }
}
