//! The Container behaviour panel: everything the scenario's `behavior`
//! can say, editable, so nothing that drives the run is hidden: the
//! default for every container, one row per container of the manifest
//! (init containers and sidecars included), and the per-pod rules with
//! every match key, the container they apply to and every field. Each
//! rule says how many container starts it decided in the run, or that it
//! matched nothing.

use super::i18n::{Texts, texts};
use super::model::{Derived, Msg};
use jobsim::scenario::{Behavior, BehaviorField, ContainerBehavior, PodMatch, PodRule, Scenario};
use jobsim::view::behavior::{ContainerKind, containers};
use jobsim::view::explain::Locale;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The rules the panel lists (a scenario may hold thousands; the rest are
/// edited in the scenario file).
const SHOWN_RULES: usize = 100;

/// The match keys of a pod rule, in SCENARIO.md's order.
const MATCH_KEYS: [&str; 5] = ["index", "attempt", "ordinal", "job", "run"];

#[derive(Properties)]
pub struct BehaviorProps {
    /// The scenario whose behaviour the panel edits.
    pub scenario: Rc<Scenario>,
    /// The run on screen: the manifest's containers and what each rule did.
    pub derived: Rc<Derived>,
    pub locale: Locale,
    pub dispatch: Callback<Msg>,
}

/// Equal while the behaviour and the run are: playback (the same scenario
/// and run) is not even compared.
impl PartialEq for BehaviorProps {
    fn eq(&self, other: &BehaviorProps) -> bool {
        (Rc::ptr_eq(&self.scenario, &other.scenario)
            || self.scenario.behavior == other.scenario.behavior)
            && Rc::ptr_eq(&self.derived, &other.derived)
            && self.locale == other.locale
            && self.dispatch == other.dispatch
    }
}

/// A change of the behaviour from an input's text, or why the text is refused.
type Edit = dyn Fn(&mut Behavior, &str) -> Result<(), String>;

/// Where an edited field lives in the behaviour.
#[derive(Clone, PartialEq)]
enum Place {
    Default,
    Container(String),
    Rule(usize),
}

impl Place {
    fn of<'a>(&self, b: &'a mut Behavior) -> &'a mut ContainerBehavior {
        match self {
            Place::Default => &mut b.default,
            Place::Container(name) => b.containers.entry(name.clone()).or_default(),
            Place::Rule(i) => &mut b.pods[*i].behavior,
        }
    }

    /// The `data-testid` prefix of its inputs.
    fn testid(&self) -> &'static str {
        match self {
            Place::Default => "behavior",
            Place::Container(_) => "container",
            Place::Rule(_) => "rule",
        }
    }
}

fn match_key<'a>(m: &'a mut PodMatch, key: &str) -> &'a mut Option<u32> {
    match key {
        "index" => &mut m.index,
        "attempt" => &mut m.attempt,
        "ordinal" => &mut m.ordinal,
        "job" => &mut m.job,
        _ => &mut m.run,
    }
}

fn field_label(tx: &Texts, f: BehaviorField) -> &'static str {
    match f {
        BehaviorField::StartDelay => tx.start_delay,
        BehaviorField::RunFor => tx.run_for,
        BehaviorField::ExitCode => tx.exit_code,
        BehaviorField::Reason => tx.reason,
        BehaviorField::SigtermDelay => tx.sigterm_delay,
        BehaviorField::SigtermExitCode => tx.sigterm_exit_code,
    }
}

/// What a row falls back to for the fields it leaves empty: the levels
/// above it, down to the built-in behaviour.
fn fallback(b: &Behavior, place: &Place, rule_container: Option<&str>) -> ContainerBehavior {
    let built_in = ContainerBehavior::built_in();
    let default = b.default.or(&built_in);
    match place {
        Place::Default => built_in,
        Place::Container(_) => default,
        Place::Rule(_) => rule_container
            .and_then(|c| b.containers.get(c))
            .map_or(default.clone(), |c| c.or(&default)),
    }
}

fn input_value(e: &Event) -> String {
    let input: HtmlInputElement = e.target_unchecked_into();
    input.value()
}

#[function_component(BehaviorPanel)]
pub fn behavior_panel(props: &BehaviorProps) -> Html {
    let tx = texts(props.locale);
    let behavior = Rc::new(props.scenario.behavior.clone());
    // Why the last typed value was refused (it changed nothing).
    let refused = use_state(|| None::<String>);
    let run = props.derived.run.as_ref();
    let manifest = run
        .map(|r| containers(&r.outcome.scenario.manifest))
        .unwrap_or_default();
    let cron = run.is_some_and(|r| r.cron_job());

    // Every edit: a change of a copy of the behaviour, dispatched; refused
    // text is said, not applied.
    let edit = |change: Rc<Edit>| {
        let (behavior, dispatch, refused) =
            (behavior.clone(), props.dispatch.clone(), refused.clone());
        Callback::from(move |e: Event| {
            let mut b = (*behavior).clone();
            match change(&mut b, &input_value(&e)) {
                Ok(()) => {
                    // A container row emptied again says nothing.
                    b.containers
                        .retain(|_, c| *c != ContainerBehavior::default());
                    refused.set(None);
                    dispatch.emit(Msg::SetBehavior(b));
                }
                Err(why) => refused.set(Some(why)),
            }
        })
    };
    let fields = |place: Place, rule_container: Option<&str>| {
        let above = fallback(&behavior, &place, rule_container);
        let current = match &place {
            Place::Default => behavior.default.clone(),
            Place::Container(name) => behavior.containers.get(name).cloned().unwrap_or_default(),
            Place::Rule(i) => behavior.pods[*i].behavior.clone(),
        };
        html! { <div class="fields">{ for BehaviorField::ALL.iter().map(|&f| {
            let place = place.clone();
            let testid = format!("{}-{}", place.testid(), kebab(f.key()));
            let onchange = edit(Rc::new(move |b, text| f.set(place.of(b), text)));
            html! { <label class="field"><span>{ field_label(tx, f) }</span>
                <input type="text" data-testid={testid} value={f.text(&current)}
                    placeholder={f.inherited(&above)} {onchange} />
            </label> }
        }) }</div> }
    };
    let container_rows = manifest.iter().map(|(name, kind)| {
        let tag = match kind {
            ContainerKind::Init => tx.init_container,
            ContainerKind::Sidecar => tx.sidecar,
            ContainerKind::Regular => "",
        };
        html! { <li data-testid="behavior-container" data-container={name.clone()}>
            <span class="who"><code>{ name }</code>{ " " }<span class="tag">{ tag }</span></span>
            { fields(Place::Container(name.clone()), None) }
        </li> }
    });
    // Entries for names the manifest does not have: they change nothing.
    let orphans = behavior
        .containers
        .keys()
        .filter(|n| run.is_some() && !manifest.iter().any(|(m, _)| m == *n))
        .map(|name| {
            let (behavior, dispatch, name_) =
                (behavior.clone(), props.dispatch.clone(), name.clone());
            let remove = Callback::from(move |_| {
                let mut b = (*behavior).clone();
                b.containers.remove(&name_);
                dispatch.emit(Msg::SetBehavior(b));
            });
            html! { <li class="row orphan" data-testid="behavior-orphan">
                <span class="who"><code>{ name }</code></span>
                <span class="warning">{ tx.no_such_container }</span>
                <button class="remove" aria-label={tx.remove} onclick={remove}>{ "✕" }</button>
            </li> }
        });
    let rules = (0..behavior.pods.len().min(SHOWN_RULES)).map(|i| {
        let rule = &behavior.pods[i];
        let match_inputs = MATCH_KEYS.iter().filter(|&&k| cron || k != "job" || rule.matches.job.is_some()).map(|&key| {
            let value = {
                let mut m = rule.matches.clone();
                match_key(&mut m, key).map(|v| v.to_string()).unwrap_or_default()
            };
            let onchange = edit(Rc::new(move |b, text| {
                let text = text.trim();
                let v = (!text.is_empty())
                    .then(|| text.parse::<u32>().map_err(|_| format!("invalid {key} {text:?}: expected a whole number from 0")))
                    .transpose()?;
                *match_key(&mut b.pods[i].matches, key) = v;
                Ok(())
            }));
            // `run`: the container's Nth start inside the pod (in-place restarts).
            let title = if key == "run" { tx.run_hint } else { "" };
            html! { <label class="field" {title}><span>{ key }</span><input type="text" inputmode="numeric"
                data-testid={format!("rule-{key}")} {value} placeholder={tx.any} {onchange} /></label> }
        });
        let container = {
            let onchange = edit(Rc::new(move |b, text| {
                b.pods[i].container = (!text.is_empty()).then(|| text.to_string());
                Ok(())
            }));
            let chosen = rule.container.as_deref().unwrap_or("");
            html! { <label class="field"><span>{ tx.container }</span>
                <select data-testid="rule-container" {onchange}>
                    <option value="" selected={chosen.is_empty()}>{ tx.every_container }</option>
                    { for manifest.iter().map(|(n, _)| html! { <option value={n.clone()} selected={chosen == n}>{ n }</option> }) }
                </select>
            </label> }
        };
        let starts = run.map(|r| r.outcome.trace.log.starts_of_rule(i));
        let verdict = match starts {
            Some(0) => html! { <span class="warning" data-testid="rule-unmatched">{ tx.rule_unmatched }</span> },
            Some(n) => html! { <span class="hint" data-testid="rule-starts">{ tx.rule_starts.replace("{n}", &n.to_string()) }</span> },
            None => html! {},
        };
        let remove = {
            let (behavior, dispatch) = (behavior.clone(), props.dispatch.clone());
            Callback::from(move |_| {
                let mut b = (*behavior).clone();
                b.pods.remove(i);
                dispatch.emit(Msg::SetBehavior(b));
            })
        };
        html! { <li data-testid="behavior-rule">
            <div class="match">{ for match_inputs }{ container }
                <button class="remove" aria-label={tx.remove} onclick={remove}>{ "✕" }</button></div>
            { fields(Place::Rule(i), rule.container.as_deref()) }
            { verdict }
        </li> }
    });
    let add = {
        let (behavior, dispatch) = (behavior.clone(), props.dispatch.clone());
        Callback::from(move |_| {
            let mut b = (*behavior).clone();
            b.pods.push(PodRule {
                matches: PodMatch {
                    index: Some(0),
                    attempt: Some(0),
                    ..PodMatch::default()
                },
                container: None,
                behavior: ContainerBehavior {
                    exit_code: Some(1),
                    ..ContainerBehavior::default()
                },
            });
            dispatch.emit(Msg::SetBehavior(b));
        })
    };
    let said = behavior.containers.len() + behavior.pods.len();
    html! {
        <details class="panel behavior" open={said > 0}>
            <summary><h2>{ tx.behavior }</h2>
                if said > 0 { <span class="hint">{ format!(" ({})", tx.behavior_summary.replace("{c}", &behavior.containers.len().to_string()).replace("{r}", &behavior.pods.len().to_string())) }</span> }
            </summary>
            { for refused.as_ref().map(|why| html! { <p class="error" role="alert" data-testid="behavior-error">{ why }</p> }) }
            <ul class="rows">
                <li data-testid="behavior-default">
                    <span class="who">{ tx.every_container }</span>
                    { fields(Place::Default, None) }
                </li>
                { for container_rows }
                { for orphans }
            </ul>
            <h3>{ tx.rules }</h3>
            <ol class="rules">{ for rules }</ol>
            if behavior.pods.len() > SHOWN_RULES {
                <p class="hint">{ tx.more_rules.replace("{n}", &(behavior.pods.len() - SHOWN_RULES).to_string()) }</p>
            }
            <button onclick={add}>{ tx.add_rule }</button>
        </details>
    }
}

/// `runFor` → `run-for`, for test ids.
fn kebab(key: &str) -> String {
    let mut out = String::new();
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}
