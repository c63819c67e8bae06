//! The workshop: levels (www/levels.yaml, fetched when the workshop first
//! opens) with a goal, hints, an answer box for predictions, and a check
//! against the current run. Progress is kept in this browser.

use super::i18n::texts;
use super::model::{Derived, Msg};
use super::{button, page};
use jobsim::levels::{Level, Start, parse, verdict};
use jobsim::scenario::Scenario;
use jobsim::view::explain::Locale;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties)]
pub struct WorkshopProps {
    pub derived: Rc<Derived>,
    pub locale: Locale,
    pub dispatch: Callback<Msg>,
    /// `?level=`: open this level at once.
    pub open: Option<String>,
}

impl PartialEq for WorkshopProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.derived, &other.derived)
            && self.locale == other.locale
            && self.open == other.open
    }
}

/// Everything the workshop remembers (one hook).
#[derive(Clone, Default)]
struct State {
    /// The levels file, once fetched (or why it could not be).
    levels: Option<Result<Rc<Vec<Level>>, String>>,
    /// Each level's own scenario (its seed fetched), what a run must be.
    own: Rc<Vec<Scenario>>,
    current: Option<usize>,
    /// How many hints are shown.
    hints: usize,
    answer: String,
    result: Option<Result<(), String>>,
    /// Ids of the levels solved in this browser.
    solved: Vec<String>,
}

/// The levels, and each one's own scenario.
type Loaded = (Rc<Vec<Level>>, Rc<Vec<Scenario>>);

enum Do {
    /// The levels file arrived; open this level (`?level=`).
    Loaded(Result<Loaded, String>, Option<usize>),
    Pick(usize),
    Answer(String),
    Hint,
    Reset,
    Check,
}

/// Each level's own scenario: its text, or its seed example fetched.
async fn own_scenarios(levels: &[Level]) -> Result<Vec<Scenario>, String> {
    let mut own = Vec::with_capacity(levels.len());
    for l in levels {
        let text = match &l.start {
            Start::Seed(name) => page::fetch_text(&format!("scenarios/{name}.yaml")).await?,
            Start::Scenario(text) => text.clone(),
        };
        own.push(jobsim::scenario::parse(&text).map_err(|e| format!("levels: {}: {e}", l.id))?);
    }
    Ok(own)
}

/// Loads a level's starting scenario into the playground.
fn start(level: &Level, dispatch: &Callback<Msg>) {
    match &level.start {
        Start::Seed(name) => page::load_preset(name, true, dispatch),
        Start::Scenario(text) => dispatch.emit(Msg::Import(text.clone())),
    }
}

#[function_component(Workshop)]
pub fn workshop(props: &WorkshopProps) -> Html {
    let tx = texts(props.locale);
    let state = use_state(|| State {
        solved: page::solved_levels(),
        ..State::default()
    });
    let act = {
        let (state, derived, dispatch, locale, open) = (
            state.clone(),
            props.derived.clone(),
            props.dispatch.clone(),
            props.locale,
            props.open.clone(),
        );
        Callback::from(move |what: Do| {
            let mut s = (*state).clone();
            let mut what = what;
            if let Do::Loaded(levels, pick) = what {
                s.levels = Some(
                    levels
                        .as_ref()
                        .map(|(l, _)| l.clone())
                        .map_err(Clone::clone),
                );
                s.own = levels.map(|(_, own)| own).unwrap_or_default();
                match pick {
                    Some(i) => what = Do::Pick(i),
                    None => {
                        // An unknown `?level=`: the playground still needs a scenario.
                        if open.is_some() {
                            page::load_preset("pi", false, &dispatch);
                        }
                        return state.set(s);
                    }
                }
            }
            let all = s.levels.clone().and_then(Result::ok).unwrap_or_default();
            match what {
                Do::Loaded(..) => {}
                Do::Pick(i) => {
                    s = State {
                        current: Some(i),
                        ..State {
                            levels: s.levels,
                            own: s.own,
                            solved: s.solved,
                            ..State::default()
                        }
                    };
                    start(&all[i], &dispatch);
                }
                Do::Answer(a) => s.answer = a,
                Do::Hint => s.hints += 1,
                Do::Reset => {
                    s.result = None;
                    if let Some(l) = s.current.and_then(|i| all.get(i)) {
                        start(l, &dispatch);
                    }
                }
                Do::Check => {
                    let Some(l) = s.current.and_then(|i| all.get(i)) else {
                        return;
                    };
                    let own = s.current.and_then(|i| s.own.get(i));
                    let r = match (derived.current(), own) {
                        (Some(run), Some(own)) => verdict(l, own, &run.outcome, &s.answer, locale),
                        _ => Err(texts(locale).fix_first.to_string()),
                    };
                    if r.is_ok() && !s.solved.contains(&l.id) {
                        s.solved.push(l.id.clone());
                        page::save_solved_levels(&s.solved);
                    }
                    s.result = Some(r);
                }
            }
            state.set(s);
        })
    };
    // Fetch the levels once, then open `?level=` if given.
    {
        let (act, open) = (act.clone(), props.open.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let loaded = match page::fetch_text("levels.yaml")
                    .await
                    .and_then(|t| parse(&t))
                {
                    Ok(levels) => own_scenarios(&levels)
                        .await
                        .map(|own| (Rc::new(levels), Rc::new(own))),
                    Err(e) => Err(e),
                };
                let pick = loaded
                    .as_ref()
                    .ok()
                    .and_then(|(all, _)| all.iter().position(|l| Some(&l.id) == open.as_ref()));
                act.emit(Do::Loaded(loaded, pick));
            });
        });
    }
    let send = |f: fn() -> Do| {
        let act = act.clone();
        Callback::from(move |_: MouseEvent| act.emit(f()))
    };
    let locale = props.locale;
    let body = match &state.levels {
        None => html! { <p>{ tx.loading }</p> },
        Some(Err(e)) => html! { <p class="error">{ e }</p> },
        Some(Ok(all)) => {
            let level = state.current.and_then(|i| all.get(i));
            html! {
                <>
                    <ol class="levels">
                        { for all.iter().enumerate().map(|(i, l)| {
                            let done = state.solved.contains(&l.id);
                            let act = act.clone();
                            html! {
                                <li><button data-testid="level" data-level={l.id.clone()} data-solved={done.to_string()}
                                    aria-pressed={(state.current == Some(i)).to_string()} onclick={Callback::from(move |_| act.emit(Do::Pick(i)))}>
                                    { if done { "✓ " } else { "" } }{ l.title.get(locale) }
                                </button></li>
                            }
                        }) }
                    </ol>
                    { for level.map(|l| html! {
                        <div class="level" data-testid="level-view">
                            <h3>{ l.title.get(locale) }</h3>
                            <p data-testid="level-goal">{ l.goal.get(locale) }</p>
                            { for l.question.as_ref().map(|q| {
                                let act = act.clone();
                                let oninput = Callback::from(move |e: InputEvent| {
                                    act.emit(Do::Answer(e.target_unchecked_into::<HtmlInputElement>().value()))
                                });
                                html! {
                                    <label class="answer">{ q.get(locale) }{ " " }
                                        <input type="text" data-testid="level-answer" value={state.answer.clone()} {oninput} size="8" />
                                    </label>
                                }
                            }) }
                            <ul class="hints">
                                { for l.hints.iter().take(state.hints).map(|h| html! { <li data-testid="hint">{ h.get(locale) }</li> }) }
                            </ul>
                            <div class="row">
                                { button("level-check", tx.check, false, send(|| Do::Check)) }
                                { button("level-hint", &format!("{} ({}/{})", tx.hint, state.hints.min(l.hints.len()), l.hints.len()), state.hints >= l.hints.len(), send(|| Do::Hint)) }
                                { button("level-reset", tx.reset_level, false, send(|| Do::Reset)) }
                            </div>
                            { for state.result.as_ref().map(|r| html! {
                                <p class={classes!("verdict", r.is_ok().then_some("solved"))} role="status" data-testid="level-verdict">
                                    { r.as_ref().err().map_or(tx.solved, String::as_str) }
                                </p>
                            }) }
                        </div>
                    }) }
                </>
            }
        }
    };
    html! {
        <section class="panel workshop" data-testid="workshop" aria-label={tx.workshop}>
            <h2>{ tx.workshop }</h2>
            { body }
        </section>
    }
}
