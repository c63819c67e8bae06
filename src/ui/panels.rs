//! The panels beside the timeline: the Job's status, the events, kubectl
//! views and the Explain text, all at the cursor; the actions list; and the
//! behaviour editor.

use super::i18n::Texts;
use super::model::{Derived, Msg, Problem, Run, Selection, Tab};
use jobsim::run::Stopped;
use jobsim::scenario::duration::format as dur;
use jobsim::scenario::{About, Action, ActionKind};
use jobsim::time::Ms;
use jobsim::view::explain::{Locale, condition_text, pod_story, replacement};
use std::rc::Rc;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// The Job's status at `t`: its conditions and counters; before it exists
/// a note; once deleted, when, with its last status marked as such.
pub fn status_panel(run: &Run, t: Ms, tx: &Texts) -> Html {
    let trace = &run.outcome.trace;
    let j = run.job.and_then(|j| trace.jobs.get(j));
    let status = run
        .job
        .and_then(|j| trace.status_at(j, t))
        .filter(|_| j.is_some_and(|j| j.created_at <= t));
    let Some((j, s)) = j.zip(status) else {
        let note = if run.cron_job() {
            tx.no_jobs_yet
        } else {
            tx.job_not_yet
        };
        return html! {
            <section class="panel status" aria-label={tx.status}>
                <h2>{ tx.status }</h2>
                <p class="conditions" data-testid="job-status">{ note }</p>
            </section>
        };
    };
    let deleted = j.gone_at.filter(|&g| g <= t);
    let true_conditions: Vec<String> = s
        .conditions
        .iter()
        .filter(|c| c.status)
        .map(|c| c.type_.to_string())
        .collect();
    let headline = match deleted {
        Some(g) => tx.job_deleted.replace("{t}", &dur(g)),
        None if true_conditions.is_empty() => "Running".to_string(),
        None => true_conditions.join(", "),
    };
    let cell = |label: &str, value: String, testid: Option<&'static str>| {
        html! { <div class="stat"><dt>{ label.to_string() }</dt><dd data-testid={testid}>{ value }</dd></div> }
    };
    html! {
        <section class={classes!("panel", "status", deleted.is_some().then_some("deleted"))} aria-label={tx.status}>
            <h2>{ tx.status }</h2>
            <p class="conditions" data-testid="job-status" data-deleted={deleted.is_some().to_string()}>{ headline }</p>
            if deleted.is_some() {
                <p class="hint" data-testid="last-status">{ tx.last_status }</p>
            }
            <dl class="stats">
                { cell("active", s.active.to_string(), Some("status-active")) }
                { cell("ready", s.ready.unwrap_or(0).to_string(), Some("status-ready")) }
                { cell("succeeded", s.succeeded.to_string(), Some("status-succeeded")) }
                { cell("failed", s.failed.to_string(), Some("status-failed")) }
                { cell("terminating", s.terminating.unwrap_or(0).to_string(), Some("status-terminating")) }
                { cell("completedIndexes", if s.completed_indexes.is_empty() { "–".into() } else { s.completed_indexes.clone() }, None) }
                { cell("failedIndexes", s.failed_indexes.clone().filter(|f| !f.is_empty()).unwrap_or_else(|| "–".into()), None) }
            </dl>
            <ul class="condition-list">
                { for s.conditions.iter().map(|c| html! {
                    <li class={classes!(if c.status { "cond-true" } else { "cond-false" })}>
                        <strong>{ c.type_.as_str() }</strong>{ format!(" {} · {} · {}", if c.status { "True" } else { "False" }, c.reason, dur(c.last_transition_time)) }
                    </li>
                }) }
            </ul>
        </section>
    }
}

#[derive(Properties)]
pub struct AskedKubectlProps {
    pub outcome: Rc<jobsim::run::Outcome>,
    pub job: usize,
    pub t: Ms,
    /// `pods`, `describe` or `yaml` (src/worker.rs).
    pub view: &'static str,
    pub command: String,
}

impl PartialEq for AskedKubectlProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.outcome, &other.outcome)
            && (self.job, self.t, self.view) == (other.job, other.t, other.view)
            && self.command == other.command
    }
}

/// A kubectl view the page's worker prints (`get pods`, `describe job`,
/// `get job -o yaml`: the first render does not need their code). The last answer
/// stays until the next arrives (`aria-busy` meanwhile).
#[function_component(AskedKubectl)]
pub fn asked_kubectl(props: &AskedKubectlProps) -> Html {
    let text = use_state(String::new);
    let busy = use_state(|| true);
    // The run's scenario file, made once per run.
    let scenario = {
        let outcome = props.outcome.clone();
        use_memo(Rc::as_ptr(&outcome) as usize, move |_| {
            jobsim::run::scenario_text(&outcome)
        })
    };
    {
        let (text, busy) = (text.clone(), busy.clone());
        let job = props.job.to_string();
        let t = props.t.to_string();
        use_effect_with(
            (scenario, job, t, props.view),
            move |(scenario, job, t, view)| {
                busy.set(true);
                let request = [
                    String::from("kubectl"),
                    view.to_string(),
                    scenario.to_string(),
                    job.clone(),
                    t.clone(),
                ];
                wasm_bindgen_futures::spawn_local(async move {
                    let request: Vec<&str> = request.iter().map(String::as_str).collect();
                    text.set(super::services::ask(&request).await.unwrap_or_else(|e| e));
                    busy.set(false);
                });
            },
        );
    }
    let testid = match props.view {
        "describe" => "kubectl-describe",
        "pods" => "kubectl-get-pods",
        _ => "kubectl-yaml",
    };
    html! {
        <pre class="kubectl" data-testid={testid} aria-busy={busy.to_string()}>{ format!("$ kubectl {}\n{}", props.command, *text) }</pre>
    }
}

pub fn tabs(run: &Run, t: Ms, tab: Tab, tx: &Texts, dispatch: &Callback<Msg>) -> Html {
    let trace = &run.outcome.trace;
    let name = run
        .job
        .and_then(|j| trace.jobs.get(j))
        .map_or("", |j| j.name.as_str());
    let button = |this: Tab, label: &str| {
        let dispatch = dispatch.clone();
        html! {
            <button role="tab" aria-selected={(tab == this).to_string()} class={classes!((tab == this).then_some("active"))}
                onclick={Callback::from(move |_| dispatch.emit(Msg::SetTab(this)))}>{ label.to_string() }</button>
        }
    };
    // Nothing to ask about before a CronJob's first Job.
    let asked = |view: &'static str, testid: &'static str, command: String| match run.job {
        Some(job) => {
            html! { <AskedKubectl outcome={run.outcome.clone()} {job} {t} {view} {command} /> }
        }
        None => {
            html! { <pre class="kubectl" data-testid={testid}>{ format!("$ kubectl {command}\n") }</pre> }
        }
    };
    let body = match tab {
        Tab::Events => events_list(run, t, tx),
        Tab::GetPods => asked("pods", "kubectl-get-pods", "get pods".into()),
        Tab::Describe => asked(
            "describe",
            "kubectl-describe",
            format!("describe job {name}"),
        ),
        Tab::Yaml => asked("yaml", "kubectl-yaml", format!("get job {name} -o yaml")),
    };
    html! {
        <section class="panel tabs">
            <div role="tablist">
                { button(Tab::Events, tx.events) }
                { button(Tab::GetPods, "get pods") }
                { button(Tab::Describe, "describe job") }
                { button(Tab::Yaml, "get job -o yaml") }
            </div>
            <div role="tabpanel">{ body }</div>
        </section>
    }
}

/// The events up to the cursor, newest first (at most 200).
fn events_list(run: &Run, t: Ms, tx: &Texts) -> Html {
    let events = &run.outcome.trace.events;
    let upto = events.partition_point(|e| e.at <= t);
    let shown = &events[upto.saturating_sub(200)..upto];
    html! {
        <ol class="events" data-testid="events" aria-live="polite">
            { if shown.is_empty() { html! { <li class="none">{ tx.no_events }</li> } } else { html! {} } }
            { for shown.iter().rev().map(|e| html! {
                <li class={classes!(e.warning.then_some("warning"))}>
                    <span class="at">{ dur(e.at) }</span>
                    <span class="type">{ if e.warning { "⚠ Warning" } else { "Normal" } }</span>
                    <span class="reason">{ &*e.reason }</span>
                    <span class="object">{ &*e.object }</span>
                    <span class="message">{ &e.message }</span>
                </li>
            }) }
        </ol>
    }
}

pub fn explain_panel(run: &Run, selection: &Selection, t: Ms, locale: Locale, tx: &Texts) -> Html {
    let trace = &run.outcome.trace;
    let body: Html = match selection {
        Selection::None => html! { <p class="hint">{ tx.explain_hint }</p> },
        Selection::Pod(p) => {
            let pod = &trace.pods[*p];
            let story = pod_story(trace, *p, locale);
            let exit = jobsim::view::report::pod_exit(pod);
            html! {
                <>
                    <h3>{ &pod.name }</h3>
                    <p class="facts">{ format!(
                        "{}created {}{}{}",
                        pod.index.map(|i| format!("index {i}, attempt {} · ", pod.attempt)).unwrap_or_default(),
                        dur(pod.created_at),
                        exit.map(|(c, r)| format!(" · exit {c} ({r})")).unwrap_or_default(),
                        pod.gone_at.map(|g| format!(" · deleted {}", dur(g))).unwrap_or_default(),
                    ) }</p>
                    <ol class="story">
                        { for story.iter().map(|(at, text)| html! {
                            <li class={classes!((*at > t).then_some("later"))}><span class="at">{ dur(*at) }</span>{ text }</li>
                        }) }
                    </ol>
                </>
            }
        }
        Selection::Gap(i) => match run.timeline.gaps.get(*i) {
            Some(g) => {
                html! { <p data-reason={g.replacement.reason.as_str()}>{ replacement(trace, &g.replacement, locale) }</p> }
            }
            None => html! {},
        },
        Selection::Marker(i) => match run.timeline.markers.get(*i) {
            Some(m) => {
                let why = trace.log.decisions.iter().find_map(|d| match &d.why {
                    jobsim::trace::Why::Condition {
                        type_,
                        reason,
                        detail,
                    } if *type_ == m.type_ && d.at == m.at => {
                        Some(condition_text(trace, *type_, reason, detail, locale))
                    }
                    _ => None,
                });
                html! { <p>{ why.unwrap_or_else(|| format!("{} ({}) at {}", m.type_, m.reason, dur(m.at))) }</p> }
            }
            None => html! {},
        },
    };
    html! {
        <section class="panel explain" data-testid="explain" aria-live="polite">
            <h2>{ tx.explain }</h2>
            { body }
        </section>
    }
}

fn describe_action(a: &Action) -> String {
    let target = |pod: &jobsim::scenario::PodSelector| pod.to_string();
    let what = match &a.kind {
        ActionKind::FailPod {
            pod,
            exit_code,
            reason,
            ..
        } => {
            format!(
                "fail-pod {} exit {exit_code}{}",
                target(pod),
                reason
                    .as_ref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default()
            )
        }
        ActionKind::EvictPod { pod } => format!("evict-pod {}", target(pod)),
        ActionKind::DeletePod { pod, .. } => format!("delete-pod {}", target(pod)),
        ActionKind::SetParallelism { value } => format!("set-parallelism {value}"),
        ActionKind::Patch { patch } => format!("patch {}", jobsim::yaml::to_yaml(patch).trim()),
        other => other.name().to_string(),
    };
    format!("{} {what}", dur(a.at))
}

/// The injected actions; when the run stopped at one, that one carries its
/// error and the ones after it are greyed (never applied).
pub fn actions_list(
    actions: &[Action],
    stopped: Option<&Stopped>,
    tx: &Texts,
    dispatch: &Callback<Msg>,
) -> Html {
    let failed = stopped.and_then(|s| s.action).map(|(i, _)| i);
    let not_applied = |i: usize, a: &Action| {
        stopped.is_some_and(|s| a.at > s.at || (a.at == s.at && failed.is_some_and(|f| i > f)))
    };
    html! {
        <section class="panel actions" aria-label={tx.actions}>
            <h2>{ tx.actions }</h2>
            { if actions.is_empty() { html! { <p class="hint">{ tx.no_actions }</p> } } else { html! {} } }
            <ol data-testid="actions">
                { for actions.iter().enumerate().map(|(i, a)| {
                    let dispatch = dispatch.clone();
                    let error = stopped.filter(|_| failed == Some(i));
                    let greyed = not_applied(i, a);
                    html! { <li class={classes!(error.is_some().then_some("failed"), greyed.then_some("not-applied"))}
                        data-state={if error.is_some() { "failed" } else if greyed { "not-applied" } else { "applied" }}>
                        <code>{ describe_action(a) }</code>
                        if greyed { <span class="hint">{ tx.not_applied }</span> }
                        <button class="remove" aria-label={format!("{} {}", tx.remove, describe_action(a))}
                            data-testid="remove-action"
                            onclick={Callback::from(move |_| dispatch.emit(Msg::RemoveAction(i)))}>{ "✕" }</button>
                        { for error.map(|s| html! { <span class="action-error" data-testid="action-error">{ &s.message }</span> }) }
                    </li> }
                }) }
            </ol>
        </section>
    }
}

/// What the example shows: what to notice, something to try, its docs
/// page (the scenario's `about`), in the page's language.
pub fn about_panel(about: &About, locale: Locale, tx: &Texts) -> Html {
    let ja = locale == Locale::Ja;
    html! {
        <details class="panel about" open=true data-testid="about">
            <summary><h2>{ tx.what_to_notice }</h2></summary>
            { for about.notice.as_ref().map(|t| html! { <p data-testid="about-notice">{ t.get(ja) }</p> }) }
            { for about.try_next.as_ref().map(|t| html! {
                <p data-testid="about-try"><strong>{ tx.try_this }</strong>{ " " }{ t.get(ja) }</p>
            }) }
            { for about.docs.as_ref().map(|url| html! {
                <p><a href={url.clone()} target="_blank" rel="noopener" data-testid="about-docs">{ tx.docs_page }{ " ↗" }</a></p>
            }) }
        </details>
    }
}

/// The manifest's error (`data-testid="error"` holds exactly the message),
/// why the scenario could not run, or the API server's warnings.
pub fn error_panel(derived: &Derived, tx: &Texts) -> Html {
    match (&derived.problem, derived.current()) {
        (Some(Problem::Manifest(e)), _) => html! {
            <div class="error" id="manifest-error" role="alert">
                { for e.markers.iter().filter_map(|m| m.line.map(|l| (l, m.column.unwrap_or(1)))).take(1).map(|(l, c)| html! {
                    <span class="error-position" data-testid="error-position">{ format!("{} {l}, column {c}", tx.lines) }</span>
                }) }
                <p data-testid="error">{ &e.message }</p>
            </div>
        },
        (Some(Problem::Other(message)), _) => html! {
            <div class="error" role="alert">
                <span class="error-position">{ tx.cannot_run }</span>
                <p data-testid="error">{ message }</p>
            </div>
        },
        (None, Some(run)) => {
            let trace = &run.outcome.trace;
            html! {
                <>
                    // kubectl's own words, on stderr before `job.batch/pi created`.
                    { if trace.log.warnings.is_empty() { html! {} } else { html! {
                        <p class="warnings" role="status" data-testid="warnings">
                            { trace.log.warnings.iter().map(|w| format!("Warning: {w}")).collect::<Vec<_>>().join("\n") }
                        </p>
                    } } }
                    // The playground's remarks on the chosen release.
                    { if trace.log.notes.is_empty() { html! {} } else { html! {
                        <p class="notes" role="status" data-testid="notes" aria-label={tx.notes}>
                            { trace.log.notes.iter().map(|n| format!("ⓘ {n}")).collect::<Vec<_>>().join("\n") }
                        </p>
                    } } }
                </>
            }
        }
        (None, None) if derived.loading => html! { <p role="status">{ tx.loading }</p> },
        (None, None) => html! {},
    }
}

pub fn select_value(e: &Event) -> String {
    let select: HtmlSelectElement = e.target_unchecked_into();
    select.value()
}
