//! The CronJob view: `kubectl get cronjob` at the cursor, the next schedule
//! times, "Trigger now", and one row per Job the CronJob created over time
//! (created, running, finished, replaced or cleaned up), with the schedule
//! times it skipped. Picking a row shows that Job's pods in the timeline.

use super::fixed;
use super::i18n::Texts;
use super::model::{Msg, Run};
use jobsim::scenario::ActionKind;
use jobsim::scenario::duration::format as dur;
use jobsim::time::{Ms, rfc3339_offset};
use jobsim::view::cronjob::{get_cronjob, rows, upcoming};
use yew::prelude::*;

/// A position on the run's time axis, in percent.
fn pct(t: Ms, end: Ms) -> f64 {
    if end == 0 {
        0.0
    } else {
        (t.min(end) as f64 / end as f64 * 100.0).clamp(0.0, 100.0)
    }
}

/// `stale`: the run shown is not the scenario's own (nothing to trigger).
pub fn cron_job_panel(
    run: &Run,
    cursor: Ms,
    stale: bool,
    tx: &Texts,
    dispatch: &Callback<Msg>,
) -> Html {
    let trace = &run.outcome.trace;
    let clock = &run.outcome.scenario.clock;
    let end = run.outcome.ended_at;
    let (job_rows, marks) = rows(trace, 0);
    let next: Vec<String> = upcoming(trace, 0, cursor, 3)
        .into_iter()
        .map(|s| rfc3339_offset(s, 0))
        .collect();
    let trigger = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Msg::Inject(ActionKind::Trigger)))
    };
    let offered = jobsim::view::inject::available(trace, None, cursor);
    html! {
        <section class="panel cronjob" aria-label={tx.cron_job} data-testid="cronjob-panel">
            <h2>{ tx.cron_job }</h2>
            <pre class="kubectl" data-testid="kubectl-get-cronjob">{ format!("$ kubectl get cronjob\n{}", get_cronjob(trace, clock, 0, cursor)) }</pre>
            <div class="row">
                <button data-testid="trigger" disabled={stale || !offered.trigger} onclick={trigger}>{ "⚡ " }{ tx.trigger }</button>
                <span class="next-runs" data-testid="next-schedules">
                    { tx.next_runs }{ ": " }{ next.join(", ") }
                </span>
            </div>
            <p class="hint">{ if job_rows.is_empty() { tx.no_jobs_yet } else { tx.cron_rows_help } }</p>
            <div class="cron-rows" role="list">
                <div class="cron-cursor" style={format!("left: calc(10rem + (100% - 16.5rem) * {})", fixed(pct(cursor, end) / 100.0, 5))} />
                <div class="cron-marks" aria-hidden="true">
                    { for marks.iter().filter(|m| m.at <= cursor).map(|m| html! {
                        <span class={classes!("cron-mark", if m.reason == "JobAlreadyActive" { "skip" } else { "warn" })}
                            data-testid="cron-mark" data-reason={m.reason.clone()}
                            style={format!("left: {}%", fixed(pct(m.at, end), 3))} title={format!("{} {}: {}", dur(m.at), m.reason, m.message)}>
                            { if m.reason == "JobAlreadyActive" { "⊘" } else { "⚠" } }
                        </span>
                    }) }
                </div>
                { for job_rows.iter().filter(|r| r.created_at <= cursor).map(|r| {
                    let finished = r.finished_at.filter(|&f| f <= cursor);
                    let deleted = r.deleted.filter(|&(d, _)| d <= cursor);
                    let state = match (deleted, finished) {
                        (Some((_, why)), _) => why,
                        (None, Some(_)) if r.complete => "Complete",
                        (None, Some(_)) => "Failed",
                        (None, None) => "Running",
                    };
                    let bar_end = finished.or(deleted.map(|(d, _)| d)).unwrap_or(cursor);
                    let select = {
                        let (dispatch, job) = (dispatch.clone(), r.job);
                        Callback::from(move |_: MouseEvent| dispatch.emit(Msg::SelectJob(job)))
                    };
                    let outcome = if finished.is_some() {
                        if r.complete { "complete" } else { "failed" }
                    } else {
                        "running"
                    };
                    html! {
                        <button role="listitem" class={classes!("cron-row", (run.job == Some(r.job)).then_some("selected"))}
                            data-testid="cronjob-row" data-job-name={r.name.clone()} data-state={state}
                            aria-pressed={(run.job == Some(r.job)).to_string()} onclick={select}>
                            <span class="cron-name">{ if r.manual { format!("⚡ {}", r.name) } else { r.name.clone() } }</span>
                            <span class="cron-track">
                                <span class={classes!("cron-bar", outcome)}
                                    style={format!("left: {}%; width: {}%", fixed(pct(r.created_at, end), 3), fixed((pct(bar_end, end) - pct(r.created_at, end)).max(0.4), 3))} />
                                { for deleted.map(|(d, _)| html! {
                                    <span class="cron-deleted" style={format!("left: {}%", fixed(pct(d, end), 3))} title={format!("{} {}", dur(d), state)}>{ "✕" }</span>
                                }) }
                            </span>
                            <span class="cron-state">{ match state {
                                "cleaned up" => tx.cleaned_up,
                                "replaced" => tx.replaced,
                                "deleted" => tx.deleted,
                                // Kubernetes' own words (Complete, Failed, Running, TTL).
                                other => other,
                            } }</span>
                        </button>
                    }
                }) }
            </div>
        </section>
    }
}
