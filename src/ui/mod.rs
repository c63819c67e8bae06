//! The Yew app. It holds the manifest text and renders what the library
//! derives from it; it never computes Kubernetes behaviour itself.

use jobsim::admission::{Diagnostic, JobSummary, parse_job};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

const PI_PRESET: &str = include_str!("../../www/presets/pi.yaml");

pub fn start() {
    yew::Renderer::<App>::new().render();
}

#[function_component(App)]
fn app() -> Html {
    let text = use_state(|| PI_PRESET.to_string());
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            text.set(area.value());
        })
    };
    let parsed = parse_job(&text);
    html! {
        <main class="app">
            <header><h1>{ "Kubernetes Job Playground" }</h1></header>
            <section class="editor-pane">
                <label for="editor">{ "Job manifest (YAML)" }</label>
                <textarea id="editor" data-testid="editor" spellcheck="false"
                    value={(*text).clone()} {oninput} />
            </section>
            <section class="result-pane" aria-live="polite">
                { match parsed {
                    Ok(job) => summary_view(&JobSummary::of(&job)),
                    Err(err) => error_view(&err),
                } }
            </section>
        </main>
    }
}

fn error_view(err: &Diagnostic) -> Html {
    let position = match (err.line, err.column) {
        (Some(line), Some(column)) => html! {
            <span class="error-position">{ format!("line {line}, column {column}") }</span>
        },
        _ => html! {},
    };
    html! {
        <div class="error" data-testid="error" role="alert">
            { position }
            <p>{ &err.message }</p>
        </div>
    }
}

fn summary_view(s: &JobSummary) -> Html {
    let completions = s
        .completions
        .map_or_else(|| "unset (work queue)".to_string(), |c| c.to_string());
    let rows = [
        ("Name", s.name.clone()),
        ("Completions", completions),
        ("Parallelism", s.parallelism.to_string()),
        ("Completion mode", s.completion_mode.clone()),
        ("Backoff limit", s.backoff_limit.to_string()),
        (
            "Restart policy",
            s.restart_policy
                .clone()
                .unwrap_or_else(|| "unset".to_string()),
        ),
    ];
    html! {
        <dl class="summary" data-testid="job-summary">
            { for rows.into_iter().map(|(k, v)| html! { <><dt>{ k }</dt><dd>{ v }</dd></> }) }
        </dl>
    }
}
