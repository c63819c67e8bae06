//! The Yew app. It holds one scenario (manifest text, behaviour, actions)
//! and renders what the library derives from it; it computes no Kubernetes
//! behaviour itself. Playback moves the playhead with a transform on every
//! animation frame and updates the views ten times a second.

mod behavior;
mod builder;
mod cronjob;
mod editor;
mod hooks;
mod i18n;
mod model;
mod overview;
mod page;
mod panels;
mod services;
mod timeline;
mod workshop;

use editor::Editor;
use i18n::texts;
use jobsim::presets::PRESETS;
use jobsim::scenario::share;
use jobsim::scenario::{ActionKind, PodSelector};
use jobsim::time::Ms;
use jobsim::view::explain::Locale;
use model::{Model, Msg, Selection};
use std::rc::Rc;
use timeline::TimelineView;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, HtmlInputElement};
use yew::prelude::*;

/// How often the views follow the playhead during playback.
const VIEW_REFRESH_MS: f64 = 100.0;
/// The speed menu: value, label, speed.
const SPEEDS: [(&str, &str, f64); 9] = [
    ("0.5", "0.5×", 0.5),
    ("1", "1×", 1.0),
    ("2", "2×", 2.0),
    ("5", "5×", 5.0),
    ("10", "10×", 10.0),
    ("20", "20×", 20.0),
    ("50", "50×", 50.0),
    ("75", "75×", 75.0),
    ("100", "100×", 100.0),
];

pub fn start() {
    yew::Renderer::<App>::new().render();
}

fn window() -> web_sys::Window {
    web_sys::window().expect("a browser window")
}

/// Reads a picked or dropped file and hands its text to the model.
fn import_file(file: web_sys::File, dispatch: Callback<Msg>) {
    wasm_bindgen_futures::spawn_local(async move {
        let msg = match wasm_bindgen_futures::JsFuture::from(file.text()).await {
            Ok(text) => Msg::Import(text.as_string().unwrap_or_default()),
            Err(_) => Msg::Problem(Some(format!(
                "error: the file \"{}\" cannot be read",
                file.name()
            ))),
        };
        dispatch.emit(msg);
    });
}

/// What the share button last did.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Shared {
    No,
    Copied,
    /// The link would be this long: too long, export a file instead.
    TooLong(usize),
}

/// Offers `text` as a file download.
fn download(name: &str, text: &str, mime: &str) {
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = window().document().and_then(|d| d.create_element("a").ok()) {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

#[function_component(App)]
fn app() -> Html {
    let params = use_memo((), |_| page::Params::read());
    let model = use_reducer({
        let params = params.clone();
        move || {
            let model = Model::new(page::initial(&params), page::initial_locale(&params));
            model::Store(Model {
                mark: page::mark,
                ..model
            })
        }
    });
    let cover = use_node_ref();
    let clock = use_node_ref();
    let scrubber = use_node_ref();
    let file_input = use_node_ref();
    let shared = use_state(|| Shared::No);
    // The address is a workshop link (the level builder's).
    let level_link = *use_memo((), |_| {
        matches!(page::pending_link(), Ok(Some(share::Fragment::Levels(_))))
    });
    let show_workshop = use_state(|| params.workshop() || level_link);
    // A workshop link's levels file, once the browser has inflated it.
    let inline_levels = use_state(|| None::<Rc<str>>);
    let exit_code = use_state(|| 1i32);
    // What the user typed in the parallelism box (else it shows the Job's).
    let parallelism = use_state(|| None::<i32>);
    // One callback for the page's lifetime, so components that take it
    // see equal props and skip re-rendering.
    let dispatch = (*use_memo((), {
        let dispatcher = model.dispatcher();
        move |_| Callback::from(move |msg: Msg| dispatcher.dispatch(msg))
    }))
    .clone();
    let tx = texts(model.locale);
    let end = model.end();
    let version: Rc<str> = model
        .scenario
        .kubernetes_version
        .as_deref()
        .unwrap_or(jobsim::view::NEWEST_RELEASE)
        .into();

    // Save the work in this browser whenever the user changes it.
    hooks::use_autosave(&params, &model, &shared);
    // A share link in the address: the browser inflates it, then it opens.
    // Without saved work, the example to start from is fetched.
    {
        let dispatch = dispatch.clone();
        // (`?level=` and workshop links start from the level's own
        // scenario instead.)
        let pending = page::pending_link();
        let opens_level = params.level.is_some() || level_link;
        let loading = model
            .manifest_text
            .is_empty()
            .then_some(model.origin)
            .filter(|_| !opens_level);
        let (inline_levels, show_workshop) = (inline_levels.clone(), show_workshop.clone());
        use_effect_with((), move |_| match pending {
            Ok(Some(share::Fragment::Levels(deflated))) => {
                show_workshop.set(true);
                wasm_bindgen_futures::spawn_local(async move {
                    match page::inflate(&deflated).await {
                        Ok(levels) => inline_levels.set(Some(levels.into())),
                        Err(e) => dispatch.emit(Msg::Problem(Some(format!("error: {e}")))),
                    }
                });
            }
            Ok(Some(fragment)) => page::open_link(fragment, loading, &dispatch),
            other => {
                if let Err(e) = other {
                    dispatch.emit(Msg::Problem(Some(format!("error: {e}"))));
                }
                if let Some(origin) = loading {
                    page::load_preset(origin, false, &dispatch);
                }
            }
        });
    }
    // The page's language follows the UI's.
    use_effect_with(model.locale, |locale| {
        if let Some(root) = window().document().and_then(|d| d.document_element()) {
            let _ = root.set_attribute("lang", locale.tag());
        }
    });
    // A mark for the first-render budget check; then the engine's tables,
    // which the first render does not need, are fetched.
    {
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            if let Some(p) = window().performance() {
                let _ = p.mark("jobsim-rendered");
            }
            page::load_tables(&dispatch);
        });
    }
    // Playback: an animation-frame loop while playing.
    // The timeline's axis, worked out once per render (collapsing looks at
    // every pod).
    let axis = model.axis();
    hooks::use_playback(
        (model.playing, model.speed, model.cursor, end),
        axis.clone(),
        &dispatch,
        [&cover, &clock, &scrubber],
    );
    // Keyboard shortcuts, and share links pasted into this tab.
    hooks::use_shortcuts(&dispatch);

    // Stable too: the editor renders again only when its text or validity change.
    let on_input = (*use_memo((), {
        let dispatch = dispatch.clone();
        move |_| Callback::from(move |text: String| dispatch.emit(Msg::EditManifest(text)))
    }))
    .clone();
    let on_select = {
        let dispatch = dispatch.clone();
        Callback::from(move |s: Selection| dispatch.emit(Msg::Select(s)))
    };
    let on_preset = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            page::load_preset(&panels::select_value(&e), true, &dispatch)
        })
    };
    let on_locale = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            let locale = Locale::from_tag(&panels::select_value(&e));
            page::save_locale(locale);
            dispatch.emit(Msg::SetLocale(locale))
        })
    };
    let on_speed = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            dispatch.emit(Msg::SetSpeed(speed_value(&panels::select_value(&e))))
        })
    };
    let on_scrub = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            dispatch.emit(Msg::Pause);
            // A range input's value is a whole number of ms (step 100).
            let value = input.value();
            dispatch.emit(Msg::Seek(
                value
                    .split('.')
                    .next()
                    .unwrap_or_default()
                    .parse()
                    .unwrap_or(0),
            ));
        })
    };
    let msg = |m: fn() -> Msg| msg_with(&dispatch, m);
    let on_version = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| dispatch.emit(Msg::SetVersion(panels::select_value(&e))))
    };
    let on_share = {
        let model = model.clone();
        let shared = shared.clone();
        Callback::from(move |_: MouseEvent| {
            let (text, cursor, shared) = (model.scenario_text(), model.cursor, shared.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match page::share_link(&page::base_url(false), &text, cursor).await {
                    Ok(link) => {
                        if let Ok(history) = window().history() {
                            let _ = history.replace_state_with_url(
                                &wasm_bindgen::JsValue::NULL,
                                "",
                                Some(&link),
                            );
                        }
                        let _ = window().navigator().clipboard().write_text(&link);
                        shared.set(Shared::Copied);
                    }
                    Err(len) => shared.set(Shared::TooLong(len)),
                }
            });
        })
    };
    let on_pick = {
        let file_input = file_input.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(input) = file_input.cast::<HtmlInputElement>() {
                input.click();
            }
        })
    };
    let on_file = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                import_file(file, dispatch.clone());
            }
            input.set_value("");
        })
    };
    let on_drag_over = Callback::from(|e: DragEvent| e.prevent_default());
    let on_drop = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: DragEvent| {
            let file = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|f| f.get(0));
            if let Some(file) = file {
                e.prevent_default();
                import_file(file, dispatch.clone());
            }
        })
    };
    let on_export = {
        let model = model.clone();
        Callback::from(move |_: MouseEvent| {
            download("scenario.yaml", &model.scenario_text(), "application/yaml")
        })
    };
    // The report comes from the worker, which runs the same scenario again.
    let on_report = {
        let (model, dispatch) = (model.clone(), dispatch.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(run) = model.derived.current() else {
                return;
            };
            let (text, dispatch) = (jobsim::run::scenario_text(&run.outcome), dispatch.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match services::ask(&["report", &text]).await {
                    Ok(json) => download("report.json", &json, "application/json"),
                    Err(e) => dispatch.emit(Msg::Problem(Some(e))),
                }
            });
        })
    };

    let reveal_until = if model.playing {
        model.cursor + (model.speed * 2.0 * VIEW_REFRESH_MS) as Ms
    } else {
        model.cursor
    };
    let run = model.run();
    // While the scenario does not run, the last run that did stays, dimmed.
    let stale = run.is_some() && model.derived.problem.is_some();
    let embed = params.embed;
    let on_full = {
        let model = model.clone();
        Callback::from(move |_: MouseEvent| {
            // Open the tab now (a click allows it), then point it at the
            // scenario once the browser has deflated it.
            let Ok(Some(tab)) = window().open_with_url_and_target("about:blank", "_blank") else {
                return;
            };
            let (text, cursor) = (model.scenario_text(), model.cursor);
            wasm_bindgen_futures::spawn_local(async move {
                let base = page::base_url(true);
                let link = page::share_link(&base, &text, cursor).await.unwrap_or(base);
                let _ = tab.location().set_href(&link);
            });
        })
    };
    let source = html! {
        <>
            <Editor text={model.manifest_text.clone()} invalid={model.derived.manifest_error().is_some()} label={tx.manifest} on_input={on_input}
                version={version.clone()} plain={params.plain_editor} />
            { panels::error_panel(&model.derived, tx) }
        </>
    };
    html! {
        <main class={classes!("app", embed.then_some("embed"))} ondragover={on_drag_over} ondrop={on_drop}
            data-preset={model.preset.unwrap_or_default()} data-loading={model.derived.loading.to_string()}>
            { for model.problem.as_ref().map(|p| html! {
                <p class="problem" role="alert">
                    <strong>{ tx.cannot_open }</strong>
                    <span data-testid="problem">{ p }</span>
                    <button aria-label={tx.dismiss} onclick={msg_with(&dispatch, || Msg::Problem(None))}>{ "✕" }</button>
                </p>
            }) }
            if embed {
                <header class="top">
                    <h1>{ tx.title }</h1>
                    <button data-testid="open-full" onclick={on_full}>{ tx.open_full }{ " ↗" }</button>
                </header>
            } else {
            <header class="top">
                <h1>{ tx.title }</h1>
                <label>{ tx.preset }
                    <select data-testid="preset-select" onchange={on_preset}>
                        if model.preset.is_none() { <option selected=true value="">{ tx.custom }</option> }
                        { for PRESETS.iter().map(|(id, name)| html! { <option value={*id} selected={model.preset == Some(*id)}>{ *name }</option> }) }
                    </select>
                </label>
                <label>{ tx.version }
                    <select data-testid="version-select" onchange={on_version}>
                        { for jobsim::view::releases().iter().map(|v| {
                            let current = model.scenario.kubernetes_version.as_deref().unwrap_or(jobsim::view::NEWEST_RELEASE);
                            html! { <option value={*v} selected={current == *v}>{ *v }</option> }
                        }) }
                    </select>
                </label>
                <label>{ tx.language }
                    <select data-testid="locale-select" onchange={on_locale}>
                        <option value="en" selected={model.locale == Locale::En}>{ "English" }</option>
                        <option value="ja" selected={model.locale == Locale::Ja}>{ "日本語" }</option>
                    </select>
                </label>
                { button("restore-example", tx.restore_example, false, {
                    let (dispatch, origin) = (dispatch.clone(), model.origin);
                    Callback::from(move |_| page::load_preset(origin, true, &dispatch))
                }) }
                <button data-testid="workshop-toggle" aria-pressed={show_workshop.to_string()}
                    onclick={{ let w = show_workshop.clone(); Callback::from(move |_| w.set(!*w)) }}>{ "🎓 " }{ tx.workshop }</button>
                { button("share", if *shared == Shared::Copied { tx.copied } else { tx.share }, false, on_share) }
                <button data-testid="import" onclick={on_pick} title={tx.drop_hint}>{ tx.import }</button>
                <input type="file" hidden=true ref={file_input} data-testid="import-file" accept=".yaml,.yml,.json,text/yaml" onchange={on_file} />
                { button("export-scenario", tx.export_scenario, false, on_export.clone()) }
                { button("export-report", tx.export_report, model.derived.current().is_none(), on_report) }
                if let Shared::TooLong(len) = *shared {
                    <p class="problem" role="alert" data-testid="link-too-long">
                        { tx.link_too_long.replace("{n}", &len.to_string()).replace("{max}", &share::MAX_LINK_CHARS.to_string()) }
                        { " " }<button onclick={on_export}>{ tx.export_scenario }</button>
                    </p>
                }
            </header>
            }

            <section class="source">
                // (Not while a prediction is pending: the notes may tell the answer.)
                if !embed && !model.sealed {
                    { for model.scenario.about.as_ref().map(|a| panels::about_panel(a, model.locale, tx)) }
                }
                // A workshop link opens once its levels are inflated.
                if *show_workshop && (inline_levels.is_some() || !level_link) {
                    <workshop::Workshop derived={model.derived.clone()} scenario={model.scenario.clone()}
                        manifest_text={model.manifest_text.clone()} locale={model.locale} dispatch={dispatch.clone()}
                        open={params.level.clone()} only={params.levels.clone()} url={params.levels_url.clone()}
                        inline={(*inline_levels).clone()} />
                }
                if embed {
                    <details class="fold" open={params.editor}>
                        <summary>{ tx.manifest }</summary>
                        { source }
                    </details>
                } else {
                    { source }
                    <behavior::BehaviorPanel scenario={model.scenario.clone()} derived={model.derived.clone()} locale={model.locale} dispatch={dispatch.clone()} />
                }
                { panels::actions_list(&model.scenario.actions, run.filter(|_| !stale).and_then(|r| r.outcome.stopped.as_ref()), tx, &dispatch) }
            </section>

            <section class={classes!("sim", stale.then_some("stale"))} data-stale={stale.to_string()}>
                if model.sealed {
                    <p class="sealed" role="status" data-testid="sealed">{ tx.sealed }</p>
                } else {
                    if stale {
                        <p class="stale-note" role="status" data-testid="stale-note">{ tx.stale_run }</p>
                    }
                    <div class="controls" role="toolbar" aria-label={tx.scrubber}>
                        { button("play", &format!("▶ {}", tx.play), model.playing || run.is_none(), msg(|| Msg::Play)) }
                        { button("pause", &format!("‖ {}", tx.pause), !model.playing, msg(|| Msg::Pause)) }
                        <button data-testid="step-back" onclick={msg(|| Msg::Step(false))} aria-label={tx.step_back}>{ "◀" }</button>
                        { button("step", &format!("{} ▶", tx.step), false, msg(|| Msg::Step(true))) }
                        { button("reset", tx.reset, false, msg(|| Msg::Seek(0))) }
                        <label>{ tx.speed }
                            <select data-testid="speed" onchange={on_speed}>
                                { for SPEEDS.iter().map(|&(value, label, speed)| html! { <option {value} selected={speed == model.speed}>{ label }</option> }) }
                            </select>
                        </label>
                        <span class="clock-box" title={tx.time}>
                            { "t = " }<output data-testid="clock" ref={clock} aria-label={tx.time}>{ fixed(model.cursor as f64 / 1000.0, 1) }</output>{ " s" }
                        </span>
                        <input type="range" class="scrubber" data-testid="scrubber" ref={scrubber} aria-label={tx.scrubber}
                            min="0" max={end.to_string()} step="100" value={model.cursor.to_string()} oninput={on_scrub} />
                    </div>
                    { for run.and_then(|r| r.outcome.stopped.as_ref().filter(|_| !stale)).map(|s| html! {
                        <p class="error run-error" role="alert">
                            <span class="error-position">{ tx.run_stopped.replace("{t}", &jobsim::scenario::duration::format(s.at)) }</span>
                            { " " }<span data-testid="run-error">{ s.to_string() }</span>
                        </p>
                    }) }
                    { for run.filter(|r| r.cron_job()).map(|r| cronjob::cron_job_panel(r, model.cursor, stale, tx, &dispatch)) }
                    <TimelineView derived={model.derived.clone()} cursor={model.cursor} {reveal_until}
                        selection={model.selection.clone()} locale={model.locale} on_select={on_select} cover_ref={cover}
                        follow={model.playing} axis={axis} dispatch={dispatch.clone()} collapse={model.collapse} />
                    <p class="keys">{ tx.keyboard_help }</p>
                    { legend(tx, run.is_some_and(|r| r.cron_job())) }
                    { inject_bar(&model, embed, tx, &dispatch, &exit_code, &parallelism) }
                    { if let Some(run) = run { html! {
                        <>
                            <div class="panels">
                                { panels::status_panel(run, model.cursor, tx) }
                                { panels::explain_panel(run, &model.selection, model.cursor, model.locale, tx) }
                            </div>
                            { panels::tabs(run, model.cursor, model.tab, tx, &dispatch) }
                            { pod_table(run, model.cursor, tx) }
                        </>
                    } } else { html! {} } }
                    if embed {
                        { for model.scenario.about.as_ref().map(|a| panels::about_panel(a, model.locale, tx)) }
                    }
                }
            </section>
        </main>
    }
}

/// The speed of a menu value (without parsing floats).
fn speed_value(text: &str) -> f64 {
    SPEEDS.iter().find(|s| s.0 == text).map_or(10.0, |s| s.2)
}

/// A button (one `html!` for all of them keeps the page small).
pub fn button(
    testid: &'static str,
    label: &str,
    disabled: bool,
    onclick: Callback<MouseEvent>,
) -> Html {
    html! { <button data-testid={testid} {disabled} {onclick}>{ label }</button> }
}

/// A click handler that sends `m()`.
fn msg_with(dispatch: &Callback<Msg>, m: impl Fn() -> Msg + 'static) -> Callback<MouseEvent> {
    let dispatch = dispatch.clone();
    Callback::from(move |_: MouseEvent| dispatch.emit(m()))
}

/// `v` with `decimals` digits after the point, without the standard
/// library's float formatting.
pub fn fixed(v: f64, decimals: u32) -> String {
    let scale = 10u64.pow(decimals);
    let n = (v.abs() * scale as f64).round() as u64;
    let sign = if v < 0.0 && n > 0 { "-" } else { "" };
    if decimals == 0 {
        return format!("{sign}{n}");
    }
    format!(
        "{sign}{}.{:0width$}",
        n / scale,
        n % scale,
        width = decimals as usize
    )
}

fn legend(tx: &i18n::Texts, cron: bool) -> Html {
    let items = [
        ("seg-pending", "", "Pending"),
        ("seg-running", "", "Running"),
        ("seg-terminating", "", "Terminating"),
        ("seg-succeeded", "✓", "Succeeded"),
        ("seg-failed", "✕", "Failed"),
        ("gap-swatch", "", tx.backoff),
        ("restart-swatch", "↻", tx.restart),
        ("outage", "", tx.controllers_down),
    ];
    // A CronJob's Jobs: how they left, and the starts it skipped.
    let cron_items = [
        ("cron-gone", "", tx.cleaned_up),
        ("cron-gone replaced", "", tx.replaced),
        ("cron-mark skip", "⊘", tx.skipped),
    ];
    html! {
        <ul class="legend" aria-label={tx.legend} data-testid="legend">
            { for items.iter().chain(cron_items.iter().filter(|_| cron)).map(|&(class, mark, label)| html! {
                <li><span class={classes!("swatch", class)}>{ mark }</span>{ label }</li>
            }) }
        </ul>
    }
}

/// The pod an injection targets: the selected one while it exists, else
/// the first pod of the Job shown that runs a container at the cursor,
/// else the first that exists.
fn target_pod(model: &Model) -> Option<usize> {
    use jobsim::view::inject::{pod_exists, pods_at, regular_container_running};
    let run = model.run()?;
    let trace = &run.outcome.trace;
    let t = model.cursor;
    match model.selection {
        Selection::Pod(p) => pod_exists(&trace.pods[p], t).then_some(p),
        _ => {
            let mut pods = pods_at(trace, run.job?, t).peekable();
            let first = pods.peek().copied();
            pods.find(|&p| regular_container_running(&trace.pods[p], t))
                .or(first)
        }
    }
}

/// The injections, folded into one bar in an embed (opened on demand).
fn inject_bar(
    model: &Model,
    embed: bool,
    tx: &i18n::Texts,
    dispatch: &Callback<Msg>,
    exit_code: &UseStateHandle<i32>,
    parallelism: &UseStateHandle<Option<i32>>,
) -> Html {
    let target = target_pod(model);
    // Nothing can be injected into a run that is not the scenario's own.
    let run = model.derived.current();
    let offered = run.map_or_else(Default::default, |r| {
        jobsim::view::inject::available(&r.outcome.trace, target, model.cursor)
    });
    let name = target.and_then(|p| run.map(|r| r.outcome.trace.pods[p].name.clone()));
    // One button per injection; `kind` is None when there is no target.
    let inject = |testid, label: &str, enabled: bool, kind: Option<ActionKind>| {
        let dispatch = dispatch.clone();
        let enabled = enabled && kind.is_some();
        let onclick = Callback::from(move |_: MouseEvent| {
            if let Some(kind) = kind.clone() {
                dispatch.emit(Msg::Inject(kind));
            }
        });
        button(testid, label, !enabled, onclick)
    };
    // A CronJob's pods are found within the Job shown.
    let cron = run.is_some_and(model::Run::cron_job);
    let job = run.filter(|_| cron).and_then(|r| r.job).map(|j| j as u32);
    let pod = name.clone().map(|n| PodSelector {
        name: Some(n),
        job,
        ..PodSelector::default()
    });
    let fail = pod.clone().map(|pod| ActionKind::FailPod {
        pod,
        exit_code: **exit_code,
        reason: None,
        container: None,
    });
    let oom = pod.clone().map(|pod| ActionKind::FailPod {
        pod,
        exit_code: 137,
        reason: Some("OOMKilled".into()),
        container: None,
    });
    let evict = pod.clone().map(|pod| ActionKind::EvictPod { pod });
    let delete = pod.map(|pod| ActionKind::DeletePod {
        pod,
        grace_period_seconds: None,
    });
    let on_exit = {
        let exit_code = exit_code.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            exit_code.set(
                input
                    .value()
                    .parse::<i32>()
                    .ok()
                    .filter(|c| (1..=255).contains(c))
                    .unwrap_or(1),
            );
        })
    };
    // The Job's parallelism at the cursor, unless the user typed another.
    let job_parallelism = run
        .and_then(|r| {
            Some(
                r.outcome
                    .trace
                    .job_at(r.job?, model.cursor)
                    .spec
                    .parallelism
                    .unwrap_or(1),
            )
        })
        .unwrap_or(1);
    let shown_parallelism = parallelism.unwrap_or(job_parallelism);
    let on_parallelism = {
        let parallelism = parallelism.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            parallelism.set(input.value().trim().parse::<i32>().ok());
        })
    };
    let set_parallelism = {
        let (dispatch, parallelism) = (dispatch.clone(), parallelism.clone());
        Callback::from(move |_: MouseEvent| {
            parallelism.set(None);
            dispatch.emit(Msg::Inject(ActionKind::SetParallelism {
                value: shown_parallelism,
            }));
        })
    };
    let refusal = model.refusal.as_ref().filter(|r| !r.patch);
    html! {
        <details class="inject" open={!embed} aria-label={tx.inject}>
            <summary>
                <strong>{ tx.inject }{ " · " }{ tx.selected_pod }{ ": " }</strong>
                <code data-testid="inject-target" title={if target.is_none() { tx.pod_not_live } else { "" }}>{ name.unwrap_or_else(|| "–".into()) }</code>
            </summary>
            <div class="row">
                <label>{ tx.exit_code }
                    <input type="number" min="1" max="255" size="4" data-testid="inject-exit-code" value={exit_code.to_string()} onchange={on_exit} />
                </label>
                { inject("inject-fail", tx.fail, offered.fail, fail) }
                { inject("inject-oom", tx.oom_kill, offered.fail, oom) }
                { inject("inject-evict", tx.evict, offered.evict, evict) }
                { inject("inject-delete", tx.delete, offered.evict, delete) }
            </div>
            <div class="row">
                { inject("suspend", tx.suspend, offered.object, Some(ActionKind::Suspend)) }
                { inject("resume", tx.resume, offered.object, Some(ActionKind::Resume)) }
                if !cron {
                    <label>{ "parallelism" }
                        <input type="number" min="0" size="4" data-testid="parallelism-value" value={shown_parallelism.to_string()} onchange={on_parallelism} />
                    </label>
                    { button("set-parallelism", tx.set_parallelism, !offered.parallelism, set_parallelism) }
                }
                { inject("controller-down", tx.controller_down, offered.controller_down, Some(ActionKind::ControllerDown)) }
                { inject("controller-up", tx.controller_up, offered.controller_up, Some(ActionKind::ControllerUp)) }
                { inject("delete-job", if cron { tx.delete_cron_job } else { tx.delete_job }, offered.object, Some(ActionKind::DeleteJob)) }
            </div>
            { for refusal.map(|r| html! {
                <p class="error" role="alert" data-testid="inject-error"><strong>{ tx.refused }</strong>{ " " }{ &r.message }</p>
            }) }
            <PatchForm key={cron.to_string()} disabled={!offered.object} {cron} dispatch={dispatch.clone()} locale={model.locale}
                refusal={model.refusal.as_ref().filter(|r| r.patch).map(|r| r.message.clone())} />
        </details>
    }
}

#[derive(Properties, PartialEq)]
struct PatchProps {
    disabled: bool,
    /// Why the engine refused the last patch.
    refusal: Option<String>,
    /// The object is a CronJob: its own fields are patched.
    cron: bool,
    dispatch: Callback<Msg>,
    locale: Locale,
}

/// `kubectl patch --type merge` at the cursor: the patch is validated as an
/// update of the running Job when the scenario runs.
#[function_component(PatchForm)]
fn patch_form(props: &PatchProps) -> Html {
    let tx = texts(props.locale);
    let text = use_state(|| {
        if props.cron {
            "spec:\n  concurrencyPolicy: Replace\n"
        } else {
            "spec:\n  activeDeadlineSeconds: 60\n"
        }
        .to_string()
    });
    let label = if props.cron {
        tx.patch_cron_job
    } else {
        tx.patch_job
    };
    let problem = use_state(|| None::<String>);
    let on_input = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            text.set(area.value());
        })
    };
    let apply = {
        let (text, problem, dispatch) = (text.clone(), problem.clone(), props.dispatch.clone());
        Callback::from(
            move |_: MouseEvent| match jobsim::admission::parse_yaml(&text) {
                Ok(patch) if patch.is_mapping() => {
                    problem.set(None);
                    dispatch.emit(Msg::Inject(ActionKind::Patch { patch }));
                }
                Ok(_) => problem.set(Some("error: the patch must be a YAML mapping".into())),
                Err(e) => problem.set(Some(e.message)),
            },
        )
    };
    html! {
        <details class="patch">
            <summary>{ label }</summary>
            <textarea data-testid="patch-text" rows="3" spellcheck="false" aria-label={label}
                value={(*text).clone()} oninput={on_input} />
            <button data-testid="apply-patch" disabled={props.disabled} onclick={apply}>{ tx.apply_patch }</button>
            { for problem.as_ref().or(props.refusal.as_ref()).map(|p| html! { <p class="error" role="alert" data-testid="patch-error">{ p }</p> }) }
        </details>
    }
}

/// The timeline as a table (for screen readers, and for reading exact times).
fn pod_table(run: &model::Run, cursor: Ms, tx: &i18n::Texts) -> Html {
    use jobsim::scenario::duration::format as dur;
    let trace = &run.outcome.trace;
    html! {
        <details class="panel pod-table">
            <summary>{ tx.table_view }</summary>
            <table data-testid="pod-table">
                <thead><tr><th>{ "pod" }</th><th>{ "index" }</th><th>{ "created" }</th><th>{ "started" }</th><th>{ "finished" }</th><th>{ "phase now" }</th><th>{ "exit" }</th></tr></thead>
                <tbody>
                    { for run.timeline.bars.iter().filter(|b| b.from <= cursor).take(500).map(|b| {
                        let pod = &trace.pods[b.pod];
                        let started = pod.containers.iter().flat_map(|c| c.runs.first()).map(|r| r.started_at).min();
                        let finished = pod.phase_history.iter().find(|(_, p)| p.is_terminal()).map(|(t, _)| *t);
                        html! { <tr>
                            <td>{ &pod.name }</td>
                            <td>{ b.index.map(|i| i.to_string()).unwrap_or_default() }</td>
                            <td>{ dur(b.from) }</td>
                            <td>{ started.map(dur).unwrap_or_default() }</td>
                            <td>{ finished.map(dur).unwrap_or_default() }</td>
                            <td>{ jobsim::view::pods::row_at(pod, cursor).map(|r| r.status).unwrap_or_else(|| "deleted".into()) }</td>
                            <td>{ jobsim::view::report::pod_exit(pod).map(|(c, r)| format!("{c} {r}")).unwrap_or_default() }</td>
                        </tr> }
                    }) }
                </tbody>
            </table>
        </details>
    }
}
