//! The page's worker: the work the first render does not need, in a
//! second wasm program that the page starts only when it is first asked
//! (www/services.js). It runs the same engine on the same scenario text,
//! so its answers are those of the run on screen (the engine is
//! deterministic), and it keeps the page's main thread free meanwhile.
//!
//! Requests are arrays of strings, `[id, command, ...arguments]`; each
//! answer is `[id, ok, text]`:
//! - `report SCENARIO`: the JSON report, as `jobsim run --output json`;
//! - `kubectl VIEW SCENARIO JOB T`: `kubectl get pods` (`pods`), `kubectl
//!   describe job` (`describe`) or `kubectl get job -o yaml` (`yaml`) of the
//!   run's Job number `JOB` at `T` ms;
//! - `complete TEXT AT VERSION`, `hover TEXT AT VERSION`, `lint TEXT
//!   VERSION`: the manifest editor's completions at `AT` (a UTF-16
//!   offset), the docs of the key there (`null` when none; the docs table
//!   is fetched on the first hover), and the admission's diagnostics, as
//!   JSON (src/assist.rs);
//! - `verdict LEVELS ID OWN SCENARIO ANSWER LANG`: whether the scenario
//!   solves the level `ID` of the levels file `LEVELS` (`OWN`: the level's
//!   own scenario): when solved, a note (how close a prediction was; may
//!   be empty), else what is missing, in the language `LANG`.
//!
//! The worker says `ready` once it has the engine's tables. It keeps the
//! last run: scrubbing with a kubectl view open asks again and again about
//! the same scenario.

#[cfg(target_arch = "wasm32")]
mod web;

#[cfg(target_arch = "wasm32")]
fn main() {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    wasm_bindgen_futures::spawn_local(async move {
        for table in jobsim::tables::ALL {
            match web::fetch_text(table.url()).await {
                Ok(text) => jobsim::tables::install(table, text),
                Err(e) => return post(&scope, "", false, &e),
            }
        }
        let reply = scope.clone();
        let on_message =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                let mut request: Vec<String> = js_sys::Array::from(&e.data())
                    .iter()
                    .map(|v| v.as_string().unwrap_or_default())
                    .collect();
                let reply = reply.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    if request.is_empty() {
                        return post(&reply, "", false, "error: an empty request");
                    }
                    let id = request.remove(0);
                    // The docs table, fetched for the first hover.
                    if request.first().is_some_and(|c| c == "hover")
                        && DOCS.with(|d| d.get().is_none())
                    {
                        let docs = web::fetch_text("tables/docs.txt").await.unwrap_or_default();
                        DOCS.with(|d| d.set(docs).ok());
                    }
                    match answer(&request) {
                        Ok(text) => post(&reply, &id, true, &text),
                        Err(text) => post(&reply, &id, false, &text),
                    }
                });
            });
        scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let _ = scope.post_message(&"ready".into());
    });
}

#[cfg(target_arch = "wasm32")]
fn post(scope: &web_sys::DedicatedWorkerGlobalScope, id: &str, ok: bool, text: &str) {
    let message = js_sys::Array::of3(&id.into(), &ok.into(), &text.into());
    let _ = scope.post_message(&message);
}

#[cfg(target_arch = "wasm32")]
thread_local! {
    static LAST: std::cell::RefCell<Option<(String, std::rc::Rc<jobsim::run::Outcome>)>> =
        const { std::cell::RefCell::new(None) };
}

#[cfg(target_arch = "wasm32")]
thread_local! {
    /// www/tables/docs.txt, once fetched.
    static DOCS: std::cell::OnceCell<String> = const { std::cell::OnceCell::new() };
}

/// The run of a scenario text (the last one again without running).
#[cfg(target_arch = "wasm32")]
fn run(text: &str) -> Result<std::rc::Rc<jobsim::run::Outcome>, String> {
    if let Some(outcome) = LAST.with_borrow(|last| {
        last.as_ref()
            .filter(|(t, _)| t == text)
            .map(|(_, o)| o.clone())
    }) {
        return Ok(outcome);
    }
    let outcome = std::rc::Rc::new(jobsim::run::run_text(text).map_err(|e| e.to_string())?);
    LAST.set(Some((text.to_string(), outcome.clone())));
    Ok(outcome)
}

/// One request's answer (the command and its arguments).
#[cfg(target_arch = "wasm32")]
fn answer(request: &[String]) -> Result<String, String> {
    use jobsim::view::explain::Locale;
    use jobsim::view::kubectl;
    match request {
        [command, scenario] if command == "report" => {
            run(scenario).map(|outcome| jobsim::view::report::to_json(&outcome))
        }
        [command, view, scenario, job, t] if command == "kubectl" => {
            let outcome = run(scenario)?;
            let (trace, clock) = (&outcome.trace, &outcome.scenario.clock);
            let (job, t) = (job.parse().unwrap_or(0), t.parse().unwrap_or(0));
            if job >= trace.jobs.len() {
                return Err(format!("error: the run has no Job {job}"));
            }
            match view.as_str() {
                "pods" => Ok(kubectl::get_pods(trace, job, t)),
                "describe" => Ok(kubectl::describe_job(trace, clock, job, t)),
                "yaml" => Ok(kubectl::get_job_yaml(trace, clock, job, t)),
                _ => Err(format!("error: unknown kubectl view {view}")),
            }
        }
        [command, text, at, version] if command == "complete" => {
            let profile = jobsim::sim::profile::profile(version)?;
            Ok(jobsim::assist::complete(text, at.parse().unwrap_or(0), &profile).to_json())
        }
        [command, text, at, version] if command == "hover" => {
            let profile = jobsim::sim::profile::profile(version)?;
            let at = at.parse().unwrap_or(0);
            let hover = DOCS.with(|docs| {
                jobsim::assist::hover(text, at, &profile, docs.get().map_or("", String::as_str))
            });
            Ok(hover.map_or_else(|| "null".into(), |h| h.to_json()))
        }
        [command, text, version] if command == "lint" => {
            let profile = jobsim::sim::profile::profile(version)?;
            Ok(jobsim::assist::lints_json(&jobsim::assist::lint(
                text, &profile,
            )))
        }
        [command, levels, id, own, scenario, answer, lang] if command == "verdict" => {
            let locale = Locale::from_tag(lang);
            let levels = jobsim::levels::parse(levels)?;
            let level = levels
                .levels
                .iter()
                .find(|l| &l.id == id)
                .ok_or_else(|| format!("error: no level {id}"))?;
            let own = jobsim::scenario::parse(own).map_err(|e| e.to_string())?;
            let outcome = run(scenario)?;
            jobsim::levels::verdict(level, &own, &outcome, answer, locale)
        }
        _ => Err(format!("error: unknown request {:?}", request.first())),
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    eprintln!("The playground's worker runs in a browser: `./dev serve` builds it with Trunk.");
    std::process::ExitCode::FAILURE
}
