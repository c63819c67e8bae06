//! The workshop: levels from a levels file (the site's `levels.yaml`, a
//! trainer's own by `?levelsUrl=`, or one a workshop link carries),
//! grouped in tracks, each with a goal, hints, a solution and a debrief.
//! A prediction level hides the run until the learner locks in an answer
//! (`Msg::Seal`). The checks run in the page's worker (src/worker.rs) on
//! the scenario's text. Progress (time, hints) is kept in this browser; the
//! summary is for the learner to copy or print.

use super::builder::Builder;
use super::i18n::{Texts, texts};
use super::model::{Derived, Msg};
use super::{button, page, services, window};
use jobsim::levels::{Level, Levels, Progress, Record, Start};
use jobsim::scenario::Scenario;
use jobsim::view::explain::Locale;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties)]
pub struct WorkshopProps {
    pub derived: Rc<Derived>,
    /// The scenario on screen (what a check runs).
    pub scenario: Rc<Scenario>,
    pub manifest_text: Rc<str>,
    pub locale: Locale,
    pub dispatch: Callback<Msg>,
    /// `?level=`: open this level at once.
    pub open: Option<String>,
    /// `?levels=a,b,c`: only these levels, in this order.
    pub only: Option<String>,
    /// `?levelsUrl=`: the levels file (else the site's).
    pub url: Option<String>,
    /// A workshop link's levels file (it opens its first level).
    pub inline: Option<Rc<str>>,
}

impl PartialEq for WorkshopProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.derived, &other.derived)
            && Rc::ptr_eq(&self.scenario, &other.scenario)
            && Rc::ptr_eq(&self.manifest_text, &other.manifest_text)
            && self.locale == other.locale
            && self.open == other.open
            && self.only == other.only
            && self.url == other.url
            && self.inline == other.inline
    }
}

/// A levels file as loaded: its text (the worker reads it again), its
/// levels, and each level's own scenario (the seed fetched).
struct Loaded {
    file: String,
    levels: Levels,
    own: Vec<String>,
}

#[derive(Clone, Copy, Default, PartialEq)]
enum View {
    #[default]
    Levels,
    Summary,
    Builder,
}

/// Everything the workshop remembers (one hook).
#[derive(Clone, Default)]
struct State {
    loaded: Option<Result<Rc<Loaded>, String>>,
    current: Option<usize>,
    /// How many hints are shown.
    hints: usize,
    /// The solution is shown.
    solution: bool,
    answer: String,
    /// The prediction is locked in (the run is shown).
    locked: bool,
    /// A check is on its way to the worker.
    checking: bool,
    result: Option<Result<String, String>>,
    progress: Progress,
    /// When the level was opened (ms since the epoch).
    opened: f64,
    view: View,
}

enum Do {
    /// The levels file arrived; open this level.
    Loaded(Result<Loaded, String>, Option<usize>, Callback<Msg>),
    Pick(usize, Callback<Msg>),
    Answer(String),
    Hint,
    Solution,
    Reset(Callback<Msg>),
    /// A check went to the worker.
    Checking,
    /// Its answer.
    Verdict(Result<String, String>, Callback<Msg>),
    /// The run does not run: nothing to check.
    Unchecked(String),
    Show(View),
    ResetProgress,
}

impl State {
    fn level(&self) -> Option<(Rc<Loaded>, usize)> {
        Some((self.loaded.clone()?.ok()?, self.current?))
    }

    /// Opens level `i` afresh.
    fn pick(&mut self, i: usize, dispatch: &Callback<Msg>) {
        let Some(loaded) = self.loaded.clone().and_then(Result::ok) else {
            return;
        };
        let Some(level) = loaded.levels.levels.get(i) else {
            return;
        };
        *self = State {
            loaded: self.loaded.take(),
            progress: std::mem::take(&mut self.progress),
            current: Some(i),
            opened: js_sys::Date::now(),
            ..State::default()
        };
        start(level, &loaded.own[i], dispatch);
    }
}

impl Reducible for State {
    type Action = Do;

    fn reduce(self: Rc<Self>, what: Do) -> Rc<Self> {
        let mut s = (*self).clone();
        match what {
            Do::Loaded(result, pick, dispatch) => {
                s.loaded = Some(result.map(Rc::new));
                if let Some(i) = pick {
                    s.pick(i, &dispatch);
                }
            }
            Do::Pick(i, dispatch) => s.pick(i, &dispatch),
            Do::Answer(a) => s.answer = a,
            Do::Hint => s.hints += 1,
            Do::Solution => s.solution = true,
            Do::Show(view) => s.view = view,
            Do::ResetProgress => {
                s.progress = Progress::default();
                page::save_progress(&s.progress);
            }
            Do::Reset(dispatch) => {
                if let Some((l, i)) = s.level() {
                    s.result = None;
                    s.locked = false;
                    s.answer.clear();
                    start(&l.levels.levels[i], &l.own[i], &dispatch);
                }
            }
            Do::Checking => {
                // The last answer goes: the next one is on its way.
                s.checking = true;
                s.result = None;
            }
            Do::Unchecked(why) => s.result = Some(Err(why)),
            Do::Verdict(r, dispatch) => {
                s.checking = false;
                let Some((l, i)) = s.level() else {
                    return self;
                };
                let level = &l.levels.levels[i];
                // A prediction given: it is locked in, and the run plays.
                let predicted = jobsim::scenario::duration::parse(s.answer.trim()).is_ok();
                if level.question.is_some() && predicted && !s.locked {
                    s.locked = true;
                    dispatch.emit(Msg::Seal(false));
                    dispatch.emit(Msg::Play);
                }
                if r.is_ok() {
                    s.progress.solve(Record {
                        id: level.id.clone(),
                        seconds: Some(((js_sys::Date::now() - s.opened) / 1000.0).max(0.0) as u32),
                        hints: s.hints as u32,
                        solution: s.solution,
                    });
                    page::save_progress(&s.progress);
                }
                s.result = Some(r);
            }
        }
        Rc::new(s)
    }
}

/// The levels file, each level's own scenario, and the level to open.
async fn load(
    open: Option<String>,
    only: Option<String>,
    url: Option<String>,
    inline: Option<Rc<str>>,
) -> (Result<Loaded, String>, Option<usize>) {
    let loaded = async {
        let file = match (&inline, &url) {
            (Some(text), _) => text.to_string(),
            (None, Some(url)) => crate::web::fetch_text(&page::same_site(url)?).await?,
            (None, None) => crate::web::fetch_text("levels.yaml").await?,
        };
        let limit = jobsim::scenario::share::MAX_SCENARIO_BYTES;
        if file.len() > limit {
            return Err(format!(
                "error: the levels file is larger than {}, the playground's limit",
                jobsim::limits::size_text(limit)
            ));
        }
        let mut levels = jobsim::levels::parse(&file)?;
        if let Some(only) = &only {
            let ids: Vec<&str> = only.split(',').filter(|s| !s.is_empty()).collect();
            levels = levels.only(&ids)?;
        }
        let mut own = Vec::with_capacity(levels.levels.len());
        for l in &levels.levels {
            let text = match &l.start {
                Start::Seed(name) => {
                    let Some(id) = jobsim::presets::id(name) else {
                        return Err(format!(
                            "levels: {}: seed \"{name}\" is not an example of this playground",
                            l.id
                        ));
                    };
                    crate::web::fetch_text(&format!("scenarios/{id}.yaml")).await?
                }
                Start::Scenario(text) => text.clone(),
            };
            jobsim::scenario::parse(&text).map_err(|e| format!("levels: {}: {e}", l.id))?;
            own.push(text);
        }
        Ok(Loaded { file, levels, own })
    }
    .await;
    let pick = loaded.as_ref().ok().and_then(|l| {
        let all = &l.levels.levels;
        match (&open, &inline) {
            (Some(id), _) => all.iter().position(|l| &l.id == id),
            (None, Some(_)) => (!all.is_empty()).then_some(0),
            _ => None,
        }
    });
    (loaded, pick)
}

/// Loads a level's starting scenario into the playground, the run hidden
/// when the level asks for a prediction.
fn start(level: &Level, own: &str, dispatch: &Callback<Msg>) {
    match &level.start {
        // The example itself, as the menu loads it (the menu shows it).
        Start::Seed(name) => page::load_preset(name, true, dispatch),
        Start::Scenario(_) => dispatch.emit(Msg::Import(own.to_string())),
    }
    dispatch.emit(Msg::Seal(level.question.is_some()));
}

#[function_component(Workshop)]
pub fn workshop(props: &WorkshopProps) -> Html {
    let tx = texts(props.locale);
    let state = use_reducer(|| State {
        progress: page::progress(),
        ..State::default()
    });
    let act = state.dispatcher();
    // Load the levels once; leaving the workshop shows a hidden run again.
    {
        let (act, dispatch) = (act.clone(), props.dispatch.clone());
        let args = (props.open.clone(), props.only.clone(), props.url.clone());
        use_effect_with(props.inline.clone(), move |inline| {
            let inline = inline.clone();
            let leave = dispatch.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let (loaded, pick) = load(args.0, args.1, args.2, inline).await;
                act.dispatch(Do::Loaded(loaded, pick, dispatch));
            });
            move || leave.emit(Msg::Seal(false))
        });
    }
    let on_check = {
        let (state, act) = (state.clone(), act.clone());
        let props = (
            props.derived.clone(),
            props.scenario.clone(),
            props.manifest_text.clone(),
            props.dispatch.clone(),
            props.locale,
        );
        Callback::from(move |_: MouseEvent| {
            let Some((l, i)) = state.level() else { return };
            let level = &l.levels.levels[i];
            let (derived, scenario, manifest_text, dispatch, locale) = &props;
            if derived.current().is_none() && level.question.is_none() {
                return act.dispatch(Do::Unchecked(texts(*locale).fix_first.to_string()));
            }
            act.dispatch(Do::Checking);
            let request = [
                "verdict".to_string(),
                l.file.clone(),
                level.id.clone(),
                l.own[i].clone(),
                // The run on screen, else (a prediction about a scenario
                // that does not run) the scenario as it is.
                derived.current().map_or_else(
                    || jobsim::scenario::write::to_yaml(scenario, manifest_text),
                    |run| jobsim::run::scenario_text(&run.outcome),
                ),
                state.answer.clone(),
                locale.tag().to_string(),
            ];
            let (act, dispatch) = (act.clone(), dispatch.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let request: Vec<&str> = request.iter().map(String::as_str).collect();
                act.dispatch(Do::Verdict(services::ask(&request).await, dispatch));
            });
        })
    };
    let send = |f: fn() -> Do| {
        let act = act.clone();
        Callback::from(move |_: MouseEvent| act.dispatch(f()))
    };
    let with_dispatch = |f: fn(Callback<Msg>) -> Do| {
        let (act, dispatch) = (act.clone(), props.dispatch.clone());
        Callback::from(move |_: MouseEvent| act.dispatch(f(dispatch.clone())))
    };
    let locale = props.locale;
    let toolbar = html! {
        <div class="row workshop-tools">
            { button("workshop-levels", tx.levels, state.view == View::Levels, send(|| Do::Show(View::Levels))) }
            { button("workshop-summary", tx.summary, state.view == View::Summary, send(|| Do::Show(View::Summary))) }
            { button("workshop-build", tx.build_level, state.view == View::Builder, send(|| Do::Show(View::Builder))) }
            { button("reset-progress", tx.reset_progress, state.progress.0.is_empty(), send(|| Do::ResetProgress)) }
        </div>
    };
    let body = match (&state.loaded, state.view) {
        (_, View::Builder) => html! {
            <Builder derived={props.derived.clone()} scenario={props.scenario.clone()}
                manifest_text={props.manifest_text.clone()} {locale} />
        },
        (None, _) => html! { <p>{ tx.loading }</p> },
        (Some(Err(e)), _) => {
            html! { <p class="error" role="alert" data-testid="levels-error">{ e }</p> }
        }
        (Some(Ok(l)), View::Summary) => summary(&l.levels.levels, &state.progress, tx, locale),
        (Some(Ok(l)), View::Levels) => {
            let pick = {
                let (act, dispatch) = (act.clone(), props.dispatch.clone());
                Callback::from(move |i: usize| act.dispatch(Do::Pick(i, dispatch.clone())))
            };
            let level = state
                .current
                .and_then(|i| Some((i, l.levels.levels.get(i)?)));
            html! {
                <>
                    { level_list(&l.levels, &state, locale, tx, &pick) }
                    { for level.map(|(i, level)| {
                        let next = (i + 1 < l.levels.levels.len()).then_some(i + 1);
                        let controls = Controls {
                            check: on_check.clone(),
                            hint: send(|| Do::Hint),
                            solution: send(|| Do::Solution),
                            reset: with_dispatch(Do::Reset),
                            answer: {
                                let act = act.clone();
                                Callback::from(move |e: InputEvent| {
                                    act.dispatch(Do::Answer(e.target_unchecked_into::<HtmlInputElement>().value()))
                                })
                            },
                            next: match next {
                                Some(n) => { let pick = pick.clone(); Callback::from(move |_: MouseEvent| pick.emit(n)) }
                                None => send(|| Do::Show(View::Summary)),
                            },
                        };
                        level_view(level, &state, locale, tx, controls)
                    }) }
                </>
            }
        }
    };
    html! {
        <section class="panel workshop" data-testid="workshop" aria-label={tx.workshop}>
            <h2>{ tx.workshop }</h2>
            { toolbar }
            { body }
        </section>
    }
}

/// The levels by track, each with its difficulty, minutes and, once
/// solved, the learner's pace.
fn level_list(
    levels: &Levels,
    state: &State,
    locale: Locale,
    tx: &Texts,
    pick: &Callback<usize>,
) -> Html {
    let item = |i: usize, l: &Level| {
        let record = state.progress.get(&l.id);
        let pick = pick.clone();
        let meta: Vec<String> = [
            (l.difficulty > 0).then(|| {
                "★".repeat(l.difficulty.into()) + &"☆".repeat(3 - usize::from(l.difficulty))
            }),
            (l.minutes > 0).then(|| tx.minutes.replace("{n}", &l.minutes.to_string())),
            record.map(|r| Progress::pace(r, locale)),
        ]
        .into_iter()
        .flatten()
        .collect();
        html! {
            <li><button data-testid="level" data-level={l.id.clone()} data-solved={record.is_some().to_string()}
                aria-pressed={(state.current == Some(i)).to_string()} onclick={Callback::from(move |_| pick.emit(i))}>
                { if record.is_some() { "✓ " } else { "" } }{ l.title.get(locale) }
                <span class="meta" title={(l.difficulty > 0).then(|| tx.difficulty.replace("{n}", &l.difficulty.to_string()))}>{ meta.join(" · ") }</span>
            </button></li>
        }
    };
    // Consecutive levels of a track under its title, in the set's order
    // (`?levels=` orders the room's levels, whatever their tracks).
    let all = &levels.levels;
    let mut groups: Vec<(Option<&str>, Vec<Html>)> = Vec::new();
    for (i, l) in all.iter().enumerate() {
        let track = l.track.as_deref();
        match groups.last_mut() {
            Some((t, items)) if *t == track => items.push(item(i, l)),
            _ => groups.push((track, vec![item(i, l)])),
        }
    }
    let title = |track: Option<&str>| match track {
        Some(id) => levels
            .tracks
            .iter()
            .find(|t| t.id == id)
            .map_or("", |t| t.title.get(locale)),
        None if levels.tracks.is_empty() => "",
        None => tx.other_levels,
    };
    html! {
        <>
            { for groups.into_iter().map(|(track, items)| html! {
                <div class="level-track" data-testid="track">
                    if !title(track).is_empty() { <h3>{ title(track) }</h3> }
                    <ol class="levels">{ for items }</ol>
                </div>
            }) }
        </>
    }
}

/// What a level's buttons do.
struct Controls {
    check: Callback<MouseEvent>,
    hint: Callback<MouseEvent>,
    solution: Callback<MouseEvent>,
    reset: Callback<MouseEvent>,
    answer: Callback<InputEvent>,
    next: Callback<MouseEvent>,
}

fn level_view(l: &Level, state: &State, locale: Locale, tx: &Texts, c: Controls) -> Html {
    let solved = matches!(state.result, Some(Ok(_)));
    let predicting = l.question.is_some() && !state.locked;
    let all_hints = state.hints >= l.hints.len();
    html! {
        <div class="level" data-testid="level-view">
            <h3>{ l.title.get(locale) }</h3>
            <p data-testid="level-goal">{ l.goal.get(locale) }</p>
            { for l.question.as_ref().map(|q| html! {
                <label class="answer">{ q.get(locale) }{ " " }
                    <input type="text" data-testid="level-answer" value={state.answer.clone()} oninput={c.answer}
                        size="8" readonly={state.locked} />
                </label>
            }) }
            if state.locked {
                <p class="hint" data-testid="answer-locked">{ tx.answer_locked }</p>
            }
            <ul class="hints">
                { for l.hints.iter().take(state.hints).map(|h| html! { <li data-testid="hint">{ h.get(locale) }</li> }) }
            </ul>
            <div class="row">
                { button("level-check", if predicting { tx.lock_answer } else { tx.check }, state.checking, c.check) }
                { button("level-hint", &format!("{} ({}/{})", tx.hint, state.hints.min(l.hints.len()), l.hints.len()), all_hints, c.hint) }
                if all_hints && !state.solution && l.solution.is_some() {
                    { button("show-solution", tx.show_solution, false, c.solution) }
                }
                { button("level-reset", tx.reset_level, false, c.reset) }
            </div>
            { for l.solution.as_ref().filter(|_| state.solution).map(|s| html! {
                <div class="solution" data-testid="solution">
                    <h4>{ tx.solution }</h4>
                    <p>{ s.text.get(locale) }</p>
                    { for s.manifest.as_ref().map(|m| html! { <pre>{ jobsim::yaml::to_yaml(m) }</pre> }) }
                    { for s.answer.as_ref().map(|a| html! { <pre>{ a }</pre> }) }
                </div>
            }) }
            { for state.result.as_ref().map(|r| {
                let text = match r {
                    Ok(note) if note.is_empty() => tx.solved.to_string(),
                    Ok(note) => format!("{} {note}", tx.solved),
                    Err(e) => e.clone(),
                };
                html! {
                    <p class={classes!("verdict", r.is_ok().then_some("solved"))} role="status" data-testid="level-verdict">{ text }</p>
                }
            }) }
            if solved {
                <div class="debrief" data-testid="debrief">
                    { for l.debrief.as_ref().map(|d| html! {
                        <>
                            <h4>{ tx.why_it_works }</h4>
                            <p>{ d.get(locale) }</p>
                        </>
                    }) }
                    { for l.docs.as_ref().map(|href| html! {
                        <p><a href={href.clone()} target="_blank" rel="noopener">{ tx.read_docs }</a></p>
                    }) }
                    { button("next-level", tx.next_level, false, c.next) }
                </div>
            }
        </div>
    }
}

/// The learner's summary: to copy or print (nothing is sent anywhere).
fn summary(levels: &[Level], progress: &Progress, tx: &Texts, locale: Locale) -> Html {
    let text = progress.summary(levels, locale);
    let copy = {
        let text = text.clone();
        Callback::from(move |_: MouseEvent| {
            let _ = window().navigator().clipboard().write_text(&text);
        })
    };
    let print = Callback::from(|_: MouseEvent| {
        let _ = window().print();
    });
    html! {
        <div class="summary" data-testid="summary">
            <h3>{ tx.summary }</h3>
            <pre data-testid="summary-text">{ text }</pre>
            <div class="row">
                { button("summary-copy", tx.copy, false, copy) }
                { button("summary-print", tx.print, false, print) }
            </div>
        </div>
    }
}
