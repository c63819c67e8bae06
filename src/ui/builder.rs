//! The level builder: the scenario on screen plus checks chosen from what
//! its run shows become a levels file (to download, or to serve with
//! `?levelsUrl=`) or a workshop link that carries the file (`#v=1&w=`).

use super::i18n::texts;
use super::model::Derived;
use super::{button, download, page};
use jobsim::levels::{Draft, Text, check_line, level_file, suggestions};
use jobsim::scenario::Scenario;
use jobsim::view::explain::Locale;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties)]
pub struct BuilderProps {
    pub derived: Rc<Derived>,
    pub scenario: Rc<Scenario>,
    pub manifest_text: Rc<str>,
    pub locale: Locale,
}

impl PartialEq for BuilderProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.derived, &other.derived)
            && Rc::ptr_eq(&self.scenario, &other.scenario)
            && Rc::ptr_eq(&self.manifest_text, &other.manifest_text)
            && self.locale == other.locale
    }
}

/// The form's fields, as typed.
#[derive(Clone, PartialEq)]
struct Form {
    id: String,
    title: String,
    title_ja: String,
    goal: String,
    goal_ja: String,
    question: String,
    hints: String,
    editable: String,
    /// Which of the suggested checks are chosen.
    chosen: Vec<bool>,
}

impl Default for Form {
    fn default() -> Form {
        Form {
            id: "my-level".into(),
            title: "My level".into(),
            title_ja: String::new(),
            goal: String::new(),
            goal_ja: String::new(),
            question: "The Job ends at (e.g. 4m30s):".into(),
            hints: String::new(),
            editable: String::new(),
            chosen: vec![true],
        }
    }
}

#[derive(Clone, Copy)]
enum Field {
    Id,
    Title,
    TitleJa,
    Goal,
    GoalJa,
    Question,
    Hints,
    Editable,
}

#[function_component(Builder)]
pub fn builder(props: &BuilderProps) -> Html {
    let tx = texts(props.locale);
    let form = use_state(Form::default);
    let link = use_state(|| None::<Result<String, usize>>);
    let Some(run) = props.derived.current() else {
        return html! { <p class="hint" data-testid="builder">{ tx.builder_needs_run }</p> };
    };
    let offered = suggestions(&run.outcome);
    let checks: Vec<_> = offered
        .iter()
        .zip(form.chosen.iter().chain(std::iter::repeat(&false)))
        .filter(|(_, on)| **on)
        .map(|(c, _)| c.clone())
        .collect();
    let predicts = checks.iter().any(|c| c.get("answer").is_some());
    let text = |en: &str, ja: &str| Text {
        en: en.trim().to_string(),
        ja: ja.trim().to_string(),
    };
    let draft = Draft {
        id: form.id.trim().to_string(),
        title: text(&form.title, &form.title_ja),
        goal: text(&form.goal, &form.goal_ja),
        hints: form
            .hints
            .lines()
            .filter(|h| !h.trim().is_empty())
            .map(|h| text(h, ""))
            .collect(),
        editable: form
            .editable
            .split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(String::from)
            .collect(),
        question: predicts.then(|| text(&form.question, "")),
        checks,
    };
    let scenario = jobsim::scenario::write::to_yaml(&props.scenario, &props.manifest_text);
    let scenario = jobsim::scenario::share::pinned(&scenario).unwrap_or(scenario);
    let file = level_file(&draft, &scenario);
    // The file as the workshop will read it: a missing title or goal, or
    // no check, is said here rather than in the learner's tab.
    let problem = jobsim::levels::parse(&file).err();
    let input = |field: Field| {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            let mut f = (*form).clone();
            *match field {
                Field::Id => &mut f.id,
                Field::Title => &mut f.title,
                Field::TitleJa => &mut f.title_ja,
                Field::Goal => &mut f.goal,
                Field::GoalJa => &mut f.goal_ja,
                Field::Question => &mut f.question,
                Field::Hints => &mut f.hints,
                Field::Editable => &mut f.editable,
            } = value;
            form.set(f);
        })
    };
    let row = |label: &str, field: Field, value: &str, testid: &'static str| {
        html! {
            <label class="field">{ label.to_string() }
                <input type="text" data-testid={testid} value={value.to_string()} oninput={input(field)} />
            </label>
        }
    };
    let toggle = |i: usize| {
        let form = form.clone();
        Callback::from(move |_: Event| {
            let mut f = (*form).clone();
            f.chosen.resize(f.chosen.len().max(i + 1), false);
            f.chosen[i] = !f.chosen[i];
            form.set(f);
        })
    };
    let on_download = {
        let file = file.clone();
        Callback::from(move |_: MouseEvent| download("levels.yaml", &file, "application/yaml"))
    };
    let on_link = {
        let (file, link) = (file.clone(), link.clone());
        Callback::from(move |_: MouseEvent| {
            let (file, link) = (file.clone(), link.clone());
            wasm_bindgen_futures::spawn_local(async move {
                link.set(Some(page::levels_link(&file).await))
            });
        })
    };
    html! {
        <div class="builder" data-testid="builder">
            <h3>{ tx.build_level }</h3>
            { row(tx.level_id, Field::Id, &form.id, "builder-id") }
            { row(tx.level_title, Field::Title, &form.title, "builder-title") }
            { row(&format!("{} (日本語)", tx.level_title), Field::TitleJa, &form.title_ja, "builder-title-ja") }
            { row(tx.level_goal, Field::Goal, &form.goal, "builder-goal") }
            { row(&format!("{} (日本語)", tx.level_goal), Field::GoalJa, &form.goal_ja, "builder-goal-ja") }
            { row(tx.level_editable, Field::Editable, &form.editable, "builder-editable") }
            <fieldset>
                <legend>{ tx.level_checks }</legend>
                { for offered.iter().enumerate().map(|(i, c)| html! {
                    <label class="check"><input type="checkbox" data-testid="builder-check"
                        checked={form.chosen.get(i).copied().unwrap_or(false)} onchange={toggle(i)} />
                        <code>{ check_line(c) }</code></label>
                }) }
            </fieldset>
            if predicts {
                { row(tx.level_question, Field::Question, &form.question, "builder-question") }
            }
            <label class="field">{ tx.level_hints }
                <textarea data-testid="builder-hints" value={form.hints.clone()} oninput={input(Field::Hints)} rows="3" />
            </label>
            { for problem.map(|p| html! { <p class="error" role="alert" data-testid="builder-problem">{ p }</p> }) }
            <pre class="built" data-testid="built-level">{ file }</pre>
            <div class="row">
                { button("builder-download", tx.download_level, false, on_download) }
                { button("builder-link", tx.level_link, false, on_link) }
            </div>
            { for link.as_ref().map(|l| match l {
                Ok(url) => html! { <p><input type="text" readonly=true class="link" data-testid="level-link" value={url.clone()} />
                    { " " }<a href={url.clone()} target="_blank" rel="noopener">{ "↗" }</a></p> },
                Err(len) => html! { <p class="problem" role="alert">
                    { tx.link_too_long.replace("{n}", &len.to_string()).replace("{max}", &jobsim::scenario::share::MAX_LINK_CHARS.to_string()) }
                </p> },
            }) }
        </div>
    }
}
