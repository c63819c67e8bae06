//! The CronJob panel: `kubectl get cronjob` at the cursor, the next
//! schedule times and "Trigger now". The Jobs it created are lanes of the
//! timeline (`timeline::cron_lanes`), on the pods' axis.

use super::i18n::Texts;
use super::model::{Msg, Run};
use jobsim::scenario::ActionKind;
use jobsim::time::{Ms, rfc3339_offset};
use jobsim::view::cronjob::{get_cronjob, upcoming};
use yew::prelude::*;

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
    let jobs = trace.jobs.iter().filter(|j| j.created_at <= cursor).count();
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
            <p class="hint">{ if jobs == 0 { tx.no_jobs_yet } else { tx.cron_rows_help } }</p>
        </section>
    }
}
